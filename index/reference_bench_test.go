package index

import (
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index/input"
)

// BenchmarkSearchVsBleve measures the latency of the query mix as a
// ratio to plain bleve in the same run. This machine's speed drifts by
// half from one minute to the next, so an absolute figure says as much
// about the minute as about the code; a ratio to a fixed reference,
// alternated query by query, does not. The reference is issue 4's:
// bleve's standard analyzer over title and body, BM25, the body stored
// and highlighted, one facet (the source), the query's words ORed over
// both fields, ten hits. Issue 4 measured it at p50 1.0 ms and p99
// 5.1 ms when it set cari's goals of 2 and 10 ms, so the goals are a
// p50-ratio under 2 and a p99-ratio under 1.96:
//
//	go test -run XXX -bench SearchVsBleve -benchtime 10x -cpu 1 ./index
//
// It reports each engine's p50 and p99 and their ratios. The reference
// index is built once per process, beside the corpus index.
func BenchmarkSearchVsBleve(b *testing.B) {
	li := corpusIndex(b)
	ref := referenceIndex(b)
	ctx := context.Background()
	engines := []func(q string) error{
		func(q string) error { _, err := li.ix.Search(ctx, cari.Request{Query: q}); return err },
		func(q string) error { _, err := ref.SearchInContext(ctx, referenceRequest(q)); return err },
	}
	durations := make([][]time.Duration, len(engines))
	search := func(e int, q string) time.Duration {
		start := time.Now()
		if err := engines[e](q); err != nil {
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
			for _, e := range order {
				durations[e] = append(durations[e], search(e, q))
			}
		}
	}
	b.StopTimer()
	var p50, p99 [2]float64
	for e, ds := range durations {
		slices.Sort(ds)
		p50[e], p99[e] = millis(percentile(ds, 0.50)), millis(percentile(ds, 0.99))
	}
	b.ReportMetric(p50[0], "cari-p50-ms")
	b.ReportMetric(p99[0], "cari-p99-ms")
	b.ReportMetric(p50[1], "bleve-p50-ms")
	b.ReportMetric(p99[1], "bleve-p99-ms")
	b.ReportMetric(p50[0]/p50[1], "p50-ratio")
	b.ReportMetric(p99[0]/p99[1], "p99-ratio")
}

func referenceRequest(q string) *bleve.SearchRequest {
	title := query.NewMatchQuery(q)
	title.SetField(FieldTitle)
	body := query.NewMatchQuery(q)
	body.SetField(FieldBody)
	req := bleve.NewSearchRequestOptions(query.NewDisjunctionQuery([]query.Query{title, body}), 10, 0, false)
	req.Fields = []string{FieldTitle}
	req.Highlight = bleve.NewHighlight()
	req.Highlight.AddField(FieldBody)
	req.AddFacet(FieldSource, bleve.NewFacetRequest(FieldSource, 10))
	return req
}

// referenceIndex returns the reference index of BenchmarkSearchVsBleve,
// building it on first use; it goes when the corpus index does.
func referenceIndex(b *testing.B) bleve.Index {
	b.Helper()
	referenceOnce.Do(func() { referenceIx, referenceErr = buildReferenceIndex() })
	if referenceErr != nil {
		b.Fatal(referenceErr)
	}
	return referenceIx
}

var (
	referenceOnce sync.Once
	referenceIx   bleve.Index
	referenceErr  error
)

func referenceMapping() mapping.IndexMapping {
	text := func(store bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = standard.Name
		f.Store = store
		f.IncludeTermVectors = store
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	source := bleve.NewTextFieldMapping()
	source.Analyzer = keyword.Name
	source.Store = false
	source.IncludeInAll = false
	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(FieldTitle, text(true))
	doc.AddFieldMappingsAt(FieldBody, text(true))
	doc.AddFieldMappingsAt(FieldSource, source)
	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.StoreDynamic, m.IndexDynamic, m.DocValuesDynamic = false, false, false
	m.ScoringModel = bleveindex.BM25Scoring
	return m
}

func buildReferenceIndex() (bleve.Index, error) {
	if latencyIx.dir == "" {
		return nil, fmt.Errorf("reference index: no corpus index directory")
	}
	path := newsCorpusPath()
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer gz.Close()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(runtime.NumCPU()))
	idx, err := bleve.New(filepath.Join(latencyIx.dir, "reference"), referenceMapping())
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	batch := idx.NewBatch()
	flush := func() error {
		err := idx.Batch(batch)
		batch.Reset()
		return err
	}
	err = input.ReadStream(ctx, gz, path, input.FormatJSONLines, input.Handlers{
		Emit: func(r input.Record) error {
			a := r.Article
			if err := batch.Index(a.ID, map[string]string{FieldTitle: a.Title, FieldBody: a.Body, FieldSource: a.Source}); err != nil {
				return err
			}
			if batch.Size() >= 500 {
				return flush()
			}
			return nil
		},
		Bad: func(*cari.FieldError) {},
	})
	if err == nil {
		err = flush()
	}
	if err == nil {
		err = compactShard(ctx, idx)
	}
	if err != nil {
		idx.Close()
		return nil, fmt.Errorf("reference index: %w", err)
	}
	return idx, nil
}
