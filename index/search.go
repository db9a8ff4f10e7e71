package index

import (
	"context"
	"errors"
	"fmt"
	"html"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Request is a search: the user's text, filters, paging and sort.
type Request struct {
	// Query is bleve query-string syntax ("kerja sama", +rusia -ukraina,
	// title:multipolar) or plain words. Empty matches every article.
	Query string
	// Plain searches Query as plain words, never as syntax, so that any
	// text (a question such as "Apa itu C++?") is a valid query.
	Plain   bool
	Page    int    // 1-based; 0 means 1
	Size    int    // hits a page; 0 means DefaultSize
	Sort    string // SortRelevance (default), SortDate or SortOldest
	Sources []string
	Tags    []string
	From    time.Time // published on or after this day
	To      time.Time // published on or before this day
	// NoHighlight skips snippets and title marks (evaluation runs).
	NoHighlight bool
	// NoFacets skips facet counts.
	NoFacets bool
}

// Sort orders.
const (
	SortRelevance = "relevance"
	SortDate      = "date"   // newest first
	SortOldest    = "oldest" // oldest first
)

// Limits on a request.
const (
	DefaultSize    = 10
	MaxSize        = 100
	MaxResultDepth = 10000 // page*size may not go past this
	MaxQueryBytes  = 4096
)

// TitleBoost weighs a match in the title against one in the body.
const TitleBoost = 2.0

// PhraseBoost weighs the extra clause that rewards a multi-word query
// found as a phrase. Measured with cari eval: 0 → 1 moves MRR@10 from
// 0.8121 to 0.8126 on FacQA and from 0.6720 to 0.6733 on TyDi QA; it
// matters more for news queries such as "kerja sama", whose words are
// common apart.
const PhraseBoost = 1.0

// ErrBadRequest marks errors in a request: bad query syntax, bad paging,
// bad sort. Servers answer them with 400.
var ErrBadRequest = errors.New("bad request")

// Result is one page of hits. Its JSON form is the API's and `cari search
// --json`'s.
type Result struct {
	Query  string             `json:"query"`
	Total  uint64             `json:"total"`
	TookMS float64            `json:"took_ms"`
	Page   int                `json:"page"`
	Size   int                `json:"size"`
	Hits   []Hit              `json:"hits"`
	Facets map[string][]Facet `json:"facets"`
	// Suggestion is the query with each word the index does not know
	// replaced by the closest word it does ("multipolr" → "multipolar").
	Suggestion string `json:"suggestion,omitempty"`
}

// Hit is one article in a result. Title and Snippet are HTML: text is
// escaped and matched words are wrapped in <mark>.
type Hit struct {
	ID        string   `json:"id"`
	Score     float64  `json:"score"`
	Title     string   `json:"title"`
	Source    string   `json:"source,omitempty"`
	URL       string   `json:"url,omitempty"`
	Published string   `json:"published,omitempty"`
	Tags      []string `json:"tags,omitempty"`
	Snippet   string   `json:"snippet"`
}

// FacetMonth names the facet of publication months ("2023-08"), the 24
// months with most hits, newest first. The facet "published" counts years.
const FacetMonth = "month"

// Facet is one value of a facet and how many hits have it.
type Facet struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

func badRequest(format string, args ...interface{}) error {
	return fmt.Errorf("%w: %s", ErrBadRequest, fmt.Sprintf(format, args...))
}

// normalize checks a request and fills defaults.
func (r *Request) normalize() error {
	r.Query = strings.TrimSpace(r.Query)
	if !utf8.ValidString(r.Query) {
		return badRequest("query is not valid UTF-8")
	}
	if len(r.Query) > MaxQueryBytes {
		return badRequest("query is %d bytes long, at most %d", len(r.Query), MaxQueryBytes)
	}
	if r.Page == 0 {
		r.Page = 1
	}
	if r.Size == 0 {
		r.Size = DefaultSize
	}
	switch {
	case r.Page < 1:
		return badRequest("page must be 1 or more, not %d", r.Page)
	case r.Size < 1 || r.Size > MaxSize:
		return badRequest("size must be between 1 and %d, not %d", MaxSize, r.Size)
	case r.Page > MaxResultDepth/r.Size:
		return badRequest("page %d of size %d goes past the first %d results", r.Page, r.Size, MaxResultDepth)
	}
	switch r.Sort {
	case "":
		r.Sort = SortRelevance
		if r.Query == "" {
			r.Sort = SortDate
		}
	case SortRelevance, SortDate, SortOldest:
	case "-date", "newest":
		r.Sort = SortDate
	case "+date", "date-asc":
		r.Sort = SortOldest
	default:
		return badRequest("sort must be %q, %q or %q, not %q", SortRelevance, SortDate, SortOldest, r.Sort)
	}
	if !r.From.IsZero() && !r.To.IsZero() && r.To.Before(r.From) {
		return badRequest("to (%s) is before from (%s)", r.To.Format("2006-01-02"), r.From.Format("2006-01-02"))
	}
	return nil
}

// Search runs a request.
func (ix *Index) Search(ctx context.Context, r Request) (*Result, error) {
	if err := r.normalize(); err != nil {
		return nil, err
	}
	var unknown []unknownWord
	if r.Query != "" && (r.Plain || !strings.ContainsAny(r.Query, syntaxChars)) {
		var err error
		if unknown, err = ix.unknownWords(r.Query); err != nil {
			return nil, err
		}
	}
	q, err := buildQuery(r, fuzzyClauses(unknown))
	if err != nil {
		return nil, err
	}
	req := bleve.NewSearchRequestOptions(q, r.Size, (r.Page-1)*r.Size, false)
	fields := map[string]bool{}
	queriedFields(q, fields)
	stats, err := ix.bm25Stats(fields)
	if err != nil {
		return nil, err
	}
	req.PreSearchData = map[string]interface{}{search.BM25PreSearchDataKey: stats}
	req.Fields = []string{FieldTitle, FieldSource, FieldURL, FieldPublished, FieldTags}
	switch r.Sort {
	case SortDate:
		req.SortBy([]string{"-" + FieldPublished, "-_score", "_id"})
	case SortOldest:
		req.SortBy([]string{FieldPublished, "-_score", "_id"})
	default:
		// By score alone: tie-breakers on published and _id would make
		// bleve read those values for every matching article, not just
		// the page shown, and cost more than the search itself.
	}
	if !r.NoHighlight {
		req.Highlight = bleve.NewHighlightWithStyle(highlighterName)
		req.Highlight.AddField(FieldTitle)
		req.Highlight.AddField(FieldBody)
		req.Fields = append(req.Fields, FieldBody)
	}
	if !r.NoFacets {
		addFacets(req)
	}
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		if ctx.Err() == nil && isQueryError(err) {
			return nil, fmt.Errorf("%w: %v", ErrBadRequest, err)
		}
		return nil, fmt.Errorf("search %q: %w", r.Query, err)
	}
	if r.Sort == SortRelevance {
		orderTies(res.Hits)
	}
	out := &Result{
		Suggestion: suggestion(r.Query, unknown),
		Query:      r.Query,
		Total:      res.Total,
		TookMS:     float64(res.Took.Microseconds()) / 1000,
		Page:       r.Page,
		Size:       r.Size,
		Hits:       make([]Hit, 0, len(res.Hits)),
		Facets:     map[string][]Facet{},
	}
	for _, h := range res.Hits {
		a := articleFromFields(h.ID, h.Fields)
		score := h.Score
		if math.IsNaN(score) || math.IsInf(score, 0) {
			score = 0 // JSON has no NaN; a degenerate score ranks nothing
		}
		hit := Hit{ID: h.ID, Score: score, Title: html.EscapeString(a.Title), Source: a.Source, URL: a.URL, Tags: a.Tags}
		if !a.Published.IsZero() {
			hit.Published = a.Published.Format("2006-01-02")
		}
		if !r.NoHighlight {
			if a.Title == "" {
				hit.Title = html.EscapeString(LeadSentence(stringField(h.Fields, FieldBody)))
			}
			if f := h.Fragments[FieldTitle]; len(f) > 0 && a.Title != "" {
				hit.Title = f[0]
			}
			if f := h.Fragments[FieldBody]; len(f) > 0 {
				hit.Snippet = strings.TrimSpace(f[0])
			} else {
				hit.Snippet = html.EscapeString(LeadSentence(stringField(h.Fields, FieldBody)))
			}
		}
		out.Hits = append(out.Hits, hit)
	}
	for name, fr := range res.Facets {
		out.Facets[name] = facetValues(name, fr)
	}
	return out, nil
}

// isQueryError tells errors caused by what the user typed (an invalid
// regular expression, too much fuzziness) from failures of the index.
func isQueryError(err error) bool {
	msg := err.Error()
	for _, s := range []string{"regexp", "fuzziness", "parse", "syntax", "invalid"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// buildQuery turns a request into a bleve query: the text over title and
// body, with filters that narrow without changing scores.
func buildQuery(r Request, fuzzy []query.Query) (query.Query, error) {
	var text query.Query
	switch {
	case r.Query == "":
		text = query.NewMatchAllQuery()
	case r.Plain:
		text = overTextFields(query.NewMatchQuery(r.Query))
	default:
		parsed, err := query.NewQueryStringQuery(r.Query).Parse()
		if err != nil {
			return nil, fmt.Errorf("%w: cannot parse query %q: %v", ErrBadRequest, r.Query, err)
		}
		if text, err = expandFields(parsed); err != nil {
			return nil, err
		}
	}
	if len(fuzzy) > 0 {
		// Unknown words match their near spellings; known words keep
		// their exact matches and so their rank.
		text = query.NewDisjunctionQuery(append([]query.Query{text}, fuzzy...))
	}
	if isPlainWords(r) {
		// Articles that hold the words as a phrase ("kerja sama") rank
		// above those that scatter them (pekerjaan … bersamaan).
		phrase := query.NewMatchPhraseQuery(r.Query)
		phrase.SetBoost(PhraseBoost)
		text = query.NewBooleanQuery([]query.Query{text}, []query.Query{overTextFields(phrase)}, nil)
	}
	var filters []query.Query
	if f := anyTerm(FieldSource, r.Sources); f != nil {
		filters = append(filters, f)
	}
	if f := anyTerm(FieldTags, r.Tags); f != nil {
		filters = append(filters, f)
	}
	if !r.From.IsZero() || !r.To.IsZero() {
		var end time.Time
		if !r.To.IsZero() {
			end = r.To.AddDate(0, 0, 1) // the whole of the last day
		}
		inclusive, exclusive := true, false
		dr := query.NewDateRangeInclusiveQuery(r.From, end, &inclusive, &exclusive)
		dr.SetField(FieldPublished)
		filters = append(filters, dr)
	}
	if len(filters) == 0 {
		return text, nil
	}
	b := query.NewBooleanQuery([]query.Query{text}, nil, nil)
	b.AddFilter(query.NewConjunctionQuery(filters))
	return b, nil
}

func anyTerm(field string, values []string) query.Query {
	var terms []query.Query
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			t := query.NewTermQuery(v)
			t.SetField(field)
			terms = append(terms, t)
		}
	}
	if len(terms) == 0 {
		return nil
	}
	return query.NewDisjunctionQuery(terms)
}

// overTextFields searches a field-less query in title and body, the title
// weighing more.
func overTextFields(q query.FieldableQuery) query.Query {
	inTitle := cloneFieldable(q)
	inTitle.SetField(FieldTitle)
	inTitle.(query.BoostableQuery).SetBoost(TitleBoost)
	inBody := cloneFieldable(q)
	inBody.SetField(FieldBody)
	return query.NewDisjunctionQuery([]query.Query{inTitle, inBody})
}

func cloneFieldable(q query.FieldableQuery) query.FieldableQuery {
	switch v := q.(type) {
	case *query.MatchQuery:
		c := *v
		return &c
	case *query.MatchPhraseQuery:
		c := *v
		return &c
	case *query.WildcardQuery:
		c := *v
		return &c
	case *query.RegexpQuery:
		c := *v
		return &c
	case *query.FuzzyQuery:
		c := *v
		return &c
	case *query.PrefixQuery:
		c := *v
		return &c
	case *query.TermQuery:
		c := *v
		return &c
	}
	return q
}

// expandFields rewrites the leaves of a parsed query-string query that
// name no field so that they search title and body, and rejects leaves
// that could only fail later.
func expandFields(q query.Query) (query.Query, error) {
	switch v := q.(type) {
	case *query.BooleanQuery:
		for _, part := range []query.Query{v.Must, v.Should, v.MustNot} {
			if part != nil {
				if _, err := expandFields(part); err != nil {
					return nil, err
				}
			}
		}
		return v, nil
	case *query.ConjunctionQuery:
		for i, c := range v.Conjuncts {
			e, err := expandFields(c)
			if err != nil {
				return nil, err
			}
			v.Conjuncts[i] = e
		}
		return v, nil
	case *query.DisjunctionQuery:
		for i, c := range v.Disjuncts {
			e, err := expandFields(c)
			if err != nil {
				return nil, err
			}
			v.Disjuncts[i] = e
		}
		return v, nil
	case *query.RegexpQuery:
		if _, err := regexp.Compile(v.Regexp); err != nil {
			return nil, fmt.Errorf("%w: invalid regular expression /%s/: %v", ErrBadRequest, v.Regexp, err)
		}
	case *query.MatchQuery:
		if v.Fuzziness > 2 {
			return nil, fmt.Errorf("%w: fuzziness %d is more than the maximum of 2", ErrBadRequest, v.Fuzziness)
		}
	}
	if b, ok := q.(query.BoostableQuery); ok && b.Boost() <= 0 {
		// A zero boost makes BM25 divide by zero.
		return nil, fmt.Errorf("%w: boost must be more than 0, not %g", ErrBadRequest, b.Boost())
	}
	if f, ok := q.(query.FieldableQuery); ok && f.Field() == "" {
		switch q.(type) {
		case *query.NumericRangeQuery, *query.DateRangeQuery:
			return q, nil
		}
		return overTextFields(f), nil
	}
	return q, nil
}

// addFacets asks for the sources, tags and publication years of the hits.
func addFacets(req *bleve.SearchRequest) {
	req.AddFacet(FieldSource, bleve.NewFacetRequest(FieldSource, 10))
	req.AddFacet(FieldTags, bleve.NewFacetRequest(FieldTags, 10))
	// Years come from a keyword field: a terms facet reads one value a
	// hit, where date ranges test every hit against every range.
	req.AddFacet(FieldPublished, bleve.NewFacetRequest(fieldYear, 50))
	req.AddFacet(FacetMonth, bleve.NewFacetRequest(fieldMonth, 24))
}

func facetValues(name string, fr *search.FacetResult) []Facet {
	out := []Facet{}
	if fr == nil {
		return out
	}
	if fr.Terms != nil {
		for _, t := range fr.Terms.Terms() {
			out = append(out, Facet{Value: t.Term, Count: t.Count})
		}
	}
	for _, d := range fr.DateRanges {
		if d.Count > 0 {
			out = append(out, Facet{Value: d.Name, Count: d.Count})
		}
	}
	if name == FieldPublished || name == FacetMonth {
		sort.Slice(out, func(i, j int) bool { return out[i].Value > out[j].Value })
	}
	return out
}

// isPlainWords reports a query of several words and no syntax, the kind a
// phrase clause can help.
func isPlainWords(r Request) bool {
	if len(strings.Fields(r.Query)) < 2 {
		return false
	}
	return r.Plain || !strings.ContainsAny(r.Query, syntaxChars)
}

// syntaxChars are the characters that make a query more than plain words.
const syntaxChars = `+-"':*?~/()^\`
