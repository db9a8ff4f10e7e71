package index

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/analyzer"
)

// BM25 needs each scored field's average length in tokens. bleve derives
// it from the size of the field's vocabulary divided by the document count
// (about 11 "tokens" an article on the real corpus, where the truth is
// 182), which punishes long articles far too hard. bleve lets a search
// bring its own statistics, so cari keeps the true token total of every
// scored field: each article stores its own field lengths (fieldLens),
// every write adjusts the totals by the difference, and the totals are
// saved in the index's internal storage in the same batch as the articles,
// so they never disagree with what is indexed.

// fieldLens stores an article's token counts, "title body source tags".
const fieldLens = "lens"

// statsKey is where the token totals live in the index's internal storage.
var statsKey = []byte("cari:field-tokens")

// scoredFields are the fields whose lengths are counted.
var scoredFields = [...]string{FieldTitle, FieldBody, FieldSource, FieldTags}

// tokenCounts holds a token count for each of scoredFields.
type tokenCounts [len(scoredFields)]int64

func (c tokenCounts) String() string {
	parts := make([]string, len(c))
	for i, n := range c {
		parts[i] = strconv.FormatInt(n, 10)
	}
	return strings.Join(parts, " ")
}

func parseTokenCounts(s string) (tokenCounts, bool) {
	var c tokenCounts
	f := strings.Fields(s)
	if len(f) != len(c) {
		return c, false
	}
	for i := range c {
		n, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			return c, false
		}
		c[i] = n
	}
	return c, true
}

func (c *tokenCounts) add(other tokenCounts, sign int64) {
	for i := range c {
		c[i] += sign * other[i]
	}
}

// analyzeArticle maps an article to a bleve document and analyzes its text
// fields once, here, to learn their lengths: bleve analyzes every field of
// a batch again, so each analyzed field is wrapped to make that a no-op
// and the text is not analyzed twice. sum is the article's checksum.
func (ix *Index) analyzeArticle(a *cari.Article, sum string) (*document.Document, tokenCounts, []uint64, error) {
	var lens tokenCounts
	var bands []uint64
	doc := document.NewDocument(a.ID)
	if err := ix.mapping().MapDocument(doc, articleFields(a, sum)); err != nil {
		return nil, lens, nil, err
	}
	for i, f := range doc.Fields {
		switch f.Name() {
		case FieldTitle, FieldBody:
			f.Analyze()
			af := analyzedOf(f)
			if f.Name() == FieldTitle {
				lens[0] += int64(af.length)
			} else {
				lens[1] += int64(af.length)
			}
			doc.Fields[i] = af
			if f.Name() == FieldBody {
				bands = storyBandsOf(f)
			}
		case FieldSource:
			lens[2]++
		case FieldTags:
			lens[3]++
		case fieldFacets:
			doc.Fields[i] = plainDocValuesField{f}
		}
	}
	doc.AddField(document.NewTextFieldWithIndexingOptions(fieldLens, nil, []byte(lens.String()), bleveindex.StoreField))
	return doc, lens, bands, nil
}

// analyzeArticles runs analyzeArticle over articles on every core, each
// worker taking the next article as it finishes one (articles differ
// tenfold in length, so fixed shares would leave cores idle).
func (ix *Index) analyzeArticles(ctx context.Context, articles []*cari.Article, sums []string) ([]*document.Document, []tokenCounts, [][]uint64, error) {
	docs := make([]*document.Document, len(articles))
	lens := make([]tokenCounts, len(articles))
	bands := make([][]uint64, len(articles))
	errs := make([]error, len(articles))
	var next atomic.Int64
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), len(articles))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(articles) {
					return
				}
				docs[i], lens[i], bands[i], errs[i] = ix.analyzeArticle(articles[i], sums[i])
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, nil, err
	}
	for i, err := range errs {
		if err != nil {
			return nil, nil, nil, fmt.Errorf("index %q: %w", articles[i].ID, err)
		}
	}
	return docs, lens, bands, nil
}

// analyzedField is a field whose analysis is done.
//
// Its length, the norm BM25 reads, counts words, not tokens: a written
// form kept beside its stem (analyzer.ExactPrefix) is the same word, and
// an article's length must not grow with how many of its words are
// derived.
//
// Its size is counted once, with the length: scorch asks every field of a
// batch for its size (memory statistics) on the goroutine that then
// builds the batch's segment, and bleve's TextField walks all its terms
// and their locations to answer, 4% of an ingest's CPU.
type analyzedField struct {
	document.Field
	length int
	size   int
}

func (analyzedField) Analyze() {}

func (f analyzedField) AnalyzedLength() int { return f.length }

func (f analyzedField) Size() int { return f.size }

// Sizes as bleve's Size methods count them (bleve_index_api's freq.go).
const (
	sizeOfTokenFreq     = int(unsafe.Sizeof(bleveindex.TokenFreq{}))
	sizeOfTokenLocation = int(unsafe.Sizeof(bleveindex.TokenLocation{}))
	sizeOfMapEntry      = int(unsafe.Sizeof("") + unsafe.Sizeof(&bleveindex.TokenFreq{}))
	sizeOfTextField     = int(unsafe.Sizeof(document.TextField{}))
)

// analyzedOf is analyzed field f with its length in words and its size.
func analyzedOf(f document.Field) analyzedField {
	words := f.AnalyzedLength()
	size := sizeOfTextField + len(f.Name()) + len(f.Value())
	for term, freq := range f.AnalyzedTokenFrequencies() {
		if analyzer.IsExact([]byte(term)) {
			words -= freq.Frequency()
		}
		size += sizeOfMapEntry + 2*len(term) + sizeOfTokenFreq + len(freq.Locations)*sizeOfTokenLocation
	}
	return analyzedField{Field: f, length: words, size: size}
}

// plainDocValuesField keeps its doc values one article at a time and
// uncompressed. By default zapx packs them in snappy-compressed chunks of
// 1,024 articles, and a search that counts facets decodes, for every
// chunk its hits touch, the chunk's offset table and all its values:
// more than half of what facets cost (BenchmarkFacetDocValues). The
// facet values are a few bytes an article, so the index grows by little.
// Every document of the field must be written this way: zapx v17
// corrupts memory merging segments that keep a field's doc values both
// ways (its merge reuses one decompression buffer across segments,
// aliased to the mapped file after an uncompressed one), which is why
// the field has a name of its own (fieldFacets) and
// TestFacetsAfterMerges merges many segments.
type plainDocValuesField struct{ document.Field }

func (f plainDocValuesField) Options() bleveindex.FieldIndexingOptions {
	return f.Field.Options() | bleveindex.SkipDVCompression | bleveindex.SkipDVChunking
}

// countTokens analyzes an article's fields as the index does and counts
// the tokens, the lengths BM25 normalizes by. Writes learn the lengths in
// analyzeArticle; this serves articles stored before lengths were kept.
func (ix *Index) countTokens(a *cari.Article) tokenCounts {
	var c tokenCounts
	m := ix.mapping()
	for i, f := range scoredFields[:2] {
		text := a.Title
		if f == FieldBody {
			text = a.Body
		}
		if text == "" {
			continue
		}
		if an := m.AnalyzerNamed(m.AnalyzerNameForPath(f)); an != nil {
			for _, tok := range an.Analyze([]byte(text)) {
				if !analyzer.IsExact(tok.Term) {
					c[i]++
				}
			}
		}
	}
	if a.Source != "" {
		c[2] = 1
	}
	c[3] = int64(len(a.Tags))
	return c
}

// loadTokenTotals reads each shard's totals, or counts them from the
// stored articles of a shard that has none yet.
func (ix *Index) loadTokenTotals(ctx context.Context) error {
	for s, b := range ix.shards {
		data, err := b.GetInternal(statsKey)
		if err != nil {
			return fmt.Errorf("read token totals: %w", err)
		}
		if data != nil {
			if err := json.Unmarshal(data, &ix.totals[s]); err != nil {
				return fmt.Errorf("read token totals: %w", err)
			}
			continue
		}
		n, err := b.DocCount()
		if err != nil {
			return err
		}
		if n == 0 {
			continue
		}
		if err := ix.recountShard(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// saveTotals puts the totals in a batch, to be saved with its articles.
// When they are not known (an article stored before lengths were kept is
// replaced or deleted, and a recount follows the batch), they are dropped
// instead, so that an index whose process dies before the recount counts
// them again when next opened (loadTokenTotals) rather than keeping wrong
// ones.
func saveTotals(batch *bleve.Batch, totals tokenCounts, unknown bool) {
	if unknown {
		batch.DeleteInternal(statsKey)
		return
	}
	batch.SetInternal(statsKey, mustJSON(totals))
}

// recountTokenTotals recomputes every shard's totals from its stored
// articles.
func (ix *Index) recountTokenTotals(ctx context.Context) error {
	for s := range ix.shards {
		if err := ix.recountShard(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// recountShard recomputes shard s's totals from its stored articles.
func (ix *Index) recountShard(ctx context.Context, s int) error {
	var totals tokenCounts
	const page = 1000
	for from := 0; ; from += page {
		req := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), page, from, false)
		req.Fields = []string{fieldLens, FieldTitle, FieldBody, FieldSource, FieldTags}
		req.SortBy([]string{"_id"})
		res, err := ix.shards[s].SearchInContext(ctx, req)
		if err != nil {
			return fmt.Errorf("count tokens: %w", err)
		}
		for _, h := range res.Hits {
			c, ok := parseTokenCounts(stringField(h.Fields, fieldLens))
			if !ok {
				a := articleFromFields(h.ID, h.Fields)
				a.Body = stringField(h.Fields, FieldBody)
				c = ix.countTokens(&a)
			}
			totals.add(c, 1)
		}
		if len(res.Hits) < page {
			break
		}
	}
	ix.setTotals(s, totals)
	return ix.shards[s].SetInternal(statsKey, mustJSON(totals))
}

func mustJSON(v interface{}) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err) // an array of integers always encodes
	}
	return data
}

// preSearch is what a search of q brings with it: the BM25 statistics
// (see bm25Stats), as bleve takes them from a request's PreSearchData.
func (ix *Index) preSearch(q query.Query) (map[string]interface{}, error) {
	fields := map[string]bool{}
	queriedFields(q, fields)
	stats, err := ix.bm25Stats(fields)
	if err != nil {
		return nil, err
	}
	return map[string]interface{}{search.BM25PreSearchDataKey: stats}, nil
}

// bm25Stats is the statistics a search brings: the document count and, as
// bleve wants it, each field's token total (it divides by the count). A
// field the query names that the index does not score gets a zero, which
// bleve reads as "no statistics" instead of failing. Over several shards,
// both are the sums of the shards'.
func (ix *Index) bm25Stats(fields map[string]bool) (*search.BM25Stats, error) {
	n, err := ix.Count()
	if err != nil {
		return nil, err
	}
	totals := ix.sumTotals()
	st := &search.BM25Stats{DocCount: float64(n), FieldCardinality: make(map[string]int, len(scoredFields)+len(fields))}
	for f := range fields {
		st.FieldCardinality[f] = 0
	}
	// Searchers bleve builds itself (for filters and exclusions) may ask
	// for these pseudo-fields.
	for _, f := range []string{"*", "_all", "_id"} {
		st.FieldCardinality[f] = 0
	}
	for i, f := range scoredFields {
		st.FieldCardinality[f] = int(totals[i])
	}
	return st, nil
}

// queriedFields lists the fields a query searches.
func queriedFields(q query.Query, into map[string]bool) {
	eachLeaf(q, func(leaf query.Query) {
		if f, ok := leaf.(query.FieldableQuery); ok {
			into[f.Field()] = true
		}
	})
}

// eachLeaf calls fn with each clause of q that is not made of others.
func eachLeaf(q query.Query, fn func(query.Query)) {
	switch v := q.(type) {
	case *query.BooleanQuery:
		for _, part := range []query.Query{v.Must, v.Should, v.MustNot, v.Filter} {
			if part != nil {
				eachLeaf(part, fn)
			}
		}
	case *query.ConjunctionQuery:
		for _, c := range v.Conjuncts {
			eachLeaf(c, fn)
		}
	case *query.DisjunctionQuery:
		for _, c := range v.Disjuncts {
			eachLeaf(c, fn)
		}
	default:
		fn(q)
	}
}

// BM25 parameters, chosen with cari eval once the true average lengths were
// in place (grid k1 ∈ {1.2, 1.5, 1.8} × b ∈ {0.4, 0.5, 0.6, 0.75}): k1 = 1.5,
// b = 0.6 raise MRR@10 on both FacQA (0.8143 → 0.8150) and TyDi QA
// (0.6688 → 0.6744) over bleve's 1.2 and 0.75 without losing recall. bleve
// keeps them as process-wide settings, which cari is the only user of.
const (
	bm25K1 = 1.5
	bm25B  = 0.6
)

func init() {
	search.BM25_k1 = bm25K1
	search.BM25_b = bm25B
}
