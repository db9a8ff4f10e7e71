package index

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index/synonym"
)

func TestParseSynonymsErrors(t *testing.T) {
	ix := samples(t)
	an := ix.textAnalyzer()
	for _, tc := range []struct {
		text, want string
	}{
		{"# comment\nTiongkok\n", "list.txt:2: a group needs at least two forms"},
		{"a, b\n\nKPK, , Komisi Pemberantasan Korupsi\n", "list.txt:3: an empty form"},
		{"dia, ini\n", `list.txt:1: "dia" is only stop words`},
		{"a => b => c\n", `list.txt:1: more than one "=>"`},
		{"Irian => \n", "list.txt:1: an empty form"},
	} {
		_, err := synonym.Parse(strings.NewReader(tc.text), "list.txt", an)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("synonym.Parse(%q): %v, want %q", tc.text, err, tc.want)
		}
	}
}

// TestSynonymSearch searches the sample articles for names that some
// articles write only in another form.
func TestSynonymSearch(t *testing.T) {
	ix := samples(t)
	ctx := context.Background()
	for _, tc := range []struct {
		query, want string // want must be among the hits
		mark        string // and marked in its snippet
	}{
		// kn-2023-007 names the commission only in full.
		{"KPK", "kn-2023-007", "<mark>Komisi</mark> <mark>Pemberantasan</mark> <mark>Korupsi</mark>"},
		// wh-2023-009 writes only "AS".
		{"Amerika Serikat", "wh-2023-009", "<mark>AS</mark>"},
		// wh-2023-002 writes BMKG and the name in full; a query of the
		// full name with its stop word finds it.
		{"Badan Meteorologi Klimatologi dan Geofisika", "wh-2023-002", "<mark>BMKG</mark>"},
		// Query syntax goes through bleve's synonym search.
		{"title:rrt", "kn-2023-001", ""},
	} {
		res, err := ix.Search(ctx, cari.Request{Query: tc.query, Size: 50, NoFacets: true})
		if err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		found := false
		for _, h := range res.Hits {
			if h.ID == tc.want {
				found = true
				if tc.mark != "" && !strings.Contains(h.Snippet+h.Title, tc.mark) {
					t.Errorf("%s: %s found, but %q is not in its snippet %q", tc.query, tc.want, tc.mark, h.Snippet)
				}
			}
		}
		if !found {
			t.Errorf("%s: %s not among %d hits", tc.query, tc.want, len(res.Hits))
		}
	}
}

// TestSynonymPhraseStillMatches guards against bleve's phrase search with
// synonyms (see synonyms.go): a phrase holding a word with synonyms must
// still match its articles.
func TestSynonymPhraseStillMatches(t *testing.T) {
	ix := samples(t)
	res, err := ix.Search(context.Background(), cari.Request{Query: `"laut china selatan"`, NoFacets: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 || res.Hits[0].ID != "kn-2023-003" {
		t.Errorf(`"laut china selatan": %d hits %v, want kn-2023-003 first`, res.Total, res.Hits)
	}
}

func TestUserSynonymFile(t *testing.T) {
	ix, err := CreateTemp(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	if _, _, err := ix.Upsert(ctx, []cari.Article{
		{ID: "a", Title: "Kapal selam baru", Body: "Angkatan laut menerima kapal selam buatan dalam negeri."},
		{ID: "b", Title: "Panen raya", Body: "Petani menyambut panen raya di lumbung padi."},
	}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "syn.txt")
	if err := os.WriteFile(path, []byte("# ours\nkapal selam, submarin\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before, err := ix.Search(ctx, cari.Request{Query: "submarin", NoFacets: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.AddSynonymFile(path); err != nil {
		t.Fatal(err)
	}
	after, err := ix.Search(ctx, cari.Request{Query: "submarin", NoFacets: true})
	if err != nil {
		t.Fatal(err)
	}
	if before.Total != 0 || after.Total != 1 || after.Hits[0].ID != "a" {
		t.Errorf("submarin: %d hits before the file, %d after (%v); want 0, then article a", before.Total, after.Total, after.Hits)
	}
	// The built-in list still holds.
	if syn, _ := ix.synonymList(); !syn.Reaches("kpk") {
		t.Error("the user file replaced the built-in list instead of adding to it")
	}
	if err := ix.AddSynonymFile(filepath.Join(t.TempDir(), "missing.txt")); err == nil {
		t.Error("a missing synonym file gave no error")
	}
}

// FuzzParseSynonyms feeds the synonym file parser arbitrary text: it
// returns groups or an error naming a line, never panics, and whatever it
// accepts expands any query without failing.
func FuzzParseSynonyms(f *testing.F) {
	for _, s := range []string{
		"Tiongkok, China, RRT\n",
		"# komentar\nAS, Amerika Serikat\n\nIrian Jaya => Papua\n",
		"a => b => c\n",
		", ,\n",
		"dia, ini\n",
		"\ufeffKPK, Komisi Pemberantasan Korupsi\r\n",
		"Bangsa-Bangsa, PBB\n",
	} {
		f.Add(s)
	}
	ix := samples(f)
	an := ix.textAnalyzer()
	f.Fuzz(func(t *testing.T, text string) {
		syn, err := synonym.Parse(strings.NewReader(text), "fuzz.txt", an)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.txt:") {
				t.Fatalf("error %q does not name the file and line", err)
			}
			return
		}
		for _, line := range strings.Split(text, "\n") {
			x := syn.Expand(ix.queryTerms(line), overTextFields)
			_ = x.Clauses()
			_ = syn.TermMap(ix.queryTerms(line), queryForms{written: ix.writtenForms(line)}.acronyms(), FieldTitle, FieldBody)
		}
	})
}

// TestBuiltinSynonymsWithStandardAnalyzer: an index made with bleve's
// standard analyzer (for comparisons) drops "as", an English stop word,
// from the built-in list instead of failing every search.
func TestBuiltinSynonymsWithStandardAnalyzer(t *testing.T) {
	ix, err := CreateTemp(Options{Analyzer: "standard"})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	if _, _, err := ix.Upsert(ctx, []cari.Article{{ID: "a", Body: "Delegasi Amerika Serikat tiba di Jakarta."}}); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(ctx, cari.Request{Query: "Amerika Serikat", NoFacets: true})
	if err != nil || res.Total != 1 {
		t.Fatalf("search: %v, %+v", err, res)
	}
}
