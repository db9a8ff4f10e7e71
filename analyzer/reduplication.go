package analyzer

import (
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
)

// reduplicationBase returns the word a hyphenated pair repeats, or "" when
// the pair is not a reduplication:
//
//	negara-negara   → negara   (full)
//	anak-anaknya    → anak     (full, with a clitic on the second half)
//	bersama-sama    → sama     (affixed first half)
//	sebesar-besarnya → besar   (confix around the repetition)
func reduplicationBase(first, second string) string {
	switch {
	case first == "" || second == "":
		return ""
	case first == second:
		return first
	case len(second) >= 2 && strings.HasSuffix(first, second):
		return second
	case len(first) >= 2 && strings.HasPrefix(second, first):
		return first
	}
	// The longest tail of the first half that opens the second. A root is
	// short, so only short tails are tried: an absurdly long token must
	// not cost quadratic time.
	for n := min(len(first), len(second), maxWordBytes) - 1; n >= 3; n-- {
		if first[len(first)-n:] == second[:n] {
			return second[:n]
		}
	}
	return ""
}

// isClitic reports second halves that attach a particle or possessive to
// the first with a hyphen (Allah-lah, dia-pun) rather than repeating it.
func isClitic(half string) bool {
	switch half {
	case "lah", "kah", "tah", "pun", "nya", "ku", "mu":
		return true
	}
	return false
}

// ReduplicationFilter turns a hyphenated reduplication into its first half
// and splits any other hyphenated token (China-Rusia, covid-19)
// into its parts, each with its own offsets and position, so that a search
// for "Rusia" finds "China-Rusia".
type ReduplicationFilter struct{}

// Filter implements analysis.TokenFilter.
func (ReduplicationFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	hyphenated := false
	for _, tok := range input {
		if containsHyphen(tok.Term) {
			hyphenated = true
			break
		}
	}
	if !hyphenated {
		return input
	}
	out := make(analysis.TokenStream, 0, len(input)+4)
	shift := 0
	for _, tok := range input {
		tok.Position += shift
		if !containsHyphen(tok.Term) {
			out = append(out, tok)
			continue
		}
		parts := strings.Split(string(tok.Term), "-")
		if len(parts) == 2 {
			// The first half carries the affixes the stemmer knows:
			// bersama-sama → bersama → sama, memanggil-manggil →
			// memanggil → panggil.
			if reduplicationBase(parts[0], parts[1]) != "" {
				tok.Term = []byte(parts[0])
				out = append(out, tok)
				continue
			}
			if isClitic(parts[1]) {
				tok.Term = []byte(parts[0] + parts[1])
				out = append(out, tok)
				continue
			}
		}
		pieces := hyphenPieces(tok)
		for k, piece := range pieces {
			piece.Position = tok.Position + k
			out = append(out, piece)
		}
		shift += len(pieces) - 1
	}
	return out
}

func containsHyphen(term []byte) bool {
	for _, c := range term {
		if c == '-' {
			return true
		}
	}
	return false
}

// hyphenPieces splits a hyphenated token into one token per part. When the
// term has the same length as the original span (no normalization changed
// its bytes, the usual case) every part gets its exact offsets; otherwise
// each part keeps the span of the whole word, which still highlights the
// right place and never points outside it.
func hyphenPieces(tok *analysis.Token) []*analysis.Token {
	exact := len(tok.Term) == tok.End-tok.Start
	pieces := make([]*analysis.Token, 0, 3)
	from := 0
	for i := 0; i <= len(tok.Term); i++ {
		if i < len(tok.Term) && tok.Term[i] != '-' {
			continue
		}
		if i > from {
			piece := &analysis.Token{Term: tok.Term[from:i:i], Start: tok.Start, End: tok.End, Type: tok.Type}
			if exact {
				piece.Start, piece.End = tok.Start+from, tok.Start+i
			}
			if isAllDigits(piece.Term) {
				piece.Type = analysis.Numeric
			}
			pieces = append(pieces, piece)
		}
		from = i + 1
	}
	return pieces
}

func isAllDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}
