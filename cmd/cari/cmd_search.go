package main

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index/input"
)

func newSearchCmd(o *options) *cobra.Command {
	var (
		r        cari.Request
		from, to string
		asJSON   bool
		plain    bool
		noDates  bool
	)
	cmd := &cobra.Command{
		Annotations: takesSynonyms(),
		Use:         "search [flags] QUERY...",
		Short:       "search the index",
		Long: `Search finds the articles that match QUERY, best first (BM25), and prints
each with its title, source, date, score and a snippet with the matched words
marked. Words are analyzed like the articles, so "serangan" also finds
"menyerang" and "diserang".

Up to four words (a name counts as one) find the articles that hold every
one of them, or another name for it; only when none holds them all do the
articles with some of them count. A question (a question word such as
"siapa" or "kapan", or a closing "?") or a longer query finds the articles
with any of its words, those with most of them first.

Query syntax (bleve's query string):
  kerja sama            both words (as above)
  "kerja sama"          the phrase
  +rusia -ukraina       must have rusia, must not have ukraina
  title:multipolar      only in the title
  pertahan*             any word starting so (matched against stems)
Use --plain to search the words as they are, with no syntax; text that is
not valid syntax (a quote left open) is searched as plain words anyway.

Names find their other names: Tiongkok finds China and RRT, "Amerika
Serikat" finds AS, KPK finds "Komisi Pemberantasan Korupsi" (a built-in
list; --synonyms FILE adds yours, one group a line: "a, b, c" for equal
forms, "a => b" for a that also finds b; so does a list stored in the
index through a server's PUT /api/settings/synonyms). A word the index has never seen
is matched within one or two typing errors, and the result suggests the
word meant. A query of stop words only ("siapa dia") finds the articles
whose titles hold them.

A date in a short query is a filter of publication days, not words to
match: "banjir jakarta januari 2020" finds banjir jakarta in January 2020,
"gempa palu 2018" in 2018, and "pilkada dki kemarin", "demo mahasiswa minggu
lalu", "harga bbm tahun lalu" count from the newest article's day. Years,
months ("jan 2020"), days ("17 agustus 2020", "17/8/2020"), parts ("awal
2020", "akhir januari 2020") and relative dates ("hari ini", "bulan ini",
"2 tahun lalu", "sepekan terakhir", "bulan januari") are read; numbers that
are no date stay words ("pasal 27", "uu 19 2019", "timnas u-23", "1000
rumah", "kerusuhan 22 mei"), and so does a date on whose days the index has
no article. A query of only a date lists its days' articles, newest first.
With --from or --to the days of both are searched, and where they do not
meet --from and --to win. The search prints the date it read; --no-dates
searches its words as words.

--recent weighs newer articles more: a score halves towards half of
itself every --half-life days (default 14), counted from the newest
article.

A query that matches more than 10,000 articles is ranked on a sample of
its matches spread over the whole index: the total and the facet counts
are then estimates ("about 390,000 articles match"), and the hits the
best of the sample. --exact ranks and counts every match, several times
slower on a large archive; --sort date always reads every match.

--cursor prints
the cursor of the next page, and --after CURSOR fetches it, however deep;
--page stops at the first 10,000 hits.

--json prints the result object of the HTTP API: query, total, took_ms,
page, size, hits (id, score, title, source, url, published, snippet) and
facets; title and snippet are HTML with <mark> around matched words.`,
		Example: `  cari search multipolar
  cari search '"kerja sama pertahanan"'
  cari search --source kabarnusantara.id --from 2023-01-01 --sort date Tiongkok
  cari search --json "kerja sama"
  cari search --recent --half-life 7 banjir
  cari search banjir jakarta januari 2020
  cari search --no-dates uu 2020`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r.Query = strings.Join(args, " ")
			r.Plain = plain
			r.NoDates = noDates
			var err error
			if r.From, err = optionalDate("--from", from); err != nil {
				return err
			}
			if r.To, err = optionalDate("--to", to); err != nil {
				return err
			}
			ix, closeIndex, err := o.openReader("searching")
			if err != nil {
				return err
			}
			defer closeIndex()
			res, err := ix.Search(cmd.Context(), r)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(o.stdout, res)
			}
			printResult(o, res)
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&r.Size, "size", cari.DefaultSize, "hits a page")
	f.IntVar(&r.Page, "page", 1, "page of hits, from 1")
	f.StringSliceVar(&r.Sources, "source", nil, "only articles from this source (repeatable)")
	f.StringSliceVar(&r.Tags, "tag", nil, "only articles with this tag (repeatable)")
	f.StringVar(&from, "from", "", "only articles published on or after this day (YYYY-MM-DD)")
	f.StringVar(&to, "to", "", "only articles published on or before this day (YYYY-MM-DD)")
	f.BoolVar(&r.Recent, "recent", false, "weigh newer articles more (a score decay with --half-life)")
	f.BoolVar(&r.Exact, "exact", false, "rank and count every match, however many (slower on a large archive; see \"total_exact\")")
	r.HalfLife = cari.DefaultHalfLife
	f.Var(halfLife{&r.HalfLife}, "half-life", "half-life of --recent in days, as the API's half_life (or a duration such as 72h)")
	f.BoolVar(&r.Cursor, "cursor", false, "return the cursor of the next page (\"next\" in --json), for --after")
	f.StringVar(&r.After, "after", "", "continue after the page whose \"next\" cursor this is: deep paging")
	f.StringVar(&r.Sort, "sort", "", `"relevance" (default), "date" (newest first) or "oldest"`)
	f.BoolVar(&asJSON, "json", false, "print the result as JSON")
	f.BoolVar(&plain, "plain", false, "search the words as plain text, with no query syntax")
	f.BoolVar(&noDates, "no-dates", false, `search the words of a date ("januari 2020", "kemarin") as words, not as a date filter`)
	f.BoolVar(&r.Collapse, "collapse", true, "show one hit per story, the other sources of it below (--collapse=false shows every article)")
	return cmd
}

func optionalDate(flag, s string) (t time.Time, err error) {
	if s == "" {
		return t, nil
	}
	t, err = input.ParseDate(s)
	if err != nil {
		return t, fmt.Errorf("%s: %w", flag, err)
	}
	return t, nil
}

func printResult(o *options, res *cari.Result) {
	last := (res.Page-1)*res.Size + len(res.Hits)
	// The suggestion, as the search page shows it: the words it names
	// are those the hits were found by.
	suggest := func() {
		if res.Suggestion != "" {
			fmt.Fprintf(o.stdout, "Mungkin maksud Anda: %s\n", res.Suggestion)
		}
	}
	if len(res.Hits) == 0 {
		fmt.Fprintf(o.stdout, "no articles match %q (%d in all)\n", res.Query, res.Total)
		printUnderstood(o, res)
		suggest()
		return
	}
	verb := "match"
	if res.Total == 1 {
		verb = "matches"
	}
	about := ""
	if !res.TotalExact {
		about = "about "
	}
	fmt.Fprintf(o.stdout, "%s%s %s %q; %d–%d (%.1f ms)\n", about, plural(int(res.Total), "article"), verb, res.Query, (res.Page-1)*res.Size+1, last, res.TookMS)
	printUnderstood(o, res)
	suggest()
	fmt.Fprintln(o.stdout)
	printHits(o, res)
}

// printUnderstood prints, on one line, the date the search read out of
// the query.
func printUnderstood(o *options, res *cari.Result) {
	if res.Understood == nil || res.Understood.Dates == nil {
		return
	}
	d := res.Understood.Dates
	words := "no words"
	if d.Query != "" {
		words = fmt.Sprintf("the words %q", d.Query)
	}
	fmt.Fprintf(o.stdout, "dates: %q read as %s to %s (%s), searching %s; --no-dates searches it as words\n", d.Text, d.From, d.To, d.Label, words)
}

// printHits prints each hit of a page: rank, title, source, date, score,
// id and snippet.
func printHits(o *options, res *cari.Result) {
	tty := isTerminal(o.stdout)
	for i, h := range res.Hits {
		fmt.Fprintf(o.stdout, "%d. %s\n", (res.Page-1)*res.Size+i+1, highlight(h.Title, tty))
		meta := []string{}
		for _, s := range []string{h.Source, h.Published} {
			if s != "" {
				meta = append(meta, s)
			}
		}
		meta = append(meta, fmt.Sprintf("score %.2f", h.Score), h.ID)
		fmt.Fprintf(o.stdout, "   %s\n", strings.Join(meta, " · "))
		if h.Snippet != "" {
			fmt.Fprintf(o.stdout, "   %s\n", strings.Join(strings.Fields(highlight(h.Snippet, tty)), " "))
		}
		if len(h.Others) > 0 {
			var sources []string
			for _, r := range h.Others {
				sources = append(sources, cmp.Or(r.Source, r.ID))
			}
			fmt.Fprintf(o.stdout, "   +%d sumber lain: %s\n", len(h.Others), strings.Join(sources, ", "))
		}
		fmt.Fprintln(o.stdout)
	}
}
