package analyzer

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"

	"github.com/carisearch/cari"
)

// Explain reports every token of text as the analyzer an reads it, stop
// words included. It runs an itself, not a copy of its chain described
// here, so what it shows is what an index with an stores: the stems are
// those of the full chain, the normalized tokens those of the chain
// without its stemmer, and a stop word is a token the full chain drops
// that the chain without its stop filters keeps. Words are matched across
// the runs by position, which no filter of a chain renumbers.
//
// An analyzer that is not a bleve DefaultAnalyzer (a tokenizer and
// filters) is reported as it analyzes: each term its own token and stem.
func Explain(an analysis.Analyzer, text string) ([]cari.Token, error) {
	// Each run gets its own copy of the text: filters may change terms in
	// place (bleve's to_lower does), and terms share the tokenizer's input.
	input := func() []byte { return []byte(text) }
	chain, ok := an.(*analysis.DefaultAnalyzer)
	out := []cari.Token{} // never nil: an empty text has no tokens, not null
	if !ok {
		for _, tok := range an.Analyze(input()) {
			out = append(out, token(tok, text, string(tok.Term), string(tok.Term)))
		}
		return out, nil
	}
	var stemmer *Stemmer
	var withoutStop, withoutStemOrStop []analysis.TokenFilter
	for _, f := range chain.TokenFilters {
		if _, isStop := f.(*stop.StopTokensFilter); isStop {
			continue
		}
		withoutStop = append(withoutStop, f)
		if sf, isStem := f.(StemFilter); isStem {
			stemmer = sf.Stemmer
			continue
		}
		withoutStemOrStop = append(withoutStemOrStop, f)
	}
	variant := func(filters []analysis.TokenFilter) analysis.TokenStream {
		return (&analysis.DefaultAnalyzer{CharFilters: chain.CharFilters, Tokenizer: chain.Tokenizer, TokenFilters: filters}).Analyze(input())
	}
	indexed := map[int]bool{}
	for _, tok := range chain.Analyze(input()) {
		indexed[tok.Position] = true
	}
	normalized := map[int]string{}
	for _, tok := range variant(withoutStemOrStop) {
		if _, seen := normalized[tok.Position]; !seen {
			normalized[tok.Position] = string(tok.Term)
		}
	}
	for _, tok := range variant(withoutStop) {
		if IsExact(tok.Term) {
			continue // the written form kept beside its stem
		}
		norm, ok := normalized[tok.Position]
		if !ok {
			return nil, fmt.Errorf("explain: the chain without its stemmer has no token at position %d", tok.Position)
		}
		t := token(tok, text, norm, string(tok.Term))
		t.Stop = !indexed[tok.Position]
		if t.Stop {
			t.Stem = ""
		}
		t.Protected = tok.KeyWord
		if stemmer != nil {
			t.Protected = t.Protected || stemmer.IsProtected(norm)
			t.Root = stemmer.IsRoot(norm)
		}
		out = append(out, t)
	}
	return out, nil
}

func token(tok *analysis.Token, text string, normalized, stem string) cari.Token {
	t := cari.Token{Position: tok.Position, Start: tok.Start, End: tok.End, Token: normalized, Stem: stem}
	if 0 <= tok.Start && tok.Start <= tok.End && tok.End <= len(text) {
		t.Text = text[tok.Start:tok.End]
	}
	return t
}
