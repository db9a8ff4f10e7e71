package index

import (
	"fmt"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/search/highlight"
	"github.com/blevesearch/bleve/v2/search/highlight/fragmenter/simple"
)

func TestWordFragmenterSnapsToWords(t *testing.T) {
	text := []byte(strings.Repeat("panjang. ", 10) + "Menhan Tiongkok mengangkat gagasan dunia multipolar bersama Rusia " + strings.Repeat("kalimat ", 10))
	at := strings.Index(string(text), "multipolar")
	locs := highlight.TermLocations{&highlight.TermLocation{Term: "multipolar", Start: at, End: at + len("multipolar")}}
	for _, size := range []int{20, 33, 47, 61} {
		frags := wordFragmenter{inner: simple.NewFragmenter(size)}.Fragment(text, locs)
		if len(frags) != 1 {
			t.Fatalf("size %d: %d fragments", size, len(frags))
		}
		fr := frags[0]
		if midWord(text, fr.Start) || midWord(text, fr.End) || fr.Start > 0 && !isWordChar(rune(text[fr.Start])) {
			t.Errorf("size %d: fragment %q starts or ends inside a word", size, text[fr.Start:fr.End])
		}
		if fr.Start > at || fr.End < at+len("multipolar") {
			t.Errorf("size %d: fragment %q lost the term", size, text[fr.Start:fr.End])
		}
	}
}

// TestBestWindow checks the window a snippet is cut from: the one that
// holds the most distinct matched terms in fragmentRunes bytes from a
// match, the earliest among equals.
func TestBestWindow(t *testing.T) {
	// Each word of text at its byte offset; the matched ones are those
	// named in a case's terms.
	filler := strings.Repeat("x ", fragmentRunes) // one window of nothing
	for _, tc := range []struct {
		name  string
		text  string
		terms []string
		want  string // the window's first match and how many matches it holds
	}{
		{"no match", "harga emas naik", nil, ""},
		{"one match", "harga emas naik", []string{"emas"}, "emas 1"},
		{"the window with both terms", "harga " + filler + "harga " + filler + "harga emas", []string{"harga", "emas"}, "harga 2"},
		{"repeats count once", "harga harga harga " + filler + "harga emas", []string{"harga", "emas"}, "harga 2"},
		{"earliest of equals", "emas harga " + filler + "harga emas", []string{"harga", "emas"}, "emas 2"},
	} {
		var locs highlight.TermLocations
		offset := 0
		for _, w := range strings.Fields(tc.text) {
			at := strings.Index(tc.text[offset:], w) + offset
			offset = at + len(w)
			for _, term := range tc.terms {
				if w == term {
					locs = append(locs, &highlight.TermLocation{Term: w, Start: at, End: at + len(w)})
				}
			}
		}
		window := bestWindow(locs)
		got := ""
		if len(window) > 0 {
			got = fmt.Sprintf("%s %d", window[0].Term, len(window))
		}
		if got != tc.want {
			t.Errorf("%s: window %q, want %q", tc.name, got, tc.want)
		}
	}
}
