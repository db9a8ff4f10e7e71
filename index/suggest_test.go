package index

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/carisearch/cari"
)

func suggest(t *testing.T, ix *Index, q string, size int) []cari.Completion {
	t.Helper()
	c, err := ix.Suggest(context.Background(), q, size)
	if err != nil {
		t.Fatalf("suggest %q: %v", q, err)
	}
	return c
}

// checkCompletions checks what holds for every completion of q: words
// continue what was typed, titles hold a word starting with the last
// word, words come before titles, and there are at most size.
func checkCompletions(t *testing.T, q string, size int, cs []cari.Completion) {
	t.Helper()
	if len(cs) > size {
		t.Errorf("%q: %d completions, asked for %d", q, len(cs), size)
	}
	words := strings.Fields(strings.ToLower(q))
	last := words[len(words)-1]
	sawTitle := false
	for _, c := range cs {
		switch c.Kind {
		case cari.CompletionTerm:
			if sawTitle {
				t.Errorf("%q: word %q after a title", q, c.Text)
			}
			// A word alone has its articles; after others, no count.
			counted := c.Count >= 1 == (len(words) == 1)
			if !strings.HasPrefix(c.Text, strings.Join(words, " ")) || !counted || c.ID != "" {
				t.Errorf("%q: word completion %+v", q, c)
			}
		case cari.CompletionTitle:
			sawTitle = true
			if c.ID == "" || c.Count != 0 || !hasWordWithPrefix(nil, c.Text, last) {
				t.Errorf("%q: title completion %+v has no word starting with %q", q, c, last)
			}
		default:
			t.Errorf("%q: kind %q", q, c.Kind)
		}
	}
}

func TestSuggestSamples(t *testing.T) {
	ix := samples(t)
	for _, tc := range []struct {
		q         string
		firstWord string // the first completion
		titleID   string // an article whose title must be offered
	}{
		{"multip", "multipolar", "kn-2023-001"},
		{"Multip", "multipolar", "kn-2023-001"},
		// An affixed word the index holds only as its root ("tahan").
		{"pertah", "pertahanan", "kn-2023-002"},
		// Earlier words are kept, and the word that follows them in the
		// articles comes first, though "satu" and "salah" are commoner.
		// Titles wait for a third letter.
		{"kerja sa", "kerja sama", ""},
		{"kerja sam", "kerja sama", "kn-2023-002"},
		{"gem", "gempa", "gempa-cianjur"},
	} {
		cs := suggest(t, ix, tc.q, cari.DefaultSuggestSize)
		checkCompletions(t, tc.q, cari.DefaultSuggestSize, cs)
		if len(cs) == 0 || cs[0].Kind != cari.CompletionTerm || cs[0].Text != tc.firstWord {
			t.Errorf("%q: completions %+v, want %q first", tc.q, cs, tc.firstWord)
		}
		found := tc.titleID == ""
		for _, c := range cs {
			found = found || c.Kind == cari.CompletionTitle && c.ID == tc.titleID
		}
		if !found {
			t.Errorf("%q: completions %+v lack the title of %s", tc.q, cs, tc.titleID)
		}
	}
	// Titles must hold the earlier words too.
	for _, c := range suggest(t, ix, "tiongkok mul", cari.MaxSuggestSize) {
		if c.Kind == cari.CompletionTitle && !strings.Contains(strings.ToLower(c.Text), "tiongkok") {
			t.Errorf("tiongkok mul: title %q lacks tiongkok", c.Text)
		}
	}
	// Short prefixes: many words, the most used first.
	cs := suggest(t, ix, "m", 20)
	checkCompletions(t, "m", 20, cs)
	if len(cs) != 20 {
		t.Errorf("m: %d completions, want 20", len(cs))
	}
	for _, q := range []string{"", "   ", "!!", "xyzzyplugh"} {
		if cs := suggest(t, ix, q, 0); cs == nil || len(cs) != 0 {
			t.Errorf("%q: %+v, want an empty list", q, cs)
		}
	}
}

func TestSuggestErrors(t *testing.T) {
	ix := samples(t)
	ctx := context.Background()
	for _, tc := range []struct {
		q    string
		size int
	}{
		{"a", -1},
		{"a", cari.MaxSuggestSize + 1},
		{strings.Repeat("a", cari.MaxQueryBytes+1), 0},
		{"\xff\xfe", 0},
	} {
		if _, err := ix.Suggest(ctx, tc.q, tc.size); !errors.Is(err, cari.ErrBadRequest) {
			t.Errorf("%.20q size %d: %v, want ErrBadRequest", tc.q, tc.size, err)
		}
	}
}

// TestSuggestFollowsWrites: a new article's words, its title and the
// pairs of its title are offered at once, short prefixes too (whose
// completions are cached), counted in the articles that use them, and no
// longer once it is deleted.
func TestSuggestFollowsWrites(t *testing.T) {
	ix, err := CreateTemp(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	add := func(id, title, body string) {
		t.Helper()
		if _, problems, err := ix.Upsert(ctx, []cari.Article{{ID: id, Title: title, Body: body}}); err != nil || len(problems) > 0 {
			t.Fatalf("upsert: %v %v", err, problems)
		}
	}
	add("a", "Banjir di Demak", "Banjir merendam rumah warga Demak.")
	for _, q := range []string{"zebrak", "ze"} { // "ze" is cached (completionCache)
		if cs := suggest(t, ix, q, 0); len(cs) != 0 {
			t.Fatalf("%s before the article: %+v", q, cs)
		}
	}
	add("b", "Zebrakuda Lahir di Kebun Binatang", "Seekor zebrakuda lahir di kebun binatang Surabaya.")
	cs := suggest(t, ix, "zebrak", 0)
	if len(cs) != 2 || cs[0].Text != "zebrakuda" || cs[1].ID != "b" {
		t.Fatalf("zebrak after the article: %+v, want the word and the title", cs)
	}
	if cs := suggest(t, ix, "ze", 0); len(cs) != 1 || cs[0].Text != "zebrakuda" {
		t.Errorf("ze after the article: %+v, want zebrakuda (the cache left behind by the write)", cs)
	}
	if cs[0].Count != 1 {
		t.Errorf("zebrak: %+v, want the word in 1 article", cs[0])
	}
	add("c", "Zebrakuda Lahir Lagi", "Zebrakuda kedua lahir di Surabaya.")
	if cs := suggest(t, ix, "zebrak", 1); len(cs) != 1 || cs[0].Text != "zebrakuda" || cs[0].Count != 2 {
		t.Errorf("zebrak after a second article: %+v, want zebrakuda in 2 articles", cs)
	}
	// "zebrakuda l" follows the pairs of titles: "lahir" (two) before
	// "lari" (one), and before the words of bodies ("lalu", "lelah").
	add("d", "Zebrakuda Lari Kencang", "Zebrakuda berlari, lalu lelah, lalu lahir lagi: lamunan.")
	if cs := suggest(t, ix, "zebrakuda l", 1); len(cs) != 1 || cs[0].Text != "zebrakuda lahir" || cs[0].Count != 0 {
		t.Errorf("zebrakuda l: %+v, want zebrakuda lahir, without a count", cs)
	}
	for _, id := range []string{"b", "c"} {
		if err := ix.Delete(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if cs := suggest(t, ix, "zebrakuda l", 1); len(cs) != 1 || cs[0].Text != "zebrakuda lari" {
		t.Errorf("zebrakuda l after the deletes: %+v, want zebrakuda lari", cs)
	}
	if cs := suggest(t, ix, "zebrak", 1); len(cs) != 1 || cs[0].Count != 1 {
		t.Errorf("zebrak after the deletes: %+v, want the word of the one article left", cs)
	}
}

// TestSuggestStems: a stem counts the articles of all its forms, but
// ranks by the articles that write it as it is, so "p" offers
// "pemerintah", in five articles, and "pagi", in three, before
// "perintah", written in one (though its term is in all six).
func TestSuggestStems(t *testing.T) {
	ix, err := CreateTemp(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	var articles []cari.Article
	for i := range 5 {
		articles = append(articles, cari.Article{ID: fmt.Sprintf("g%d", i), Title: "Kabar", Body: "Pemerintah daerah membuka pasar."})
	}
	for i := range 3 {
		articles = append(articles, cari.Article{ID: fmt.Sprintf("p%d", i), Title: "Kabar", Body: "Pasar pagi ramai."})
	}
	articles = append(articles, cari.Article{ID: "c", Title: "Kabar", Body: "Atas perintah camat, pasar ditutup."})
	if _, bad, err := ix.Upsert(ctx, articles); err != nil || len(bad) > 0 {
		t.Fatalf("upsert: %v %v", err, bad)
	}
	var got []string
	for _, c := range suggest(t, ix, "p", 4) {
		got = append(got, fmt.Sprintf("%s %d", c.Text, c.Count))
	}
	want := []string{"pasar 9", "pemerintah 5", "pagi 3", "perintah 6"}
	if !slices.Equal(got, want) {
		t.Errorf("p: %q, want %q", got, want)
	}
}
