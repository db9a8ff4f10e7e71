package analyzer

import (
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

type wantToken struct {
	term       string
	start, end int
	position   int
}

func analyzerNamed(t testing.TB, name string) analysis.Analyzer {
	t.Helper()
	a, err := registry.NewCache().AnalyzerNamed(name)
	if err != nil {
		t.Fatalf("analyzer %q: %v", name, err)
	}
	return a
}

func checkTokens(t *testing.T, input string, got analysis.TokenStream, want []wantToken) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%q: got %d tokens, want %d:", input, len(got), len(want))
		for _, g := range got {
			t.Logf("  %q %d-%d @%d", g.Term, g.Start, g.End, g.Position)
		}
		return
	}
	for i, w := range want {
		g := got[i]
		if string(g.Term) != w.term || g.Start != w.start || g.End != w.end || g.Position != w.position {
			t.Errorf("%q token %d: got %q %d-%d @%d (text %q), want %q %d-%d @%d",
				input, i, g.Term, g.Start, g.End, g.Position, input[g.Start:g.End], w.term, w.start, w.end, w.position)
		}
	}
}

func TestAnalyzerTokensAndOffsets(t *testing.T) {
	id := analyzerNamed(t, Name)
	for _, tc := range []struct {
		name  string
		input string
		want  []wantToken
	}{
		{"affixes and stop words", "Rusia menyerang Ukraina dan kemitraan itu",
			[]wantToken{{"rusia", 0, 5, 1}, {"serang", 6, 15, 2}, {"ukraina", 16, 23, 3}, {"mitra", 28, 37, 5}}},
		{"reduplication keeps the span", "Negara-negara Barat",
			[]wantToken{{"negara", 0, 13, 1}, {"barat", 14, 19, 2}}},
		{"affixed reduplication", "bersama-sama menyelaraskan",
			[]wantToken{{"sama", 0, 12, 1}, {"selaras", 13, 26, 2}}},
		{"compound split into parts", "kemitraan China-Rusia kuat",
			[]wantToken{{"mitra", 0, 9, 1}, {"china", 10, 15, 2}, {"rusia", 16, 21, 3}, {"kuat", 22, 26, 4}}},
		{"curly quotes are three bytes", "“Tiongkok” berkata",
			[]wantToken{{"tiongkok", 3, 11, 1}, {"kata", 15, 22, 2}}},
		{"en dash separates", "Jakarta–Bandung",
			[]wantToken{{"jakarta", 0, 7, 1}, {"bandung", 10, 17, 2}}},
		{"curly apostrophe folded", "hari Jum’at",
			[]wantToken{{"hari", 0, 4, 1}, {"jumat", 5, 13, 2}}},
		{"NFKC folds full-width letters", "ＡＳ menang",
			[]wantToken{{"as", 0, 6, 1}, {"menang", 7, 13, 2}}},
		{"numbers keep separators", "Rp1.250,5 juta pada 2023",
			[]wantToken{{"rp1.250,5", 0, 9, 1}, {"juta", 10, 14, 2}, {"2023", 20, 24, 4}}},
		{"soft hyphen inside a word", "kemi\u00adtraan",
			[]wantToken{{"mitra", 0, 11, 1}}},
		{"invalid UTF-8 separates", "berita\xffmenteri",
			[]wantToken{{"berita", 0, 6, 1}, {"menteri", 7, 14, 2}}},
		{"protected acronym", "Pemilu dan pilkada",
			[]wantToken{{"pemilu", 0, 6, 1}, {"pilkada", 11, 18, 3}}},
		{"roots stay roots", "berita menteri multipolar",
			[]wantToken{{"berita", 0, 6, 1}, {"menteri", 7, 14, 2}, {"multipolar", 15, 25, 3}}},
		{"clitic after a hyphen", "Allah-lah",
			[]wantToken{{"allah", 0, 9, 1}}},
		{"empty", "", nil},
		{"only punctuation", " — “ ” … ", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkTokens(t, tc.input, id.Analyze([]byte(tc.input)), tc.want)
		})
	}
}

// TestExactAnalyzerTokensAndOffsets checks the analyzer that keeps written
// forms: a word whose stem differs keeps its written form at the same
// position and offsets, an acronym its upper case, and nothing else
// changes.
func TestExactAnalyzerTokensAndOffsets(t *testing.T) {
	exact := analyzerNamed(t, ExactName)
	for _, tc := range []struct {
		name  string
		input string
		want  []wantToken
	}{
		{"derived word keeps its form", "pemilihan presiden",
			[]wantToken{{"pilih", 0, 9, 1}, {"=pemilihan", 0, 9, 1}, {"presiden", 10, 18, 2}}},
		{"affixed verb", "Rusia menyerang",
			[]wantToken{{"rusia", 0, 5, 1}, {"serang", 6, 15, 2}, {"=menyerang", 6, 15, 2}}},
		{"acronyms keep their case", "Presiden AS dan PAN",
			[]wantToken{{"presiden", 0, 8, 1}, {"as", 9, 11, 2}, {"=AS", 9, 11, 2}, {"pan", 16, 19, 4}, {"=PAN", 16, 19, 4}}},
		{"the same letters in lower or title case are words", "as Pan",
			[]wantToken{{"as", 0, 2, 1}, {"pan", 3, 6, 2}}},
		{"a long upper-case word is no acronym", "PRESIDEN",
			[]wantToken{{"presiden", 0, 8, 1}}},
		{"reduplication stems to its base", "negara-negara",
			[]wantToken{{"negara", 0, 13, 1}}},
		{"roots stay roots", "berita menteri",
			[]wantToken{{"berita", 0, 6, 1}, {"menteri", 7, 14, 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkTokens(t, tc.input, exact.Analyze([]byte(tc.input)), tc.want)
		})
	}
}

func TestTokenizerLeavesInputAlone(t *testing.T) {
	input := []byte("NEGARA-NEGARA “Menyerang” Ｘ")
	orig := string(input)
	analyzerNamed(t, Name).Analyze(input)
	if string(input) != orig {
		t.Fatalf("analysis changed its input: %q → %q", orig, input)
	}
}

func TestReduplicationBase(t *testing.T) {
	for _, tc := range []struct{ first, second, want string }{
		{"negara", "negara", "negara"},
		{"anak", "anaknya", "anak"},
		{"bersama", "sama", "sama"},
		{"sebesar", "besarnya", "besar"},
		{"meniru", "nirukan", "niru"},
		{"china", "rusia", ""},
		{"covid", "19", ""},
	} {
		if got := reduplicationBase(tc.first, tc.second); got != tc.want {
			t.Errorf("reduplicationBase(%q, %q) = %q, want %q", tc.first, tc.second, got, tc.want)
		}
	}
}

// checkStream asserts the invariants every token stream must keep.
func checkStream(t *testing.T, input []byte, stream analysis.TokenStream) {
	t.Helper()
	lastStart, lastPos := -1, 0
	for _, tok := range stream {
		if tok.Start < 0 || tok.End > len(input) || tok.Start >= tok.End {
			t.Fatalf("token %q has offsets %d-%d outside input of %d bytes", tok.Term, tok.Start, tok.End, len(input))
		}
		if tok.Start < lastStart {
			t.Fatalf("token %q starts at %d, before the previous token at %d", tok.Term, tok.Start, lastStart)
		}
		if tok.Position <= lastPos {
			t.Fatalf("token %q has position %d after %d", tok.Term, tok.Position, lastPos)
		}
		if len(tok.Term) == 0 || !utf8.Valid(tok.Term) {
			t.Fatalf("token term %q is empty or not UTF-8", tok.Term)
		}
		lastStart, lastPos = tok.Start, tok.Position
	}
}
