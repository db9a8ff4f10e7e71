package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/analyzer"
	"github.com/carisearch/cari/index/input"
)

func TestIngestIsAnUpsert(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "index")
	inPath := filepath.Join(dir, "in.jsonl")
	write := func(content string) {
		if err := os.WriteFile(inPath, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(`{"id":"a","title":"Satu","body":"Menteri pertahanan terbang ke Moskow."}
{"id":"b","body":"Banjir merendam rumah-rumah warga."}
{"url":"https://s.id/c","body":"Tanpa id, dengan url."}
{"body":"Tanpa id dan url."}
`)
	ix, err := Create(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ingest := func() cari.IngestReport {
		t.Helper()
		r, err := ix.Ingest(ctx, input.Paths(inPath), IngestOptions{BatchSize: 2})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	count := func() uint64 {
		t.Helper()
		n, err := ix.Count()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if r := ingest(); r.Indexed != 4 || r.Updated != 0 || r.Unchanged != 0 {
		t.Fatalf("first run: %+v", r.IngestStats)
	}
	if r := ingest(); r.Indexed != 0 || r.Updated != 0 || r.Unchanged != 4 || count() != 4 {
		t.Fatalf("second run: %+v, %d documents", r.IngestStats, count())
	}
	write(`{"id":"a","title":"Satu","body":"Menteri pertahanan terbang ke Beijing."}
{"id":"b","body":"`)
	r := ingest()
	if r.Updated != 1 || len(r.Skipped) != 1 || count() != 4 {
		t.Fatalf("update with a broken record: %+v skipped %v, %d documents", r.IngestStats, r.Skipped, count())
	}
	a, err := ix.Article(ctx, "a")
	if err != nil || a.Body != "Menteri pertahanan terbang ke Beijing." {
		t.Fatalf("article a after update: %+v, %v", a, err)
	}
	if _, err := ix.Article(ctx, "b"); err != nil {
		t.Fatalf("a broken record lost article b: %v", err)
	}
	if err := ix.Delete(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete(ctx, "b"); !errors.Is(err, cari.ErrNotFound) {
		t.Fatalf("deleting twice: %v", err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	reopened, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer reopened.Close()
	if n, _ := reopened.Count(); n != 3 {
		t.Fatalf("reopened index holds %d articles, want 3", n)
	}
	before := reopened.totals[0]
	if err := reopened.recountTokenTotals(ctx); err != nil {
		t.Fatal(err)
	}
	if reopened.totals[0] != before || before[1] == 0 {
		t.Fatalf("token totals kept through writes %v, recounted from the articles %v", before, reopened.totals[0])
	}
	if _, err := Open(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("opening a held index: %v, want ErrLocked", err)
	}
	if _, err := Open(filepath.Join(dir, "nothing")); !errors.Is(err, ErrNoIndex) {
		t.Fatalf("opening an empty directory: %v, want ErrNoIndex", err)
	}
}

func TestStats(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ix, err := Create(filepath.Join(dir, "index"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, _, err := ix.Upsert(ctx, []cari.Article{{ID: "x", Title: "Judul", Body: "Isi berita.", Source: "s.id", Tags: []string{"a"}}}); err != nil {
		t.Fatal(err)
	}
	st, err := ix.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st.Documents != 1 || st.SizeBytes == 0 || st.Analyzer != analyzer.FoldExactName {
		t.Errorf("stats %+v", st)
	}
}

func TestRefusesWhatIsNotACariIndex(t *testing.T) {
	dir := t.TempDir()
	// A directory with files of its own.
	notes := filepath.Join(dir, "catatan")
	if err := os.MkdirAll(notes, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(notes, "penting.txt"), []byte("jangan dihapus"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := OpenOrCreate(notes, Options{}); !errors.Is(err, ErrNotCariIndex) {
		t.Fatalf("a directory with other files: %v, want ErrNotCariIndex", err)
	}
	if entries, _ := os.ReadDir(notes); len(entries) != 1 {
		t.Fatalf("the directory was changed: %v", entries)
	}
	// A file.
	file := filepath.Join(dir, "berkas")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := OpenOrCreate(file, Options{}); !errors.Is(err, ErrNotCariIndex) {
		t.Fatalf("a file: %v, want ErrNotCariIndex", err)
	}
	// A bleve index that another program made.
	other := filepath.Join(dir, "lain")
	b, err := bleve.New(other, bleve.NewIndexMapping())
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Index("x", map[string]interface{}{"teks": "halo"}); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(other); !errors.Is(err, ErrNotCariIndex) {
		t.Fatalf("a bleve index with another mapping: %v, want ErrNotCariIndex", err)
	}
	// An empty directory is fine.
	empty := filepath.Join(dir, "kosong")
	if err := os.MkdirAll(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	ix, created, err := OpenOrCreate(empty, Options{})
	if err != nil || !created {
		t.Fatalf("an empty directory: created %v, %v", created, err)
	}
	ix.Close()
}

// TestCompact writes articles in several batches, so several segments,
// and checks that Compact leaves one segment and the same search results.
func TestCompact(t *testing.T) {
	ctx := context.Background()
	for _, shards := range []int{1, 2} {
		ix, err := Create(filepath.Join(t.TempDir(), "index"), Options{Shards: shards})
		if err != nil {
			t.Fatal(err)
		}
		w := ix.NewWriter(50)
		for i := range 400 {
			// Each article its own mix of the words, so its own score.
			a := cari.Article{ID: fmt.Sprintf("a%03d", i), Title: fmt.Sprintf("Berita ke-%d", i),
				Body: strings.Repeat("Banjir melanda. ", 1+i%13) + strings.Repeat("Warga kampung mengungsi. ", 1+i%7) + strings.Repeat("Petugas datang. ", 1+i%5)}
			if err := w.Add(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		search := func() []string {
			res, err := ix.Search(ctx, cari.Request{Query: "banjir kampung", Size: cari.MaxSize})
			if err != nil {
				t.Fatal(err)
			}
			out := []string{fmt.Sprint(res.Total, res.Facets)}
			for _, h := range res.Hits {
				out = append(out, fmt.Sprintf("%s %.6f %s", h.ID, h.Score, h.Snippet))
			}
			return out
		}
		before := search()
		if err := ix.Compact(ctx); err != nil {
			t.Fatal(err)
		}
		for s, b := range ix.shards {
			st, _ := b.StatsMap()["index"].(map[string]interface{})
			if segs := st["num_root_filesegments"]; segs != uint64(1) {
				t.Errorf("%d shards: shard %d has %v segments after Compact, want 1", shards, s, segs)
			}
		}
		after := search()
		for i := range max(len(after), len(before)) {
			if i >= len(after) || i >= len(before) || after[i] != before[i] {
				t.Errorf("%d shards: results changed by Compact from line %d: %d lines, want %d", shards, i, len(after), len(before))
				break
			}
		}
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
