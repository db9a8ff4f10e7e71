package index

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/carisearch/cari"
)

// TestTypoWords checks that a keyword that is a word but reads as a typo
// of a near word, by the words around it, is searched as typed and as
// corrected, and the correction suggested; and that a rare name that is
// no typo is left alone. The articles are made here: thirty about a
// governor Anies Baswedan, two about a politician Anis Matta, one that
// misspells the governor's name.
func TestTypoWords(t *testing.T) {
	var articles []cari.Article
	add := func(id, title, body string) {
		articles = append(articles, cari.Article{ID: id, Title: title, Body: body})
	}
	places := []string{"Tanah Abang", "Kemayoran", "Cilincing", "Kalideres", "Pluit", "Senen"}
	for i := range 30 {
		add(fmt.Sprintf("gubernur-%02d", i), fmt.Sprintf("Gubernur Anies Baswedan Tinjau %s", places[i%len(places)]),
			fmt.Sprintf("Gubernur DKI Jakarta Anies Baswedan meninjau pasar di %s pada hari ke-%d kunjungan kerjanya.", places[i%len(places)], i+1))
	}
	add("matta-1", "Anis Matta Dirikan Partai Baru", "Politikus Anis Matta mengumumkan partai baru bersama sejumlah mantan kader.")
	add("matta-2", "Anis Matta Bicara Soal Koalisi", "Anis Matta menilai koalisi besar belum tentu menguntungkan partainya.")
	add("salah-ketik", "Anis Baswedan Hadiri Rapat", "Gubernur Anis Baswedan hadir dalam rapat anggaran bersama dewan.")
	ix := indexOfArticles(t, articles)
	ctx := context.Background()
	for _, tc := range []struct {
		query, suggestion string
		minTotal          uint64
		has               []string
	}{
		{"anis baswedan", "anies baswedan", 31, []string{"salah-ketik", "gubernur-00"}},
		{"anis matta", "", 2, []string{"matta-1", "matta-2"}},
		{"anies baswedan", "", 30, []string{"gubernur-00"}},
	} {
		res, err := ix.Search(ctx, cari.Request{Query: tc.query, Size: cari.MaxSize, NoFacets: true})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, h := range res.Hits {
			got[h.ID] = true
		}
		if res.Suggestion != tc.suggestion || res.Total < tc.minTotal {
			t.Errorf("%q: %d hits, suggestion %q; want at least %d, suggestion %q", tc.query, res.Total, res.Suggestion, tc.minTotal, tc.suggestion)
		}
		for _, id := range tc.has {
			if !got[id] {
				t.Errorf("%q: %s not found", tc.query, id)
			}
		}
	}
}

// indexOfArticles is a new index in a temporary directory holding
// articles, closed when the test ends.
func indexOfArticles(t *testing.T, articles []cari.Article) *Index {
	t.Helper()
	ix, err := Create(filepath.Join(t.TempDir(), "index"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	if _, bad, err := ix.Upsert(context.Background(), articles); err != nil || len(bad) > 0 {
		t.Fatalf("index the articles: %v %v", err, bad)
	}
	return ix
}
