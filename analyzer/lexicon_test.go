package analyzer

import (
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/id"

	"github.com/carisearch/cari/analyzer/lexicon"
)

// TestKeepWholeWordsAreDerived: a word of keepwhole.txt is one the stemmer
// reduces to a root and the id analyzer keeps whole all the same, its
// meaning having drifted from its root's. A word the stemmer leaves as it
// is (a root, a protected word, an unknown word) belongs in protected.txt
// or nowhere, and one that stems to no root is a lexicon gap, not a drift.
func TestKeepWholeWordsAreDerived(t *testing.T) {
	s, err := NewStemmer(StemmerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(lexicon.KeepWhole()) == 0 {
		t.Fatal("keepwhole.txt did not load")
	}
	for _, w := range lexicon.KeepWhole() {
		if stem := s.Stem(w); stem == w || !s.IsRoot(stem) {
			t.Errorf("keep-whole word %q stems to %q, want another word that is a root", w, stem)
		}
	}
}

// TestStopWordChanges: every line of stopwords.txt changes bleve's stop
// list: a "-word" removes one of its words and any other line adds a word
// it lacks. A line that changes nothing is a typo or was overtaken by
// bleve, and stopWords must apply every change.
func TestStopWordChanges(t *testing.T) {
	bleveStops := analysis.NewTokenMap()
	if err := bleveStops.LoadBytes(id.IndonesianStopWords); err != nil {
		t.Fatal(err)
	}
	stops, err := stopWords()
	if err != nil {
		t.Fatal(err)
	}
	changes := lexicon.StopWordChanges()
	if len(changes) == 0 {
		t.Fatal("stopwords.txt has no entries")
	}
	for _, line := range changes {
		w, removed := strings.CutPrefix(line, "-")
		_, inBleve := bleveStops[w]
		_, stop := stops[w]
		switch {
		case removed && !inBleve:
			t.Errorf("stopwords.txt removes %q, which is not on bleve's stop list", w)
		case !removed && inBleve:
			t.Errorf("stopwords.txt adds %q, which bleve's stop list already holds", w)
		case removed && stop:
			t.Errorf("stopWords keeps %q, which stopwords.txt removes", w)
		case !removed && !stop:
			t.Errorf("stopWords lacks %q, which stopwords.txt adds", w)
		}
	}
}
