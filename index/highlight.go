package index

import (
	"fmt"
	"sort"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search/highlight"
	htmlformat "github.com/blevesearch/bleve/v2/search/highlight/format/html"
	"github.com/blevesearch/bleve/v2/search/highlight/fragmenter/simple"
	simplehighlighter "github.com/blevesearch/bleve/v2/search/highlight/highlighter/simple"
)

// highlighterName is bleve's html highlighter with fragments that begin
// and end on word boundaries: a snippet reads "… tatanan dunia
// <mark>multipolar</mark> …", not "…ngkat gagasan".
const highlighterName = "cari_html"

// fragmentRunes is the length of a snippet, in characters.
const fragmentRunes = 220

type wordFragmenter struct {
	inner highlight.Fragmenter
}

// fragmentGap is how far apart, in bytes, the matches must start that
// begin candidate snippets. bleve's fragmenter makes a snippet from every
// match and reads fragmentRunes characters for each, which a long article
// that repeats the words ("harga" in a price report) pays dozens of times
// over; snippets that start a few words apart hold the same matches. The
// highlighter still scores each candidate, and marks, by every match.
const fragmentGap = 40

func (f wordFragmenter) Fragment(orig []byte, locations highlight.TermLocations) []*highlight.Fragment {
	starts := make(highlight.TermLocations, 0, len(locations))
	for _, l := range locations {
		if len(starts) == 0 || l.Start >= starts[len(starts)-1].Start+fragmentGap {
			starts = append(starts, l)
		}
	}
	frags := f.inner.Fragment(orig, starts)
	for _, fr := range frags {
		// The matches inside the fragment; locations come in order.
		first, last := fr.End, fr.Start
		i := sort.Search(len(locations), func(i int) bool { return locations[i].Start >= fr.Start })
		for _, l := range locations[i:] {
			if l.Start >= fr.End {
				break
			}
			if l.End <= fr.End {
				first, last = min(first, l.Start), max(last, l.End)
			}
		}
		start := fr.Start
		for start > 0 && start < first && midWord(orig, start) {
			_, size := utf8.DecodeRune(orig[start:])
			start += size
		}
		// Nor with the tail of the previous sentence: ". Selain" reads
		// as "… Selain".
		for start > 0 && start < first {
			r, size := utf8.DecodeRune(orig[start:])
			if isWordChar(r) || r == '“' || r == '"' {
				break
			}
			start += size
		}
		end := fr.End
		for end < len(orig) && end > last && midWord(orig, end) {
			_, size := utf8.DecodeLastRune(orig[:end])
			end -= size
		}
		if start < end {
			fr.Start, fr.End = start, end
		}
	}
	return frags
}

// midWord reports whether offset i falls between two letters or digits.
func midWord(b []byte, i int) bool {
	before, _ := utf8.DecodeLastRune(b[:i])
	after, _ := utf8.DecodeRune(b[i:])
	return isWordChar(before) && isWordChar(after)
}

func isWordChar(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func init() {
	err := registry.RegisterHighlighter(highlighterName, func(map[string]interface{}, *registry.Cache) (highlight.Highlighter, error) {
		return simplehighlighter.NewHighlighter(
			wordFragmenter{inner: simple.NewFragmenter(fragmentRunes)},
			htmlformat.NewFragmentFormatter("<mark>", "</mark>"),
			simplehighlighter.DefaultSeparator,
		), nil
	})
	if err != nil {
		panic(fmt.Sprintf("register %s: %v", highlighterName, err))
	}
}
