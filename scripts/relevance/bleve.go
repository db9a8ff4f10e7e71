package main

// The bleve peer: bleve v2 as a user sets it up out of the box for BM25.
//
//   - Fields title and body, both with bleve's "standard" analyzer (Unicode
//     word tokenizer, lower-case, English stop words; no stemming), no _all
//     field. Nothing is stored and no term vectors are kept: neither
//     changes the ranking, and the index is smaller and faster to build.
//   - Scoring model BM25 (mapping.ScoringModel = index.BM25Scoring) with
//     bleve's default k1 = 1.2 and b = 0.75 (search.BM25_k1, search.BM25_b,
//     left as they are).
//   - True average field lengths. bleve by default estimates a field's
//     average length as the size of its vocabulary divided by the document
//     count, far below the true token count, which punishes long documents.
//     A search may bring its own statistics instead
//     (SearchRequest.PreSearchData[search.BM25PreSearchDataKey]), so the
//     index command counts each field's tokens with the same analyzer and
//     keeps the totals in DIR/field-tokens.json; search passes them. (bleve
//     takes ceil(total / docs) as the average.) This is the only departure
//     from a plain setup, and the one cari makes too (index/bm25.go).
//   - Query: a disjunction of a match query on title and a match query on
//     body; a match query ORs the analyzed words of the query by default.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

const bleveStatsFile = "field-tokens.json"

// bleveStats is what DIR/field-tokens.json holds.
type bleveStats struct {
	Docs   int            `json:"docs"`
	Tokens map[string]int `json:"tokens"`
}

func bleveMapping() *mapping.IndexMappingImpl {
	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = standard.Name
		f.Store = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt("title", text())
	doc.AddFieldMappingsAt("body", text())

	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = standard.Name
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	m.ScoringModel = bleveindex.BM25Scoring
	return m
}

type bleveDoc struct {
	Title string `json:"title,omitempty"`
	Body  string `json:"body"`
}

func bleveIndex(corpus, dir string, noTitles bool) (int, error) {
	if err := mustNotExist(dir); err != nil {
		return 0, err
	}
	m := bleveMapping()
	idx, err := bleve.New(dir, m)
	if err != nil {
		return 0, err
	}
	an := m.AnalyzerNamed(standard.Name)
	st := bleveStats{Tokens: map[string]int{"title": 0, "body": 0}}
	batch := idx.NewBatch()
	flush := func() error {
		if batch.Size() == 0 {
			return nil
		}
		err := idx.Batch(batch)
		batch.Reset()
		return err
	}
	err = eachArticle(corpus, func(a *Article) error {
		d := bleveDoc{Title: a.Title, Body: a.Body}
		if noTitles {
			d.Title = ""
		}
		st.Docs++
		st.Tokens["title"] += len(an.Analyze([]byte(d.Title)))
		st.Tokens["body"] += len(an.Analyze([]byte(d.Body)))
		if err := batch.Index(a.ID, d); err != nil {
			return err
		}
		if batch.Size() >= 1000 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		idx.Close()
		return 0, err
	}
	n, err := idx.DocCount()
	if err != nil {
		idx.Close()
		return 0, err
	}
	if int(n) != st.Docs {
		// A repeated id replaces the earlier article; the totals would
		// then count it twice.
		idx.Close()
		return 0, fmt.Errorf("%d articles but %d distinct ids", st.Docs, n)
	}
	if err := idx.Close(); err != nil {
		return 0, err
	}
	data, _ := json.MarshalIndent(st, "", "  ")
	return st.Docs, os.WriteFile(filepath.Join(dir, bleveStatsFile), append(data, '\n'), 0o644)
}

func bleveSearch(dir, queries string, depth int, out string) error {
	qs, err := readQueries(queries)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(filepath.Join(dir, bleveStatsFile))
	if err != nil {
		return err
	}
	var st bleveStats
	if err := json.Unmarshal(data, &st); err != nil {
		return fmt.Errorf("%s: %w", bleveStatsFile, err)
	}
	stats := &search.BM25Stats{DocCount: float64(st.Docs), FieldCardinality: map[string]int{}}
	// Searchers bleve builds for itself may ask for these; zero reads as
	// "no statistics".
	for _, f := range []string{"*", "_all", "_id"} {
		stats.FieldCardinality[f] = 0
	}
	for f, n := range st.Tokens {
		stats.FieldCardinality[f] = n
	}
	idx, err := bleve.Open(dir)
	if err != nil {
		return err
	}
	defer idx.Close()
	rw, err := createRun(out, "bleve")
	if err != nil {
		return err
	}
	for _, q := range qs {
		title := query.NewMatchQuery(q.Text)
		title.SetField("title")
		body := query.NewMatchQuery(q.Text)
		body.SetField("body")
		req := bleve.NewSearchRequestOptions(query.NewDisjunctionQuery([]query.Query{title, body}), depth, 0, false)
		req.PreSearchData = map[string]interface{}{search.BM25PreSearchDataKey: stats}
		res, err := idx.Search(req)
		if err != nil {
			rw.close()
			return fmt.Errorf("query %s: %w", q.ID, err)
		}
		hits := make([]Hit, len(res.Hits))
		for i, h := range res.Hits {
			hits[i] = Hit{h.ID, h.Score}
		}
		rw.write(q.ID, hits)
	}
	return rw.close()
}
