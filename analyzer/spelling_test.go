package analyzer

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/carisearch/cari/analyzer/lexicon"
	"github.com/carisearch/cari/internal/goldens"
)

func TestSpellingFold(t *testing.T) {
	s := NewSpelling()
	for _, tc := range []struct{ word, want string }{
		// The rules: a marker makes the whole word old.
		{"soekarno", "sukarno"},
		{"djakarta", "jakarta"},
		{"tjinta", "cinta"},
		{"njonja", "nyonya"},
		{"sjarat", "syarat"},
		{"soerabaja", "surabaya"},
		{"tjahjo", "cahyo"},
		{"widjaja", "wijaya"},
		{"bandjarmasin", "banjarmasin"},
		{"pendjabat", "penjabat"},
		{"oetama", "utama"},
		// Old words without a marker, and with a clitic.
		{"achir", "akhir"},
		{"achirnja", "akhirnya"},
		{"jogjakarta", "yogyakarta"},
		{"chusus", "khusus"},
		// Informal forms.
		{"gak", "tidak"},
		{"nggak", "tidak"},
		{"enggak", "tidak"},
		{"udah", "sudah"},
		{"bgt", "banget"},
		{"yg", "yang"},
		{"dgn", "dengan"},
		{"tdk", "tidak"},
		// No marker: modern words with nj, j, ch stay.
		{"banjir", "banjir"},
		{"joko", "joko"},
		{"jokowi", "jokowi"},
		{"saja", "saja"},
		{"china", "china"},
		{"achmad", "achmad"},
		{"jang", "jang"},
		// Markers before a consonant or at the end are abbreviations'.
		{"djp", "djp"},
		{"bptj", "bptj"},
		{"dj", "dj"},
		// Exceptions, with a clitic too.
		{"masjid", "masjid"},
		{"masjidnya", "masjid" + "nya"},
		{"boeing", "boeing"},
		{"djarum", "djarum"},
		{"ditjen", "ditjen"},
		{"transjakarta", "transjakarta"},
		// Only words of a–z: the tokenizer's lower case, no digits.
		{"Soekarno", "Soekarno"},
		{"soe2", "soe2"},
		{"söekarno", "söekarno"},
		{"", ""},
	} {
		if got := s.Fold(tc.word); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
}

// TestSpellingFilterTokensAndOffsets checks the new analyzers' chain: the
// terms of old and informal spellings are folded, the stem and the
// written form beside it are the folded word's, and every token keeps the
// offsets of the text as written.
func TestSpellingFilterTokensAndOffsets(t *testing.T) {
	for _, tc := range []struct {
		name, analyzer, input string
		want                  []wantToken
	}{
		{"old names", FoldExactName, "Soekarno dan Djakarta",
			[]wantToken{{"sukarno", 0, 8, 1}, {"jakarta", 13, 21, 3}}},
		{"informal stop words dropped like the standard ones", FoldExactName, "yg udah gak datang",
			[]wantToken{{"datang", 12, 18, 4}}},
		{"the title chain keeps them, folded", FoldTitleExactName, "yg udah gak datang",
			[]wantToken{{"yang", 0, 2, 1}, {"sudah", 3, 7, 2}, {"tidak", 8, 11, 3}, {"datang", 12, 18, 4}}},
		{"stem and written form of the folded word", FoldExactName, "pendjabat Tjahjo",
			[]wantToken{{"jabat", 0, 9, 1}, {"=penjabat", 0, 9, 1}, {"cahyo", 10, 16, 2}}},
		{"old word with a clitic", FoldTitleExactName, "pada achirnja",
			[]wantToken{{"pada", 0, 4, 1}, {"akhir", 5, 13, 2}, {"=akhirnya", 5, 13, 2}}},
		{"reduplication then folding", FoldExactName, "tjinta-tjinta",
			[]wantToken{{"cinta", 0, 13, 1}}},
		{"hyphenated parts folded each", FoldExactName, "Soekarno-Hatta",
			[]wantToken{{"sukarno", 0, 8, 1}, {"hatta", 9, 14, 2}}},
		{"curly quotes before a folded word", FoldExactName, "“Soeharto”",
			[]wantToken{{"suharto", 3, 11, 1}}},
		{"acronyms are not folded", FoldExactName, "DJ GA",
			[]wantToken{{"dj", 0, 2, 1}, {"=DJ", 0, 2, 1}, {"ga", 3, 5, 2}, {"=GA", 3, 5, 2}}},
		{"exceptions stay", FoldExactName, "masjid Djarum",
			[]wantToken{{"masjid", 0, 6, 1}, {"djarum", 7, 13, 2}}},
		{"stems only", FoldName, "Soekarno pendjabat",
			[]wantToken{{"sukarno", 0, 8, 1}, {"jabat", 9, 18, 2}}},
		{"the analyzers of older indexes do not fold", ExactName, "Soekarno gak",
			[]wantToken{{"soekarno", 0, 8, 1}, {"gak", 9, 12, 2}}},
		{"nor does id", Name, "Djakarta", []wantToken{{"djakarta", 0, 8, 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkTokens(t, tc.input, analyzerNamed(t, tc.analyzer).Analyze([]byte(tc.input)), tc.want)
		})
	}
}

// TestSpellingChains: the new analyzers are the old chains with the
// spelling filter right after reduplication, and the old analyzers' chains
// have no spelling filter, so an index made before reads as it did.
func TestSpellingChains(t *testing.T) {
	for name, want := range map[string]bool{
		Name: false, ExactName: false, TitleName: false, TitleExactName: false, NoStemName: false,
		FoldName: true, FoldExactName: true, FoldTitleName: true, FoldTitleExactName: true,
	} {
		chain, ok := analyzerNamed(t, name).(*analysis.DefaultAnalyzer)
		if !ok {
			t.Fatalf("%s is not a DefaultAnalyzer", name)
		}
		at := slices.IndexFunc(chain.TokenFilters, func(f analysis.TokenFilter) bool { _, ok := f.(SpellingFilter); return ok })
		if got := at >= 0; got != want {
			t.Errorf("%s: spelling filter %v, want %v", name, got, want)
		}
		if want && (at != 1 || !isReduplication(chain.TokenFilters[0])) {
			t.Errorf("%s: spelling filter at %d, want 1, after reduplication", name, at)
		}
	}
	if got := FoldFilters(Filters(StemmerName)); !slices.Equal(got, []string{ReduplicationName, SpellingName, StopName, KeywordName, StemmerName}) {
		t.Errorf("FoldFilters = %v", got)
	}
}

func isReduplication(f analysis.TokenFilter) bool {
	_, ok := f.(ReduplicationFilter)
	return ok
}

// readSpellingGoldens reads testdata/spelling/goldens.tsv.
func readSpellingGoldens(t *testing.T) []goldens.SpellingPair {
	t.Helper()
	out, err := goldens.ReadSpelling(filepath.Join("..", "testdata", "spelling", "goldens.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 20 {
		t.Fatalf("only %d goldens", len(out))
	}
	return out
}

// TestSpellingGoldens: the two forms of a "same" golden give the same
// terms in the body and the title analyzers of a new index, those of an
// "apart" golden different ones.
func TestSpellingGoldens(t *testing.T) {
	terms := func(an analysis.Analyzer, text string) string {
		var out []string
		for _, tok := range an.Analyze([]byte(text)) {
			out = append(out, string(tok.Term))
		}
		return strings.Join(out, " ")
	}
	for _, name := range []string{FoldExactName, FoldTitleExactName, FoldName} {
		an := analyzerNamed(t, name)
		for _, g := range readSpellingGoldens(t) {
			ta, tb := terms(an, g.A), terms(an, g.B)
			if (ta == tb) != g.Same {
				t.Errorf("%s: goldens.tsv:%d: %q → [%s], %q → [%s]; want them %s", name, g.Line, g.A, ta, g.B, tb, map[bool]string{true: "the same", false: "apart"}[g.Same])
			}
		}
	}
}

// TestSpellingLists checks the lists the folding reads: every exception
// is a word the rules would fold (else it protects nothing), no old word
// or informal form is one the rules fold already or an exception, and
// every folded form is a plain a–z word.
func TestSpellingLists(t *testing.T) {
	rules := NewSpellingFrom(nil, nil, nil)
	keep := lexicon.SpellingKeep()
	if len(keep) < 20 || len(lexicon.Informal()) < 10 || len(lexicon.OldWords()) < 5 {
		t.Fatalf("lists did not load: %d exceptions, %d informal, %d old words", len(keep), len(lexicon.Informal()), len(lexicon.OldWords()))
	}
	for _, w := range keep {
		if _, ok := rules.fold([]byte(w)); !ok {
			t.Errorf("spellingkeep.txt: the rules leave %q alone already", w)
		}
	}
	seen := map[string]string{}
	for name, pairs := range map[string][][2]string{"informal.txt": lexicon.Informal(), "oldwords.txt": lexicon.OldWords()} {
		for _, p := range pairs {
			if other, ok := seen[p[0]]; ok {
				t.Errorf("%s: %q is in %s too", name, p[0], other)
			}
			seen[p[0]] = name
			if _, ok := rules.fold([]byte(p[0])); ok {
				t.Errorf("%s: the rules fold %q already", name, p[0])
			}
			if slices.Contains(keep, p[0]) {
				t.Errorf("%s: %q is an exception too", name, p[0])
			}
			for _, w := range p {
				if !isLowerASCII([]byte(w)) || len(w) < 2 {
					t.Errorf("%s: %q is not a word of a–z", name, w)
				}
			}
			if p[0] == p[1] {
				t.Errorf("%s: %q folds to itself", name, p[0])
			}
		}
	}
}

// TestFoldedRootsStayWhole: a root of the lexicon that the folding
// changes (soekarno, waroeng) must not be mangled by the stemmer in its
// new spelling, which the lexicon may not hold.
func TestFoldedRootsStayWhole(t *testing.T) {
	s, err := NewStemmer(StemmerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sp := NewSpelling()
	n := 0
	for _, r := range lexicon.Roots() {
		f := sp.Fold(r)
		if f == r {
			continue
		}
		n++
		if stem := s.Stem(f); stem != f && !s.IsRoot(stem) {
			t.Errorf("root %q folds to %q, which stems to %q", r, f, stem)
		}
	}
	t.Logf("%d roots fold", n)
}

// TestSpellingFilterAllocs: a token the folding leaves alone costs no
// allocation.
func TestSpellingFilterAllocs(t *testing.T) {
	f := SpellingFilter{Spelling: NewSpelling()}
	stream := Tokenizer{}.Tokenize([]byte("Presiden menyerang kemitraan banjir China masjid"))
	if allocs := testing.AllocsPerRun(100, func() { f.Filter(stream) }); allocs != 0 {
		t.Errorf("%.1f allocations a run, want 0", allocs)
	}
}

func FuzzSpelling(f *testing.F) {
	seedLines(f, false)
	for _, s := range []string{"Soekarno", "Djakarta-Djakarta", "tjinta’", "njonja", "achirnja", "DJ", "ddja", "ooee", "sjsjsj", "yg gak", "Ｄｊａｋａｒｔａ", "soe\u00adkarno", "oe", "nj", "\xffdj\xfe"} {
		f.Add(s)
	}
	an := analyzerNamed(f, FoldName)
	exact := analyzerNamed(f, FoldExactName)
	s := NewSpelling()
	rules := NewSpellingFrom(nil, nil, nil)
	f.Fuzz(func(t *testing.T, text string) {
		input := []byte(text)
		orig := string(input)
		checkStream(t, input, an.Analyze(input))
		var words analysis.TokenStream
		for _, tok := range exact.Analyze(input) {
			if !IsExact(tok.Term) {
				words = append(words, tok)
			} else if len(words) == 0 || words[len(words)-1].Position != tok.Position || words[len(words)-1].Start != tok.Start || words[len(words)-1].End != tok.End {
				t.Fatalf("written form %q is not beside its stem", tok.Term)
			} else if !utf8.Valid(tok.Term) {
				t.Fatalf("written form %q is not UTF-8", tok.Term)
			}
		}
		checkStream(t, input, words)
		if string(input) != orig {
			t.Fatalf("analysis changed its input")
		}
		for _, w := range strings.Fields(strings.ToLower(text)) {
			folded := s.Fold(w)
			if utf8.ValidString(w) && !utf8.ValidString(folded) {
				t.Fatalf("Fold(%q) = %q is not valid UTF-8", w, folded)
			}
			if again := s.Fold(w); again != folded {
				t.Fatalf("Fold(%q) gave %q, then %q", w, folded, again)
			}
			if r, ok := rules.fold([]byte(w)); ok && len(r) > len(w) {
				t.Fatalf("the rules lengthen %q to %q", w, r)
			}
		}
	})
}
