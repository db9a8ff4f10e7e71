package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/carisearch/cari"
)

// TestSnapshot: a snapshot of an index being written to opens as an
// index of its own, at one or three shards, holding whole articles that
// search as in the original; a directory with files is refused and left
// alone, and nothing is left beside the copy.
func TestSnapshot(t *testing.T) {
	for _, shards := range []int{1, 3} {
		t.Run(fmt.Sprintf("shards=%d", shards), func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			ix, err := Create(filepath.Join(dir, "index"), Options{Shards: shards})
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			var articles []cari.Article
			for i := range 40 {
				articles = append(articles, cari.Article{ID: fmt.Sprintf("a%02d", i), Title: "Banjir di Demak", Body: fmt.Sprintf("Banjir merendam %d rumah warga.", i)})
			}
			if _, bad, err := ix.Upsert(ctx, articles); err != nil || len(bad) > 0 {
				t.Fatalf("upsert: %v %v", err, bad)
			}
			// Writes go on while the copy is made.
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 20 {
					_, _, _ = ix.Upsert(ctx, []cari.Article{{ID: fmt.Sprintf("b%02d", i), Title: "Gempa", Body: "Gempa mengguncang Cianjur."}})
				}
			}()
			dest := filepath.Join(dir, "salinan")
			if err := ix.Snapshot(ctx, dest); err != nil {
				t.Fatal(err)
			}
			wg.Wait()
			copied, err := Open(dest)
			if err != nil {
				t.Fatalf("open the snapshot: %v", err)
			}
			defer copied.Close()
			if copied.Shards() != shards {
				t.Errorf("snapshot has %d shards, want %d", copied.Shards(), shards)
			}
			res, err := copied.Search(ctx, cari.Request{Query: "banjir", NoFacets: true})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != 40 {
				t.Errorf("banjir in the snapshot: %d, want the 40 written before it", res.Total)
			}
			n, err := copied.Count()
			if err != nil || n < 40 || n > 60 {
				t.Errorf("snapshot holds %d articles (%v), want 40 to 60", n, err)
			}
			a, err := copied.Article(ctx, "a07")
			if err != nil || a.Body != "Banjir merendam 7 rumah warga." {
				t.Errorf("article a07 in the snapshot: %+v %v", a, err)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 2 {
				t.Errorf("beside the index and the snapshot: %v", entries)
			}
			if err := ix.Snapshot(ctx, dest); err == nil {
				t.Error("a snapshot over a directory with files was made")
			}
		})
	}
}
