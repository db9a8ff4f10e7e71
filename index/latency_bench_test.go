package index

import (
	"cmp"
	"compress/gzip"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index/input"
)

// The latency benchmark of issue 4: a fixed mix of short Indonesian news
// queries over the 25,401 articles of ../shared/corpus/news.jsonl.gz,
// searched with the default Request (snippets, facets, and whatever query
// understanding Search does), reporting the per-query latency
// distribution:
//
//	go test -run XXX -bench SearchLatency -benchtime 3x -cpu 1 ./index
//
// Each iteration (op) searches the whole mix once, so ns/op is the time
// of len(latencyQueries) searches; p50-ms, p90-ms, p99-ms, max-ms and
// mean-ms are per search. The sub-benchmarks switch off highlighting,
// facets or both, to show what each costs. The index is built on disk
// once per test process, and only when a benchmark asks for it, and left
// as the tools leave it: compacted into one segment as cari index does.
// CARI_BENCH_INDEX=DIR searches an index made beforehand instead, such as
// the million articles scripts/scale/run.sh keeps with KEEP=1.
// CARI_BENCH_SAMPLE_ABOVE=N sets the number of matches above which a
// ranking reads a sample (Index.SetSampleAbove; -1 reads every match).

// latencyQueries are what people type into a news search box: one to four
// words, acronyms, names, affixed forms, synonyms and a few typos.
var latencyQueries = []string{
	// One word.
	"kpk",
	"gempa",
	"banjir",
	"habibie",
	"papua",
	"korupsi",
	"narkoba",
	"jokowi",
	"bpjs",
	"persija",
	"karhutla",
	"tiongkok",
	"barcelona",
	"saham",
	"stunting",
	"motogp",
	// Two words.
	"banjir jakarta",
	"timnas indonesia",
	"pemilu 2019",
	"korupsi bupati",
	"kabut asap",
	"ibu kota",
	"harga emas",
	"rupiah melemah",
	"amerika serikat",
	"liga champions",
	"ojek online",
	"bj habibie",
	"imam nahrawi",
	"bulu tangkis",
	"marc marquez",
	"film horor",
	"gaji guru",
	"tarif listrik",
	"operasi tangkap",
	"menteri keuangan",
	// Three words.
	"harga beras naik",
	"kerja sama pertahanan",
	"revisi uu kpk",
	"kebakaran hutan riau",
	"demo mahasiswa dpr",
	"pemindahan ibu kota",
	"kenaikan iuran bpjs",
	"sinopsis drama korea",
	"jalan tol trans",
	"gubernur dki jakarta",
	"kecelakaan bus maut",
	"harga cabai merah",
	"suku bunga acuan",
	"piala presiden 2019",
	// Four words.
	"calon pimpinan kpk terpilih",
	"gempa bumi maluku utara",
	"dewan perwakilan rakyat ri",
	"komisi pemberantasan korupsi indonesia",
	"kerusuhan wamena papua hari",
	"perang dagang amerika china",
	// Affixed forms: the stemmer's work.
	"penangkapan teroris",
	"pemberantasan korupsi",
	"penyelundupan narkoba",
	"kebakaran hutan",
	"ditangkap polisi",
	"perekonomian indonesia",
	"pembangunan bandara",
	"menyerang",
	"kemitraan strategis",
	// Misspellings: the typo fallback's work.
	"korupsy",
	"presidn jokowi",
	"kebakaran hutam",
	"pemilhan presiden",
	"habibe",
	"jakrta banjir",
	// Only stop words.
	"siapa dia",
}

// latencyIndex is the corpus index the latency benchmarks share.
type latencyIndex struct {
	ix       *Index
	dir      string // temporary directory holding the index
	docs     uint64
	skipped  int // records the reader rejected
	ingest   time.Duration
	compact  time.Duration // merging the segments into one
	segments interface{}   // file segments at the root once compacted
	skip     string        // why the benchmarks cannot run
	err      error
}

var (
	latencyOnce sync.Once
	latencyIx   latencyIndex
)

// TestMain runs the process with the garbage collector's target of cari
// serve (SearchGCPercent, unless $GOGC is set), which the latency
// benchmarks model, and removes the corpus index a benchmark built and
// the sample index the tests share, once every test and benchmark of the
// process has run.
func TestMain(m *testing.M) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(SearchGCPercent)
	}
	code := m.Run()
	closeLatencyIndex()
	if sampleBuilt.Load() {
		if ix, err := sampleIndex(); err == nil {
			_ = ix.Close()
		}
	}
	os.Exit(code)
}

func closeLatencyIndex() {
	if latencyIx.ix != nil {
		_ = latencyIx.ix.Close()
		latencyIx.ix = nil
	}
	if latencyIx.dir != "" {
		_ = os.RemoveAll(latencyIx.dir)
		latencyIx.dir = ""
	}
}

func newsCorpusPath() string {
	if dir := os.Getenv("CARI_SHARED"); dir != "" {
		return filepath.Join(dir, "corpus", "news.jsonl.gz")
	}
	return filepath.Join("..", "..", "shared", "corpus", "news.jsonl.gz")
}

// corpusIndex returns the corpus index, building it on first use, and
// skips the benchmark when the corpus is absent.
func corpusIndex(b *testing.B) *latencyIndex {
	b.Helper()
	latencyOnce.Do(func() { latencyIx = buildLatencyIndex() })
	if latencyIx.skip != "" {
		b.Skip(latencyIx.skip)
	}
	if latencyIx.err != nil {
		b.Fatal(latencyIx.err)
	}
	return &latencyIx
}

func buildLatencyIndex() (li latencyIndex) {
	if dir := os.Getenv("CARI_BENCH_INDEX"); dir != "" {
		// An index made beforehand, such as scripts/scale/run.sh's a
		// million articles with KEEP=1: opened, never removed.
		var err error
		if li.ix, err = Open(dir); err != nil {
			li.err = err
			return li
		}
		st, _ := li.ix.bleve.StatsMap()["index"].(map[string]interface{})
		li.segments = st["num_root_filesegments"]
		li.docs, li.err = li.ix.Count()
		return li
	}
	path := newsCorpusPath()
	if _, err := os.Stat(path); err != nil {
		li.skip = fmt.Sprintf("no corpus at %s (set CARI_SHARED): %v", path, err)
		return li
	}
	var err error
	if li.dir, err = os.MkdirTemp("", "cari-latency-"); err != nil {
		li.err = err
		return li
	}
	if li.ix, err = Create(filepath.Join(li.dir, "index"), Options{}); err != nil {
		li.err = err
		return li
	}
	if li.skipped, li.ingest, li.compact, err = loadCorpus(li.ix, path); err != nil {
		li.err = err
		return li
	}
	st, _ := li.ix.bleve.StatsMap()["index"].(map[string]interface{})
	li.segments = st["num_root_filesegments"]
	if li.docs, err = li.ix.Count(); err != nil {
		li.err = err
	}
	return li
}

// loadCorpus writes the corpus at path into ix and leaves the index as
// the tools do, returning how many records the reader skipped and how
// long writing and compacting took.
func loadCorpus(ix *Index, path string) (skipped int, ingest, compact time.Duration, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, 0, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("%s: %w", path, err)
	}
	defer gz.Close()
	// Building is not what is measured: let it use every core even
	// under -cpu 1.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(runtime.NumCPU()))

	ctx := context.Background()
	start := time.Now()
	w := ix.NewWriter(0)
	err = input.ReadStream(ctx, gz, path, input.FormatJSONLines, input.Handlers{
		Emit: func(r input.Record) error { return w.Add(ctx, r.Article) },
		Bad:  func(*cari.FieldError) { skipped++ },
	})
	if err == nil {
		err = w.Flush(ctx)
	}
	if err != nil {
		return skipped, 0, 0, fmt.Errorf("index %s: %w", path, err)
	}
	ingest = time.Since(start)

	// As cari index does after writing this many articles; searching
	// while scorch still persists and merges segments in the background
	// would measure the merger.
	start = time.Now()
	if err := ix.Compact(ctx); err != nil {
		return skipped, ingest, 0, err
	}
	compact = time.Since(start)
	return skipped, ingest, compact, nil
}

// BenchmarkSearchLatency measures the latency of the query mix over the
// news corpus with the default Request and with costs switched off.
func BenchmarkSearchLatency(b *testing.B) {
	li := corpusIndex(b)
	// CARI_BENCH_SAMPLE_ABOVE=N ranks on a sample above N matches
	// instead of SampleAbove (-1 never), to measure the trade.
	if v := os.Getenv("CARI_BENCH_SAMPLE_ABOVE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatalf("CARI_BENCH_SAMPLE_ABOVE: %v", err)
		}
		li.ix.SetSampleAbove(n)
		defer li.ix.SetSampleAbove(0)
	}
	// "default" is the API's default request: snippets, facets and one
	// hit per story.
	for _, v := range []struct {
		name                            string
		noHighlight, noFacets, collapse bool
	}{
		{"default", false, false, true},
		{"Uncollapsed", false, false, false},
		{"NoHighlight", true, false, false},
		{"NoFacets", false, true, false},
		{"NoHighlight+NoFacets", true, true, false},
	} {
		b.Run(v.name, func(b *testing.B) {
			if v.name == "default" {
				// A parent benchmark's log is not printed; its first
				// sub-benchmark's is.
				b.Logf("corpus index: %d articles (%d records skipped), ingested in %s, compacted in %s to %v file segments; built once per process",
					li.docs, li.skipped, li.ingest.Round(time.Millisecond), li.compact.Round(time.Millisecond), li.segments)
			}
			benchQueryMix(b, li.ix, cari.Request{NoHighlight: v.noHighlight, NoFacets: v.noFacets, Collapse: v.collapse})
		})
	}
}

// benchQueryMix runs the query mix with the options of req.
func benchQueryMix(b *testing.B, ix *Index, req cari.Request) {
	ctx := context.Background()
	search := func(q string) (*cari.Result, time.Duration, error) {
		start := time.Now()
		r := req
		r.Query = q
		res, err := ix.Search(ctx, r)
		return res, time.Since(start), err
	}
	// One untimed pass warms the page cache and bleve's dictionaries,
	// and checks the mix.
	var empty []string
	for _, q := range latencyQueries {
		if n := len(strings.Fields(q)); n < 1 || n > 4 {
			b.Fatalf("query %q has %d words, want 1 to 4", q, n)
		}
		res, _, err := search(q)
		if err != nil {
			b.Fatalf("search %q: %v", q, err)
		}
		if res.Total == 0 {
			empty = append(empty, q)
		}
	}
	if len(empty) > 0 && !req.NoHighlight && !req.NoFacets {
		b.Logf("%d of %d queries find nothing: %q", len(empty), len(latencyQueries), empty)
	}

	durations := make([]time.Duration, 0, 16*len(latencyQueries))
	slowest := make([]time.Duration, len(latencyQueries)) // each query's worst
	b.ReportAllocs()
	for b.Loop() {
		for i, q := range latencyQueries {
			_, d, err := search(q)
			if err != nil {
				b.Fatalf("search %q: %v", q, err)
			}
			durations = append(durations, d)
			slowest[i] = max(slowest[i], d)
		}
	}
	b.StopTimer()

	if !req.NoHighlight && !req.NoFacets {
		order := make([]int, len(latencyQueries))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(i, j int) int { return cmp.Compare(slowest[j], slowest[i]) })
		var worst []string
		for _, i := range order[:5] {
			worst = append(worst, fmt.Sprintf("%q %.1f ms", latencyQueries[i], millis(slowest[i])))
		}
		b.Logf("slowest queries: %s", strings.Join(worst, ", "))
	}

	slices.Sort(durations)
	var total time.Duration
	for _, d := range durations {
		total += d
	}
	b.ReportMetric(millis(percentile(durations, 0.50)), "p50-ms")
	b.ReportMetric(millis(percentile(durations, 0.90)), "p90-ms")
	b.ReportMetric(millis(percentile(durations, 0.99)), "p99-ms")
	b.ReportMetric(millis(durations[len(durations)-1]), "max-ms")
	b.ReportMetric(millis(total)/float64(len(durations)), "mean-ms")
}

// reportP50AndMean sorts durations and reports their median and mean, in
// milliseconds, as name-p50-ms and name-mean-ms; it returns the median.
func reportP50AndMean(b *testing.B, name string, durations []time.Duration) float64 {
	slices.Sort(durations)
	var total time.Duration
	for _, d := range durations {
		total += d
	}
	p50 := millis(percentile(durations, 0.50))
	b.ReportMetric(p50, name+"-p50-ms")
	b.ReportMetric(millis(total)/float64(len(durations)), name+"-mean-ms")
	return p50
}

func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// percentile returns the nearest-rank p-quantile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// BenchmarkSearchCosts measures what snippets and facets cost: the four
// kinds of request of BenchmarkSearchLatency alternate query by query, so
// that the drift of a shared machine moves them together, which separate
// sub-benchmarks a minute apart do not. It reports each kind's p50 and
// mean, and the cost of snippets and of facets as differences of p50:
//
//	go test -run XXX -bench SearchCosts -benchtime 10x -cpu 1 ./index
func BenchmarkSearchCosts(b *testing.B) {
	li := corpusIndex(b)
	ctx := context.Background()
	kinds := []struct {
		name string
		req  cari.Request
	}{
		{"default", cari.Request{}},
		{"nosnippets", cari.Request{NoHighlight: true}},
		{"nofacets", cari.Request{NoFacets: true}},
		{"neither", cari.Request{NoHighlight: true, NoFacets: true}},
	}
	durations := make([][]time.Duration, len(kinds))
	search := func(k int, q string) time.Duration {
		r := kinds[k].req
		r.Query = q
		start := time.Now()
		if _, err := li.ix.Search(ctx, r); err != nil {
			b.Fatalf("search %q: %v", q, err)
		}
		return time.Since(start)
	}
	for _, q := range latencyQueries { // warm up
		for k := range kinds {
			search(k, q)
		}
	}
	rep := 0
	for b.Loop() {
		for _, q := range latencyQueries {
			// Each kind goes first in turn: the first search of a
			// query meets colder caches than those that follow.
			for j := range kinds {
				k := (rep + j) % len(kinds)
				durations[k] = append(durations[k], search(k, q))
			}
		}
		rep++
	}
	b.StopTimer()
	p50 := make([]float64, len(kinds))
	for k, ds := range durations {
		p50[k] = reportP50AndMean(b, kinds[k].name, ds)
	}
	b.ReportMetric(p50[0]-p50[1], "snippets-ms")
	b.ReportMetric(p50[0]-p50[2], "facets-ms")
}

// BenchmarkFacetDocValues measures what keeping the facet field's doc
// values uncompressed, an article at a time (plainDocValuesField), saves
// a search: it builds a second corpus index as indexes made before it
// were, the facet values in zapx's compressed chunks of 1,024 articles
// (fieldFacetsCompressed), and alternates the default request of the
// query mix between the two, reporting each one's p50 and mean:
//
//	go test -run XXX -bench FacetDocValues -benchtime 5x -cpu 1 ./index
func BenchmarkFacetDocValues(b *testing.B) {
	li := corpusIndex(b)
	compressed := newIndexWithFacetField(b, true)
	if _, _, _, err := loadCorpus(compressed, newsCorpusPath()); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	indexes := []*Index{li.ix, compressed}
	names := []string{"plain", "compressed"}
	durations := make([][]time.Duration, len(indexes))
	search := func(i int, q string) time.Duration {
		start := time.Now()
		if _, err := indexes[i].Search(ctx, cari.Request{Query: q}); err != nil {
			b.Fatalf("search %q: %v", q, err)
		}
		return time.Since(start)
	}
	for _, q := range latencyQueries { // warm up
		search(0, q)
		search(1, q)
	}
	rep := 0
	for b.Loop() {
		order := []int{0, 1}
		if rep%2 == 1 {
			order = []int{1, 0} // neither always second on a warm query
		}
		rep++
		for _, q := range latencyQueries {
			for _, i := range order {
				durations[i] = append(durations[i], search(i, q))
			}
		}
	}
	b.StopTimer()
	for i, ds := range durations {
		reportP50AndMean(b, names[i], ds)
	}
}
