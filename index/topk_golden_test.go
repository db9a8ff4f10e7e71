package index

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/carisearch/cari"
)

// updateGoldens rewrites the top-k goldens from the current ranking
// instead of comparing with them: go test ./index -run TestRankingTopK
// -update. A ranking change is then reviewed as the diff of the files.
var updateGoldens = flag.Bool("update", false, "rewrite the top-k ranking goldens under testdata/ranking/topk")

// topkDir holds queries.tsv and one golden file per query; it is named
// from the repository's root, as failures name it, and the test runs in
// index/.
const topkDir = "testdata/ranking/topk"

func topkPath(name string) string {
	return filepath.Join("..", topkDir, name)
}

// topkQuery is one line of queries.tsv: what a user types, and the
// request options beside it.
type topkQuery struct {
	line    int
	query   string
	options string
	file    string // the golden's name under topkDir
}

// TestRankingTopK checks whole top-k lists, not just the first hit as
// TestRankingGoldens does: a change of ranking that keeps the winner but
// reorders or replaces the hits below it shows up here as a diff of the
// golden file, which a reviewer can judge line by line. Scores are left
// out of the goldens, as their last digits drift with the order bleve
// sums them in.
func TestRankingTopK(t *testing.T) {
	ix := samples(t)
	queries := readTopKQueries(t)
	for _, q := range queries {
		t.Run(strings.TrimSuffix(q.file, ".txt"), func(t *testing.T) {
			r, err := q.request()
			if err != nil {
				t.Fatalf("queries.tsv:%d: %v", q.line, err)
			}
			res, err := ix.Search(context.Background(), r)
			if err != nil {
				t.Fatalf("queries.tsv:%d: %q: %v", q.line, q.query, err)
			}
			got := renderTopK(q, res)
			path := topkPath(q.file)
			if *updateGoldens {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./index -run TestRankingTopK -update to write it)", err)
			}
			// A checkout that turns line ends into CRLF changes no ranking.
			want := strings.ReplaceAll(string(b), "\r\n", "\n")
			if want != got {
				t.Errorf("%s/%s: the ranking of %q changed (-want +got); if that is intended, run go test ./index -run TestRankingTopK -update and review the diff:\n%s",
					topkDir, q.file, q.query, lineDiff(want, got))
			}
		})
	}
	checkStrayGoldens(t, queries)
}

// readTopKQueries reads queries.tsv: query<TAB>options, options as in
// goldens.tsv (sort= source= tag= size= from= to= recent=).
func readTopKQueries(t *testing.T) []topkQuery {
	t.Helper()
	f, err := os.Open(topkPath("queries.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []topkQuery
	byFile := map[string]int{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, "\t")
		if len(fields) > 2 {
			t.Fatalf("queries.tsv:%d: want query[<TAB>options], got %d fields", line, len(fields))
		}
		q := topkQuery{line: line, query: fields[0]}
		if len(fields) == 2 {
			q.options = strings.Join(strings.Fields(fields[1]), " ")
		}
		q.file = goldenName(q.query, q.options)
		if q.file == ".txt" {
			t.Fatalf("queries.tsv:%d: %q makes no file name", line, text)
		}
		// Two lines sharing a file would overwrite each other's golden.
		if prev, ok := byFile[q.file]; ok {
			t.Fatalf("queries.tsv:%d: its golden %s is also line %d's; reword one", line, q.file, prev)
		}
		byFile[q.file] = line
		out = append(out, q)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("queries.tsv holds no queries")
	}
	return out
}

// request is the search a user makes: highlighted, as the hits' titles
// are shown (an untitled article shows its lead sentence), and of the
// default size unless the options say otherwise, so that the goldens
// hold what the first page shows.
func (q topkQuery) request() (cari.Request, error) {
	r := cari.Request{Query: q.query, NoFacets: true}
	for _, opt := range strings.Fields(q.options) {
		k, v, _ := strings.Cut(opt, "=")
		handled, err := requestOption(&r, k, v)
		if !handled {
			err = fmt.Errorf("unknown option %q", k)
		}
		if err != nil {
			return cari.Request{}, fmt.Errorf("option %q: %w", opt, err)
		}
	}
	return r, nil
}

// renderTopK is a golden's text: the request, the total and the
// suggestion, then one hit a line.
func renderTopK(q topkQuery, res *cari.Result) string {
	var b strings.Builder
	b.WriteString("# Top hits for TestRankingTopK; rewrite with: go test ./index -run TestRankingTopK -update\n")
	fmt.Fprintf(&b, "query: %s\n", q.query)
	fmt.Fprintf(&b, "options: %s\n", goldenNone(q.options))
	fmt.Fprintf(&b, "total: %d\n", res.Total)
	fmt.Fprintf(&b, "suggestion: %s\n", goldenNone(res.Suggestion))
	b.WriteString("\n")
	unmark := strings.NewReplacer("<mark>", "", "</mark>", "")
	for i, h := range res.Hits {
		fmt.Fprintf(&b, "%2d  %s  %s\n", i+1, h.ID, html.UnescapeString(unmark.Replace(h.Title)))
	}
	if len(res.Hits) == 0 {
		b.WriteString("(no hits)\n")
	}
	return b.String()
}

func goldenNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// goldenName makes a file name a reader can match to its query: the
// words of the query joined by hyphens, then those of the options
// ("kerja sama pertahanan" → kerja-sama-pertahanan.txt, "ekonomi" with
// source=kabarnusantara.id → ekonomi_source-kabarnusantara-id.txt). An
// excluded word keeps its sign as "not-", so that "gempa -cianjur" does not
// read as a search for both.
func goldenName(query, options string) string {
	name := goldenSlug(query)
	if options != "" {
		name += "_" + goldenSlug(options)
	}
	return name + ".txt"
}

func goldenSlug(s string) string {
	var words []string
	for _, w := range strings.Fields(strings.ToLower(s)) {
		if strings.HasPrefix(w, "-") && len(w) > 1 {
			w = "not " + w[1:]
		}
		words = append(words, w)
	}
	var b strings.Builder
	hyphen := false
	for _, r := range strings.Join(words, " ") {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			hyphen = false
		} else {
			hyphen = true
		}
	}
	return b.String()
}

// checkStrayGoldens fails on golden files no query makes any more, which
// would otherwise sit there unchecked; -update removes them.
func checkStrayGoldens(t *testing.T, queries []topkQuery) {
	t.Helper()
	want := map[string]bool{}
	for _, q := range queries {
		want[q.file] = true
	}
	files, err := filepath.Glob(topkPath("*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if want[filepath.Base(f)] {
			continue
		}
		if *updateGoldens {
			if err := os.Remove(f); err != nil {
				t.Error(err)
			}
			continue
		}
		t.Errorf("%s/%s: no line of queries.tsv makes this golden; remove it or run go test ./index -run TestRankingTopK -update", topkDir, filepath.Base(f))
	}
}

// lineDiff shows want and got line by line, each line marked "  " if
// both hold it, "- " if only want does, "+ " if only got does. The
// lines kept are a longest common subsequence, so a hit that moves
// shows as one line removed and one added, and the rest stays put.
func lineDiff(want, got string) string {
	a := strings.Split(strings.TrimSuffix(want, "\n"), "\n")
	b := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	// common[i][j] is the length of the longest common subsequence of
	// a[i:] and b[j:]. Goldens are a few dozen lines: the table is small.
	common := make([][]int, len(a)+1)
	for i := range common {
		common[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				common[i][j] = common[i+1][j+1] + 1
			} else {
				common[i][j] = max(common[i+1][j], common[i][j+1])
			}
		}
	}
	var out strings.Builder
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			out.WriteString("  " + a[i] + "\n")
			i++
			j++
		// Removals before additions: the old line reads first.
		case i < len(a) && (j == len(b) || common[i+1][j] >= common[i][j+1]):
			out.WriteString("- " + a[i] + "\n")
			i++
		default:
			out.WriteString("+ " + b[j] + "\n")
			j++
		}
	}
	return out.String()
}

func TestRankingTopKDiff(t *testing.T) {
	for _, tc := range []struct {
		name, want, got, diff string
	}{
		{"same", "a\nb\n", "a\nb\n", "  a\n  b\n"},
		{"swapped", " 1  x\n 2  y\n", " 1  y\n 2  x\n", "-  1  x\n-  2  y\n+  1  y\n+  2  x\n"},
		{"replaced", "total: 3\n1 a\n2 b\n", "total: 4\n1 a\n2 c\n", "- total: 3\n+ total: 4\n  1 a\n- 2 b\n+ 2 c\n"},
		{"added", "a\n", "a\nb\n", "  a\n+ b\n"},
		{"removed", "a\nb\n", "b\n", "- a\n  b\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := lineDiff(tc.want, tc.got); got != tc.diff {
				t.Errorf("lineDiff(%q, %q) =\n%s\nwant\n%s", tc.want, tc.got, got, tc.diff)
			}
		})
	}
}

func TestRankingTopKNames(t *testing.T) {
	for _, tc := range []struct {
		query, options, want string
	}{
		{"kerja sama pertahanan", "", "kerja-sama-pertahanan.txt"},
		{`"laut china selatan"`, "", "laut-china-selatan.txt"},
		{"ekonomi", "source=kabarnusantara.id", "ekonomi_source-kabarnusantara-id.txt"},
		{"gempa -cianjur", "", "gempa-not-cianjur.txt"},
		{"Bank Indonesia", "tag=suku_bunga sort=date", "bank-indonesia_tag-suku-bunga-sort-date.txt"},
	} {
		if got := goldenName(tc.query, tc.options); got != tc.want {
			t.Errorf("goldenName(%q, %q) = %q, want %q", tc.query, tc.options, got, tc.want)
		}
	}
}
