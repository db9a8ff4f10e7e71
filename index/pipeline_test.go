package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carisearch/cari/index/input"
)

// TestPipelineLastWinsAcrossBatches writes an id again in later batches,
// which the pipeline prepares while the batch before is being written:
// the counts must be those of writing one batch after another, and the
// last version must be the one stored, with the token totals of what is
// stored.
func TestPipelineLastWinsAcrossBatches(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var lines []string
	add := func(id, body string) {
		lines = append(lines, fmt.Sprintf(`{"id":%q,"body":%q}`, id, body))
	}
	add("a", "banjir merendam rumah warga")
	add("b", "gempa mengguncang kota")
	add("a", "banjir besar merendam ratusan rumah warga desa") // next batch: updated
	add("c", "harga beras naik di pasar")
	add("a", "banjir surut dan warga kembali ke rumah") // a third batch: updated again
	add("d", "timnas menang di kandang")
	add("d", "timnas menang tipis di kandang sendiri") // the next batch: updated
	add("b", "gempa mengguncang kota")                 // unchanged
	for i := range 40 {
		add(fmt.Sprintf("x%d", i), fmt.Sprintf("berita nomor %d tentang kota", i))
	}
	inPath := filepath.Join(dir, "in.jsonl")
	if err := os.WriteFile(inPath, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, shards := range []int{1, 3} {
		t.Run(fmt.Sprintf("shards=%d", shards), func(t *testing.T) {
			ix, err := Create(filepath.Join(t.TempDir(), "index"), Options{Shards: shards})
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			r, err := ix.Ingest(ctx, input.Paths(inPath), IngestOptions{BatchSize: 2})
			if err != nil {
				t.Fatal(err)
			}
			// a, b, c, d and 40 x: 44 new; a twice and d once replaced
			// b once unchanged.
			if r.Indexed != 44 || r.Updated != 3 || r.Unchanged != 1 {
				t.Fatalf("counts %+v, want 44 indexed, 3 updated, 1 unchanged", r.IngestStats)
			}
			if len(r.Warnings) != 4 {
				t.Errorf("%d duplicate-id warnings, want 4: %v", len(r.Warnings), r.Warnings)
			}
			for id, want := range map[string]string{"a": "banjir surut dan warga kembali ke rumah", "d": "timnas menang tipis di kandang sendiri"} {
				a, err := ix.Article(ctx, id)
				if err != nil || a.Body != want {
					t.Fatalf("%s: %+v %v, want the last version", id, a, err)
				}
			}
			n, err := ix.Count()
			if err != nil || n != 44 {
				t.Fatalf("count %d %v", n, err)
			}
			kept := ix.sumTotals()
			if err := ix.recountTokenTotals(ctx); err != nil {
				t.Fatal(err)
			}
			if recounted := ix.sumTotals(); kept != recounted {
				t.Fatalf("token totals %v kept through the writes, %v recounted", kept, recounted)
			}
		})
	}
}

// TestIngestCanceled cancels an ingest midway: it returns the
// cancellation, the counts are those of what was written, and the index
// holds exactly that.
func TestIngestCanceled(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&b, `{"id":"n%d","body":"berita nomor %d tentang banjir di kota"}`+"\n", i, i)
	}
	inPath := filepath.Join(dir, "in.jsonl")
	if err := os.WriteFile(inPath, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ix, err := Create(filepath.Join(dir, "index"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, err := ix.Ingest(ctx, input.Paths(inPath), IngestOptions{BatchSize: 100, Progress: func(p input.Progress) {
		if p.Records == 1000 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("ingest returned %v, want the cancellation", err)
	}
	n, cerr := ix.Count()
	if cerr != nil || int(n) != r.Indexed || r.Indexed >= 3000 || r.Indexed%100 != 0 {
		t.Fatalf("after cancel: %d articles in the index, %d reported indexed", n, r.Indexed)
	}
}
