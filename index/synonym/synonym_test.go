package synonym

import (
	"sort"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/carisearch/cari/analyzer"
)

// idAnalyzer is the id analyzer, stems only: what an index's synonym
// forms go through.
func idAnalyzer(t *testing.T) analysis.Analyzer {
	t.Helper()
	an := bleve.NewIndexMapping().AnalyzerNamed(analyzer.Name)
	if an == nil {
		t.Fatalf("no analyzer %q", analyzer.Name)
	}
	return an
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestBuiltinSynonyms checks that the built-in list parses with the id
// analyzer and links what the design promises.
func TestBuiltinSynonyms(t *testing.T) {
	syn, err := Builtin(idAnalyzer(t))
	if err != nil {
		t.Fatal(err)
	}
	if syn.reaching() < 300 {
		t.Errorf("%d forms reach others, want the built-in list's 300 and more", syn.reaching())
	}
	for _, tc := range []struct{ term, reaches string }{
		{"tiongkok", "rrt"},
		{"rrt", "china"},
		{"as", "Amerika Serikat"},
		{"kpk", "Komisi Pemberantasan Korupsi"},
		{"pbb", "Perserikatan Bangsa-Bangsa"},
		{"dpr", "Dewan Perwakilan Rakyat"},
	} {
		if got := syn.describe(tc.term); !containsString(got, tc.reaches) {
			t.Errorf("%s reaches %v, want %s among them", tc.term, got, tc.reaches)
		}
	}
	// One way: an old name finds the new, not the reverse.
	if got := syn.describe("irian"); !containsString(got, "papua") {
		t.Errorf("irian reaches %v, want papua", got)
	}
	if got := syn.describe("papua"); containsString(got, "irian") {
		t.Errorf("papua reaches %v; the old name should not come back", got)
	}
}

// reaching is the number of forms that reach other forms.
func (s *List) reaching() int { return len(s.terms) + len(s.forms) }

// describe lists what a word reaches, as written.
func (s *List) describe(term string) []string {
	if s == nil {
		return nil
	}
	out := append([]string(nil), s.terms[term]...)
	for _, f := range s.forms[term] {
		out = append(out, f.text)
	}
	sort.Strings(out)
	return out
}
