package index

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/analyzer"
)

// Autocomplete. As someone types into the search box, Suggest offers two
// kinds of completion of the last word: words, the most frequent first,
// and the titles of articles that hold such a word.
//
// Everything comes from the index's own dictionaries, which bleve keeps
// up to date through writes, deletes and segment merges, so completions
// are there the moment an index opens, whatever its size, and the CLI and
// a server complete alike. (A vocabulary counted from every stored
// article at start, as cari first did, took 542 s and 2.3 GB at a
// million articles.)
//
// Words are the terms of the body dictionary with their article counts:
// the written forms the analyzer keeps beside stems ("=pertahanan",
// offered as "pertahanan", so that "pertah" reaches it though its stem is
// "tahan"), and the words indexed as written, stems included. The body
// holds no stop words, so none is offered. An index whose analyzer keeps
// no written forms offers its stems alone.
//
// After other words, the words that follow the previous one in titles
// come first ("kerja sa" → "kerja sama" before "kerja satu", though
// "satu" is the commoner word): fieldPairs indexes each title's pairs of
// adjacent words, and a prefix of its dictionary ("kerja sa") lists them.
// Titles only: the pairs of bodies, ten times as many, made indexing
// three times slower. A completion after other words carries no count:
// neither the word's articles nor the titles with the pair are what its
// search finds ("banjir jakarta" showed the 9,104 articles of "jakarta").
//
// Titles are found by a prefix query on the title field and by the stems
// of the word completions (which is how "pertah" finds "Kerja Sama
// Pertahanan"), ranked by BM25, and kept only when the title does have a
// word that starts with what was typed.

// Limits of Suggest.
const (
	// titlePrefixMin is the shortest prefix titles are looked for with:
	// one or two letters say too little to pick an article, and their
	// searches (prefix queries expanding to thousands of terms, stems of
	// the commonest words) cost ten times a longer prefix's.
	titlePrefixMin = 3
	// titleStems is how many of the word completions are searched in
	// titles by their stems.
	titleStems = 10
)

// Suggest completes the last word of q: words first (up to half of size,
// more when titles are few), then titles. Earlier words are kept as typed
// in word completions ("kerja sa" → "kerja sama") and must be in the
// titles offered. An empty q has no completions. size 0 means
// DefaultSuggestSize.
//
// Branchy because it checks the request (UTF-8, length, size) and then
// chooses between the pairs of titles and the body dictionary; each
// choice is a line or two.
func (ix *Index) Suggest(ctx context.Context, q string, size int) ([]cari.Completion, error) {
	if !utf8.ValidString(q) {
		return nil, badRequest("query is not valid UTF-8")
	}
	if len(q) > cari.MaxQueryBytes {
		return nil, badRequest("query is %d bytes long, at most %d", len(q), cari.MaxQueryBytes)
	}
	if size == 0 {
		size = cari.DefaultSuggestSize
	}
	if size < 1 || size > cari.MaxSuggestSize {
		return nil, badRequest("size must be between 1 and %d, not %d", cari.MaxSuggestSize, size)
	}
	out := []cari.Completion{}
	words := strings.Fields(q)
	if len(words) == 0 {
		return out, nil
	}
	head := strings.Join(words[:len(words)-1], " ")
	tok := ix.tokenizer()
	prefix := normalizeWord(tok, words[len(words)-1])
	if prefix == "" {
		return out, nil // punctuation: nothing to complete
	}
	// Read before the snapshot is: a write after it makes what the
	// snapshot gives stale for completionCache.
	gen := ix.writeGen.Load()
	r, err := ix.countingReader()
	if err != nil {
		return nil, fmt.Errorf("autocomplete %q: %w", q, err)
	}
	defer r.Close()
	var terms []word
	if head != "" {
		prev := normalizeWord(tok, words[len(words)-2])
		if terms, err = pairCompletions(ctx, r, prev, prefix, size); err != nil {
			return nil, err
		}
	}
	if len(terms) < size {
		more, err := ix.wordCompletions(ctx, r, gen, prefix, size)
		if err != nil {
			return nil, err
		}
		terms = appendNewWords(terms, more, size)
	}
	titles, err := ix.titleCompletions(ctx, tok, head, prefix, terms, size)
	if err != nil {
		return nil, err
	}
	nTerms := min(len(terms), max((size+1)/2, size-len(titles)))
	for _, t := range terms[:nTerms] {
		text := t.text
		if head != "" {
			text = head + " " + t.text
		}
		c := cari.Completion{Text: text, Kind: cari.CompletionTerm, Count: t.count}
		if head != "" {
			c.Count = 0 // the word's articles are not the search's: see Autocomplete above
		}
		out = append(out, c)
	}
	for _, c := range titles {
		if len(out) == size {
			break
		}
		out = append(out, c)
	}
	return out, nil
}

// tokenizer is the tokenizer of the body field's analyzer, which splits
// and normalizes words as the index does, without stemming them.
func (ix *Index) tokenizer() analysis.Tokenizer {
	m := ix.mapping()
	if a, ok := m.AnalyzerNamed(m.AnalyzerNameForPath(FieldBody)).(*analysis.DefaultAnalyzer); ok && a.Tokenizer != nil {
		return a.Tokenizer
	}
	return nil
}

// normalizeWord is a typed word as the dictionaries hold words as
// written: its last token, lower case.
func normalizeWord(tok analysis.Tokenizer, w string) string {
	if tok == nil {
		return strings.ToLower(w)
	}
	tokens := tok.Tokenize([]byte(w))
	if len(tokens) == 0 {
		return ""
	}
	return strings.ToLower(string(tokens[len(tokens)-1].Term))
}

// word is a completion of the last word typed, with the number of
// articles using it.
type word struct {
	text  string
	count int
}

// isWord tells words worth completing to from numbers and single letters.
func isWord(w string) bool {
	if utf8.RuneCountInString(w) < 2 {
		return false
	}
	for _, r := range w {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// candidate is a word that completes what was typed, the term of field
// it came from, and that term's count in the dictionary; docked is how
// many of those articles are counted by the word's affixed forms too.
type candidate struct {
	word, term    string
	count, docked int
}

// usage is how many articles are taken to write c's word as it is, which
// ranks it: a stem's articles include every affixed form's ("perintah"
// is in all 64,462 articles of "pemerintah"), which would put a root few
// write alone above the forms people type.
func (c candidate) usage() int { return max(c.count-c.docked, 0) }

// recounted is how many more candidates than asked for are counted
// exactly (recount).
const recounted = 3

// wordCompletions is up to n words of the body dictionary that start
// with prefix, the most used first, then alphabetical: the written forms
// and the words indexed as written, over every shard (r counts them all,
// shards.go). A stem's rank is docked the articles of the written forms
// among them that an analyzes to it (candidate.usage).
func wordCompletions(ctx context.Context, r bleveindex.IndexReader, an analysis.Analyzer, prefix string, n int) ([]word, error) {
	var all []candidate
	for _, p := range []string{prefix, analyzer.ExactPrefix + prefix} {
		err := eachTerm(r, FieldBody, p, func(term string, count int) {
			if analyzer.IsAcronym([]byte(term)) {
				return // "=AS": its word, "as", is a term of its own
			}
			if w := strings.TrimPrefix(term, analyzer.ExactPrefix); isWord(w) {
				all = append(all, candidate{word: w, term: term, count: count})
			}
		})
		if err != nil {
			return nil, err
		}
	}
	top := likeliest(all, recounted*n)
	if an != nil && len(top) > 0 {
		// Only forms in at least a quarter of the least likely one's
		// articles are analyzed: fewer could not move a stem much, and
		// a one-letter prefix has thousands.
		floor := top[len(top)-1].count / 4
		stems := map[string]int{}
		for i, c := range top {
			if c.term == c.word {
				stems[c.word] = i
			}
		}
		for _, c := range all {
			if c.count < floor || c.term == c.word {
				continue
			}
			for _, t := range an.Analyze([]byte(c.word)) {
				if i, ok := stems[string(t.Term)]; ok {
					top[i].docked += c.count
				}
			}
		}
	}
	return recount(ctx, r, FieldBody, top, n)
}

// completionCache holds the word completions of the shortest prefixes,
// the costliest (one letter reads thousands of dictionary terms: 15–50 ms
// at 250,000 articles) and the most often asked, until the next write.
type completionCache struct {
	mu    sync.Mutex
	gen   uint64            // Index.writeGen when words were found
	words map[string][]word // by size and prefix
}

// Bounds of completionCache.
const (
	cachedPrefixRunes = 2
	cachedPrefixesMax = 10_000
)

// wordCompletions is the package's wordCompletions with the body
// analyzer, through the cache for short prefixes; r is a snapshot taken
// after the index's writeGen was gen.
func (ix *Index) wordCompletions(ctx context.Context, r bleveindex.IndexReader, gen uint64, prefix string, n int) ([]word, error) {
	m := ix.mapping()
	an := m.AnalyzerNamed(m.AnalyzerNameForPath(FieldBody))
	if utf8.RuneCountInString(prefix) > cachedPrefixRunes {
		return wordCompletions(ctx, r, an, prefix, n)
	}
	c := &ix.completions
	key := fmt.Sprintf("%d %s", n, prefix)
	c.mu.Lock()
	if c.words == nil || gen > c.gen || len(c.words) >= cachedPrefixesMax {
		c.gen, c.words = gen, map[string][]word{}
	}
	words, ok := c.words[key]
	ok = ok && c.gen == gen // a request from before the last write neither reads nor resets it
	c.mu.Unlock()
	if ok {
		return words, nil
	}
	words, err := wordCompletions(ctx, r, an, prefix, n)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.gen == gen {
		c.words[key] = words
	}
	c.mu.Unlock()
	return words, nil
}

// pairCompletions is up to n words that start with prefix and follow
// prev in titles, the most often first (see fieldPairs), each with the
// number of titles holding the pair.
func pairCompletions(ctx context.Context, r bleveindex.IndexReader, prev, prefix string, n int) ([]word, error) {
	var all []candidate
	head := prev + " "
	err := eachTerm(r, fieldPairs, head+prefix, func(term string, count int) {
		if w := term[len(head):]; isWord(w) {
			all = append(all, candidate{word: w, term: term, count: count})
		}
	})
	if err != nil {
		return nil, err
	}
	return recount(ctx, r, fieldPairs, likeliest(all, recounted*n), n)
}

// likeliest is the k candidates in most articles by the dictionary, one
// a word (the likelier term), most first.
func likeliest(all []candidate, k int) []candidate {
	slices.SortFunc(all, func(a, b candidate) int {
		if a.count != b.count {
			return cmp.Compare(b.count, a.count)
		}
		return strings.Compare(a.word, b.word)
	})
	seen := map[string]bool{}
	top := all[:0]
	for _, c := range all {
		if len(top) == k {
			break
		}
		if !seen[c.word] {
			seen[c.word] = true
			top = append(top, c)
		}
	}
	return top
}

// eachTerm calls f with each term of field that starts with prefix and
// the number of articles holding it, deleted ones included until their
// segment is merged away: bleve's dictionaries count them.
func eachTerm(r bleveindex.IndexReader, field, prefix string, f func(term string, count int)) error {
	dict, err := r.FieldDictPrefix(field, []byte(prefix))
	if err != nil {
		return fmt.Errorf("autocomplete from the %s dictionary: %w", field, err)
	}
	defer dict.Close()
	for {
		e, err := dict.Next()
		if err != nil {
			return fmt.Errorf("autocomplete from the %s dictionary: %w", field, err)
		}
		if e == nil {
			return nil
		}
		f(e.Term, int(e.Count))
	}
}

// recount is the n candidates of most usage, then alphabetical. The
// dictionary's counts picked them (likeliest); they are counted again
// without the deleted articles (a term's postings leave them out), and
// the words no article uses any more are dropped.
func recount(ctx context.Context, r bleveindex.IndexReader, field string, top []candidate, n int) ([]word, error) {
	kept := top[:0]
	for _, c := range top {
		live, err := termDocs(ctx, r, field, c.term)
		if err != nil {
			return nil, err
		}
		if live > 0 {
			c.count = int(live)
			kept = append(kept, c)
		}
	}
	slices.SortFunc(kept, func(a, b candidate) int {
		if a.usage() != b.usage() {
			return cmp.Compare(b.usage(), a.usage())
		}
		if a.count != b.count {
			return cmp.Compare(b.count, a.count)
		}
		return strings.Compare(a.word, b.word)
	})
	out := make([]word, 0, min(n, len(kept)))
	for _, c := range kept[:min(n, len(kept))] {
		out = append(out, word{c.word, c.count})
	}
	return out, nil
}

// appendNewWords appends to have the words of more it lacks, up to n in
// all.
func appendNewWords(have, more []word, n int) []word {
	for _, m := range more {
		if len(have) == n {
			break
		}
		if !slices.ContainsFunc(have, func(h word) bool { return h.text == m.text }) {
			have = append(have, m)
		}
	}
	return have
}

// titleCompletions returns up to n articles whose title has a word
// starting with prefix and every word of head, best first.
//
// Branchy because a title is kept only if it passes several small tests in
// turn (a word with the prefix, every earlier word, not seen yet), which
// read best together.
func (ix *Index) titleCompletions(ctx context.Context, tok analysis.Tokenizer, head, prefix string, words []word, n int) ([]cari.Completion, error) {
	m := ix.mapping()
	an := m.AnalyzerNamed(m.AnalyzerNameForPath(FieldTitle))
	if utf8.RuneCountInString(prefix) < titlePrefixMin {
		return nil, nil
	}
	p := query.NewPrefixQuery(prefix)
	p.SetField(FieldTitle)
	alts := []query.Query{p}
	stems := map[string]bool{}
	for _, w := range words[:min(len(words), titleStems)] {
		if an == nil {
			break
		}
		for _, t := range an.Analyze([]byte(w.text)) {
			if s := string(t.Term); !stems[s] {
				stems[s] = true
				tq := query.NewTermQuery(s)
				tq.SetField(FieldTitle)
				alts = append(alts, tq)
			}
		}
	}
	var q query.Query = query.NewDisjunctionQuery(alts)
	if head != "" && an != nil && len(an.Analyze([]byte(head))) > 0 {
		h := query.NewMatchQuery(head)
		h.SetField(FieldTitle)
		h.SetOperator(query.MatchQueryOperatorAnd)
		q = query.NewConjunctionQuery([]query.Query{h, q})
	}
	// Stems also match words that do not start with the prefix
	// ("bertahan" for "pertah"); ask for more than needed and keep those
	// that do.
	req := bleve.NewSearchRequestOptions(q, 4*n, 0, false)
	req.Fields = []string{FieldTitle}
	var err error
	if req.PreSearchData, err = ix.preSearch(q); err != nil {
		return nil, err
	}
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("autocomplete titles for %q: %w", prefix, err)
	}
	var out []cari.Completion
	shown := map[string]bool{}
	for _, h := range res.Hits {
		title := stringField(h.Fields, FieldTitle)
		if title == "" || shown[title] || !hasWordWithPrefix(tok, title, prefix) {
			continue
		}
		shown[title] = true
		out = append(out, cari.Completion{Text: title, Kind: cari.CompletionTitle, ID: h.ID})
		if len(out) == n {
			break
		}
	}
	return out, nil
}

// hasWordWithPrefix reports whether a word of text, normalized as the
// dictionaries' are, starts with prefix.
func hasWordWithPrefix(tok analysis.Tokenizer, text, prefix string) bool {
	if tok == nil {
		for _, w := range strings.Fields(strings.ToLower(text)) {
			if strings.HasPrefix(w, prefix) {
				return true
			}
		}
		return false
	}
	for _, t := range tok.Tokenize([]byte(text)) {
		if strings.HasPrefix(strings.ToLower(string(t.Term)), prefix) {
			return true
		}
	}
	return false
}
