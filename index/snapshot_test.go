package index

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
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
			ix := shardedIndex(t, filepath.Join(dir, "index"), shards)
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

// TestSnapshotHoldsTheAcknowledgedWrites takes snapshots while articles
// are written, updated and deleted one at a time, and holds each snapshot
// to the log of writes: it must be the index after a prefix of the log,
// at least every write acknowledged before the snapshot began and none
// begun after it ended, on every shard alike.
func TestSnapshotHoldsTheAcknowledgedWrites(t *testing.T) {
	for _, shards := range []int{1, 3} {
		t.Run(fmt.Sprintf("shards=%d", shards), func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			ix := shardedIndex(t, filepath.Join(dir, "index"), shards)

			// The log: write i upserts w<i>, except that every fourth
			// rewrites an earlier article and every seventh deletes one.
			type write struct {
				id, body string
				delete   bool
			}
			const n = 240
			var log []write
			for i := range n {
				switch {
				case i%7 == 6:
					log = append(log, write{id: log[i-6].id, delete: true})
				case i%4 == 3:
					log = append(log, write{id: log[i-3].id, body: fmt.Sprintf("Banjir susulan, versi %d.", i)})
				default:
					log = append(log, write{id: fmt.Sprintf("w%03d", i), body: fmt.Sprintf("Banjir merendam rumah, versi %d.", i)})
				}
			}
			stateAfter := func(l int) map[string]string {
				state := map[string]string{}
				for _, w := range log[:l] {
					if w.delete {
						delete(state, w.id)
					} else {
						state[w.id] = w.body
					}
				}
				return state
			}

			var started, acked atomic.Int64
			done := make(chan error, 1)
			go func() {
				for _, w := range log {
					started.Add(1)
					var err error
					if w.delete {
						err = ix.Delete(ctx, w.id)
					} else {
						_, _, err = ix.Upsert(ctx, []cari.Article{{ID: w.id, Title: "Banjir", Body: w.body}})
					}
					if err != nil && !errors.Is(err, cari.ErrNotFound) {
						done <- fmt.Errorf("write %+v: %w", w, err)
						return
					}
					acked.Add(1)
				}
				done <- nil
			}()

			for k := 0; ; k++ {
				lo := int(acked.Load())
				dest := filepath.Join(dir, fmt.Sprintf("salinan-%d", k))
				if err := ix.Snapshot(ctx, dest); err != nil {
					t.Fatal(err)
				}
				hi := int(started.Load())
				checkSnapshot(t, dest, lo, hi, stateAfter)
				if hi == n {
					break
				}
			}
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		})
	}
}

// checkSnapshot holds the snapshot in dest to being the index after l
// writes of the log, for some l from lo to hi.
func checkSnapshot(t *testing.T, dest string, lo, hi int, stateAfter func(int) map[string]string) {
	t.Helper()
	ctx := context.Background()
	copied, err := Open(dest)
	if err != nil {
		t.Fatalf("open the snapshot: %v", err)
	}
	defer copied.Close()
	everID := map[string]bool{}
	for l := 0; l <= hi; l++ {
		for id := range stateAfter(l) {
			everID[id] = true
		}
	}
	got := map[string]string{}
	for id := range everID {
		a, err := copied.Article(ctx, id)
		switch {
		case errors.Is(err, cari.ErrNotFound):
		case err != nil:
			t.Fatalf("article %s in the snapshot: %v", id, err)
		default:
			got[id] = a.Body
		}
	}
	n, err := copied.Count()
	if err != nil {
		t.Fatal(err)
	}
	for l := lo; l <= hi; l++ {
		if want := stateAfter(l); maps.Equal(got, want) && n == uint64(len(want)) {
			return
		}
	}
	t.Errorf("snapshot taken after write %d and before write %d is no state between them: %d articles, %v", lo, hi+1, n, got)
}

// shardedIndex creates an index of shards shards at path, closed when
// the test ends.
func shardedIndex(t *testing.T, path string, shards int) *Index {
	t.Helper()
	ix, err := Create(path, Options{Shards: shards})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}
