package analyzer

import (
	"github.com/blevesearch/bleve/v2/analysis"
)

// Explained is one token as the id analyzer sees it, for people tuning
// queries: where it is, what it became at each stage, and why it was
// dropped or left unstemmed.
type Explained struct {
	Position  int    `json:"position"`
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Text      string `json:"text"`  // the original characters
	Token     string `json:"token"` // normalized, reduplication resolved
	Stem      string `json:"stem"`  // the term that is indexed; "" when dropped
	Stop      bool   `json:"stop,omitempty"`
	Protected bool   `json:"protected,omitempty"`
	Root      bool   `json:"root,omitempty"` // the token is in the root lexicon
}

// Explain runs text through the stages of the id analyzer with stemmer s
// and reports every token, stop words included.
func Explain(text string, s *Stemmer) ([]Explained, error) {
	stops, err := stopWords()
	if err != nil {
		return nil, err
	}
	keepWhole := map[string]bool{}
	for _, w := range BuiltinKeepWhole() {
		keepWhole[w] = true
	}
	input := []byte(text)
	tokens := ReduplicationFilter{}.Filter(Tokenizer{}.Tokenize(input))
	out := make([]Explained, 0, len(tokens))
	for _, tok := range tokens {
		e := Explained{
			Position: tok.Position,
			Start:    tok.Start,
			End:      tok.End,
			Text:     string(input[tok.Start:tok.End]),
			Token:    string(tok.Term),
		}
		_, e.Stop = stops[e.Token]
		e.Protected = s.IsProtected(e.Token) || keepWhole[e.Token]
		e.Root = s.IsRoot(e.Token)
		if !e.Stop {
			tok.KeyWord = e.Protected
			StemFilter{Stemmer: s}.Filter(analysis.TokenStream{tok})
			e.Stem = string(tok.Term)
		}
		out = append(out, e)
	}
	return out, nil
}
