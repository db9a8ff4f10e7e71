package analyzer

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"golang.org/x/text/unicode/norm"
)

// Tokenizer splits text into words and numbers and normalizes each one
// (NFKC, apostrophes and hyphens folded, lower case) while keeping the byte
// offsets of the original text.
//
// A token is a run of letters, digits and combining marks. Inside a token a
// hyphen joins two word parts (negara-negara, covid-19), an apostrophe joins
// letters (Jum'at, which becomes jumat), and a dot or comma joins digits
// (1.250, 3,5). Invisible format characters (soft hyphen, zero-width
// joiners) are skipped without ending the token.
type Tokenizer struct{}

// Tokenize implements analysis.Tokenizer.
func (Tokenizer) Tokenize(input []byte) analysis.TokenStream {
	stream := make(analysis.TokenStream, 0, len(input)/6+1)
	// One arena holds the normalized terms of the whole input, so a token
	// costs no allocation of its own.
	arena := make([]byte, 0, len(input)+16)
	tokens := make([]analysis.Token, 0, len(input)/6+1)
	position := 1
	i := 0
	for i < len(input) {
		r, size := decode(input, i)
		if !isWordRune(r) {
			i += size
			continue
		}
		start := i
		end, numeric := scanToken(input, i)
		termStart := len(arena)
		arena = appendNormalized(arena, input[start:end])
		term := arena[termStart:len(arena):len(arena)]
		i = end
		if len(term) == 0 {
			continue
		}
		typ := analysis.AlphaNumeric
		switch {
		case numeric:
			typ = analysis.Numeric
		case isAcronym(input[start:end]):
			typ = Acronym
		}
		tokens = append(tokens, analysis.Token{
			Term:     term,
			Start:    start,
			End:      end,
			Position: position,
			Type:     typ,
		})
		position++
	}
	for k := range tokens {
		stream = append(stream, &tokens[k])
	}
	return stream
}

// Acronym is the type of a token written as an acronym: two to five
// letters, all upper case (AS, PAN, KPK). StemFilter.Exact keeps its case.
const Acronym analysis.TokenType = 100

func isAcronym(word []byte) bool {
	if len(word) < 2 || len(word) > 5 {
		return false
	}
	for _, c := range word {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

func decode(b []byte, i int) (rune, int) {
	if b[i] < utf8.RuneSelf {
		return rune(b[i]), 1
	}
	return utf8.DecodeRune(b[i:])
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
}

func isDigitRune(r rune) bool {
	return '0' <= r && r <= '9' || r >= utf8.RuneSelf && unicode.IsDigit(r)
}

// isInvisible reports format characters that may sit inside a word without
// splitting it: soft hyphen, zero-width space and joiners, word joiner, BOM.
func isInvisible(r rune) bool {
	switch r {
	case 0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF:
		return true
	}
	return false
}

// isHyphen reports the characters that join the halves of a reduplication.
// En and em dashes are not among them: they separate words in news text.
func isHyphen(r rune) bool {
	switch r {
	case '-', 0x2010, 0x2011, 0x2212, 0xFE63, 0xFF0D:
		return true
	}
	return false
}

func isApostrophe(r rune) bool {
	switch r {
	case '\'', 0x2019, 0x2018, 0x02BC, 0x02BB, 0x0060, 0x00B4, 0xFF07:
		return true
	}
	return false
}

// scanToken returns the end of the token starting at i.
//
// Branchy because it is the inner loop of the tokenizer, one case a class
// of character, on the hot path of indexing.
func scanToken(b []byte, i int) (end int, numeric bool) {
	numeric = true
	var prev rune
	for i < len(b) {
		r, size := decode(b, i)
		switch {
		case isWordRune(r):
			if !isDigitRune(r) {
				numeric = false
			}
			prev = r
			i += size
			continue
		case isInvisible(r):
			i += size
			continue
		}
		// A joiner counts only between two word runes.
		if i+size >= len(b) || prev == 0 {
			return i, numeric
		}
		next, _ := decode(b, i+size)
		switch {
		case isHyphen(r) && isWordRune(next):
			numeric = false
		case isApostrophe(r) && unicode.IsLetter(prev) && unicode.IsLetter(next):
		case (r == '.' || r == ',') && isDigitRune(prev) && isDigitRune(next):
		default:
			return i, numeric
		}
		i += size
	}
	return i, numeric
}

// appendNormalized appends the normalized form of a raw token to dst:
// NFKC, hyphens folded to '-', apostrophes and invisible characters
// dropped, lower case.
//
// Branchy because it is the inner loop over a token's characters, one case
// a class of character; it is on the hot path of indexing, and measured
// so.
func appendNormalized(dst, raw []byte) []byte {
	ascii := true
	for _, c := range raw {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		for _, c := range raw {
			switch {
			case 'A' <= c && c <= 'Z':
				dst = append(dst, c+'a'-'A')
			case c == '\'' || c == '`':
			default:
				dst = append(dst, c)
			}
		}
		return dst
	}
	folded := raw
	if !norm.NFKC.IsNormal(raw) {
		folded = norm.NFKC.Bytes(raw)
	}
	for i := 0; i < len(folded); {
		r, size := utf8.DecodeRune(folded[i:])
		i += size
		switch {
		case isInvisible(r) || isApostrophe(r):
		case isHyphen(r):
			dst = append(dst, '-')
		case r == utf8.RuneError && size == 1:
			// Invalid UTF-8 never reaches the index as raw bytes.
			dst = utf8.AppendRune(dst, unicode.ReplacementChar)
		default:
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
	}
	return dst
}
