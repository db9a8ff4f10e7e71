package index

import (
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// Typo tolerance. A query word whose analyzed form the index has never
// seen is probably misspelt ("multipolr"); it is matched fuzzily, within
// one edit for words of five letters or more and two from nine, and the
// result suggests the closest words the index does know. Words the index
// knows are never made fuzzy, so exact matches keep their rank.

// fuzzinessFor is the edit distance allowed for an unknown term.
func fuzzinessFor(term string) int {
	switch n := len([]rune(term)); {
	case n >= 9:
		return 2
	case n >= 5:
		return 1
	}
	return 0
}

// unknownWord is a query word the index does not know, with its analyzed
// term and the index's closest known term, if any.
type unknownWord struct {
	word, term, closest string
}

// unknownWords analyzes each word of text and returns those whose term is
// in neither the title nor the body dictionary.
func (ix *Index) unknownWords(text string) ([]unknownWord, error) {
	m := ix.bleve.Mapping()
	an := m.AnalyzerNamed(m.AnalyzerNameForPath(FieldBody))
	if an == nil {
		return nil, nil
	}
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return nil, fmt.Errorf("typo check: %w", err)
	}
	reader, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("typo check: %w", err)
	}
	defer reader.Close()
	contains, ok := reader.(bleveindex.IndexReaderContains)
	if !ok {
		return nil, nil
	}
	var dicts []bleveindex.FieldDictContains
	for _, f := range []string{FieldTitle, FieldBody} {
		d, err := contains.FieldDictContains(f)
		if err != nil {
			return nil, fmt.Errorf("typo check: %w", err)
		}
		dicts = append(dicts, d)
	}
	var out []unknownWord
	for _, w := range strings.Fields(text) {
		tokens := an.Analyze([]byte(w))
		if len(tokens) != 1 || fuzzinessFor(string(tokens[0].Term)) == 0 {
			continue
		}
		term := tokens[0].Term
		known := false
		for _, d := range dicts {
			if ok, err := d.Contains(term); err == nil && ok {
				known = true
				break
			}
		}
		if known {
			continue
		}
		u := unknownWord{word: w, term: string(term)}
		if fz, ok := reader.(bleveindex.IndexReaderFuzzy); ok {
			u.closest = closestTerm(fz, string(term))
		}
		out = append(out, u)
	}
	return out, nil
}

// closestTerm is the body term nearest to term: fewest edits, then most
// documents.
func closestTerm(r bleveindex.IndexReaderFuzzy, term string) string {
	dict, err := r.FieldDictFuzzy(FieldBody, term, fuzzinessFor(term), "")
	if err != nil {
		return ""
	}
	defer dict.Close()
	best, bestDist, bestCount := "", uint8(255), uint64(0)
	for {
		e, err := dict.Next()
		if err != nil || e == nil {
			break
		}
		if e.EditDistance < bestDist || e.EditDistance == bestDist && e.Count > bestCount {
			best, bestDist, bestCount = e.Term, e.EditDistance, e.Count
		}
	}
	return best
}

// fuzzyClauses matches each unknown word fuzzily in title and body.
func fuzzyClauses(unknown []unknownWord) []query.Query {
	var out []query.Query
	for _, u := range unknown {
		if u.closest == "" {
			continue
		}
		q := query.NewMatchQuery(u.word)
		q.SetFuzziness(fuzzinessFor(u.term))
		out = append(out, overTextFields(q))
	}
	return out
}

// suggestion rewrites text with each unknown word replaced by the index's
// closest known word, or returns "" when there is nothing to suggest.
func suggestion(text string, unknown []unknownWord) string {
	words := strings.Fields(text)
	changed := false
	for _, u := range unknown {
		if u.closest == "" {
			continue
		}
		for i, w := range words {
			if w == u.word {
				words[i] = u.closest
				changed = true
			}
		}
	}
	if !changed {
		return ""
	}
	return strings.Join(words, " ")
}
