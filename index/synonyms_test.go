package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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

// FuzzParseSynonyms feeds the synonym file parser arbitrary text, through
// the reader that both --synonyms files and PUT /api/settings/synonyms
// bodies go through: it returns groups or an error naming a line, never
// panics, whatever it accepts reads back the same when stored, and
// expands any query without failing.
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
		// What was accepted is stored, and read back leniently when the
		// index opens (SetStoredSynonyms): that must never fail.
		again, err := synonym.ParseLenient(strings.NewReader(text), "fuzz.txt", an)
		if err != nil || again.Groups() != syn.Groups() {
			t.Fatalf("accepted, then read back leniently: %v, %d groups, want %d", err, again.Groups(), syn.Groups())
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

// TestStoredSynonyms: a list set at run time is searched with at once,
// is kept in the index across Close and Open, replaces the stored list
// before it whole, and is refused with the line at fault, changing
// nothing, when it does not parse; the --synonyms files' groups stay
// beside it.
func TestStoredSynonyms(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := Create(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ix.Close() }()
	ctx := context.Background()
	if _, _, err := ix.Upsert(ctx, []cari.Article{
		{ID: "darat", Title: "Komunitas sepeda", Body: "Para pesepeda menggelar kopi darat di Bandung setiap bulan."},
		{ID: "singkat", Title: "Janji bertemu", Body: "Mereka janjian kopdar di kafe."},
		{ID: "kapal", Title: "Kapal selam baru", Body: "Angkatan laut menerima kapal selam buatan dalam negeri."},
		{ID: "panen", Title: "Panen raya", Body: "Petani menyambut panen raya di lumbung padi."},
	}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "syn.txt")
	if err := os.WriteFile(file, []byte("kapal selam, submarin\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	finds := func(q string) string {
		t.Helper()
		res, err := ix.Search(ctx, cari.Request{Query: q, NoFacets: true})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		slices.Sort(ids)
		return strings.Join(ids, " ")
	}
	reopen := func() {
		t.Helper()
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
		if ix, err = Open(dir); err != nil {
			t.Fatal(err)
		}
	}
	const (
		kopdar = "# made up for the test\nkopdar => kopi darat\n"
		ngopi  = "ngopi, kopdar\n"
	)
	for _, step := range []struct {
		name string
		do   func() error
		err  string // the error of do, if any
		// what searches for kopdar, "kopi darat", ngopi and submarin
		// find after it, and the stored text
		kopdar, kopiDarat, ngopi, submarin string
		stored                             string
	}{
		{name: "none yet", do: func() error { return nil }, kopdar: "singkat", kopiDarat: "darat"},
		{name: "a file", do: func() error { return ix.AddSynonymFile(file) }, kopdar: "singkat", kopiDarat: "darat", submarin: "kapal"},
		// One way: "kopi darat" does not reach kopdar.
		{name: "set", do: func() error { return set(ctx, ix, kopdar, 1) },
			kopdar: "darat singkat", kopiDarat: "darat", submarin: "kapal", stored: kopdar},
		{name: "stop words only", do: func() error { return set(ctx, ix, "kopdar => kopi darat\nyang, dan\n", 0) },
			err:    `request body:2: "yang" is only stop words`,
			kopdar: "darat singkat", kopiDarat: "darat", submarin: "kapal", stored: kopdar},
		{name: "an empty form", do: func() error { return set(ctx, ix, "# x\n\nngopi, , kopdar\n", 0) },
			err:    "request body:3: an empty form",
			kopdar: "darat singkat", kopiDarat: "darat", submarin: "kapal", stored: kopdar},
		// Reopened, the file's group is gone (files belong to the
		// process, and this one was not given again); the stored list
		// is there.
		{name: "reopened", do: func() error { reopen(); return nil }, kopdar: "darat singkat", kopiDarat: "darat", stored: kopdar},
		{name: "files again", do: func() error { return ix.SetSynonymFiles([]string{file}) },
			kopdar: "darat singkat", kopiDarat: "darat", submarin: "kapal", stored: kopdar},
		// A new list replaces the stored one, and not the file's.
		{name: "replaced", do: func() error { return set(ctx, ix, ngopi, 1) },
			kopdar: "singkat", kopiDarat: "darat", ngopi: "singkat", submarin: "kapal", stored: ngopi},
		// Files read again leave the stored list.
		{name: "no files", do: func() error { return ix.SetSynonymFiles(nil) },
			kopdar: "singkat", kopiDarat: "darat", ngopi: "singkat", stored: ngopi},
		{name: "cleared", do: func() error { return set(ctx, ix, "", 0) }, kopdar: "singkat", kopiDarat: "darat"},
		{name: "cleared, reopened", do: func() error { reopen(); return nil }, kopdar: "singkat", kopiDarat: "darat"},
	} {
		err := step.do()
		switch {
		case step.err == "" && err != nil:
			t.Fatalf("%s: %v", step.name, err)
		case step.err != "" && (err == nil || !strings.Contains(err.Error(), step.err) || !errors.Is(err, cari.ErrBadRequest)):
			t.Errorf("%s: error %v, want a bad request with %q", step.name, err, step.err)
		}
		for _, q := range []struct{ query, want string }{
			{"kopdar", step.kopdar}, {"kopi darat", step.kopiDarat}, {"ngopi", step.ngopi}, {"submarin", step.submarin},
		} {
			if got := finds(q.query); got != q.want {
				t.Errorf("%s: %s finds %q, want %q", step.name, q.query, got, q.want)
			}
		}
		if got := ix.StoredSynonyms(); got != step.stored {
			t.Errorf("%s: stored %q, want %q", step.name, got, step.stored)
		}
	}
}

// set stores text as the index's synonyms, checking the groups it counts.
func set(ctx context.Context, ix *Index, text string, groups int) error {
	n, err := ix.SetStoredSynonyms(ctx, "request body", text)
	if err == nil && n != groups {
		return fmt.Errorf("%d groups, want %d", n, groups)
	}
	return err
}

// TestRebuildKeepsStoredSynonyms: a rebuild makes the articles anew and
// keeps the synonyms stored in the index it replaces.
func TestRebuildKeepsStoredSynonyms(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := Create(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const list = "kopdar => kopi darat\n"
	if _, err := ix.SetStoredSynonyms(ctx, "request body", list); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Rebuild(ctx, dir, Options{}, func(ix *Index) error {
		_, _, err := ix.Upsert(ctx, []cari.Article{{ID: "darat", Body: "Para pesepeda menggelar kopi darat di Bandung."}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if ix, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res, err := ix.Search(ctx, cari.Request{Query: "kopdar", NoFacets: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := ix.StoredSynonyms(); got != list || res.Total != 1 {
		t.Errorf("after the rebuild: stored %q, kopdar finds %d; want %q and 1", got, res.Total, list)
	}
}
