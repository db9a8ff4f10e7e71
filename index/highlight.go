package index

import (
	"fmt"
	"slices"
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
// begin candidate snippets: snippets that start a few words apart hold
// the same matches.
const fragmentGap = 40

// Fragment returns one fragment: the window of fragmentRunes that holds
// the most distinct matched terms, the earliest among equals, cut at word
// boundaries. bleve's fragmenter would make a candidate of every match,
// reading fragmentRunes characters forwards and back for each, and its
// highlighter would score every candidate against every match, only to
// keep the one that holds the most distinct terms: in an article that
// repeats the words ("harga" in a price report), most of the cost of a
// snippet. Choosing the window here took 5% off the mean search of the
// latency benchmark (searches alternating between the two, three runs);
// of 87 snippets of the sample articles, 2 moved by a word. The
// highlighter still marks every match in it.
//
// Branchy because it is one scan of the text that widens a window to word
// boundaries on both sides; split, the indexes it moves would have to be
// passed around.
func (f wordFragmenter) Fragment(orig []byte, locations highlight.TermLocations) []*highlight.Fragment {
	window := bestWindow(locations)
	if len(window) > 2 {
		// bleve's fragmenter starts at the first match and centres the
		// matches up to the last one; those between change nothing but
		// cost a fragment each.
		window = highlight.TermLocations{window[0], window[len(window)-1]}
	}
	frags := f.inner.Fragment(orig, window)
	if len(frags) > 1 {
		frags = frags[:1] // the last match's own
	}
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

// bestWindow returns the matches of the window that starts at a match and
// holds the most distinct terms in its next fragmentRunes bytes, the
// earliest among equals; none for none. locations are in order of start.
// bleve's fragmenter starts its fragment at the first of them and centres
// the rest in it.
func bestWindow(locations highlight.TermLocations) highlight.TermLocations {
	var best highlight.TermLocations
	var seen []string
	bestTerms, lastStart := 0, -fragmentGap
	for i, start := range locations {
		if start.Start < lastStart+fragmentGap {
			continue
		}
		lastStart = start.Start
		seen = seen[:0]
		j := i
		for ; j < len(locations) && locations[j].End <= start.Start+fragmentRunes; j++ {
			if !slices.Contains(seen, locations[j].Term) {
				seen = append(seen, locations[j].Term)
			}
		}
		j = max(j, i+1) // a match longer than the window still starts one
		if len(seen) > bestTerms {
			best, bestTerms = locations[i:j], len(seen)
		}
	}
	return best
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
