package index

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/carisearch/cari/analyzer"
	"github.com/carisearch/cari/index/synonym"
)

// Typo tolerance. A query word whose analyzed form the index has never
// seen is probably misspelt ("multipolr"); it is matched fuzzily, within
// one edit for words of five letters or more and two from nine, and the
// result suggests the closest words the index does know. Words the index
// knows are never made fuzzy, so exact matches keep their rank.

// fuzzinessFor is the edit distance allowed for an unknown term.
func fuzzinessFor(term string) int {
	switch n := len([]rune(term)); {
	case n > maxTypoRunes:
		// No word of a language; and bleve refuses the automaton of a
		// fuzzy match this long.
		return 0
	case n >= 9:
		return 2
	case n >= 5:
		return 1
	}
	return 0
}

// maxTypoRunes is the longest word matched fuzzily.
const maxTypoRunes = 40

// unknownWord is a query word the index does not know, with its analyzed
// term and the index's closest known term, if any.
type unknownWord struct {
	word, term string
	// closest is the word to suggest, as written; closestTerm is it
	// analyzed, as the index holds it.
	closest, closestTerm string
	// both, for a known word that looks like a typo of another
	// (typoWords), searches the word as typed as well as closest.
	both bool
}

// searchedBoth reports whether term is a known word searched together
// with its correction.
func searchedBoth(term string, unknown []unknownWord) bool {
	i := slices.IndexFunc(unknown, func(w unknownWord) bool { return w.term == term })
	return i >= 0 && unknown[i].both
}

// unknownWords analyzes each word of text and returns those whose term is
// in neither the title nor the body dictionary of any shard, and those
// that look like a misspelling the corpus itself holds: a word in at most
// rareDocs articles with a neighbour, within the same edits, in many more
// (a corpus of news holds "pertahnan" once, beside "pertahanan" in
// thousands), when suspectRare. A rare word with no such neighbour, a
// name say, stays known.
func (ix *Index) unknownWords(ctx context.Context, text string, suspectRare bool) ([]unknownWord, error) {
	an := ix.textAnalyzer()
	if an == nil {
		return nil, nil
	}
	dicts, err := ix.openDictionaries()
	if dicts == nil || err != nil {
		return nil, err
	}
	defer dicts.close()
	var out []unknownWord
	for _, w := range strings.Fields(text) {
		tokens := an.Analyze([]byte(w))
		if len(tokens) != 1 || fuzzinessFor(string(tokens[0].Term)) == 0 {
			continue
		}
		u := unknownWord{word: w, term: string(tokens[0].Term)}
		known := dicts.contain(tokens[0].Term)
		if known && !suspectRare {
			continue
		}
		ok, err := ix.correct(ctx, dicts.readers[0], an, &u, known)
		if err != nil {
			return nil, fmt.Errorf("typo check: %w", err)
		}
		if ok {
			out = append(out, u)
		}
	}
	return out, nil
}

// writtenWord is a typed word as the body dictionary holds it as
// written: normalized by the tokenizer and, where the body analyzer folds
// spellings (analyzer.SpellingFilter), folded, so that Djarot is near
// what jarot is near. Completions (Suggest) take the prefix as typed: a
// part of a word is no word to fold.
func (ix *Index) writtenWord(w string) string {
	written := normalizeWord(ix.tokenizer(), w)
	m := ix.mapping()
	a, ok := m.AnalyzerNamed(m.AnalyzerNameForPath(FieldBody)).(*analysis.DefaultAnalyzer)
	if !ok {
		return written
	}
	for _, f := range a.TokenFilters {
		if sf, ok := f.(analyzer.SpellingFilter); ok {
			return sf.Spelling.Fold(written)
		}
	}
	return written
}

// correct finds the closest word of u, which the index holds (known) or
// not, and reports whether u is a typo to search by it: false when a
// known word has nothing to be corrected to.
//
// An index that keeps written forms beside stems holds the words as
// written, with their article counts, in its own dictionary, which
// autocomplete offers too: a misspelt affixed word ("kebakran") is near
// its written form ("kebakaran"). An older index holds only stems
// ("bakar"), and its dictionary of stems serves.
func (ix *Index) correct(ctx context.Context, r bleveindex.IndexReader, an analysis.Analyzer, u *unknownWord, known bool) (bool, error) {
	if keepsWrittenForms(ix.mapping()) {
		var err error
		if u.closest, err = writtenNeighbour(ctx, r, ix.writtenWord(u.word), u.term, known); err != nil {
			return false, err
		}
		return u.analyzeClosest(an, known), nil
	}
	if !known {
		var err error
		u.closest, err = closestTerm(ctx, r, u.term)
		u.closestTerm = u.closest
		return err == nil, err
	}
	n, err := termDocs(ctx, r, FieldBody, u.term)
	if err != nil || n > rareDocs {
		return false, err
	}
	if u.closest, err = frequentNeighbour(ctx, r, u.term, max(neighbourMin, neighbourRatio*n)); err != nil || u.closest == "" {
		return false, err
	}
	u.closestTerm = u.closest
	return true, nil
}

// analyzeClosest analyzes the written word found as closest, and reports
// whether u is still a typo: a known word with nothing closest is not.
func (u *unknownWord) analyzeClosest(an analysis.Analyzer, known bool) bool {
	if u.closest == "" {
		return !known
	}
	if t := an.Analyze([]byte(u.closest)); len(t) == 1 {
		u.closestTerm = string(t[0].Term)
	} else {
		u.closest = ""
	}
	return true
}

// dictionaries are the title and body dictionaries of every shard, on one
// snapshot each, for telling a known word from an unknown one.
type dictionaries struct {
	readers []bleveindex.IndexReader
	dicts   []bleveindex.FieldDictContains
}

// openDictionaries opens the dictionaries, or returns nil if the index
// cannot tell whether it holds a term.
func (ix *Index) openDictionaries() (*dictionaries, error) {
	d := &dictionaries{}
	for _, b := range ix.shards {
		adv, err := b.Advanced()
		if err != nil {
			d.close()
			return nil, fmt.Errorf("typo check: %w", err)
		}
		reader, err := adv.Reader()
		if err != nil {
			d.close()
			return nil, fmt.Errorf("typo check: %w", err)
		}
		d.readers = append(d.readers, reader)
		contains, ok := reader.(bleveindex.IndexReaderContains)
		if !ok {
			d.close()
			return nil, nil
		}
		for _, f := range []string{FieldTitle, FieldBody} {
			fd, err := contains.FieldDictContains(f)
			if err != nil {
				d.close()
				return nil, fmt.Errorf("typo check: %w", err)
			}
			d.dicts = append(d.dicts, fd)
		}
	}
	return d, nil
}

func (d *dictionaries) contain(term []byte) bool {
	for _, fd := range d.dicts {
		if ok, err := fd.Contains(term); err == nil && ok {
			return true
		}
	}
	return false
}

func (d *dictionaries) close() {
	for _, r := range d.readers {
		_ = r.Close()
	}
}

// A known word in at most rareDocs articles is suspect when a word within
// its edit distance is in neighbourRatio times as many, and at least
// neighbourMin.
const (
	rareDocs       = 2
	neighbourRatio = 50
	neighbourMin   = 20
)

// countingReader is a reader of the first shard, which counts a term's
// articles in every shard (shards.go). The caller closes it.
func (ix *Index) countingReader() (bleveindex.IndexReader, error) {
	adv, err := ix.shards[0].Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}

// termDocs is how many articles hold term in field, over every shard (a
// shard's reader counts them all when asked for frequencies, shards.go).
func termDocs(ctx context.Context, r bleveindex.IndexReader, field, term string) (uint64, error) {
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, true, false, false)
	if err != nil {
		return 0, fmt.Errorf("articles holding %q in %s: %w", term, field, err)
	}
	defer tfr.Close()
	return tfr.Count(), nil
}

// neighbours are the body terms within term's edit distance, with their
// edits and how many articles hold each. bleve's fuzzy dictionary does
// not count documents (its counts are 0), so each is counted; one shard's
// reader sees every shard's terms and counts (shards.go).
func neighbours(ctx context.Context, r bleveindex.IndexReader, term string) (map[string]neighbour, error) {
	return neighboursWith(ctx, r, term, fuzzinessFor(term), "")
}

// neighboursWith are the body terms within fuzziness edits of term that
// begin with prefix, and, for no prefix, do not begin with
// analyzer.ExactPrefix, with their edits and article counts.
func neighboursWith(ctx context.Context, r bleveindex.IndexReader, term string, fuzziness int, prefix string) (map[string]neighbour, error) {
	fz, ok := r.(bleveindex.IndexReaderFuzzy)
	if !ok || fuzziness == 0 {
		return nil, nil
	}
	dict, err := fz.FieldDictFuzzy(FieldBody, term, fuzziness, prefix)
	if err != nil {
		return nil, err
	}
	defer dict.Close()
	out := map[string]neighbour{}
	for {
		e, err := dict.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		if prefix == "" && analyzer.IsExact([]byte(e.Term)) {
			continue
		}
		out[e.Term] = neighbour{edits: e.EditDistance}
	}
	for t, n := range out {
		if n.docs, err = termDocs(ctx, r, FieldBody, t); err != nil {
			return nil, err
		}
		out[t] = n
	}
	return out, nil
}

type neighbour struct {
	edits uint8
	docs  uint64
}

// closestTerm is the body term nearest to term: fewest edits, then most
// articles, then the first in byte order, so that the answer does not
// depend on how articles are sharded.
func closestTerm(ctx context.Context, r bleveindex.IndexReader, term string) (string, error) {
	near, err := neighbours(ctx, r, term)
	if err != nil {
		return "", err
	}
	best, bestEdits, bestDocs := "", uint8(255), uint64(0)
	for t, n := range near {
		if n.edits < bestEdits || n.edits == bestEdits && (n.docs > bestDocs || n.docs == bestDocs && t < best) {
			best, bestEdits, bestDocs = t, n.edits, n.docs
		}
	}
	return best, nil
}

// writtenNeighbour is the word to suggest for written, a query word as
// written whose stem is term, in an index that keeps written forms: of
// the words near it, as written ("=kebakaran") or as stems and words
// that keep their form, the nearest, then the one in most articles. A
// known word is suggested another only where it is rare (rareDocs) and
// the other far more frequent (neighbourRatio, neighbourMin), as
// frequentNeighbour does.
//
// Branchy because it ranks candidates by three keys in turn (forms kept,
// edits, articles) and applies the rare-word rule; the keys are the rule
// and read best together.
func writtenNeighbour(ctx context.Context, r bleveindex.IndexReader, written, term string, known bool) (string, error) {
	f := fuzzinessFor(written)
	if f == 0 {
		return "", nil
	}
	// A known word is most often common: counted first, it costs no
	// walk of the dictionary.
	var own uint64
	if known {
		var err error
		if own, err = termDocs(ctx, r, FieldBody, analyzer.ExactPrefix+written); err != nil {
			return "", err
		}
		if own == 0 {
			// Written as its stem: the stem's articles are the word's.
			if own, err = termDocs(ctx, r, FieldBody, term); err != nil {
				return "", err
			}
		}
		if own > rareDocs {
			return "", nil
		}
	}
	near, err := neighboursWith(ctx, r, written, f, "")
	if err != nil {
		return "", err
	}
	exact, err := neighboursWith(ctx, r, analyzer.ExactPrefix+written, f, analyzer.ExactPrefix)
	if err != nil {
		return "", err
	}
	for t, n := range exact {
		w := strings.TrimPrefix(t, analyzer.ExactPrefix)
		if m, ok := near[w]; !ok || m.edits > n.edits || m.docs < n.docs {
			near[w] = n
		}
	}
	delete(near, written)
	best, bestEdits, bestDocs := "", uint8(255), uint64(0)
	for w, n := range near {
		if known && n.docs < max(neighbourMin, neighbourRatio*own) {
			continue
		}
		if n.edits < bestEdits || n.edits == bestEdits && (n.docs > bestDocs || n.docs == bestDocs && w < best) {
			best, bestEdits, bestDocs = w, n.edits, n.docs
		}
	}
	return best, nil
}

// frequentNeighbour is the body term other than term, within its edit
// distance, in the most articles, if in at least min of them.
func frequentNeighbour(ctx context.Context, r bleveindex.IndexReader, term string, min uint64) (string, error) {
	near, err := neighbours(ctx, r, term)
	if err != nil {
		return "", err
	}
	best, bestDocs := "", uint64(0)
	for t, n := range near {
		if t != term && (n.docs > bestDocs || n.docs == bestDocs && t < best) {
			best, bestDocs = t, n.docs
		}
	}
	if bestDocs < min {
		return "", nil
	}
	return best, nil
}

// fuzzyClauses matches each unknown word fuzzily in title and body, and,
// with nearest, its closest known word besides: of all the near
// spellings, the articles with the word the index knows best ("banjir"
// for "banjr") rank first, not those with a rare name one edit away
// ("Banur"), which the rarity alone would put on top.
func fuzzyClauses(unknown []unknownWord, nearest bool) []query.Query {
	var out []query.Query
	for _, u := range unknown {
		if u.closest == "" {
			continue
		}
		if u.both {
			out = append(out, overTextFields(query.NewTermQuery(u.closestTerm)))
			continue
		}
		fuzzy := query.NewMatchQuery(u.word)
		fuzzy.SetFuzziness(fuzzinessFor(u.term))
		if !nearest {
			out = append(out, overTextFields(fuzzy))
			continue
		}
		closest := query.NewTermQuery(u.closestTerm)
		out = append(out, query.NewDisjunctionQuery([]query.Query{overTextFields(closest), overTextFields(fuzzy)}))
	}
	return out
}

// suggestion rewrites text with each unknown word replaced by the index's
// closest known word, or returns "" when there is nothing to suggest.
func suggestion(text string, unknown []unknownWord) string {
	words := strings.Fields(text)
	changed := false
	for _, u := range unknown {
		if u.closest == "" {
			continue
		}
		for i, w := range words {
			if w == u.word {
				words[i] = u.closest
				changed = true
			}
		}
	}
	if !changed {
		return ""
	}
	return strings.Join(words, " ")
}

// A known keyword is taken for a typo of a near word (typoWords) when the
// near word, with the query's other keywords, is in pairRatio times as
// many articles, and in at least pairMin.
const (
	pairRatio = 10
	pairMin   = 20
)

// typoWords finds the keywords of a query that are words but read as
// typos of another: "anis baswedan", where anis is a word (Anis Matta) and
// 3 articles hold both words, against the hundreds that hold "anies
// baswedan". The words around a keyword say which of its near words is
// meant, where no count of the word alone can. Each such word is searched
// as typed and as corrected, and the correction is suggested. allWords is
// the number of articles that hold every keyword as typed; the search is
// only worth it where that is few.
func (ix *Index) typoWords(ctx context.Context, text string, plan queryPlan, allWords uint64) ([]unknownWord, error) {
	if len(plan.units) < 2 {
		return nil, nil
	}
	an := ix.textAnalyzer()
	reader, err := ix.countingReader()
	if err != nil {
		return nil, fmt.Errorf("typo words: %w", err)
	}
	defer reader.Close()
	t := typoSearch{ix: ix, an: an, reader: reader, plan: plan, allWords: allWords}
	typed := typedTerms(an, text)
	var out []unknownWord
	for i, u := range plan.units {
		word, ok := typed[u.Terms[0]]
		if !ok {
			continue
		}
		written, ok := t.suspect(u, word)
		if !ok {
			continue
		}
		best, err := t.correction(ctx, i, u.Terms[0], written)
		if err != nil {
			return nil, err
		}
		if best != "" {
			toks := an.Analyze([]byte(best))
			out = append(out, unknownWord{word: word, term: u.Terms[0], closest: best, closestTerm: string(toks[0].Term), both: true})
		}
	}
	return out, nil
}

// typoSearch is one run of typoWords: the query, and the reader its
// keywords and their near words are counted in.
type typoSearch struct {
	ix       *Index
	an       analysis.Analyzer
	reader   bleveindex.IndexReader
	plan     queryPlan
	allWords uint64
}

// typedTerms maps the term of each word of text that is one term to the
// word as written.
func typedTerms(an analysis.Analyzer, text string) map[string]string {
	typed := map[string]string{} // term → the query word as written
	for _, w := range strings.Fields(text) {
		if toks := an.Analyze([]byte(w)); len(toks) == 1 {
			typed[string(toks[0].Term)] = w
		}
	}
	return typed
}

// suspect reports whether u, a unit of the query typed as word, is a
// keyword that may be a typo of a near word, and returns word normalized.
func (t *typoSearch) suspect(u synonym.Unit, word string) (string, bool) {
	if len(u.Terms) != 1 || len(u.Others) > 0 || t.plan.forms.synonyms[u.Terms[0]] > 0 ||
		slices.ContainsFunc(t.plan.unknown, func(w unknownWord) bool { return w.term == u.Terms[0] }) {
		return "", false
	}
	written := t.ix.writtenWord(word)
	if len([]rune(written)) < 4 || analyzer.IsAcronym([]byte(t.plan.forms.written[u.Terms[0]])) {
		return "", false
	}
	return written, true
}

// correction is the near word of written, the keyword of unit i with the
// term term, that the query's other keywords are in the most articles
// with, where enough; or "".
func (t *typoSearch) correction(ctx context.Context, i int, term, written string) (string, error) {
	own, err := termDocs(ctx, t.reader, FieldBody, term)
	if err != nil {
		return "", err
	}
	if own > commonMin {
		return "", nil // a word in so many articles is meant
	}
	near, err := neighboursWith(ctx, t.reader, written, max(1, fuzzinessFor(written)), "")
	if err != nil {
		return "", err
	}
	rest := append(slices.Clone(t.plan.units[:i]), t.plan.units[i+1:]...)
	others := unitClauses(rest, t.plan.unknown, t.plan.forms, 0, true)
	best, bestDocs := "", uint64(0)
	for n, nb := range near {
		// The pair cannot be in more articles than the word:
		// too rare a word is no correction, uncounted.
		if n == written || !t.enough(nb.docs) || nb.docs <= own {
			continue
		}
		docs, ok, err := t.pairDocs(ctx, n, others)
		if err != nil {
			return "", err
		}
		if ok && t.enough(docs) && (docs > bestDocs || docs == bestDocs && n < best) {
			best, bestDocs = n, docs
		}
	}
	return best, nil
}

// enough reports whether a near word, or its pair with the query's other
// keywords, in docs articles is in enough to be a correction.
func (t *typoSearch) enough(docs uint64) bool {
	return docs >= pairMin && docs >= pairRatio*max(t.allWords, 1)
}

// pairDocs counts the articles that hold the near word n with others, the
// clauses of the query's other keywords; false when n is not one term.
func (t *typoSearch) pairDocs(ctx context.Context, n string, others []query.Query) (uint64, bool, error) {
	toks := t.an.Analyze([]byte(n))
	if len(toks) != 1 {
		return 0, false, nil
	}
	q := query.NewConjunctionQuery(append([]query.Query{overTextFields(query.NewTermQuery(string(toks[0].Term)))}, others...))
	req := bleve.NewSearchRequestOptions(q, 0, 0, false)
	req.Score = "none"
	res, err := t.ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return 0, false, fmt.Errorf("typo words: %w", err)
	}
	return res.Total, true, nil
}
