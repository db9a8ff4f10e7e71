package index

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index/vocab"
)

// Autocomplete. As someone types into the search box, Suggest offers two
// kinds of completion of the last word: words, the most frequent first,
// and the titles of articles that hold such a word.
//
// Words cannot come from the index's dictionaries alone: they hold
// stems, so "pertah" would never reach "pertahanan" (indexed as "tahan"),
// and an Indonesian user types affixed words all the time (pendidikan,
// kebakaran, pemerintah). So the index keeps a vocabulary of surface
// forms in memory: every word of every title and body as written (lower
// case, normalized by the analyzer's tokenizer), with the number of
// articles that use it, the vocabularyMax most frequent kept so that it
// stays small whatever the corpus (the 25,401-article corpus has 114,820
// words, all kept). It is built in the background, on PrepareSuggest or
// the first Suggest (about 10 s of one busy core for that corpus, most of
// it tokenizing and counting words and word pairs), and again when
// articles have changed, at most every vocabularyRefresh; requests never
// wait for it, and use the previous vocabulary, or before the first the
// body dictionary alone. Words the vocabulary dropped are still offered
// from the body dictionary when the vocabulary has too few: those
// terms are real words too, since the stemmer only
// ever reduces a word to a root of its lexicon or leaves it as written.
//
// After other words, the word that follows the previous one most often in
// the articles comes first ("kerja sa" → "kerja sama" before "kerja
// satu", though "satu" is the commoner word): the vocabulary also counts
// the pairs of adjacent words seen at least twice, keyed by a 64-bit hash
// of the pair to keep them small.
//
// Titles are found by a prefix query on the title field and by the stems
// of the vocabulary's completions (which is how "pertah" finds "Kerja Sama
// Pertahanan"), ranked by BM25, and kept only when the title does have a
// word that starts with what was typed.

// Limits of Suggest.
const (
	// vocabularyMax bounds the vocabulary: about 10 MB of words.
	vocabularyMax = 200_000
	// pairsMax bounds the word pairs counted while the vocabulary is
	// built (about 100 MB of map).
	pairsMax = 4_000_000
	// vocabularyRefresh is the longest the vocabulary lags behind writes.
	vocabularyRefresh = 5 * time.Minute
	// titlePrefixMin is the shortest prefix titles are looked for with:
	// one or two letters say too little to pick an article, and their
	// searches (prefix queries expanding to thousands of terms, stems of
	// the commonest words) cost ten times a longer prefix's.
	titlePrefixMin = 3
	// titleStems is how many of the vocabulary's completions are searched
	// in titles by their stems.
	titleStems = 10
)

// Suggest completes the last word of q: words first (up to half of size,
// more when titles are few), then titles. Earlier words are kept as typed
// in word completions ("kerja sa" → "kerja sama") and must be in the
// titles offered. An empty q has no completions. size 0 means
// DefaultSuggestSize.
//
// Branchy because it checks the request (UTF-8, length, size) and then
// chooses among the vocabulary, the word pairs and the dictionary; each
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
	var terms []vocab.Word
	switch v := ix.vocabulary(); {
	case v == nil:
	case head == "":
		terms = v.Complete(prefix, size)
	default:
		prev := normalizeWord(tok, words[len(words)-2])
		terms = v.CompleteAfter(prev, prefix, size)
	}
	if len(terms) < size {
		var err error
		if terms, err = ix.dictionaryCompletions(prefix, size, terms); err != nil {
			return nil, err
		}
	}
	titles, err := ix.titleCompletions(ctx, tok, head, prefix, terms, size)
	if err != nil {
		return nil, err
	}
	nTerms := min(len(terms), max((size+1)/2, size-len(titles)))
	for _, t := range terms[:nTerms] {
		text := t.Word
		if head != "" {
			text = head + " " + t.Word
		}
		out = append(out, cari.Completion{Text: text, Kind: cari.CompletionTerm, Count: t.Count})
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

// normalizeWord is a typed word as the vocabulary holds words: its last
// token, lower case.
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

// vocabulary is a Vocabulary of the index as of write generation gen.
type vocabulary struct {
	*vocab.Vocabulary
	gen   uint64
	built time.Time
}

// suggestState holds the vocabulary of an Index and the build of the
// next one, which runs in the background so that no request waits for it.
type suggestState struct {
	vocab atomic.Pointer[vocabulary]
	mu    sync.Mutex // guards the fields below
	// building is set while a build runs; closed once the index closes.
	building, closed bool
	cancel           context.CancelFunc
	done             chan struct{} // closed when the running build ends
}

// vocabulary returns the current vocabulary, nil before the first is
// built, and starts a build in the background when there is none or when
// articles changed more than vocabularyRefresh after it was built.
func (ix *Index) vocabulary() *vocabulary {
	v := ix.suggest.vocab.Load()
	if v == nil || v.gen != ix.gen.Load() && time.Since(v.built) >= vocabularyRefresh {
		ix.startVocabulary()
	}
	return v
}

// startVocabulary starts a build unless one is running, and returns a
// channel closed when the running build ends.
func (ix *Index) startVocabulary() <-chan struct{} {
	s := &ix.suggest
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.building || s.closed {
		if s.done == nil {
			done := make(chan struct{})
			close(done)
			return done
		}
		return s.done
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.building, s.cancel, s.done = true, cancel, make(chan struct{})
	done := s.done
	go func() {
		defer close(done)
		defer cancel()
		v, err := ix.buildVocabulary(ctx)
		if err == nil {
			s.vocab.Store(v)
		}
		// On failure the previous vocabulary (or the dictionary alone)
		// serves, and the next request tries again.
		s.mu.Lock()
		s.building = false
		s.mu.Unlock()
	}()
	return done
}

// PrepareSuggest builds the autocomplete vocabulary now and waits for it
// (about 10 s for 25,000 articles), so that the first completions
// already have it; without it, Suggest starts the build in the
// background and completes from the index's dictionary until it is done.
func (ix *Index) PrepareSuggest(ctx context.Context) error {
	select {
	case <-ix.startVocabulary():
	case <-ctx.Done():
		return fmt.Errorf("autocomplete vocabulary: %w", ctx.Err())
	}
	if ix.suggest.vocab.Load() == nil {
		return fmt.Errorf("autocomplete vocabulary: the build failed")
	}
	return nil
}

// closeSuggest stops a running build and waits for it, before the index
// closes under it.
func (ix *Index) closeSuggest() {
	s := &ix.suggest
	s.mu.Lock()
	s.closed = true
	done, cancel := s.done, s.cancel
	s.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// buildVocabulary reads every stored title and body, a page at a time in
// id order, and counts the articles that use each word.
func (ix *Index) buildVocabulary(ctx context.Context) (*vocabulary, error) {
	gen := ix.gen.Load() // read first: a write during the build makes it stale
	tok := ix.tokenizer()
	n, err := ix.bleve.DocCount()
	if err != nil {
		return nil, err
	}
	c := vocab.NewCounter(tok, n, pairsMax)
	if err := ix.countArticles(ctx, c); err != nil {
		return nil, err
	}
	v, err := c.Vocabulary(vocabularyMax)
	if err != nil {
		return nil, fmt.Errorf("autocomplete vocabulary: %w", err)
	}
	return &vocabulary{Vocabulary: v, gen: gen, built: time.Now()}, nil
}

// countArticles reads every stored title and body into c, shard by shard
// in the order of each shard's own document numbers. A walk of a
// snapshot's live documents reads each article once; pages of a search
// sorted by id, as this was first written, went over every article again
// for every page, a third of the build at 25,401 articles and quadratic
// beyond.
func (ix *Index) countArticles(ctx context.Context, c *vocab.Counter) error {
	for i, b := range ix.shards {
		if err := countShard(ctx, b, c); err != nil {
			return fmt.Errorf("read articles of shard %d: %w", i, err)
		}
	}
	return nil
}

// countShard reads the stored titles and bodies of one shard into c.
func countShard(ctx context.Context, b bleve.Index, c *vocab.Counter) error {
	adv, err := b.Advanced()
	if err != nil {
		return err
	}
	r, err := adv.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return err
	}
	defer ids.Close()
	for n := 1; ; n++ {
		id, err := ids.Next()
		if err != nil || id == nil {
			return err
		}
		ext, err := r.ExternalID(id)
		if err != nil {
			return err
		}
		doc, err := r.Document(ext)
		if err != nil {
			return err
		}
		if doc == nil {
			continue
		}
		var title, body string
		doc.VisitFields(func(f bleveindex.Field) {
			switch f.Name() {
			case FieldTitle:
				title = string(f.Value())
			case FieldBody:
				body = string(f.Value())
			}
		})
		c.Article(title, body)
		if n%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if c.Pairs() > pairsMax {
				c.DropPairsSeenOnce()
			}
		}
	}
}

// dictionaryCompletions adds to have, up to n, the body dictionary's
// terms that start with prefix, most frequent first.
func (ix *Index) dictionaryCompletions(prefix string, n int, have []vocab.Word) ([]vocab.Word, error) {
	dict, err := ix.shards[0].FieldDictPrefix(FieldBody, []byte(prefix))
	if err != nil {
		return nil, fmt.Errorf("autocomplete from the dictionary: %w", err)
	}
	defer dict.Close()
	known := map[string]bool{}
	for _, t := range have {
		known[t.Word] = true
	}
	var extra []vocab.Word
	for {
		e, err := dict.Next()
		if err != nil {
			return nil, fmt.Errorf("autocomplete from the dictionary: %w", err)
		}
		if e == nil {
			break
		}
		if !known[e.Term] && vocab.IsWord(e.Term) {
			extra = append(extra, vocab.Word{Word: e.Term, Count: int(e.Count)})
		}
	}
	sort.SliceStable(extra, func(i, j int) bool { return extra[i].Count > extra[j].Count })
	return append(have, extra[:min(len(extra), n-len(have))]...), nil
}

// titleCompletions returns up to n articles whose title has a word
// starting with prefix and every word of head, best first.
//
// Branchy because a title is kept only if it passes several small tests in
// turn (a word with the prefix, every earlier word, not seen yet), which
// read best together.
func (ix *Index) titleCompletions(ctx context.Context, tok analysis.Tokenizer, head, prefix string, words []vocab.Word, n int) ([]cari.Completion, error) {
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
		for _, t := range an.Analyze([]byte(w.Word)) {
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
// vocabulary's are, starts with prefix.
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
