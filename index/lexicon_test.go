package index

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index/input"
)

// TestIndexWithWordLists creates an index whose analyzer has an extra
// protected word list (the id analyzer built by bleve's "custom" type):
// the protected word is left unstemmed in the articles and in queries,
// other words keep their stems and written forms, and the index reopens
// with the same analysis.
func TestIndexWithWordLists(t *testing.T) {
	dir := t.TempDir()
	protected := filepath.Join(dir, "protected.txt")
	if err := os.WriteFile(protected, []byte("kemitraan\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "index")
	ix, err := Create(path, Options{Protected: []string{protected}})
	if err != nil {
		t.Fatalf("create an index with a protected list: %v", err)
	}
	ctx := context.Background()
	if _, err := ix.Ingest(ctx, input.FS(cari.SampleArticles, cari.SampleDir), IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	check := func(ix *Index) {
		t.Helper()
		if got := ix.queryTerms("kemitraan pemilihan"); len(got) != 2 || got[0] != "kemitraan" || got[1] != "pilih" {
			t.Errorf("query terms %q, want the protected word whole and the other stemmed", got)
		}
		res, err := ix.Search(ctx, cari.Request{Query: "pemilihan presiden", NoFacets: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 || res.Hits[0].ID != "kw-2023-001" {
			t.Errorf("pemilihan presiden: %v, want kw-2023-001 first (written forms kept)", res.Hits)
		}
		// Typos are corrected from the written forms, as in an index
		// without word lists.
		typo, err := ix.Search(ctx, cari.Request{Query: "kebakran", NoFacets: true})
		if err != nil {
			t.Fatal(err)
		}
		if typo.Suggestion != "kebakaran" {
			t.Errorf("kebakran: suggestion %q, want kebakaran", typo.Suggestion)
		}
	}
	check(ix)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := Open(path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer again.Close()
	check(again)
}
