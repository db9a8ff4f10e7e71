// Package vocab is the vocabulary behind autocomplete and typo
// correction: the surface words of the articles, as written, with the
// number of articles using each, the pairs of adjacent words seen at least
// twice, and an FST of the words for the ones near a misspelt word. A
// Counter reads the articles' text; Counter.Vocabulary freezes what it
// counted into a Vocabulary, which is read-only and safe for concurrent use.
package vocab

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/vellum"
	"github.com/blevesearch/vellum/levenshtein"
)

// IsWord tells words worth completing to from numbers and
// single letters.
func IsWord(w string) bool {
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

// Word is a word and the number of articles using it.
type Word struct {
	Word  string
	Count int
}

// Vocabulary is the surface words of the articles, sorted, with their
// document frequencies.
type Vocabulary struct {
	words  []string
	counts []int
	// fst holds words (each its index in words), for the words near a
	// misspelt one (Nearest); edits builds its automata, for one and two
	// edits.
	fst   *vellum.FST
	edits [2]*levenshtein.LevenshteinAutomatonBuilder
	pairs map[uint64]uint32 // pairHash(a, b) → times b follows a
}

// pairHash is the key of two adjacent words (FNV-1a of "a b").
func pairHash(a, b string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for _, s := range []string{a, " ", b} {
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= prime
		}
	}
	return h
}

// afterCandidates is how many of the most frequent words with a prefix
// are ranked by how often they follow the previous word.
const afterCandidates = 200

// CompleteAfter is Complete, with the words that most often follow prev
// first.
func (v *Vocabulary) CompleteAfter(prev, prefix string, n int) []Word {
	cands := v.Complete(prefix, afterCandidates)
	follows := make([]uint32, len(cands))
	for i, c := range cands {
		follows[i] = v.pairs[pairHash(prev, c.Word)]
	}
	idx := make([]int, len(cands))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return follows[idx[i]] > follows[idx[j]] })
	out := make([]Word, 0, min(n, len(cands)))
	for _, i := range idx[:min(n, len(idx))] {
		out = append(out, cands[i])
	}
	return out
}

// Complete returns up to n words that start with prefix, most frequent
// first (then alphabetical).
func (v *Vocabulary) Complete(prefix string, n int) []Word {
	var best []Word
	for i := sort.SearchStrings(v.words, prefix); i < len(v.words) && strings.HasPrefix(v.words[i], prefix); i++ {
		c := Word{v.words[i], v.counts[i]}
		if len(best) == n && c.Count <= best[n-1].Count {
			continue
		}
		// Insert in order; n is small (at most afterCandidates).
		j := sort.Search(len(best), func(k int) bool { return best[k].Count < c.Count })
		if len(best) < n {
			best = append(best, Word{})
		}
		copy(best[j+1:], best[j:])
		best[j] = c
	}
	return best
}

// Counter counts, as the articles are read, the articles that use each
// word and the times each pair of words follows one another.
type Counter struct {
	tok   analysis.Tokenizer
	df    map[string]int
	seen  map[string]bool // the words of the article being read
	pairs map[uint64]uint32
}

// NewCounter makes a counter for n articles, which splits text with tok
// (by spaces if nil) and counts at most about maxPairs pairs.
func NewCounter(tok analysis.Tokenizer, n uint64, maxPairs int) *Counter {
	// Sized for news (about 5 distinct words and 25 pairs an article
	// beyond the first thousand): growing these maps is most of the cost.
	return &Counter{
		tok:   tok,
		df:    make(map[string]int, 20_000+5*n),
		seen:  map[string]bool{},
		pairs: make(map[uint64]uint32, min(50_000+25*n, uint64(maxPairs))),
	}
}

// Article counts the words of one article, its title and body.
func (c *Counter) Article(title, body string) {
	clear(c.seen)
	c.text(title)
	c.text(body)
	for w := range c.seen {
		if IsWord(w) {
			c.df[w]++
		}
	}
}

// text notes the words of text as seen in the article being read, and
// counts its pairs of words.
func (c *Counter) text(text string) {
	var words []string
	if c.tok == nil {
		words = strings.Fields(strings.ToLower(text))
	} else {
		for _, t := range c.tok.Tokenize([]byte(text)) {
			words = append(words, strings.ToLower(string(t.Term)))
		}
	}
	for i, w := range words {
		c.seen[w] = true
		if i > 0 {
			c.pairs[pairHash(words[i-1], w)]++
		}
	}
}

// Pairs is the number of pairs counted.
func (c *Counter) Pairs() int { return len(c.pairs) }

// DropPairsSeenOnce forgets the pairs counted once: millions of articles
// would hold tens of millions of pairs, most seen once, and dropping those
// as the map fills bounds memory and keeps the pairs that recur.
func (c *Counter) DropPairsSeenOnce() { dropPairsSeenOnce(c.pairs) }

// Vocabulary is what c counted: the max most frequent words where there
// are more, and the pairs seen at least twice (a pair seen once says
// nothing about what people will type).
func (c *Counter) Vocabulary(max int) (*Vocabulary, error) {
	all := vocabularyWords(c.df, max)
	dropPairsSeenOnce(c.pairs)
	v := &Vocabulary{words: make([]string, len(all)), counts: make([]int, len(all)), pairs: c.pairs}
	for i, wc := range all {
		v.words[i], v.counts[i] = wc.Word, wc.Count
	}
	if err := v.buildNearest(); err != nil {
		return nil, err
	}
	return v, nil
}

// Len is the number of words.
func (v *Vocabulary) Len() int { return len(v.words) }

// PairCount is the number of word pairs kept.
func (v *Vocabulary) PairCount() int { return len(v.pairs) }

// dropPairsSeenOnce deletes from pairs the pairs counted once.
func dropPairsSeenOnce(pairs map[uint64]uint32) {
	for k, c := range pairs {
		if c < 2 {
			delete(pairs, k)
		}
	}
}

// vocabularyWords is the words of df with their counts, the max most
// frequent where there are more, in alphabetical order.
func vocabularyWords(df map[string]int, max int) []Word {
	all := make([]Word, 0, len(df))
	for w, c := range df {
		all = append(all, Word{w, c})
	}
	if len(all) > max {
		sort.Slice(all, func(i, j int) bool {
			if all[i].Count != all[j].Count {
				return all[i].Count > all[j].Count
			}
			return all[i].Word < all[j].Word
		})
		all = all[:max]
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Word < all[j].Word })
	return all
}

// Count is how many articles use the written word w.
func (v *Vocabulary) Count(w string) int {
	i := sort.SearchStrings(v.words, w)
	if i < len(v.words) && v.words[i] == w {
		return v.counts[i]
	}
	return 0
}

// Nearest is the written word within edits of w, other than w, with the
// fewest edits and then in the most articles, if in at least min of them.
// Only words with w's first letter are tried (a typo seldom falls on it),
// and of those only the ones vellum's Levenshtein automaton lets through
// the vocabulary's FST.
func (v *Vocabulary) Nearest(w string, edits, min int) string {
	first, size := utf8.DecodeRuneInString(w)
	if first == utf8.RuneError || edits == 0 || edits > len(v.edits) || v.fst == nil {
		return ""
	}
	dfa, err := v.edits[edits-1].BuildDfa(w, uint8(edits))
	if err != nil {
		return ""
	}
	it, err := v.fst.Search(dfa, []byte(w[:size]), []byte(string(first+1)))
	target := []rune(w)
	var e editor
	var word []rune
	best, bestEdits, bestCount := "", edits+1, 0
	for ; err == nil; err = it.Next() {
		key, i := it.Current()
		c := v.words[i]
		if c == w || v.counts[i] < min {
			continue
		}
		word = word[:0]
		for _, r := range string(key) {
			word = append(word, r)
		}
		d := e.bounded(target, word, edits)
		if d <= edits && (d < bestEdits || d == bestEdits && v.counts[i] > bestCount) {
			best, bestEdits, bestCount = c, d, v.counts[i]
		}
	}
	return best
}

// buildNearest builds what Nearest searches: an FST of the words and
// Levenshtein automaton builders (vellum's, which bleve's fuzzy search
// uses too).
func (v *Vocabulary) buildNearest() error {
	var buf bytes.Buffer
	b, err := vellum.New(&buf, nil)
	if err != nil {
		return err
	}
	for i, w := range v.words {
		if err := b.Insert([]byte(w), uint64(i)); err != nil {
			return fmt.Errorf("word %q: %w", w, err)
		}
	}
	if err := b.Close(); err != nil {
		return err
	}
	if v.fst, err = vellum.Load(buf.Bytes()); err != nil {
		return err
	}
	for i := range v.edits {
		if v.edits[i], err = levenshtein.NewLevenshteinAutomatonBuilder(uint8(i+1), false); err != nil {
			return err
		}
	}
	return nil
}

// editor computes edit distances with rows it keeps from one word to the
// next, so that scanning a vocabulary allocates nothing.
type editor struct{ prev, cur []int }

func (e *editor) bounded(a, b []rune, limit int) int {
	e.prev = slices.Grow(e.prev[:0], len(b)+1)[:len(b)+1]
	e.cur = slices.Grow(e.cur[:0], len(b)+1)[:len(b)+1]
	prev, cur := e.prev, e.cur
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
