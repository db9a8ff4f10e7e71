package analyzer

import (
	"cmp"
	"iter"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
)

// LexiconCoverage is how much of a text's vocabulary the lexicon accounts
// for. The lexicon is grown from Missed, most frequent first
// (scripts/lexicon coverage), and a test keeps the corpus's share above a
// floor; both read it from Stemmer.Coverage, so they measure alike.
type LexiconCoverage struct {
	Tokens int          // word tokens counted
	Known  int          // of them, the tokens that are protected or stem to a root
	Missed []MissedWord // the distinct words of the others, most frequent first
}

// MissedWord is a word the stemmer finds no root for.
type MissedWord struct {
	Word  string
	Count int    // its tokens
	Stem  string // what the stemmer made of it: the word, or a prefix off
}

// Share is Known over Tokens; 0 for no tokens.
func (c LexiconCoverage) Share() float64 {
	if c.Tokens == 0 {
		return 0
	}
	return float64(c.Known) / float64(c.Tokens)
}

// Coverage counts the word tokens of texts as the id analyzer sees them
// before stemming (normalized, reduplications resolved, hyphenated words
// split) and those that end in a known root: the token is protected, or
// its stem is a root. Stop words, numbers and tokens with digits
// (rp1.250, g20) are left out, as no root list is meant to hold them.
func (s *Stemmer) Coverage(texts iter.Seq[[]byte]) (LexiconCoverage, error) {
	stops, err := stopWords()
	if err != nil {
		return LexiconCoverage{}, err
	}
	counts := map[string]int{}
	for text := range texts {
		for _, tok := range (ReduplicationFilter{}).Filter(Tokenizer{}.Tokenize(text)) {
			if tok.Type == analysis.Numeric {
				continue
			}
			counts[string(tok.Term)]++
		}
	}
	var c LexiconCoverage
	for w, n := range counts {
		if _, stop := stops[w]; stop || strings.ContainsAny(w, "0123456789") {
			continue
		}
		c.Tokens += n
		stem := s.Stem(w)
		if s.IsRoot(stem) || s.IsProtected(w) {
			c.Known += n
			continue
		}
		c.Missed = append(c.Missed, MissedWord{Word: w, Count: n, Stem: stem})
	}
	slices.SortFunc(c.Missed, func(a, b MissedWord) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Word, b.Word))
	})
	return c, nil
}
