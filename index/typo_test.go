package index

import (
	"context"
	"fmt"
	"testing"

	"github.com/carisearch/cari"
)

// TestTypos builds an index where one article misspells a common word and
// checks the three cases of typo tolerance: a word the index has never
// seen, a word only the misspelling article holds, and a rare word with no
// common neighbour (a name), which must stay as it is.
func TestTypos(t *testing.T) {
	ix, err := CreateTemp(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	var articles []cari.Article
	for i := 0; i < 60; i++ {
		articles = append(articles, cari.Article{ID: fmt.Sprintf("k%02d", i), Title: fmt.Sprintf("Laporan harian %d", i),
			Body: fmt.Sprintf("Petugas memadamkan kebakaran lahan di desa nomor %d pada sore hari.", i)})
	}
	articles = append(articles,
		cari.Article{ID: "typo", Title: "Laporan warga", Body: "Warga melaporkan kebakran kecil di dekat pasar."},
		cari.Article{ID: "name", Title: "Profil", Body: "Sutradara Wiratmoko meraih penghargaan di festival."},
	)
	if _, bad, err := ix.Upsert(ctx, articles); err != nil || len(bad) > 0 {
		t.Fatalf("upsert: %v %v", err, bad)
	}
	for _, tc := range []struct {
		query, suggestion, first string
		atLeast                  uint64
	}{
		// Never seen: near spellings match, the closest known word is
		// suggested, and articles with it lead.
		{"kebakarn", "kebakaran", "", 61},
		// Held by one article beside a word in 60: suspect. The article
		// with the exact word still comes first.
		{"kebakran", "kebakaran", "typo", 61},
		// A rare name with no common neighbour: no suggestion, no fuzz.
		{"Wiratmoko", "", "name", 1},
	} {
		res, err := ix.Search(ctx, cari.Request{Query: tc.query, Size: 3, NoFacets: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Suggestion != tc.suggestion {
			t.Errorf("%s: suggestion %q, want %q", tc.query, res.Suggestion, tc.suggestion)
		}
		if res.Total < tc.atLeast || tc.atLeast == 1 && res.Total != 1 {
			t.Errorf("%s: %d hits, want %d", tc.query, res.Total, tc.atLeast)
		}
		if tc.first != "" && (len(res.Hits) == 0 || res.Hits[0].ID != tc.first) {
			t.Errorf("%s: first hit %v, want %s", tc.query, res.Hits, tc.first)
		}
	}
	// A question (more than AllWordsMax words) is searched by its own
	// words: its rare words are not second-guessed.
	res, err := ix.Search(ctx, cari.Request{Query: "siapa warga yang melaporkan kebakran kecil dekat pasar", Size: 3, NoFacets: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Suggestion != "" || len(res.Hits) == 0 || res.Hits[0].ID != "typo" {
		t.Errorf("question: suggestion %q, hits %v; want none, and the typo article first", res.Suggestion, res.Hits)
	}
}
