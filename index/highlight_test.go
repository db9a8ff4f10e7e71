package index

import (
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
