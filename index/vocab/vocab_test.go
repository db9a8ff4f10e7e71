package vocab

import "testing"

func TestBoundedEdits(t *testing.T) {
	for _, tc := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"banjr", "banjir", 1, 1},
		{"kebakran", "kebakaran", 1, 1},
		{"pemilhan", "pemilihan", 1, 1},
		{"multipolr", "multipolar", 2, 1},
		{"jakrta", "jakarta", 1, 1},
		{"presiden", "presiden", 1, 0},
		{"kucing", "kambing", 1, 2}, // more than the limit: limit+1
		{"abc", "", 2, 3},
		{"", "ab", 2, 2},
		{"éta", "eta", 1, 1}, // runes, not bytes
	} {
		if got := boundedEdits([]rune(tc.a), []rune(tc.b), tc.limit); got != tc.want {
			t.Errorf("boundedEdits(%q, %q, %d) = %d, want %d", tc.a, tc.b, tc.limit, got, tc.want)
		}
	}
}

// boundedEdits is the Levenshtein distance of a and b, or limit+1 once it
// must exceed limit.
func boundedEdits(a, b []rune, limit int) int {
	var e editor
	return e.bounded(a, b, limit)
}

// TestVocabulary counts three small articles: words by the articles using
// them, completions most used first and, after a word, the word that
// follows it first; the nearest word to a misspelling, in enough articles.
func TestVocabulary(t *testing.T) {
	c := NewCounter(nil, 3, 100)
	c.Article("Kerja sama", "kerja sama pertahanan kerja satu")
	c.Article("Kerja keras", "kerja sama lagi, satu dua")
	c.Article("", "satu satu kebakaran 7 x")
	v, err := c.Vocabulary(100)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Count("kerja"); got != 2 {
		t.Errorf("Count(kerja) = %d, want 2 articles", got)
	}
	if got := v.Count("7"); got != 0 {
		t.Errorf("Count(7) = %d: a number is no vocabulary word", got)
	}
	if got := v.Complete("sa", 2); len(got) != 2 || got[0] != (Word{"satu", 3}) || got[1] != (Word{"sama", 2}) {
		t.Errorf("Complete(sa) = %v, want satu (3) before sama (2)", got)
	}
	if got := v.CompleteAfter("kerja", "sa", 1); len(got) != 1 || got[0].Word != "sama" {
		t.Errorf("CompleteAfter(kerja, sa) = %v, want sama, which follows kerja twice", got)
	}
	if got := v.Nearest("kebakran", 1, 1); got != "kebakaran" {
		t.Errorf("Nearest(kebakran) = %q, want kebakaran", got)
	}
	if got := v.Nearest("kebakran", 1, 2); got != "" {
		t.Errorf("Nearest(kebakran) in 2 articles = %q, want none", got)
	}
	if v.PairCount() != 1 || v.Len() != 8 { // "kerja sama" is the one pair seen twice
		t.Errorf("%d words, %d pairs", v.Len(), v.PairCount())
	}
}
