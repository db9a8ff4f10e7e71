package index

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/analyzer"
	"github.com/carisearch/cari/analyzer/lexicon"
	"github.com/carisearch/cari/index/synonym"
)

// TitleBoost weighs a match in the title against one in the body. The
// question sets have no titles, so it was measured on a stand-in: each
// passage's first sentence as its title and the rest as its body. FacQA
// MRR@10 for boosts 0.5, 1, 2 and 3: .7745, .7747, .7455, .7109. A title
// is short, so BM25 already scores a word in it above the same word in a
// long body; a boost on top of that double counts it.
const TitleBoost = 1.0

// PhraseBoost weighs the extra clause that rewards the words of a query
// found as a phrase. Measured with cari eval: 0 → 1 moves MRR@10 from
// 0.8121 to 0.8126 on FacQA and from 0.6720 to 0.6733 on TyDi QA.
const PhraseBoost = 1.0

// SearchGCPercent is the garbage collector's target for a process that
// serves searches (cari serve, unless $GOGC is set, and the latency
// benchmarks). A search allocates about half a megabyte and keeps none
// of it, while an open index holds little of the heap, so at the default
// 100% the collector ran every few searches: at 400% the median of the
// 25,401-article latency benchmark is about what it was when a 100 MB
// autocomplete vocabulary filled the heap (its p99 is not yet: README),
// and the heap peaks about where it did then.
const SearchGCPercent = 400

// Search runs a request.
//
// Ranking and showing are separate searches. The first ranks: it scores
// every match and counts the facets, and returns ids and scores. The
// second fetches the stored fields of the page's articles and highlights
// them, led by their ids: highlighting needs the positions of the matched
// words, which bleve would otherwise gather for every match, not only for
// the ten shown.
func (ix *Index) Search(ctx context.Context, r cari.Request) (*cari.Result, error) {
	sortUnset, typed := r.Sort == "", r.Query
	if err := r.Normalize(); err != nil {
		return nil, err
	}
	dates, err := ix.understandDates(ctx, &r, sortUnset)
	if err != nil {
		return nil, err
	}
	out, err := ix.searchWords(ctx, r)
	if err == nil && dates != nil {
		out.Query = strings.TrimSpace(typed)
		out.Understood = &cari.Understood{Dates: dates}
		if out.Suggestion != "" {
			out.Suggestion += " " + dates.Text // the words corrected, the date kept
		}
	}
	return out, err
}

// searchWords runs a normalized request whose dates are understood.
func (ix *Index) searchWords(ctx context.Context, r cari.Request) (*cari.Result, error) {
	out, err := ix.search(ctx, r)
	if err != nil && !r.Plain && ctx.Err() == nil && !errors.Is(err, cari.ErrBadRequest) && !errors.Is(err, cari.ErrTooExpensive) {
		// Syntax that parsed but cannot run (a regular expression
		// bleve refuses, /$/): search the words. Should the words fail
		// too, the index is at fault, and the first error says how.
		r.Plain = true
		if plain, perr := ix.search(ctx, r); perr == nil {
			return plain, nil
		}
	}
	return out, err
}

// search runs a normalized request.
func (ix *Index) search(ctx context.Context, r cari.Request) (*cari.Result, error) {
	s, err := ix.newSearchRun(ctx, r)
	if err != nil {
		return nil, err
	}
	res, marks, err := s.rankAll(ctx)
	if err != nil {
		return nil, err
	}
	hits, err := s.present(ctx, res, marks)
	if err != nil {
		return nil, err
	}
	out := s.result(res, hits)
	if len(r.Sources) > 0 && !r.NoFacets {
		if out.Facets[FieldSource], err = ix.otherSources(ctx, r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// otherSources is the source facet of r as if no source were chosen, the
// other filters kept: choosing a source is a choice among them, and the
// facet of the chosen ones alone would hide the rest (what Elasticsearch
// calls a post filter, and search pages multi-select facets). It costs
// one more ranking, of one hit, and nothing read of it.
func (ix *Index) otherSources(ctx context.Context, r cari.Request) ([]cari.Facet, error) {
	all := r
	all.Sources, all.Page, all.Size, all.Cursor, all.After = nil, 1, 1, false, ""
	run, err := ix.newSearchRun(ctx, all)
	if err != nil {
		return nil, fmt.Errorf("the sources beside %q: %w", r.Sources, err)
	}
	run.reranked = false // only the facets are read
	res, _, err := run.rankAll(ctx)
	if err != nil {
		return nil, fmt.Errorf("the sources beside %q: %w", r.Sources, err)
	}
	factor, _ := run.sample.scale()
	return scaleFacets(ix.facets(res.Facets), factor)[FieldSource], nil
}

// searchRun is one request on its way through search: classified and
// planned (newSearchRun, plan), ranked (rankAll), then presented (present,
// result). Each step reads what the one before it left here.
type searchRun struct {
	ix      *Index
	r       cari.Request
	terms   []string          // the query's stems
	written map[string]string // the query's written forms (writtenForms)
	plan    queryPlan
	// pre is what every shard's search shares: the index-wide BM25
	// statistics and the synonyms.
	pre       map[string]interface{}
	cursor    bool
	sortOrder []string
	after     []string // the sort keys a cursor continues after
	// reranked: the phrase of keywords reorders the top of the ranking
	// (rerank). Read for every article holding the words, it was a third
	// of a search, so only the top RerankDepth are.
	reranked bool
	// sample is what the last ranking read of its matches (sample.go).
	sample *matchSample
	// collapsed: the page shows one hit per story (story.go), the
	// others of each story below it in others, by the hit's id.
	collapsed bool
	others    map[string][]cari.Related
}

// newSearchRun plans r (with no typo corrections yet) and works out how
// it pages.
func (ix *Index) newSearchRun(ctx context.Context, r cari.Request) (*searchRun, error) {
	s := &searchRun{ix: ix, r: r, terms: ix.queryTerms(r.Query), written: ix.writtenForms(r.Query)}
	if err := s.replan(ctx, nil); err != nil {
		return nil, err
	}
	if r.Query != "" && s.plan.withSynonyms {
		syn, err := ix.synonymList()
		if err != nil {
			return nil, err
		}
		if m := syn.TermMap(s.terms, queryForms{written: s.written}.acronyms(), FieldTitle, FieldBody); m != nil {
			s.pre[search.SynonymPreSearchDataKey] = m
		}
	}
	s.cursor = r.Cursor || r.After != ""
	s.sortOrder = sortKeys(r.Sort, s.cursor)
	if r.After != "" {
		var err error
		if s.after, err = decodeCursor(r.After, r.Sort, len(s.sortOrder)); err != nil {
			return nil, err
		}
	}
	s.reranked = s.plan.proximity != nil && r.Sort == cari.SortRelevance && !s.cursor && (r.Page-1)*r.Size < RerankDepth
	s.collapsed = r.Collapse && !s.cursor
	return s, nil
}

// replan builds the query plan with corrections, and the BM25 statistics
// of the fields it searches.
func (s *searchRun) replan(ctx context.Context, corrections []unknownWord) (err error) {
	if s.plan, err = s.ix.buildQuery(ctx, s.r, s.terms, s.written, corrections); err != nil {
		return err
	}
	if len(s.terms) > 0 {
		// Titles keep their stop words; queries drop them, unless they
		// are all the query has ("siapa dia"): then the titles that
		// hold them are what can be found. marks is a part of both
		// queries.
		for _, q := range []query.Query{s.plan.ranked, s.plan.wide} {
			if q != nil {
				setAnalyzer(q, FieldTitle, s.ix.mapping().AnalyzerNameForPath(FieldBody))
			}
		}
	}
	// A replan after typo corrections starts the shared data afresh, so
	// the search of the corrected words goes without the synonyms of the
	// words as typed (newSearchRun adds them once).
	s.pre, err = s.ix.preSearch(s.plan.ranked)
	return err
}

// rankAll ranks by the plan, and when few articles hold every keyword,
// again with a word taken for a typo that is itself a word ("anis
// baswedan"), and then by the wider query that needs fewer of the words.
// It returns the ranking and the query whose words the page marks.
func (s *searchRun) rankAll(ctx context.Context) (*bleve.SearchResult, query.Query, error) {
	res, err := s.rank(ctx, s.plan.ranked)
	if err == nil && res.Total < WideBelow && s.plan.wide != nil {
		var corrections []unknownWord
		if corrections, err = s.ix.typoWords(ctx, s.r.Query, s.plan, res.Total); err == nil && len(corrections) > 0 {
			if err = s.replan(ctx, corrections); err == nil {
				res, err = s.rank(ctx, s.plan.ranked)
			}
		}
	}
	marks := s.plan.marks
	if err == nil && res.Total < WideBelow && s.plan.wide != nil {
		res, err = s.rank(ctx, s.plan.wide)
		marks = s.plan.wideMarks
	}
	return res, marks, err
}

// rank runs one ranking search of q: scores, ids and facets, no text.
func (s *searchRun) rank(ctx context.Context, q query.Query) (*bleve.SearchResult, error) {
	r := s.r
	if r.Recent && r.Query != "" {
		var err error
		if q, err = s.ix.recencyQuery(ctx, q, r.HalfLife); err != nil {
			return nil, err
		}
	}
	s.sample = &matchSample{}
	sampled := &sampledQuery{Query: q, sample: s.sample}
	if s.sortOrder[0] == "-_score" && !s.cursor && !r.Exact {
		// By date, the newest matches are wanted, not a sample's; a
		// cursor pages through all of them.
		sampled.limit = s.ix.sampleLimit()
	}
	q = sampled
	size, from := r.Size, (r.Page-1)*r.Size
	if s.reranked {
		size, from = max(RerankDepth, r.Page*r.Size), 0
	}
	if s.collapsed {
		size, from = max(size+from, min(cari.CollapseFactor*r.Page*r.Size, cari.MaxResultDepth)), 0
	}
	req := bleve.NewSearchRequestOptions(q, size, from, false)
	req.SortBy(s.sortOrder)
	req.SearchAfter = s.after
	if r.NoHighlight && !s.reranked && !s.collapsed {
		req.Fields = storedFields()
	}
	if !r.NoFacets {
		s.ix.addFacets(req)
	}
	req.PreSearchData = s.pre
	res, err := s.ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", r.Query, err)
	}
	return res, nil
}

// present reorders the top of the ranking by the phrase (rerank), cuts the
// page out of it, and reads the page's fields and marks; the top hits are
// read again on one snapshot for that (top.go).
//
// Branchy because reranking, highlighting and paging each apply only to
// some requests, and they share the one snapshot the page is read on.
func (s *searchRun) present(ctx context.Context, res *bleve.SearchResult, marks query.Query) (search.DocumentMatchCollection, error) {
	r := s.r
	var top *topReader
	if s.reranked || s.collapsed || !r.NoHighlight && len(res.Hits) > 0 {
		synonyms, _ := s.pre[search.SynonymPreSearchDataKey].(search.FieldTermSynonymMap)
		var err error
		if top, err = s.ix.readTop(ctx, synonyms); err != nil {
			return nil, err
		}
		defer top.Close()
	}
	var located map[string]*search.DocumentMatch
	if s.reranked {
		head := res.Hits[:min(RerankDepth, len(res.Hits))]
		phrased, err := top.locate(phraseWords(s.plan.proximity), idsOf(head))
		if err != nil {
			return nil, fmt.Errorf("rerank: %w", err)
		}
		rerank(s.plan.proximity, head, phrased)
		if !r.NoHighlight && marksWithin(marks, s.plan.proximity) {
			located = phrased
		}
	}
	if r.Sort == cari.SortRelevance {
		orderTies(res.Hits)
	}
	hits := res.Hits
	var members map[string]search.DocumentMatchCollection
	if s.collapsed {
		var err error
		if hits, members, err = top.collapse(hits); err != nil {
			return nil, err
		}
	}
	if s.reranked || s.collapsed {
		from := min((r.Page-1)*r.Size, len(hits))
		hits = hits[from:min(from+r.Size, len(hits))]
		res.Hits = hits
	}
	if top == nil || len(hits) == 0 {
		return hits, nil
	}
	if s.collapsed {
		var err error
		if s.others, err = top.related(hits, members); err != nil {
			return nil, err
		}
	}
	if !r.NoHighlight && located == nil {
		var err error
		if located, err = top.locate(marks, idsOf(hits)); err != nil {
			return nil, err
		}
	}
	return top.show(hits, located, !r.NoHighlight)
}

// result is the page of hits as the API returns it, with the facets of
// the ranking and the cursor of the next page.
func (s *searchRun) result(res *bleve.SearchResult, hits search.DocumentMatchCollection) *cari.Result {
	r := s.r
	factor, exact := s.sample.scale()
	out := &cari.Result{
		Suggestion: suggestion(r.Query, s.plan.unknown),
		Query:      r.Query,
		Total:      estimate(res.Total, factor),
		TotalExact: exact,
		TookMS:     float64(res.Took.Microseconds()) / 1000,
		Page:       r.Page,
		Size:       r.Size,
		Hits:       make([]cari.Hit, 0, len(hits)),
		Facets:     scaleFacets(s.ix.facets(res.Facets), factor),
	}
	for _, h := range hits {
		hit := hitFrom(h, !r.NoHighlight)
		hit.Others = s.others[h.ID]
		out.Hits = append(out.Hits, hit)
	}
	if s.cursor && len(res.Hits) == r.Size && uint64(r.Page*r.Size) < res.Total {
		out.Next = encodeCursor(r.Sort, s.sortOrder, res.Hits[len(res.Hits)-1])
	}
	return out
}

// facets are the facets of a ranking as the API names them: the one bleve
// counts (fieldFacets) split into sources, tags and months, and the
// months into years and the most recent months.
func (ix *Index) facets(results search.FacetResults) map[string][]cari.Facet {
	out := map[string][]cari.Facet{}
	for name, fr := range results {
		out[name] = facetValues(fr)
	}
	if all, ok := out[fieldFacets]; ok {
		delete(out, fieldFacets)
		out[FieldSource], out[FieldTags], out[cari.FacetMonth] = ix.splitFacets(all)
	}
	if months, ok := out[cari.FacetMonth]; ok {
		out[FieldPublished], out[cari.FacetMonth] = yearsAndMonths(months)
	}
	return out
}

// storedFields are the fields a hit shows.
func storedFields() []string {
	return []string{FieldTitle, FieldSource, FieldURL, FieldPublished, FieldTags, fieldStory}
}

// RerankDepth is how many of the top hits of keywords their phrase
// reorders (rerank). They are the same hits whatever the page asked
// for, and deeper hits keep the order of the ranking below them, so
// paging neither repeats nor skips a hit. On the judged keyword set,
// depths 20, 30, 50 and 100 gave nDCG@10 .8663, .8688, .8704 and .8704;
// the latency benchmark's mean was 2.5-2.7 ms at 30, 2.9 at 50 and
// 3.0-3.4 at 100, its 99th percentile 8.9-9.0, 10.7-11.3 and 11.3-12.3.
const RerankDepth = 30

// ProximityBoost is the share by which a hit's score grows when its
// title or body holds the keywords as a phrase (rerank). On the judged
// keyword set (every article in the top 10 judged), boosts 0, 0.25, 0.5,
// 1, 2, 4 and 8 gave nDCG@10 .8361, .8463, .8496, .8524, .8570, .8574 and
// .8580: past 2, the phrase all but sorts the top by itself, for little.
const ProximityBoost = 2.0

// rerank raises the score of each of hits whose title or body holds
// phrase (phraseTerms): the articles where the keywords stand together
// rise above those where they are scattered. The positions of the
// phrase's words are those located for the hits alone (topReader.locate,
// on phraseWords), read from their term vectors, and matched here. A
// phrase query does the same matching, but bleve starts it by looking
// for the phrase's first match anywhere (its searcher's first Next),
// which cost a fifth of a keyword search.
func rerank(phrase [][]string, hits search.DocumentMatchCollection, located map[string]*search.DocumentMatch) {
	if len(phrase) < 2 {
		return
	}
	for _, h := range hits {
		if l, ok := located[h.ID]; ok && (holdsPhrase(l.Locations[FieldTitle], phrase) || holdsPhrase(l.Locations[FieldBody], phrase)) {
			h.Score *= 1 + ProximityBoost
		}
	}
}

// phraseWords matches each word of phrase in the title or body, for
// their locations.
func phraseWords(phrase [][]string) query.Query {
	var words []query.Query
	seen := map[string]bool{}
	for _, at := range phrase {
		for _, t := range at {
			if !seen[t] {
				seen[t] = true
				words = append(words, overTextFields(query.NewTermQuery(t)))
			}
		}
	}
	return query.NewDisjunctionQuery(words)
}

// marksWithin reports whether what marks would mark is what the words
// of phrase mark: every leaf of marks is a term of phrase or a written
// form, which stands where its stem does (analyzer.StemFilter.Exact). A
// search then marks its page from the locations read for the rerank,
// and reads none again. Synonyms, near spellings and acronyms have terms
// of their own, and a clause of another kind may match anything.
func marksWithin(marks query.Query, phrase [][]string) bool {
	words := map[string]bool{}
	for _, at := range phrase {
		for _, t := range at {
			words[t] = true
		}
	}
	var within func(q query.Query) bool
	within = func(q query.Query) bool {
		switch v := q.(type) {
		case *query.TermQuery:
			t := []byte(v.Term)
			return words[v.Term] || analyzer.IsExact(t) && !analyzer.IsAcronym(t)
		case *query.ConjunctionQuery:
			return !slices.ContainsFunc(v.Conjuncts, func(c query.Query) bool { return !within(c) })
		case *query.DisjunctionQuery:
			return !slices.ContainsFunc(v.Disjuncts, func(c query.Query) bool { return !within(c) })
		case *query.BooleanQuery:
			// What an article must not hold marks nothing.
			return (v.Must == nil || within(v.Must)) && (v.Should == nil || within(v.Should))
		}
		return false
	}
	return marks != nil && within(marks)
}

func idsOf(hits search.DocumentMatchCollection) []string {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids
}

// holdsPhrase reports whether a field, by the positions of its terms,
// holds phrase: at each position of the phrase one of its terms, at the
// positions where a stop word stood anything.
func holdsPhrase(field search.TermLocationMap, phrase [][]string) bool {
	at := func(i int) map[uint64]bool {
		out := map[uint64]bool{}
		for _, t := range phrase[i] {
			for _, l := range field[t] {
				out[l.Pos] = true
			}
		}
		return out
	}
	if len(field) == 0 || len(phrase[0]) == 0 {
		return false
	}
	positions := make([]map[uint64]bool, len(phrase))
	for i := range phrase {
		if len(phrase[i]) > 0 {
			if positions[i] = at(i); len(positions[i]) == 0 {
				return false
			}
		}
	}
	for start := range positions[0] {
		match := true
		for i := 1; i < len(phrase) && match; i++ {
			match = positions[i] == nil || positions[i][start+uint64(i)]
		}
		if match {
			return true
		}
	}
	return false
}

// hitFrom turns a bleve hit into a Hit.
func hitFrom(h *search.DocumentMatch, highlighted bool) cari.Hit {
	a := articleFromFields(h.ID, h.Fields)
	score := h.Score
	if math.IsNaN(score) || math.IsInf(score, 0) {
		score = 0 // JSON has no NaN; a degenerate score ranks nothing
	}
	hit := cari.Hit{ID: h.ID, Score: score, Title: html.EscapeString(a.Title), Source: a.Source, URL: a.URL, Tags: a.Tags, Story: stringField(h.Fields, fieldStory)}
	if !a.Published.IsZero() {
		hit.Published = a.Published.Format("2006-01-02")
	}
	if highlighted {
		if a.Title == "" {
			hit.Title = html.EscapeString(cari.LeadSentence(stringField(h.Fields, FieldBody)))
		}
		if f := h.Fragments[FieldTitle]; len(f) > 0 && a.Title != "" {
			hit.Title = f[0]
		}
		if f := h.Fragments[FieldBody]; len(f) > 0 {
			hit.Snippet = strings.TrimSpace(f[0])
		} else {
			hit.Snippet = html.EscapeString(cari.LeadSentence(stringField(h.Fields, FieldBody)))
		}
	}
	return hit
}

// buildQuery turns a request into bleve queries (queryPlan): the text over
// title and body, with filters that narrow without changing scores. Text
// that is not valid query syntax is searched as plain words. The plan
// also holds the query words the index does not know, for the suggestion,
// and the part of each query that says which words to mark, without the
// clauses that only reweigh the same words (the phrase and all-words
// clauses): those would mark nothing new, and fetching the page's
// highlights runs them again. terms is the query analyzed (queryTerms).
//
// written maps a query word's stem to its written form where the index
// keeps both (writtenForms).
//
// corrections are known words to search together with another
// (typoWords).
func (ix *Index) buildQuery(ctx context.Context, r cari.Request, terms []string, written map[string]string, corrections []unknownWord) (queryPlan, error) {
	kw := keywords{forms: queryForms{written: written}}
	plain := r.Plain || !hasSyntax(r.Query)
	switch {
	case r.Query == "", strings.TrimSpace(r.Query) == "*":
		kw.text = query.NewMatchAllQuery() // every article, as no query is
	case !plain:
		var err error
		if kw.text, plain, err = ix.syntaxQuery(ctx, r.Query); err != nil {
			return queryPlan{}, err
		}
		kw.withSynonyms = !plain
	}
	if r.Query != "" && plain {
		if err := ix.expandKeywords(ctx, r.Query, terms, corrections, &kw); err != nil {
			return queryPlan{}, err
		}
	}
	return ix.assemble(ctx, kw, requestFilters(r))
}

// keywords is what a query's words become (expandKeywords): the clauses
// of the words and what reweighs them, and what was learned on the way.
type keywords struct {
	text         query.Query       // the words, their synonyms and near spellings
	should       []query.Query     // the phrase and all-words clauses, which reweigh text
	everyWord    query.Query       // every unit, for keywords (not questions)
	titleFirst   query.Query       // every unit in the title
	phraseWords  [][]string        // the phrase of the query, for keywords (rerank)
	unknown      []unknownWord     // words searched by their near spellings
	x            synonym.Expansion // the query's units and their synonyms
	forms        queryForms        // which written forms and synonyms weigh what
	withSynonyms bool
}

// syntaxQuery reads q as bleve query-string syntax, with its fields
// expanded and its cost checked. plain says q is to be searched as words
// instead: it is not valid syntax (a lone quote, "C++", a bad regular
// expression), or syntax that only says words ("multipolar (dunia"), and
// people meant the words.
func (ix *Index) syntaxQuery(ctx context.Context, q string) (text query.Query, plain bool, err error) {
	parsed, err := query.NewQueryStringQuery(q).Parse()
	if err != nil || bareWords(parsed) {
		return nil, true, nil
	}
	if text, err = expandFields(parsed); err != nil {
		return nil, true, nil
	}
	if err := ix.checkCost(ctx, parsed, text); err != nil {
		return nil, false, err
	}
	return text, false, nil
}

// expandKeywords reads the plain words of q (terms, their stems) into kw.
//
// What people type into a search box, up to AllWordsMax words, is read
// generously: synonyms, rare words checked for typos, the nearest known
// word of a misspelt one. A longer query, a question or a passage, is
// searched by its own words: on the question sets every such help
// measured worse, since each favours the articles that happen to use
// another word (FacQA MRR@10 .8147 → .8134 and Recall@100 .9795 → .9785
// with one-word synonyms, MRR@10 → .8029 with several-word forms too;
// TyDi QA MRR@10 .6755 → .6712 with the nearest known word).
func (ix *Index) expandKeywords(ctx context.Context, q string, terms []string, corrections []unknownWord, kw *keywords) error {
	syn, err := ix.synonymList()
	if err != nil {
		return err
	}
	kw.x = syn.Expand(terms, overTextFields)
	short := len(kw.x.Units) <= AllWordsMax
	kw.withSynonyms = short
	if err := ix.weighForms(ctx, q, terms, short, syn, &kw.forms); err != nil {
		return err
	}
	// Unknown words match their near spellings; known words keep their
	// exact matches and so their rank.
	if kw.unknown, err = ix.unknownWords(ctx, q, short); err != nil {
		return err
	}
	// A word of a name, or a word with other forms ("Korsel"), is no
	// typo, even where no article uses it.
	kw.unknown = slices.DeleteFunc(kw.unknown, func(u unknownWord) bool { return kw.x.InNames[u.term] || syn.Reaches(u.term) })
	kw.unknown = append(kw.unknown, corrections...)
	clauses := []query.Query{ix.matchStems(q, len(terms) > 0, kw.forms)}
	if short {
		clauses = append(clauses, kw.x.Clauses()...)
	}
	clauses = append(clauses, fuzzyClauses(kw.unknown, short)...)
	kw.text = clauses[0]
	if len(clauses) > 1 {
		kw.text = query.NewDisjunctionQuery(clauses)
	}
	if len(terms) > 1 {
		if kw.phraseWords = ix.phraseTerms(q); kw.phraseWords != nil {
			kw.should = append(kw.should, phraseClause(kw.phraseWords))
		}
	}
	if all := allWords(kw.x.Units, kw.unknown, kw.forms); all != nil {
		kw.should = append(kw.should, all)
	}
	if !isQuestion(q) {
		kw.everyWord = everyUnit(kw.x.Units, kw.unknown, kw.forms, 1+AllWordsBoost)
		if len(terms) > 1 {
			kw.titleFirst = titleHoldsAll(kw.x.Units, kw.unknown, kw.forms)
		}
	}
	return nil
}

// weighForms fills forms for the words of q: which are ordinary words
// rather than acronyms or names (keywords only: a question's words are
// read as they come, TyDi QA MRR@10 .6757 → .6751 with this on them), and
// how many articles each one-word synonym has, for a short query.
func (ix *Index) weighForms(ctx context.Context, q string, terms []string, short bool, syn *synonym.List, forms *queryForms) error {
	if !short {
		return nil
	}
	if !isQuestion(q) {
		var err error
		if forms.ordinary, err = ix.ordinaryWords(ctx, q); err != nil {
			return err
		}
	}
	forms.synonyms = syn.OneWordCounts(terms)
	for stem, w := range forms.acronyms() {
		if n, ok := forms.synonyms[stem]; ok {
			forms.synonyms[w] = n // termMap gives it the stem's
		}
	}
	return nil
}

// requestFilters are the request's filters: sources, tags, and the days
// of publication.
func requestFilters(r cari.Request) []query.Query {
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
	return filters
}

// filtered is q restricted to the articles that pass every filter.
func filtered(q query.Query, filters []query.Query) query.Query {
	if len(filters) == 0 {
		return q
	}
	b := query.NewBooleanQuery([]query.Query{q}, nil, nil)
	b.AddFilter(query.NewConjunctionQuery(filters))
	return b
}

// assemble puts the plan together from the words' clauses and the
// filters.
func (ix *Index) assemble(ctx context.Context, kw keywords, filters []query.Query) (queryPlan, error) {
	p := queryPlan{marks: kw.text, unknown: kw.unknown, withSynonyms: kw.withSynonyms, units: kw.x.Units, forms: kw.forms}
	text := kw.text
	if len(kw.should) > 0 {
		text = query.NewBooleanQuery([]query.Query{kw.text}, kw.should, nil)
	}
	p.ranked = filtered(text, filters)
	if kw.everyWord == nil {
		return p, nil
	}
	// Keywords: the articles that hold every one, those whose titles
	// hold every one first. Should none hold them all, any of them, the
	// articles with most of them first.
	var first []query.Query
	if kw.titleFirst != nil {
		first = []query.Query{kw.titleFirst}
	}
	p.proximity = kw.phraseWords
	// Where few articles hold them all, the rest follow: every article
	// holding any, those with every one scoring more. The words, without
	// the phrase and all-words clauses text adds: everyWord ranks first
	// the articles that hold every word, and the phrase reorders the top
	// (rerank).
	must := []query.Query{kw.text}
	lead, err := ix.uncommonUnits(ctx, kw.x.Units, kw.unknown, kw.forms)
	if err != nil {
		return p, err
	}
	if lead != nil {
		must = append(must, lead)
	}
	p.wide = filtered(query.NewBooleanQuery(must, append([]query.Query{kw.everyWord}, first...), nil), filters)
	p.wideMarks = p.marks
	// What the hits matched is every unit: to mark it, no fuzzy search
	// for near spellings is needed, only the closest.
	p.ranked, p.marks = filtered(query.NewBooleanQuery([]query.Query{kw.everyWord}, first, nil), filters), kw.everyWord
	return p, nil
}

// WideBelow is the number of articles holding every keyword below which
// the articles holding only some of them are found too, after those
// that hold all. A keyword the article lacks, or words of a headline
// half remembered, then cost the article its rank but not its place in
// the results (Recall@100 .838 → .949 on the known-item set). Above it,
// a reader has more than enough articles that hold every word, and a
// search stays as cheap as its rarest word: the articles holding any
// common word of several are most of an archive, and scoring and
// counting them all took the latency benchmark's median from 1.4 to
// 3.5 ms and its 99th percentile from 11 to 31 ms.
const WideBelow = 100

// CommonShare is the share of the articles above which a keyword is
// common: an article that holds only common keywords of a query is not
// found by the wide search (WideBelow). Leaving them out took the
// latency benchmark's mean from 2.96 to 2.57 ms and its 99th percentile
// from 11.8 to 9.4 ms, for the same nDCG@10 on the judged keyword set
// (.8465) and a Recall@100 of .9188 against .9230.
const CommonShare = 0.05

// commonMin is the fewest articles a common keyword is in: a thousand
// articles are scored in a few milliseconds, and in a small archive a
// share would call most words common.
const commonMin = 1000

// uncommonUnits matches, scoring nothing, the articles that hold a
// keyword of units that is not common (CommonShare), or the rarest where
// all are. Joined to the words of a wide search, it leads it: the wide
// search then reads the few articles holding an uncommon word, and skips
// the many that hold only common ones, at the bottom of its ranking
// anyway (a word in most articles weighs next to nothing in BM25).
func (ix *Index) uncommonUnits(ctx context.Context, units []synonym.Unit, unknown []unknownWord, forms queryForms) (query.Query, error) {
	n, err := ix.Count()
	if err != nil {
		return nil, err
	}
	reader, err := ix.countingReader()
	if err != nil {
		return nil, fmt.Errorf("keyword counts: %w", err)
	}
	defer reader.Close()
	limit := max(uint64(CommonShare*float64(n)), commonMin)
	var uncommon []query.Query
	var rarest query.Query
	rarestDocs := uint64(math.MaxUint64)
	for _, u := range units {
		clause := unitClauses([]synonym.Unit{u}, unknown, forms, 0, true)
		if len(clause) == 0 {
			continue
		}
		docs := uint64(math.MaxUint64)
		for _, t := range u.Terms {
			t, _ = knownTerm(t, unknown)
			d, err := termDocs(ctx, reader, FieldBody, t)
			if err != nil {
				return nil, err
			}
			docs = min(docs, d)
		}
		if len(u.Others) > 0 {
			docs = math.MaxUint64 - 1 // other forms: no count says how many
		}
		if docs <= limit {
			uncommon = append(uncommon, clause[0])
		}
		if docs < rarestDocs || rarest == nil {
			rarest, rarestDocs = clause[0], docs
		}
	}
	switch {
	case len(uncommon) == len(units):
		return nil, nil // the words themselves are the lead
	case len(uncommon) > 0:
		return query.NewDisjunctionQuery(uncommon), nil
	}
	return rarest, nil
}

// queryPlan is a request made into bleve queries.
//
// Keywords (a query of up to AllWordsMax units that is not a question)
// find the articles that hold every unit. That is what people mean by a
// few words typed into a news search, and what makes the total and the
// facets say something ("pemilu 2019": 613 articles that hold both, or
// "pemilihan umum" and 2019, not the 15,798 that hold either). It is also
// what keeps such a search fast: bleve scores, counts and reads facet
// values for every match, and the articles that hold one common word of
// several are most of an archive. Questions keep any
// of their words: an answer seldom repeats its question. On the question
// sets the figures are those of the any-word search: requiring every word
// of the short questions took TyDi QA's Recall@100 from .960 to .853.
type queryPlan struct {
	// ranked finds and scores the hits: for keywords, the articles that
	// hold every unit, those whose titles hold every one first.
	ranked query.Query
	// proximity, when set, is the phrase of keywords (phraseTerms),
	// which reorders the top of their ranking (rerank).
	proximity [][]string
	// wide, when set, is searched when ranked finds fewer than
	// WideBelow articles: any of the words, those that hold every one
	// first.
	wide query.Query
	// marks is the part of ranked that says which words to mark,
	// without the clauses that only reweigh the same words; wideMarks
	// is that of wide.
	marks, wideMarks query.Query
	unknown          []unknownWord
	withSynonyms     bool
	// units and forms are the query's words as the clauses read them.
	units []synonym.Unit
	forms queryForms
}

// phraseClause ranks higher the articles that hold phrase (phraseTerms)
// in title or body (PhraseBoost). On queries of up to AllWordsMax words, where the all-words clause already counts, it lifted
// MRR@10 from .6737 to .6756 on TyDi QA and from .8155 to .8159 on FacQA.
//
// Where the index keeps written forms, a word stands in the phrase as
// typed: "pemilihan presiden" is an election, "dipilih presiden" is not
// that phrase, though each word of it matches a form of the query's.
func phraseClause(phrase [][]string) query.Query {
	q := query.NewMultiPhraseQuery(phrase, "")
	q.SetBoost(PhraseBoost)
	return overTextFields(q)
}

// phraseTerms are the terms that may stand at each position of the phrase
// of text, counted from its first word: a word's written form alone
// where the index keeps it, else its stem; none where a stop word stood.
func (ix *Index) phraseTerms(text string) [][]string {
	an := ix.rawTextAnalyzer()
	if an == nil {
		return nil
	}
	toks := an.Analyze([]byte(text))
	if len(toks) == 0 {
		return nil
	}
	first := toks[0].Position
	phrase := make([][]string, toks[len(toks)-1].Position-first+1)
	for _, t := range toks {
		at := &phrase[t.Position-first]
		if analyzer.IsExact(t.Term) {
			*at = (*at)[:0] // the written form alone
		}
		if len(*at) == 0 || !analyzer.IsExact([]byte((*at)[0])) {
			*at = append(*at, string(t.Term))
		}
	}
	return phrase
}

// titleHoldsAll ranks first, among the articles that hold every keyword,
// those whose titles hold every one too, in any order (PhraseBoost): the
// article titled "Harga Emas Antam Naik" for `harga emas`. A misspelt word
// counts as its closest known word; other forms of a word do not count
// here.
//
// It was a phrase in the titles once. bleve finds a phrase by reading the
// positions of its words in every title that holds them all; the same
// words in any order cost no positions, and the mean search of the
// latency benchmark takes 2-3% less time (searches alternating between
// the two, three runs), its four slowest queries 3%. On the question sets
// with their question words taken out, a stand-in for keywords (each
// passage's first sentence as its title), MRR@10 was .7809 with the title
// phrase, .7807 with every word in the title and .7806 with neither on
// FacQA; .5904, .5915 and .5895 on TyDi QA. Before that the phrase was
// sought in bodies too: a third of the time of a keyword search, for
// .7801 against .7798.
func titleHoldsAll(units []synonym.Unit, unknown []unknownWord, forms queryForms) query.Query {
	var each []query.Query
	for _, u := range units {
		for _, typed := range u.Terms {
			t, ok := knownTerm(typed, unknown)
			if !ok {
				continue // as in unitClauses: it holds nothing back
			}
			if w, ok := forms.written[t]; ok && analyzer.IsAcronym([]byte(w)) {
				q := query.NewTermQuery(w) // the acronym, not the word
				q.SetField(FieldTitle)
				q.SetBoost(forms.weight(t))
				each = append(each, q)
				continue
			}
			q := forms.term(t, FieldTitle, forms.weight(t))
			if w, ok := forms.written[t]; ok && t == typed {
				// The word as typed counts in full, another form
				// of it half (ExactBoost).
				exact := query.NewTermQuery(w)
				exact.SetField(FieldTitle)
				exact.SetBoost(ExactBoost)
				each = append(each, query.NewDisjunctionQuery([]query.Query{exact, q}))
				continue
			}
			each = append(each, q)
		}
	}
	if len(each) < 2 {
		return nil // one word in the title already scores by itself
	}
	all := query.NewConjunctionQuery(each)
	all.SetBoost(PhraseBoost)
	return all
}

// AllWordsBoost weighs the clause that every word of a short query
// matches, so that articles holding all the words rank above those that
// hold some, however often. Measured with the final query (phrase clause
// included), boosts 0.5, 1 and 2 gave MRR@10 .8154, .8158, .8159 on FacQA
// and .6748, .6751, .6750 on TyDi QA.
const AllWordsBoost = 1.0

// AllWordsMax is the most words (a name counting as one) a query may have
// for AllWordsBoost, for several-word synonyms and, unless it is a
// question, to find only the articles that hold every word: what people
// type into a search box. A longer query is a question or a passage, whose
// words an article seldom holds all of; there BM25 and the share of words
// matched decide.
const AllWordsMax = 4

// allWords is a clause that matches the articles that hold every unit of
// the query: each word, or a synonym of it, in title or body; a name
// ("Amerika Serikat") as its words or another of its forms; a misspelt
// word as the word the index knows nearest to it. It is nil for a query
// of fewer than two units or more than AllWordsMax.
func allWords(units []synonym.Unit, unknown []unknownWord, forms queryForms) query.Query {
	if len(units) < 2 || len(units) > AllWordsMax {
		return nil
	}
	each := unitClauses(units, unknown, forms, AllWordsBoost, false)
	if len(each) < 2 {
		return nil
	}
	return query.NewConjunctionQuery(each)
}

// everyUnit is allWords for keywords: it also reaches the several-word
// forms of a single word (KPK → "Komisi Pemberantasan Korupsi"), since
// it decides what is found, and each word weighs boost. It is nil for a
// query of one word or of more than AllWordsMax units: there it would find
// what the words do.
func everyUnit(units []synonym.Unit, unknown []unknownWord, forms queryForms, boost float64) query.Query {
	if len(units) == 0 || len(units) > AllWordsMax || len(units) == 1 && len(units[0].Terms) == 1 {
		return nil
	}
	each := unitClauses(units, unknown, forms, boost, true)
	switch len(each) {
	case 0:
		return nil
	case 1:
		return each[0]
	}
	return query.NewConjunctionQuery(each)
}

// unitClauses has a clause for each unit that matches the articles holding
// it: a name as all its words or another of its forms, a word as itself
// (and, with wordForms, its several-word forms), a misspelt word as the
// closest known word; a misspelt word with none near it has no clause.
// Each word weighs boost. A word the index keeps as written beside its
// stem matches either, its written form weighing more (see ExactBoost).
func unitClauses(units []synonym.Unit, unknown []unknownWord, forms queryForms, boost float64, wordForms bool) []query.Query {
	termOf := forms.overTextFields
	term := func(t string) query.Query {
		stem := termOf(t, boost*forms.weight(t))
		if w, ok := forms.written[t]; ok && analyzer.IsAcronym([]byte(w)) {
			return termOf(w, boost*forms.weight(t)) // the acronym, not the word
		} else if ok {
			return query.NewDisjunctionQuery([]query.Query{termOf(w, boost*ExactBoost), stem})
		}
		return stem
	}
	var each []query.Query
	for _, u := range units {
		var own query.Query
		if len(u.Terms) > 1 {
			var words []query.Query
			for _, t := range u.Terms {
				words = append(words, term(t))
			}
			own = query.NewConjunctionQuery(words)
		} else {
			t, ok := knownTerm(u.Terms[0], unknown)
			if !ok {
				continue // nothing near it: it cannot hold the clause back
			}
			switch {
			case t == u.Terms[0]:
				own = term(t)
			case searchedBoth(u.Terms[0], unknown):
				own = query.NewDisjunctionQuery([]query.Query{term(u.Terms[0]), termOf(t, boost)})
			default:
				own = termOf(t, boost) // the closest word, not the typed one
			}
		}
		if len(u.Others) == 0 || len(u.Terms) == 1 && !wordForms {
			each = append(each, own)
			continue
		}
		each = append(each, query.NewDisjunctionQuery(append([]query.Query{own}, u.Others...)))
	}
	return each
}

// knownTerm is the term a query word is searched by: the word itself,
// or, for a word the index does not know, the closest known word; ok is
// false for an unknown word with none near it.
func knownTerm(t string, unknown []unknownWord) (term string, ok bool) {
	i := slices.IndexFunc(unknown, func(w unknownWord) bool { return w.term == t })
	if i < 0 {
		return t, true
	}
	return unknown[i].closestTerm, unknown[i].closest != ""
}

// setAnalyzer makes the match and phrase queries on field in q analyze
// their text with analyzer.
func setAnalyzer(q query.Query, field, analyzer string) {
	switch v := q.(type) {
	case *query.MatchQuery:
		if v.Field() == field && v.Analyzer == "" {
			v.Analyzer = analyzer
		}
	case *query.MatchPhraseQuery:
		if v.Field() == field && v.Analyzer == "" {
			v.Analyzer = analyzer
		}
	case *query.BooleanQuery:
		for _, part := range []query.Query{v.Must, v.Should, v.MustNot, v.Filter} {
			if part != nil {
				setAnalyzer(part, field, analyzer)
			}
		}
	case *query.ConjunctionQuery:
		for _, c := range v.Conjuncts {
			setAnalyzer(c, field, analyzer)
		}
	case *query.DisjunctionQuery:
		for _, c := range v.Disjuncts {
			setAnalyzer(c, field, analyzer)
		}
	}
}

// queryForms is what the words of a query are matched by besides their
// stems.
type queryForms struct {
	// written maps a stem to the written form of the query word it
	// comes from, where the index keeps both (writtenForms).
	written map[string]string
	// synonyms maps a term to the number of one-word synonyms bleve's
	// synonym search adds to it (Synonyms.termMap).
	synonyms map[string]int
	// ordinary maps the term of each query word that means a word, not
	// the acronym written with its letters, to that acronym's written
	// form ("bin" → "=BIN"; ordinaryWords).
	ordinary map[string]string
}

// term is the query for term t in field, weighing boost. For a word
// that is not the acronym of its letters (ordinary), the articles whose
// field holds t only as that acronym are left out: in an article that
// writes "bin" and "BIN", both are t, so only an article holding the
// acronym and never the word is lost, a field at a time.
func (f queryForms) term(t, field string, boost float64) query.Query {
	q := query.NewTermQuery(t)
	q.SetField(field)
	q.SetBoost(boost)
	acronym, ok := f.ordinary[t]
	if !ok {
		return q
	}
	not := query.NewTermQuery(acronym)
	not.SetField(field)
	return query.NewBooleanQuery([]query.Query{q}, nil, []query.Query{not})
}

// overTextFields is term t over title and body, the title's boost
// TitleBoost times boost.
func (f queryForms) overTextFields(t string, boost float64) query.Query {
	return query.NewDisjunctionQuery([]query.Query{f.term(t, FieldTitle, boost*TitleBoost), f.term(t, FieldBody, boost)})
}

// weight is the boost that makes up for the share bleve's synonym search
// keeps of the score of an article holding a word and none of its n
// synonyms: it searches them as a disjunction, which scales a score by the
// share of its clauses that match, 1/(1+n) (NewSynonymSearcher). Without
// it, an article with the word typed scores less than one with another
// name for it, and a word with synonyms less than its IDF says.
func (f queryForms) weight(term string) float64 {
	return float64(1 + f.synonyms[term])
}

// acronyms maps the stem of each query word typed as an acronym to its
// written form ("as" → "=AS").
func (f queryForms) acronyms() map[string]string {
	var out map[string]string
	for stem, w := range f.written {
		if analyzer.IsAcronym([]byte(w)) {
			if out == nil {
				out = map[string]string{}
			}
			out[stem] = w
		}
	}
	return out
}

// ordinaryWords finds the words of text, typed in lower or mixed case,
// whose letters the index also holds as an acronym (Acronym), and that
// mean the word: those its articles hold more often as a word than as
// the acronym, where the acronym is no mere word in capitals
// (shoutedShare). It maps the term of each to the acronym's written form
// ("bin", a patronymic in more articles than BIN the agency: "bin" →
// "=BIN"), so that it is searched without the acronym (queryForms.term),
// as an acronym typed in capitals is searched without the word. A word
// that its articles hold mostly as the acronym is taken for it: people
// type kpk and pan for KPK and PAN.
//
// Branchy because each word passes a short run of tests (an acronym's
// form, its counts as word and as acronym) that belong together.
func (ix *Index) ordinaryWords(ctx context.Context, text string) (map[string]string, error) {
	an := ix.rawTextAnalyzer()
	if an == nil {
		return nil, nil
	}
	var out map[string]string
	var reader bleveindex.IndexReader
	defer func() {
		if reader != nil {
			reader.Close()
		}
	}()
	for _, t := range an.Analyze([]byte(text)) {
		typed := []byte(text[t.Start:t.End])
		if analyzer.IsExact(t.Term) || t.Type == analyzer.Acronym || !bytes.EqualFold(typed, t.Term) {
			continue
		}
		acronym := append([]byte(analyzer.ExactPrefix), bytes.ToUpper(t.Term)...)
		if !analyzer.IsAcronym(acronym) || len(t.Term) < 2 || len(t.Term) > 5 {
			continue
		}
		if reader == nil {
			var err error
			if reader, err = ix.countingReader(); err != nil {
				return nil, fmt.Errorf("acronyms: %w", err)
			}
		}
		asAcronym, err := termDocs(ctx, reader, FieldBody, string(acronym))
		if err != nil {
			return out, err
		}
		if asAcronym == 0 {
			continue
		}
		all, err := termDocs(ctx, reader, FieldBody, string(t.Term))
		if err != nil {
			return out, err
		}
		// An article holding both counts for the acronym: the articles
		// holding the word are at least all - asAcronym.
		if all-asAcronym >= asAcronym && float64(asAcronym) >= shoutedShare*float64(all) {
			if out == nil {
				out = map[string]string{}
			}
			out[string(t.Term)] = string(acronym)
		}
	}
	return out, nil
}

// shoutedShare is the share of the articles holding a word below which
// those that write its letters in capitals write the word itself, in a
// headline or a name set in capitals ("WALI KOTA MEDAN", "AHOK"), not an
// acronym that means something else; ordinaryWords leaves them in. On
// the news corpus, the words written so have shares of at most .024
// (ahok .024, medan .008, kota .001), the acronyms that are also words
// .15 (bin) and above (.79 psi, .82 pan, .96 as).
const shoutedShare = 0.05

// ExactBoost weighs a query word's written form against its stem, where
// the index keeps both. Both clauses match an article holding the word as
// written, and bleve scales a disjunction by the share of its clauses that
// match, so an article holding only other forms of the root scores its
// stem's weight halved.
const ExactBoost = 1.0

// writtenForms maps each stem of text to the written form of the query
// word it comes from, for an index whose analyzer keeps written forms
// beside stems (analyzer.StemFilter.Exact); it is nil for other indexes.
// A stem two query words share keeps the first word's form.
func (ix *Index) writtenForms(text string) map[string]string {
	an := ix.rawTextAnalyzer()
	if an == nil {
		return nil
	}
	var written map[string]string
	toks := an.Analyze([]byte(text))
	for i, t := range toks {
		if !analyzer.IsExact(t.Term) || i == 0 || toks[i-1].Position != t.Position {
			continue
		}
		if written == nil {
			written = map[string]string{}
		}
		if _, seen := written[string(toks[i-1].Term)]; !seen {
			written[string(toks[i-1].Term)] = string(t.Term)
		}
	}
	return written
}

// queryTerms is text analyzed like the index's text.
func (ix *Index) queryTerms(text string) []string {
	an := ix.textAnalyzer()
	if an == nil {
		return nil
	}
	var terms []string
	for _, t := range an.Analyze([]byte(text)) {
		terms = append(terms, string(t.Term))
	}
	return terms
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

// matchStems matches the words of text by their stems in title and body,
// any of them, scored by BM25, as a match query over both fields would
// (overTextFields). The written forms an index keeps beside stems are
// left out of it, as they are of every clause that says what matches;
// the clauses that only reweigh call on them (writtenForms). Titles are
// read as bodies are, without stop words, where dropStops says the query
// holds other words (see search). Each word weighs forms.weight.
func (ix *Index) matchStems(text string, dropStops bool, forms queryForms) query.Query {
	m := ix.mapping()
	var fields []query.Query
	for _, f := range []struct {
		name  string
		boost float64
	}{{FieldTitle, TitleBoost}, {FieldBody, 1}} {
		read := f.name
		if dropStops {
			read = FieldBody
		}
		an := m.AnalyzerNamed(m.AnalyzerNameForPath(read))
		if an == nil {
			continue
		}
		var words []query.Query
		for _, t := range stemsOrAcronyms(an.Analyze([]byte(text))) {
			words = append(words, forms.term(t, f.name, f.boost*forms.weight(t)))
		}
		if len(words) == 0 {
			continue
		}
		any := query.NewDisjunctionQuery(words)
		any.SetBoost(f.boost)
		fields = append(fields, any)
	}
	if len(fields) == 0 {
		return query.NewMatchNoneQuery()
	}
	return query.NewDisjunctionQuery(fields)
}

// stemsOrAcronyms are the terms of an analyzed query that say what it
// matches: the stem of each word, or, for a word typed as an acronym
// ("AS"), its written form ("=AS"), which an article holds only where it
// writes the acronym, not the word "as".
func stemsOrAcronyms(toks analysis.TokenStream) []string {
	acronymAt := map[int]bool{}
	for _, t := range toks {
		if analyzer.IsAcronym(t.Term) {
			acronymAt[t.Position] = true
		}
	}
	var out []string
	for _, t := range toks {
		if analyzer.IsAcronym(t.Term) || !analyzer.IsExact(t.Term) && !acronymAt[t.Position] {
			out = append(out, string(t.Term))
		}
	}
	return out
}

// overTextFields searches a field-less query in title and body, the
// title's boost TitleBoost times the query's own.
func overTextFields(q query.FieldableQuery) query.Query {
	inTitle := cloneFieldable(q)
	inTitle.SetField(FieldTitle)
	inTitle.(query.BoostableQuery).SetBoost(q.(query.BoostableQuery).Boost() * TitleBoost)
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
	case *query.MultiPhraseQuery:
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
//
// Branchy because it is a switch over bleve's query types, one case each.
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
			return nil, fmt.Errorf("%w: invalid regular expression /%s/: %v", cari.ErrBadRequest, v.Regexp, err)
		}
	case *query.MatchQuery:
		if v.Fuzziness > 2 {
			return nil, fmt.Errorf("%w: fuzziness %d is more than the maximum of 2", cari.ErrBadRequest, v.Fuzziness)
		}
	}
	if b, ok := q.(query.BoostableQuery); ok && b.Boost() <= 0 {
		// A zero boost makes BM25 divide by zero.
		return nil, fmt.Errorf("%w: boost must be more than 0, not %g", cari.ErrBadRequest, b.Boost())
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

// addFacets asks for the sources, tags and publication months of the
// hits; the years are summed from the months (see yearsAndMonths). Each
// facet field costs a doc-value read for every hit, the largest part of a
// search that matches many articles, so an index that has fieldFacets
// (source, tags and month in one field) counts all three in one read and
// one facet, split afterwards (splitFacets).
func (ix *Index) addFacets(req *bleve.SearchRequest) {
	for _, f := range []string{fieldFacets, fieldFacetsCompressed} {
		if ix.hasField(f) {
			req.AddFacet(fieldFacets, bleve.NewFacetRequest(f, allFacetValues))
			return
		}
	}
	req.AddFacet(FieldSource, bleve.NewFacetRequest(FieldSource, shownValues))
	req.AddFacet(FieldTags, bleve.NewFacetRequest(FieldTags, shownValues))
	req.AddFacet(cari.FacetMonth, bleve.NewFacetRequest(fieldMonth, allMonths))
}

// hasField reports whether the index's mapping has field: indexes made by
// older versions lack some.
func (ix *Index) hasField(field string) bool {
	if m, ok := ix.mapping().(*mapping.IndexMappingImpl); ok && m.DefaultMapping != nil {
		_, ok := m.DefaultMapping.Properties[field]
		return ok
	}
	return false
}

// shownValues is how many sources and tags a facet shows.
const shownValues = 10

// allFacetValues is more values than the combined facet can hold: every
// one is counted (bleve counts them all anyway and sorts them before
// cutting), so each part is exact.
const allFacetValues = 1 << 30

// allMonths is more months than any archive holds (two centuries), so the
// month facet counts every month and the years summed from it are exact.
const allMonths = 2400

// shownMonths is how many months the month facet returns: those with most
// hits, newest first.
const shownMonths = 24

func facetValues(fr *search.FacetResult) []cari.Facet {
	out := []cari.Facet{}
	if fr != nil && fr.Terms != nil {
		for _, t := range fr.Terms.Terms() {
			out = append(out, cari.Facet{Value: t.Term, Count: t.Count})
		}
	}
	return out
}

// yearsAndMonths turns the counts of every month ("2023-08") into the
// years facet and the shownMonths months with most hits, both newest
// first.
func yearsAndMonths(months []cari.Facet) (years, top []cari.Facet) {
	byYear := map[string]int{}
	for _, m := range months {
		if len(m.Value) >= 4 {
			byYear[m.Value[:4]] += m.Count
		}
	}
	years = []cari.Facet{}
	for y, n := range byYear {
		years = append(years, cari.Facet{Value: y, Count: n})
	}
	newestFirst := func(f []cari.Facet) {
		sort.Slice(f, func(i, j int) bool { return f[i].Value > f[j].Value })
	}
	newestFirst(years)
	// Terms come most hits first.
	top = months[:min(len(months), shownMonths)]
	newestFirst(top)
	return years, top
}

// bareWords reports whether a parsed query is words and nothing more: no
// field, operator, phrase, boost or fuzziness ("multipolar (dunia" parses
// as the words "multipolar" and "(dunia").
func bareWords(q query.Query) bool {
	b, ok := q.(*query.BooleanQuery)
	if !ok || b.Must != nil || b.MustNot != nil || b.Filter != nil || b.Should == nil {
		return false
	}
	d, ok := b.Should.(*query.DisjunctionQuery)
	if !ok {
		return false
	}
	for _, c := range d.Disjuncts {
		m, ok := c.(*query.MatchQuery)
		if !ok || m.Field() != "" || m.Fuzziness != 0 || m.Boost() != 1 || m.Operator != query.MatchQueryOperatorOr {
			return false
		}
	}
	return true
}

// isQuestion reports whether text asks a question: it ends with a
// question mark or holds a question word ("siapa", "kapan", "di mana",
// "berapakah").
func isQuestion(text string) bool {
	if strings.HasSuffix(strings.TrimSpace(text), "?") {
		return true
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if lexicon.IsQuestionWord(w) {
			return true
		}
	}
	return false
}

// hasSyntax reports whether a query is more than plain words: it holds
// one of syntaxChars, or a word that begins with + or - (a hyphen inside a
// word, as in Bangsa-Bangsa, is part of the word).
func hasSyntax(q string) bool {
	// A question mark that ends the query ends a question.
	q = strings.TrimRight(q, "? ")
	if strings.ContainsAny(q, syntaxChars) {
		return true
	}
	for _, w := range strings.Fields(q) {
		if w[0] == '+' || w[0] == '-' {
			return true
		}
	}
	return false
}

// syntaxChars are the characters that make a query more than plain words
// wherever they stand.
const syntaxChars = `"':*?~/()^\`

func badRequest(format string, args ...interface{}) error {
	return fmt.Errorf("%w: %s", cari.ErrBadRequest, fmt.Sprintf(format, args...))
}
