package index

import (
	"context"
	"fmt"
	"html"
	"math"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/analyzer"
)

// Related articles. bleve has no "more like this", so Similar builds the
// query itself, the way Lucene's MoreLikeThis does: the article's own
// title and body are analyzed as the index analyzed them, each term is
// weighed by how often the article uses it against how rare it is in the
// index (tf·idf), and the most distinctive terms are searched as one
// weighted disjunction over title and body. Scoring is the same BM25,
// with the same true field lengths, as Search's, so a related article
// ranks by how much of the article's distinctive vocabulary it shares.

// Limits of a related-articles request.
const (
	// similarTerms is how many of the article's terms are searched. More
	// terms find more loosely related articles and cost more; 25 is
	// Lucene MoreLikeThis's default, and enough to pin down a news topic.
	similarTerms = 25
	// similarTitleWeight counts a term of the title as this many body
	// occurrences: a headline names the story's subject.
	similarTitleWeight = 3.0
)

// weightedTerm is one term of the article chosen for the query.
type weightedTerm struct {
	term   string
	weight float64
}

// Similar returns the articles most related to the article id, best first,
// never the article itself. Hits have the shape of Search's, with the
// lead sentence as snippet; the result's Query lists the terms searched,
// most distinctive first, so a reader can see why articles were chosen.
// An unknown id is ErrNotFound.
func (ix *Index) Similar(ctx context.Context, id string, size int) (*cari.Result, error) {
	if size == 0 {
		size = cari.DefaultSimilarSize
	}
	if size < 1 || size > cari.MaxSize {
		return nil, badRequest("size must be between 1 and %d, not %d", cari.MaxSize, size)
	}
	a, err := ix.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	terms, err := ix.distinctiveTerms(ctx, a)
	if err != nil {
		return nil, fmt.Errorf("related articles of %q: %w", id, err)
	}
	out := &cari.Result{Page: 1, Size: size, Hits: []cari.Hit{}, Facets: map[string][]cari.Facet{}}
	if len(terms) == 0 {
		// Nothing the article says is shared with any other article.
		return out, nil
	}
	names := make([]string, len(terms))
	for i, t := range terms {
		names[i] = t.term
	}
	out.Query = strings.Join(names, " ")

	q := similarQuery(id, terms)
	req := bleve.NewSearchRequestOptions(q, size, 0, false)
	if req.PreSearchData, err = ix.preSearch(q); err != nil {
		return nil, err
	}
	req.Fields = []string{FieldTitle, FieldSource, FieldURL, FieldPublished, FieldTags, FieldBody}
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("related articles of %q: %w", id, err)
	}
	out.Total = res.Total
	out.TookMS = float64(res.Took.Microseconds()) / 1000
	for _, h := range res.Hits {
		if h.ID == id {
			continue // excluded by the query; kept out whatever bleve does
		}
		out.Hits = append(out.Hits, plainHit(h))
	}
	return out, nil
}

// plainHit is a hit with no highlighting: the title escaped (the lead
// sentence for an untitled article) and the lead sentence as snippet.
func plainHit(h *search.DocumentMatch) cari.Hit {
	a := articleFromFields(h.ID, h.Fields)
	body := stringField(h.Fields, FieldBody)
	score := h.Score
	if math.IsNaN(score) || math.IsInf(score, 0) {
		score = 0
	}
	hit := cari.Hit{ID: h.ID, Score: score, Title: html.EscapeString(a.Title), Source: a.Source, URL: a.URL, Tags: a.Tags,
		Snippet: html.EscapeString(cari.LeadSentence(body))}
	if a.Title == "" {
		hit.Title = html.EscapeString(cari.LeadSentence(body))
	}
	if !a.Published.IsZero() {
		hit.Published = a.Published.Format("2006-01-02")
	}
	return hit
}

// similarQuery searches every term in title and body, each clause boosted
// by the term's weight (title clauses by TitleBoost more, as in Search),
// excluding the article itself.
func similarQuery(id string, terms []weightedTerm) query.Query {
	clauses := make([]query.Query, 0, 2*len(terms))
	for _, t := range terms {
		inTitle := query.NewTermQuery(t.term)
		inTitle.SetField(FieldTitle)
		inTitle.SetBoost(t.weight * TitleBoost)
		inBody := query.NewTermQuery(t.term)
		inBody.SetField(FieldBody)
		inBody.SetBoost(t.weight)
		clauses = append(clauses, inTitle, inBody)
	}
	return query.NewBooleanQuery(
		[]query.Query{query.NewDisjunctionQuery(clauses)},
		nil,
		[]query.Query{query.NewDocIDQuery([]string{id})},
	)
}

// distinctiveTerms analyzes the article's title and body with the index's
// analyzers and returns its similarTerms terms of highest weight:
// (1 + ln tf) · idf, where tf counts title occurrences similarTitleWeight
// times, and idf is BM25's, from the number of articles whose body (or,
// failing that, title) holds the term. Terms no other article holds
// cannot find anything and are left out; the weights are normalized so
// the strongest is 1, keeping boosts in a readable range.
func (ix *Index) distinctiveTerms(ctx context.Context, a *cari.Article) ([]weightedTerm, error) {
	tf, err := ix.articleTermFrequencies(a)
	if err != nil {
		return nil, err
	}
	if len(tf) == 0 {
		return nil, nil
	}
	out, err := ix.weighTerms(ctx, tf)
	if err != nil {
		return nil, err
	}
	return strongestTerms(out), nil
}

// articleTermFrequencies is the number of times each term is in the
// article, a title's counting similarTitleWeight times. Both are read
// with the body's analyzer: the title's keeps stop words, and "dan" or
// "ini" in a headline says nothing about what is related.
func (ix *Index) articleTermFrequencies(a *cari.Article) (map[string]float64, error) {
	m := ix.mapping()
	an := m.AnalyzerNamed(m.AnalyzerNameForPath(FieldBody))
	if an == nil {
		return nil, fmt.Errorf("no analyzer for field %s", FieldBody)
	}
	tf := map[string]float64{}
	for _, f := range []struct {
		text   string
		weight float64
	}{{a.Title, similarTitleWeight}, {a.Body, 1}} {
		if f.text == "" {
			continue
		}
		for _, tok := range an.Analyze([]byte(f.text)) {
			if analyzer.IsExact(tok.Term) {
				continue // the same word as its stem, counted there
			}
			tf[string(tok.Term)] += f.weight
		}
	}
	return tf, nil
}

// weighTerms weighs each term of tf, its frequencies in the article, by
// (1 + ln tf) · idf, leaving out those no other article holds.
func (ix *Index) weighTerms(ctx context.Context, tf map[string]float64) ([]weightedTerm, error) {
	adv, err := ix.shards[0].Advanced()
	if err != nil {
		return nil, err
	}
	reader, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	defer reader.Close()
	// Counted over every shard: the reader of a shard counts a term's
	// documents in all of them (shards.go), so n must too.
	n, err := ix.bleve.DocCount()
	if err != nil {
		return nil, err
	}
	var out []weightedTerm
	for term, freq := range tf {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		df, err := docFreq(ctx, reader, term)
		if err != nil {
			return nil, err
		}
		if df < 2 {
			continue // only this article: it cannot relate it to another
		}
		idf := math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
		out = append(out, weightedTerm{term: term, weight: (1 + math.Log(freq)) * idf})
	}
	return out, nil
}

// strongestTerms is the similarTerms terms of out of highest weight, the
// weights normalized so that the strongest is 1.
func strongestTerms(out []weightedTerm) []weightedTerm {
	sort.Slice(out, func(i, j int) bool {
		if out[i].weight != out[j].weight {
			return out[i].weight > out[j].weight
		}
		return out[i].term < out[j].term
	})
	if len(out) > similarTerms {
		out = out[:similarTerms]
	}
	if len(out) > 0 && out[0].weight > 0 {
		top := out[0].weight
		for i := range out {
			out[i].weight /= top
		}
	}
	// A zero boost would make BM25 divide by zero; a term so common that
	// its weight rounds to nothing adds nothing either.
	kept := out[:0]
	for _, t := range out {
		if t.weight > 1e-6 {
			kept = append(kept, t)
		}
	}
	return kept
}

// docFreq is the number of articles whose body holds term, or, for a term
// only titles have, whose title does.
func docFreq(ctx context.Context, r bleveindex.IndexReader, term string) (uint64, error) {
	for _, field := range []string{FieldBody, FieldTitle} {
		c, err := termDocs(ctx, r, field, term)
		if err != nil || c > 0 {
			return c, err
		}
	}
	return 0, nil
}
