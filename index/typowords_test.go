package index

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestTypoWords checks that a keyword that is a word but reads as a typo
// of a near word, by the words around it, is searched as typed and as
// corrected, and the correction suggested; and that a rare name that is
// no typo is left alone. The articles are made here: thirty about a
// governor Anies Baswedan, two about a politician Anis Matta, one that
// misspells the governor's name.
func TestTypoWords(t *testing.T) {
	dir := t.TempDir()
	var lines []byte
	add := func(id, title, body string) {
		b, err := json.Marshal(map[string]string{"id": id, "title": title, "body": body})
		if err != nil {
			t.Fatal(err)
		}
		lines = append(append(lines, b...), '\n')
	}
	places := []string{"Tanah Abang", "Kemayoran", "Cilincing", "Kalideres", "Pluit", "Senen"}
	for i := range 30 {
		add(fmt.Sprintf("gubernur-%02d", i), fmt.Sprintf("Gubernur Anies Baswedan Tinjau %s", places[i%len(places)]),
			fmt.Sprintf("Gubernur DKI Jakarta Anies Baswedan meninjau pasar di %s pada hari ke-%d kunjungan kerjanya.", places[i%len(places)], i+1))
	}
	add("matta-1", "Anis Matta Dirikan Partai Baru", "Politikus Anis Matta mengumumkan partai baru bersama sejumlah mantan kader.")
	add("matta-2", "Anis Matta Bicara Soal Koalisi", "Anis Matta menilai koalisi besar belum tentu menguntungkan partainya.")
	add("salah-ketik", "Anis Baswedan Hadiri Rapat", "Gubernur Anis Baswedan hadir dalam rapat anggaran bersama dewan.")
	input := filepath.Join(dir, "berita.jsonl")
	if err := os.WriteFile(input, lines, 0o644); err != nil {
		t.Fatal(err)
	}
	ix, err := Create(filepath.Join(dir, "index"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	if _, err := ix.Ingest(ctx, []string{input}, 0, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		query, suggestion string
		minTotal          uint64
		has               []string
	}{
		{"anis baswedan", "anies baswedan", 31, []string{"salah-ketik", "gubernur-00"}},
		{"anis matta", "", 2, []string{"matta-1", "matta-2"}},
		{"anies baswedan", "", 30, []string{"gubernur-00"}},
	} {
		res, err := ix.Search(ctx, Request{Query: tc.query, Size: MaxSize, NoFacets: true})
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
