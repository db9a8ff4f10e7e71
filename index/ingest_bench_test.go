package index

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/carisearch/cari/index/input"
)

// The ingest benchmark of issue 6: the first ingestBenchDocs articles of
// ../shared/corpus/news.jsonl.gz ingested into a new on-disk index per
// iteration, through the same path `cari index FILE` takes:
//
//	go test -run XXX -bench Ingest -benchtime 2x ./index
//
// It reports docs/s and MB/s (inPath bytes, uncompressed). The whole
// corpus, with peak memory and index size, is scripts/bench-ingest.sh's.
const ingestBenchDocs = 4000

func BenchmarkIngest(b *testing.B) {
	inPath, size := ingestBenchInput(b, ingestBenchDocs)
	for _, shards := range []int{1, 2} {
		for _, an := range []string{"", "standard"} {
			name := fmt.Sprintf("shards=%d/analyzer=%s", shards, cmpOr(an, "id"))
			b.Run(name, func(b *testing.B) {
				var elapsed time.Duration
				for b.Loop() {
					b.StopTimer()
					dir := filepath.Join(b.TempDir(), "index")
					ix, err := Create(dir, Options{Analyzer: an, Shards: shards})
					if err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					start := time.Now()
					report, err := ix.Ingest(context.Background(), input.Paths(inPath), IngestOptions{})
					elapsed += time.Since(start)
					b.StopTimer()
					if err != nil {
						b.Fatal(err)
					}
					if report.Indexed != ingestBenchDocs || len(report.Skipped) > 0 {
						b.Fatalf("indexed %d, skipped %d; want %d, 0", report.Indexed, len(report.Skipped), ingestBenchDocs)
					}
					if err := ix.Close(); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				secs := elapsed.Seconds() / float64(b.N)
				b.ReportMetric(float64(ingestBenchDocs)/secs, "docs/s")
				b.ReportMetric(float64(size)/1e6/secs, "MB/s")
			})
		}
	}
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// ingestBenchInput writes the first n corpus articles to a JSON Lines
// file and returns its path and size, skipping when the corpus is absent.
func ingestBenchInput(b *testing.B, n int) (string, int64) {
	b.Helper()
	path := newsCorpusPath()
	f, err := os.Open(path)
	if err != nil {
		b.Skipf("no corpus at %s (set CARI_SHARED): %v", path, err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		b.Fatalf("%s: %v", path, err)
	}
	out := filepath.Join(b.TempDir(), "news.jsonl")
	w, err := os.Create(out)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	sc := bufio.NewScanner(gz)
	sc.Buffer(make([]byte, 0, 1<<20), input.MaxLineBytes)
	var size int64
	lines := 0
	for lines < n && sc.Scan() {
		k, err := fmt.Fprintf(w, "%s\n", sc.Bytes())
		if err != nil {
			b.Fatal(err)
		}
		size += int64(k)
		lines++
	}
	if err := sc.Err(); err != nil {
		b.Fatalf("%s: %v", path, err)
	}
	if lines < n {
		b.Fatalf("%s: %d articles, want %d", path, lines, n)
	}
	return out, size
}
