package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/analyzer"
	"github.com/carisearch/cari/analyzer/lexicon"
	"github.com/carisearch/cari/internal/goldens"
)

// spellingGoldens reads testdata/spelling/goldens.tsv (the analyzer
// package checks the same file term by term).
func spellingGoldens(t *testing.T) []goldens.SpellingPair {
	t.Helper()
	out, err := goldens.ReadSpelling(filepath.Join("..", "testdata", "spelling", "goldens.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// spellingArticles are two articles a golden: one writing its first
// form, one its second, each in a sentence of its own words, and each
// titled with the form alone (titles keep stop words, so the informal
// forms of stop words, gak and yg, are searched there).
func spellingArticles(pairs []goldens.SpellingPair) []cari.Article {
	var out []cari.Article
	for i, g := range pairs {
		for side, form := range []string{g.A, g.B} {
			out = append(out, cari.Article{
				ID:    fmt.Sprintf("g%02d-%d", i, side),
				Title: form,
				Body:  fmt.Sprintf("Catatan arsip nomor %d menulis %s di halaman pertama.", i, form),
			})
		}
	}
	return out
}

func hitIDSet(res *cari.Result) map[string]bool {
	ids := map[string]bool{}
	for _, h := range res.Hits {
		ids[h.ID] = true
	}
	return ids
}

// TestSpellingSearchGoldens indexes, for each golden, an article with
// each form in a new index and searches each form: a "same" golden finds
// the article of the other form both ways (sukarno finds Soekarno, and
// Soekarno Sukarno), an "apart" golden does not. An index made with the
// analyzer of indexes before the spelling filter (id_exact, whose name
// its mapping stores) reads as before: the old forms find only
// themselves, and the forms the built-in synonyms link (Soekarno,
// Sukarno).
func TestSpellingSearchGoldens(t *testing.T) {
	ctx := context.Background()
	pairs := spellingGoldens(t)
	articles := spellingArticles(pairs)
	for _, tc := range []struct {
		name string
		opts Options
		fold bool
	}{
		{"new index", Options{}, true},
		{"new index with a lexicon", Options{Lexicons: []string{writeWords(t, "zorbak")}}, true},
		{"index made before folding", Options{Analyzer: analyzer.ExactName}, false},
		{"lexicon index made before folding", Options{Analyzer: analyzer.ExactName, Lexicons: []string{writeWords(t, "zorbak")}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "index")
			ix, err := Create(path, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := ix.Upsert(ctx, articles); err != nil {
				t.Fatal(err)
			}
			// Searched after a reopen, as the mapping stored on disk reads.
			if err := ix.Close(); err != nil {
				t.Fatal(err)
			}
			if ix, err = Open(path); err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			if got, want := ix.writtenWord("Djakarta"), map[bool]string{true: "jakarta", false: "djakarta"}[tc.fold]; got != want {
				t.Errorf("writtenWord(Djakarta) = %q, want %q", got, want)
			}
			for i, g := range pairs {
				for side, form := range []string{g.A, g.B} {
					res, err := ix.Search(ctx, cari.Request{Query: form, Size: cari.MaxSize, NoFacets: true})
					if err != nil {
						t.Fatalf("%q: %v", form, err)
					}
					ids := hitIDSet(res)
					own, other := fmt.Sprintf("g%02d-%d", i, side), fmt.Sprintf("g%02d-%d", i, 1-side)
					if !ids[own] {
						t.Errorf("goldens.tsv:%d: %q does not find the article writing it (%v)", g.Line, form, ids)
					}
					if want := g.Same && tc.fold || synonymsLink(g.A, g.B); ids[other] != want {
						t.Errorf("goldens.tsv:%d: %q finds the article writing %q: %v, want %v", g.Line, form, []string{g.A, g.B}[1-side], ids[other], want)
					}
				}
			}
		})
	}
}

// TestSpellingHighlightsAsWritten: a hit found through a folded form marks
// the word as the article writes it, and the written form kept beside the
// stem is the folded word's, so the query's form weighs as typed.
func TestSpellingHighlightsAsWritten(t *testing.T) {
	ctx := context.Background()
	ix, err := Create(filepath.Join(t.TempDir(), "index"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	body := "Presiden Soekarno membacakan proklamasi di Djakarta; pendjabat daerah hadir."
	if _, _, err := ix.Upsert(ctx, []cari.Article{{ID: "arsip", Title: "Arsip proklamasi", Body: body}}); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(ctx, cari.Request{Query: "sukarno jakarta", NoFacets: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 {
		t.Fatalf("%d hits, want the archive article", len(res.Hits))
	}
	for _, want := range []string{"<mark>Soekarno</mark>", "<mark>Djakarta</mark>"} {
		if !strings.Contains(res.Hits[0].Snippet, want) {
			t.Errorf("snippet %q lacks %s", res.Hits[0].Snippet, want)
		}
	}
	stored := storedTerms(t, ix, FieldBody)
	for _, term := range []string{"sukarno", "jakarta", "jabat", "=penjabat"} {
		if len(stored[term]) == 0 {
			t.Errorf("the body holds no %q", term)
		}
	}
	for _, term := range []string{"soekarno", "djakarta", "=pendjabat"} {
		if len(stored[term]) != 0 {
			t.Errorf("the body holds %q, unfolded", term)
		}
	}
	// cari analyze shows the word as written, its folded token and stem.
	tokens, err := ix.Analyze(ctx, "Soekarno yg pendjabat")
	if err != nil {
		t.Fatal(err)
	}
	want := []cari.Token{
		{Position: 1, Start: 0, End: 8, Text: "Soekarno", Token: "sukarno", Stem: "sukarno"},
		{Position: 2, Start: 9, End: 11, Text: "yg", Token: "yang", Stop: true},
		{Position: 3, Start: 12, End: 21, Text: "pendjabat", Token: "penjabat", Stem: "jabat"},
	}
	if len(tokens) != len(want) {
		t.Fatalf("analyze: %+v, want %+v", tokens, want)
	}
	for i, w := range want {
		g := tokens[i]
		g.Root, g.Protected = false, false
		if g != w {
			t.Errorf("analyze token %d: %+v, want %+v", i, g, w)
		}
	}
	if got := ix.writtenWord("Pendjabat"); got != "penjabat" {
		t.Errorf("writtenWord(Pendjabat) = %q, want the folded penjabat the dictionary holds", got)
	}
	if st, err := ix.Stats(); err != nil || st.Analyzer != analyzer.FoldExactName {
		t.Errorf("stats: analyzer %q, %v; want %q", st.Analyzer, err, analyzer.FoldExactName)
	}
}

// synonymsLink reports whether a group of the built-in synonym list holds
// both forms, which any index finds for each other.
func synonymsLink(a, b string) bool {
	for _, line := range strings.Split(string(lexicon.Synonyms()), "\n") {
		forms := map[string]bool{}
		for _, f := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == '=' || r == '>' }) {
			forms[strings.ToLower(strings.TrimSpace(f))] = true
		}
		if forms[strings.ToLower(a)] && forms[strings.ToLower(b)] {
			return true
		}
	}
	return false
}

// writeWords writes a word list file for a test.
func writeWords(t *testing.T, words ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "words.txt")
	if err := os.WriteFile(path, []byte(strings.Join(words, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
