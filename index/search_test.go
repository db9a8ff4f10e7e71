package index

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index/input"
	"github.com/carisearch/cari/index/synonym"
)

// sampleIndex is a temporary index of the bundled sample articles, built
// once for the package's tests (which only read it).
var sampleIndex = sync.OnceValues(func() (*Index, error) {
	sampleBuilt.Store(true)
	ix, err := CreateTemp(Options{})
	if err != nil {
		return nil, err
	}
	report, err := ix.Ingest(context.Background(), input.FS(cari.SampleArticles, cari.SampleDir), IngestOptions{})
	if err != nil {
		return nil, err
	}
	if len(report.Skipped) > 0 {
		return nil, report.Skipped[0]
	}
	return ix, nil
})

// sampleBuilt tells TestMain whether there is a sample index to close
// (and so to remove from the temporary directory).
var sampleBuilt atomic.Bool

func samples(t testing.TB) *Index {
	t.Helper()
	ix, err := sampleIndex()
	if err != nil {
		t.Fatalf("index the sample articles: %v", err)
	}
	return ix
}

// requestOption sets the option k=v of a golden's line on r, reporting
// whether k is one of a request's: sort=date|oldest source=S tag=T (an
// underscore for a space) from=DAY to=DAY recent=true size=N page=N.
func requestOption(r *cari.Request, k, v string) (bool, error) {
	var err error
	switch k {
	case "sort":
		r.Sort = v
	case "source":
		r.Sources = append(r.Sources, v)
	case "tag":
		// Tags hold spaces, which the options separate.
		r.Tags = append(r.Tags, strings.ReplaceAll(v, "_", " "))
	case "from":
		r.From, err = input.ParseDate(v)
	case "to":
		r.To, err = input.ParseDate(v)
	case "recent":
		r.Recent, err = strconv.ParseBool(v)
	case "size":
		r.Size, err = strconv.Atoi(v)
	case "page":
		r.Page, err = strconv.Atoi(v)
	default:
		return false, nil
	}
	return true, err
}

// TestRankingGoldens checks, for every query in testdata/ranking/goldens.tsv,
// which article ranks first, and what the line's options ask of the result:
//
//	sort=date|oldest  source=S  tag=T  from=DAY  to=DAY  recent=true
//	size=N page=N     the first hit of that page
//	size=N cursor=N   the first hit of page N reached by Next cursors
//	mark=TEXT         the first hit's title or snippet has <mark>TEXT</mark>
//	not=ID            ID is nowhere in the hits
//	has=ID            ID is among the hits of the page
//	suggest=TEXT      the result suggests TEXT
func TestRankingGoldens(t *testing.T) {
	ix := samples(t)
	f, err := os.Open(filepath.Join("..", "testdata", "ranking", "goldens.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, "\t")
		if len(fields) < 2 {
			t.Fatalf("goldens.tsv:%d: want query<TAB>id[<TAB>options]", line)
		}
		q, want := fields[0], fields[1]
		n++
		where := fmt.Sprintf("goldens.tsv:%d: %s", line, text)
		r := cari.Request{Query: q, Size: 3, NoFacets: true}
		var marks, nots, has []string
		var suggest string
		cursorPage := 0
		if len(fields) > 2 {
			for _, opt := range strings.Fields(fields[2]) {
				k, v, _ := strings.Cut(opt, "=")
				var err error
				switch handled, rerr := requestOption(&r, k, v); {
				case handled:
					err = rerr
				case k == "cursor":
					cursorPage, err = strconv.Atoi(v)
					r.Cursor = true
				case k == "mark":
					marks = append(marks, "<mark>"+strings.ReplaceAll(v, "_", " ")+"</mark>")
				case k == "not":
					nots = append(nots, v)
				case k == "has":
					has = append(has, v)
				case k == "suggest":
					suggest = strings.ReplaceAll(v, "_", " ")
				default:
					err = fmt.Errorf("unknown option %q", k)
				}
				if err != nil {
					t.Fatalf("%s: %v", where, err)
				}
			}
		}
		res, err := ix.Search(context.Background(), r)
		for page := 2; err == nil && page <= cursorPage; page++ {
			if res.Next == "" {
				t.Fatalf("%s: no cursor after page %d", where, page-1)
			}
			r.After = res.Next
			res, err = ix.Search(context.Background(), r)
		}
		if err != nil {
			t.Errorf("%s: %v", where, err)
			continue
		}
		if len(res.Hits) == 0 || res.Hits[0].ID != want {
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.ID)
			}
			t.Errorf("%s: top hits %v, want %s first", where, got, want)
			continue
		}
		for _, m := range marks {
			if !strings.Contains(res.Hits[0].Title+res.Hits[0].Snippet, m) {
				t.Errorf("%s: %s in neither title %q nor snippet %q", where, m, res.Hits[0].Title, res.Hits[0].Snippet)
			}
		}
		for _, id := range nots {
			all, err := ix.Search(context.Background(), cari.Request{Query: r.Query, Sort: r.Sort, Sources: r.Sources, Tags: r.Tags, From: r.From, To: r.To, Size: cari.MaxSize, NoHighlight: true, NoFacets: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range all.Hits {
				if h.ID == id {
					t.Errorf("%s: %s is among the hits", where, id)
				}
			}
		}
		for _, id := range has {
			if !slices.ContainsFunc(res.Hits, func(h cari.Hit) bool { return h.ID == id }) {
				t.Errorf("%s: %s is not among the hits of the page", where, id)
			}
		}
		if suggest != "" && res.Suggestion != suggest {
			t.Errorf("%s: suggestion %q, want %q", where, res.Suggestion, suggest)
		}
	}
	if n < 50 {
		t.Errorf("only %d ranking goldens; want at least 50", n)
	}
}

// TestSearchResults checks totals, order and highlights together.
func TestSearchResults(t *testing.T) {
	ix := samples(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		req       cari.Request
		total     uint64 // 0: not checked
		minTotal  uint64
		first     string
		inSnippet string
		inTitle   string
	}{
		{name: "multipolar", req: cari.Request{Query: "multipolar"}, total: 2, first: "kn-2023-001",
			inSnippet: "<mark>multipolar</mark>", inTitle: "<mark>Multipolar</mark>"},
		{name: "affixed form marks the text's form", req: cari.Request{Query: "serangan"}, first: "kn-2023-001", minTotal: 1},
		{name: "phrase", req: cari.Request{Query: `"kerja sama pertahanan"`}, first: "kn-2023-002", inSnippet: "<mark>"},
		{name: "plain text with syntax characters", req: cari.Request{Query: "Apa itu C++? (title:", Plain: true}},
		{name: "must not", req: cari.Request{Query: "+multipolar -brics"}, total: 1, first: "kn-2023-001"},
		{name: "title field", req: cari.Request{Query: "title:multipolar"}, total: 1, first: "kn-2023-001"},
		{name: "source filter", req: cari.Request{Query: "multipolar", Sources: []string{"nosuchsource.id"}}, total: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := ix.Search(ctx, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if tc.total != 0 || tc.name == "source filter" {
				if res.Total != tc.total {
					t.Errorf("total %d, want %d", res.Total, tc.total)
				}
			}
			if res.Total < tc.minTotal {
				t.Errorf("total %d, want at least %d", res.Total, tc.minTotal)
			}
			if tc.first != "" {
				if len(res.Hits) == 0 || res.Hits[0].ID != tc.first {
					t.Fatalf("first hit %v, want %s", res.Hits, tc.first)
				}
				if !strings.Contains(res.Hits[0].Snippet, tc.inSnippet) {
					t.Errorf("snippet %q lacks %q", res.Hits[0].Snippet, tc.inSnippet)
				}
				if !strings.Contains(res.Hits[0].Title, tc.inTitle) {
					t.Errorf("title %q lacks %q", res.Hits[0].Title, tc.inTitle)
				}
			}
			for i := 1; i < len(res.Hits); i++ {
				if res.Hits[i].Score > res.Hits[i-1].Score {
					t.Errorf("hit %d scores %f above hit %d's %f", i, res.Hits[i].Score, i-1, res.Hits[i-1].Score)
				}
			}
		})
	}
}

func TestUntitledArticleShowsItsLead(t *testing.T) {
	ix, err := CreateTemp(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	body := "Banjir merendam Demak. Ribuan warga mengungsi ke tempat yang lebih tinggi."
	if _, _, err := ix.Upsert(context.Background(), []cari.Article{{ID: "x", Body: body}}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"mengungsi", "banjir"} {
		res, err := ix.Search(context.Background(), cari.Request{Query: q})
		if err != nil || len(res.Hits) != 1 {
			t.Fatalf("%s: %v %v", q, res, err)
		}
		if got := res.Hits[0].Title; got != "Banjir merendam Demak." {
			t.Errorf("%s: title %q, want the lead sentence", q, got)
		}
	}
}

func TestSearchFiltersSortAndPaging(t *testing.T) {
	ix := samples(t)
	ctx := context.Background()
	all, err := ix.Search(ctx, cari.Request{Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	if all.Total < 44 {
		t.Fatalf("empty query matches %d articles, want all of them", all.Total)
	}
	for i := 1; i < len(all.Hits); i++ {
		if all.Hits[i].Published > all.Hits[i-1].Published {
			t.Fatalf("empty query is not newest first: %s after %s", all.Hits[i].Published, all.Hits[i-1].Published)
		}
	}
	from, _ := input.ParseDate("2023-01-01")
	to, _ := input.ParseDate("2023-12-31")
	res, err := ix.Search(ctx, cari.Request{From: from, To: to, Sources: []string{"kabarnusantara.id"}, Sort: cari.SortOldest, Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 {
		t.Fatal("no kabarnusantara.id articles in 2023")
	}
	for i, h := range res.Hits {
		if h.Source != "kabarnusantara.id" || h.Published < "2023-01-01" || h.Published > "2023-12-31" {
			t.Errorf("hit %s (%s, %s) is outside the filters", h.ID, h.Source, h.Published)
		}
		if i > 0 && h.Published < res.Hits[i-1].Published {
			t.Errorf("oldest-first order broken at %s", h.ID)
		}
	}
	// The source facet counts the other sources too (otherSources), the
	// chosen one with as many as the hits.
	got := res.Facets[FieldSource]
	i := slices.IndexFunc(got, func(f cari.Facet) bool { return f.Value == "kabarnusantara.id" })
	if len(got) < 2 || i < 0 || uint64(got[i].Count) != res.Total {
		t.Errorf("source facet %v, want kabarnusantara.id with %d among the others", got, res.Total)
	}
	page1, _ := ix.Search(ctx, cari.Request{Query: "indonesia", Size: 2})
	page2, _ := ix.Search(ctx, cari.Request{Query: "indonesia", Size: 2, Page: 2})
	if len(page1.Hits) != 2 || len(page2.Hits) != 2 || page1.Hits[0].ID == page2.Hits[0].ID {
		t.Errorf("paging: page 1 %v, page 2 %v", page1.Hits, page2.Hits)
	}
}

func TestSearchBadRequests(t *testing.T) {
	ix := samples(t)
	for _, r := range []cari.Request{
		{Query: "x", Page: -1},
		{Query: "x", Size: 1000},
		{Query: "x", Page: 5000, Size: 100},
		{Query: "x", Sort: "popularity"},
		{Query: "x", From: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Query: "x", To: time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)},      // before bleve's dates
		{Query: "x", From: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}, // after them
		{Query: strings.Repeat("a", cari.MaxQueryBytes+1)},
		{Query: "\xff"},
	} {
		if _, err := ix.Search(context.Background(), r); !errors.Is(err, cari.ErrBadRequest) {
			t.Errorf("Search(%+v): error %v, want ErrBadRequest", r, err)
		}
	}
}

// TestInvalidSyntaxIsPlainWords checks that text which is not valid query
// syntax is searched as the words it holds, never refused.
func TestInvalidSyntaxIsPlainWords(t *testing.T) {
	ix := samples(t)
	ctx := context.Background()
	for _, q := range []string{
		`"kerja sama pertahanan`, // unclosed quote
		"multipolar title:",      // a field with nothing after it
		"/[/ multipolar",         // an invalid regular expression
		"multipolar~5",           // more fuzziness than allowed
		"body:multipolar^0",      // a boost that would divide by zero
		"multipolar (dunia",      // an unclosed group
	} {
		got, err := ix.Search(ctx, cari.Request{Query: q, NoFacets: true})
		if err != nil {
			t.Errorf("Search(%q): %v, want the words searched", q, err)
			continue
		}
		want, err := ix.Search(ctx, cari.Request{Query: q, Plain: true, NoFacets: true})
		if err != nil {
			t.Fatal(err)
		}
		if got.Total == 0 || got.Total != want.Total || got.Hits[0].ID != want.Hits[0].ID {
			t.Errorf("Search(%q): %d hits, first %v; as plain words %d, first %v", q, got.Total, got.Hits, want.Total, want.Hits)
		}
	}
}

func FuzzSearchQuery(f *testing.F) {
	for _, q := range []string{"multipolar", `"kerja sama"`, "+rusia -ukraina", "title:(", "a~9", "/[/", "*", "tahun:>5", `published:>"2023-01-01"`, "Apa itu C++?"} {
		f.Add(q, false)
	}
	ix := samples(f)
	f.Fuzz(func(t *testing.T, q string, plain bool) {
		_, err := ix.Search(context.Background(), cari.Request{Query: q, Plain: plain, NoFacets: true})
		if err != nil && !errors.Is(err, cari.ErrBadRequest) && !errors.Is(err, cari.ErrTooExpensive) {
			t.Fatalf("Search(%q, plain=%v): %v is neither a bad request nor too expensive", q, plain, err)
		}
		if plain && err != nil && len(q) <= cari.MaxQueryBytes && utf8.ValidString(q) {
			t.Fatalf("plain Search(%q) failed: %v", q, err)
		}
	})
}

// TestStopWordOnlyQuery checks that a query made only of stop words finds
// the articles whose titles hold them, and that in any other query stop
// words count for nothing.
func TestStopWordOnlyQuery(t *testing.T) {
	ix := samples(t)
	ctx := context.Background()
	all, err := ix.Search(ctx, cari.Request{Size: cari.MaxSize, NoFacets: true, NoHighlight: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"masih", "dengan", "masih dengan"} {
		if terms := ix.queryTerms(q); len(terms) != 0 {
			t.Fatalf("%q analyzes to %v; the test wants stop words only", q, terms)
		}
		want := map[string]bool{}
		for _, h := range all.Hits {
			for _, w := range strings.Fields(strings.ToLower(h.Title)) {
				if strings.Contains(" "+q+" ", " "+w+" ") {
					want[h.ID] = true
				}
			}
		}
		if len(want) == 0 {
			t.Fatalf("no sample title holds %q", q)
		}
		res, err := ix.Search(ctx, cari.Request{Query: q, Size: cari.MaxSize, NoFacets: true})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, h := range res.Hits {
			got[h.ID] = true
			if !strings.Contains(h.Title, "<mark>") {
				t.Errorf("%q: %s found, but nothing marked in its title %q", q, h.ID, h.Title)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%q: found %v, want the articles whose titles hold it: %v", q, got, want)
		}
		for id := range want {
			if !got[id] {
				t.Errorf("%q: %s not found", q, id)
			}
		}
	}
	// With other words, stop words are dropped, in titles too.
	with, err := ix.Search(ctx, cari.Request{Query: "masih rupiah", Size: cari.MaxSize, NoFacets: true, NoHighlight: true})
	if err != nil {
		t.Fatal(err)
	}
	without, err := ix.Search(ctx, cari.Request{Query: "rupiah", Size: cari.MaxSize, NoFacets: true, NoHighlight: true})
	if err != nil {
		t.Fatal(err)
	}
	if with.Total != without.Total || with.Hits[0].ID != without.Hits[0].ID || with.Hits[0].Score != without.Hits[0].Score {
		t.Errorf(`"masih rupiah": %d hits, first %s %g; "rupiah": %d, first %s %g`, with.Total, with.Hits[0].ID, with.Hits[0].Score, without.Total, without.Hits[0].ID, without.Hits[0].Score)
	}
}

// TestFacetCounts counts sources, tags, years and months of every hit by
// hand and checks the facets against the counts.
func TestFacetCounts(t *testing.T) {
	checkFacetCounts(t, samples(t))
}

// checkFacetCounts compares the facets of a few searches with counts made
// by hand from the hits.
func checkFacetCounts(t *testing.T, ix *Index) {
	t.Helper()
	ctx := context.Background()
	for _, q := range []string{"", "indonesia", "banjir"} {
		all, err := ix.Search(ctx, cari.Request{Query: q, Size: cari.MaxSize, NoFacets: true, NoHighlight: true})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]map[string]int{FieldSource: {}, FieldTags: {}, FieldPublished: {}, cari.FacetMonth: {}}
		for _, h := range all.Hits {
			want[FieldSource][h.Source]++
			for _, tag := range h.Tags {
				want[FieldTags][tag]++
			}
			if h.Published != "" {
				want[FieldPublished][h.Published[:4]]++
				want[cari.FacetMonth][h.Published[:7]]++
			}
		}
		res, err := ix.Search(ctx, cari.Request{Query: q, NoHighlight: true})
		if err != nil {
			t.Fatal(err)
		}
		for name, counts := range want {
			got := res.Facets[name]
			if len(got) == 0 {
				t.Errorf("%q: no %s facet", q, name)
			}
			for i, f := range got {
				if counts[f.Value] != f.Count {
					t.Errorf("%q %s %q: count %d, counted %d", q, name, f.Value, f.Count, counts[f.Value])
				}
				if (name == FieldSource || name == FieldTags) && i > 0 && f.Count > got[i-1].Count {
					t.Errorf("%q %s: %q (%d) after %q (%d)", q, name, f.Value, f.Count, got[i-1].Value, got[i-1].Count)
				}
			}
			if name == FieldPublished && len(got) != len(counts) {
				t.Errorf("%q: %d years, counted %d", q, len(got), len(counts))
			}
		}
	}
}

// TestSnippetLength checks that every snippet of a few searches is a
// passage of 150 to 250 characters (marks and the ellipses aside), cut at
// word boundaries, with HTML escaped and only <mark> as markup.
func TestSnippetLength(t *testing.T) {
	ix := samples(t)
	tags := regexp.MustCompile(`</?mark>`)
	for _, q := range []string{"indonesia", "banjir", "kerja sama", "pemerintah", "menyerang", "harga beras"} {
		res, err := ix.Search(context.Background(), cari.Request{Query: q, Size: cari.MaxSize, NoFacets: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			if strings.Contains(tags.ReplaceAllString(h.Snippet, ""), "<") {
				t.Errorf("%q %s: markup other than <mark> in %q", q, h.ID, h.Snippet)
			}
			text := html.UnescapeString(tags.ReplaceAllString(h.Snippet, ""))
			text = strings.Trim(text, "… ")
			n := utf8.RuneCountInString(text)
			if n < 150 || n > 250 {
				t.Errorf("%q %s: snippet of %d characters: %q", q, h.ID, n, h.Snippet)
			}
		}
	}
}

// TestOverTextFieldsKeepsBoost: a clause weighed down (a synonym at half
// weight) stays so in the title, where TitleBoost multiplies its boost.
func TestOverTextFieldsKeepsBoost(t *testing.T) {
	q := query.NewTermQuery("rrt")
	q.SetBoost(synonym.Boost)
	d, ok := overTextFields(q).(*query.DisjunctionQuery)
	if !ok || len(d.Disjuncts) != 2 {
		t.Fatalf("overTextFields gave %#v", overTextFields(q))
	}
	for _, c := range d.Disjuncts {
		tq := c.(*query.TermQuery)
		want := synonym.Boost
		if tq.Field() == FieldTitle {
			want *= TitleBoost
		}
		if got := tq.Boost(); got != want {
			t.Errorf("%s: boost %g, want %g", tq.Field(), got, want)
		}
	}
	if q.Boost() != synonym.Boost || q.Field() != "" {
		t.Errorf("the query given changed: field %q, boost %g", q.Field(), q.Boost())
	}
}

// TestKeywordsFindEveryWord checks that a keyword query, where fewer than
// WideBelow articles hold every word (as in the samples), finds the
// articles that hold any word, those that hold every word first, and that
// a question is searched as any of its words. The expected sets come from
// analyzing every sample article; the words are ones without synonyms, so
// that the analysis is all that decides.
func TestKeywordsFindEveryWord(t *testing.T) {
	ix := samples(t)
	ctx := context.Background()
	syn, err := ix.synonymList()
	if err != nil {
		t.Fatal(err)
	}
	all, err := ix.Search(ctx, cari.Request{Size: cari.MaxSize, NoFacets: true, NoHighlight: true})
	if err != nil {
		t.Fatal(err)
	}
	an := ix.textAnalyzer()
	termsOf := map[string]map[string]bool{}
	for _, h := range all.Hits {
		a, err := ix.Article(ctx, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		termsOf[h.ID] = map[string]bool{}
		for _, tok := range an.Analyze([]byte(a.Title + "\n" + a.Body)) {
			termsOf[h.ID][string(tok.Term)] = true
		}
	}
	holding := func(terms []string, every bool) map[string]bool {
		out := map[string]bool{}
		for id, has := range termsOf {
			n := 0
			for _, t := range terms {
				if has[t] {
					n++
				}
			}
			if every && n == len(terms) || !every && n > 0 {
				out[id] = true
			}
		}
		return out
	}
	for _, tc := range []struct {
		query string
		every bool // some article holds every word
	}{
		{"tatanan multipolar", true},
		{"nyamuk fogging", true},
		{"rendang festival pengunjung", true},
		{"rendang nelayan", false},
		{"batik satelit internet", false},
	} {
		terms := ix.queryTerms(tc.query)
		for _, term := range terms {
			if syn.Reaches(term) {
				t.Fatalf("%q: %q has synonyms; the test wants words without", tc.query, term)
			}
		}
		every := holding(terms, true)
		if (len(every) > 0) != tc.every {
			t.Fatalf("%q: %d sample articles hold every word %v; the test wants every=%v", tc.query, len(every), terms, tc.every)
		}
		want := holding(terms, false)
		res, err := ix.Search(ctx, cari.Request{Query: tc.query, Size: cari.MaxSize, NoFacets: true, NoHighlight: true})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for i, h := range res.Hits {
			got[h.ID] = true
			if i < len(every) && !every[h.ID] {
				t.Errorf("%q: hit %d is %s, which lacks a word, before all of %v", tc.query, i+1, h.ID, every)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || res.Total != uint64(len(want)) {
			t.Errorf("%q: %d hits %v, want %v", tc.query, res.Total, got, want)
		}
		// Asked as a question, any of the words will do.
		question, err := ix.Search(ctx, cari.Request{Query: "apa " + tc.query + "?", Size: cari.MaxSize, NoFacets: true, NoHighlight: true})
		if err != nil {
			t.Fatal(err)
		}
		if anyWord := holding(terms, false); question.Total != uint64(len(anyWord)) {
			t.Errorf("%q asked as a question: %d hits, want the %d articles with any of its words", tc.query, question.Total, len(anyWord))
		}
	}
}

func TestIsQuestion(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"Siapa presiden pertama Indonesia", true},
		{"pada tahun berapakah candi borobudur dibangun", true},
		{"di mana letak danau toba", true},
		{"harga beras naik?", true},
		{"Apakah rupiah melemah", true},
		{"harga beras naik", false},
		{"ada apa", true},
		{"ada korupsi", false},
		{"Kenapa harga cabai naik", true},
		{"", false},
	} {
		if got := isQuestion(tc.text); got != tc.want {
			t.Errorf("isQuestion(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// TestRerankedPaging pages through keywords whose phrase reorders the top
// of the ranking (rerank), over more hits than RerankDepth: pages of
// every size give the hits of one request for them all, none twice and
// none left out, with the same scores in the same order (articles that
// tie may change places).
func TestRerankedPaging(t *testing.T) {
	ix := samples(t)
	ctx := context.Background()
	const q = "pemerintah indonesia"
	all, err := ix.Search(ctx, cari.Request{Query: q, Size: cari.MaxSize, NoFacets: true, NoHighlight: true})
	if err != nil {
		t.Fatal(err)
	}
	if all.Total <= RerankDepth || len(all.Hits) != int(all.Total) {
		t.Fatalf("%q: %d hits, %d shown; the test wants more than %d, all shown", q, all.Total, len(all.Hits), RerankDepth)
	}
	var want []string
	var wantScores []float64
	for _, h := range all.Hits {
		want = append(want, h.ID)
		wantScores = append(wantScores, tieKey(h.Score))
	}
	for _, size := range []int{1, 3, 7, 10, 29, 30, 31} {
		var got []string
		var scores []float64
		for page := 1; len(got) < len(want); page++ {
			res, err := ix.Search(ctx, cari.Request{Query: q, Size: size, Page: page, NoFacets: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) == 0 {
				break
			}
			for _, h := range res.Hits {
				got = append(got, h.ID)
				scores = append(scores, tieKey(h.Score))
			}
		}
		if !slices.Equal(scores, wantScores) || !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))) {
			t.Errorf("%q in pages of %d:\n got %v\nwant %v", q, size, got, want)
		}
	}
}

// TestSearchStopsWhenCanceled: a search whose client has left, or whose
// deadline has passed, does no work and says why, whatever the query
// takes: keywords, a phrase, syntax, a misspelling, everything.
func TestSearchStopsWhenCanceled(t *testing.T) {
	ix := samples(t)
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	late, cancelLate := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancelLate()
	for _, q := range []string{"banjir", "kerja sama pertahanan", `"laut china selatan"`, "", "*", "pertahan*", "gemppa", "+rusia -ukraina"} {
		if _, err := ix.Search(canceled, cari.Request{Query: q}); !errors.Is(err, context.Canceled) {
			t.Errorf("%q with its client gone: %v, want context.Canceled", q, err)
		}
		if _, err := ix.Search(late, cari.Request{Query: q}); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%q past its deadline: %v, want context.DeadlineExceeded", q, err)
		}
	}
}
