package analyzer

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/carisearch/cari/analyzer/lexicon"
)

// Spelling folds the spelling before 1972 (ejaan Soewandi and older:
// Soekarno, Djakarta, tjinta, sjarat, njonja) and the informal forms of
// chat and quotes (gak, udah, yg) to the standard spelling, word by word,
// so that an index holding one form is found by a query typing the other.
//
// A word is folded, in this order, by
//
//  1. the informal map (lexicon.Informal): gak → tidak, yg → yang;
//  2. the old words (lexicon.OldWords), old spellings that carry no letter
//     pair the modern spelling lacks: achir → akhir, Jogjakarta →
//     Yogyakarta;
//  3. the rules, unless the word is an exception (lexicon.SpellingKeep):
//     a word that holds a marker of the old spelling (oe; dj, tj or sj
//     before a vowel; nj at the start before a vowel) is spelled anew
//     whole: oe → u, dj → j, tj → c, sj → sy, nj → ny, ch → kh and every
//     other j → y (Soerabaja → surabaya, Tjahjo → cahyo). A word without
//     a marker is left alone: modern Indonesian writes nj (banjir), j
//     (saja) and ch (China) too, so those letters change only inside a
//     word the markers show to be old.
//
// An exception or an old word also matches with a clitic after it
// (masjidnya, achirnja). Only words of a–z are folded; numbers,
// acronyms written in capitals (DJ, GA) and words with other characters
// pass unchanged. The lists and their reasons, and what the folding does
// to the news corpus's vocabulary, are in docs/spelling.md.
type Spelling struct {
	informal map[string]string
	old      map[string]string
	keep     map[string]bool
}

// NewSpelling returns the folding of the embedded lists.
func NewSpelling() *Spelling {
	return NewSpellingFrom(lexicon.Informal(), lexicon.OldWords(), lexicon.SpellingKeep())
}

// NewSpellingFrom returns the folding of the given lists: pairs of a form
// and its standard spelling, and the words the rules must leave alone.
func NewSpellingFrom(informal, old [][2]string, keep []string) *Spelling {
	s := &Spelling{informal: map[string]string{}, old: map[string]string{}, keep: map[string]bool{}}
	for _, p := range informal {
		s.informal[p[0]] = p[1]
	}
	for _, p := range old {
		s.old[p[0]] = p[1]
	}
	for _, w := range keep {
		s.keep[w] = true
	}
	return s
}

// Fold returns the standard spelling of a normalized word (lower case, as
// the tokenizer gives it), or the word itself.
func (s *Spelling) Fold(word string) string {
	if folded, ok := s.fold([]byte(word)); ok {
		return folded
	}
	return word
}

// fold is Fold of a token's term, reporting whether it changed. The
// lookups of a term cost no allocation; only a folded word does.
func (s *Spelling) fold(word []byte) (string, bool) {
	if len(word) < 2 || len(word) > maxWordBytes || !isLowerASCII(word) {
		return "", false
	}
	if f, ok := s.informal[string(word)]; ok {
		return f, true
	}
	if f, ok := s.old[string(word)]; ok {
		return f, true
	}
	marked := hasOldMarker(word)
	// A clitic may follow a listed word without hiding it: masjidnya is
	// masjid's, achirnja achir's (nja is the old spelling of nya).
	for _, c := range [...]struct{ old, new string }{
		{"nya", "nya"}, {"nja", "nya"}, {"lah", "lah"}, {"kah", "kah"}, {"pun", "pun"}, {"ku", "ku"}, {"mu", "mu"},
	} {
		if len(word) <= len(c.old)+2 || string(word[len(word)-len(c.old):]) != c.old {
			continue
		}
		base := word[:len(word)-len(c.old)]
		if marked && s.keep[string(base)] {
			return "", false
		}
		if f, ok := s.old[string(base)]; ok {
			return f + c.new, true
		}
	}
	if !marked || s.keep[string(word)] {
		return "", false
	}
	return respell(word), true
}

func isLowerASCII(w []byte) bool {
	for _, c := range w {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// hasOldMarker reports a letter pair the spelling of 1972 no longer
// writes: oe, or dj, tj, sj before a vowel, or nj starting the word
// before a vowel. Before a consonant or at the end the pair is an
// abbreviation's (DJP, BPTJ), not a sound.
func hasOldMarker(w []byte) bool {
	if len(w) < 3 {
		return false
	}
	if w[0] == 'n' && w[1] == 'j' && isVowel(w[2]) {
		return true
	}
	for i := 0; i+1 < len(w); i++ {
		switch {
		case w[i] == 'o' && w[i+1] == 'e':
			return true
		case w[i+1] == 'j' && (w[i] == 'd' || w[i] == 't' || w[i] == 's') && i+2 < len(w) && isVowel(w[i+2]):
			return true
		}
	}
	return false
}

// respell writes a word of the old spelling in the new one. It never
// lengthens a word: sj → sy, nj → ny and ch → kh keep its length, oe, dj
// and tj shorten it.
func respell(w []byte) string {
	out := make([]byte, 0, len(w))
	for i := 0; i < len(w); i++ {
		c := w[i]
		var next byte
		if i+1 < len(w) {
			next = w[i+1]
		}
		switch {
		case c == 'o' && next == 'e':
			out = append(out, 'u')
			i++
		case c == 'd' && next == 'j':
			out = append(out, 'j')
			i++
		case c == 't' && next == 'j':
			out = append(out, 'c')
			i++
		case c == 's' && next == 'j':
			out = append(out, 's', 'y')
			i++
		case c == 'n' && next == 'j':
			out = append(out, 'n', 'y')
			i++
		case c == 'c' && next == 'h':
			out = append(out, 'k', 'h')
			i++
		case c == 'j':
			out = append(out, 'y')
		default:
			out = append(out, c)
		}
	}
	return string(out)
}

// SpellingFilter folds each token's term with Spelling. Only the term
// changes: offsets, positions and types stay those of the original text,
// so highlighting marks what was written. It runs before the stop filter
// (yg is dropped as yang is) and the stemmer (the stem and the written
// form kept beside it are both the folded word's).
type SpellingFilter struct {
	Spelling *Spelling
}

// Filter implements analysis.TokenFilter.
func (f SpellingFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if tok.Type == Acronym || tok.Type == analysis.Numeric {
			continue
		}
		if folded, ok := f.Spelling.fold(tok.Term); ok {
			tok.Term = []byte(folded)
		}
	}
	return input
}

// FoldFilters returns a chain of Filters or TitleFilters with the
// spelling filter after reduplication, which has split hyphenated words
// into the words folded.
func FoldFilters(chain []string) []string {
	out := make([]string, 0, len(chain)+1)
	for _, name := range chain {
		out = append(out, name)
		if name == ReduplicationName {
			out = append(out, SpellingName)
		}
	}
	if len(out) == len(chain) {
		panic(fmt.Sprintf("FoldFilters: %v has no %s", chain, ReduplicationName))
	}
	return out
}
