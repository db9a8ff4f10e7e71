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
// in neither the title nor the body dictionary of any shard.
func (ix *Index) unknownWords(text string) ([]unknownWord, error) {
	m := ix.mapping()
	an := m.AnalyzerNamed(m.AnalyzerNameForPath(FieldBody))
	if an == nil {
		return nil, nil
	}
	var readers []bleveindex.IndexReader
	defer func() {
		for _, r := range readers {
			_ = r.Close()
		}
	}()
	var dicts []bleveindex.FieldDictContains
	for _, b := range ix.shards {
		adv, err := b.Advanced()
		if err != nil {
			return nil, fmt.Errorf("typo check: %w", err)
		}
		reader, err := adv.Reader()
		if err != nil {
			return nil, fmt.Errorf("typo check: %w", err)
		}
		readers = append(readers, reader)
		contains, ok := reader.(bleveindex.IndexReaderContains)
		if !ok {
			return nil, nil
		}
		for _, f := range []string{FieldTitle, FieldBody} {
			d, err := contains.FieldDictContains(f)
			if err != nil {
				return nil, fmt.Errorf("typo check: %w", err)
			}
			dicts = append(dicts, d)
		}
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
		u.closest = closestTerm(readers, string(term))
		out = append(out, u)
	}
	return out, nil
}

// closestTerm is the body term nearest to term: fewest edits, then most
// documents (summed over the shards), then the first in byte order, so
// that the answer does not depend on how articles are sharded.
func closestTerm(readers []bleveindex.IndexReader, term string) string {
	type found struct {
		dist  uint8
		count uint64
	}
	terms := map[string]found{}
	for _, r := range readers {
		fz, ok := r.(bleveindex.IndexReaderFuzzy)
		if !ok {
			continue
		}
		dict, err := fz.FieldDictFuzzy(FieldBody, term, fuzzinessFor(term), "")
		if err != nil {
			continue
		}
		for {
			e, err := dict.Next()
			if err != nil || e == nil {
				break
			}
			f := terms[e.Term]
			f.dist, f.count = e.EditDistance, f.count+e.Count
			terms[e.Term] = f
		}
		_ = dict.Close()
	}
	best, bestDist, bestCount := "", uint8(255), uint64(0)
	for t, f := range terms {
		if f.dist < bestDist || f.dist == bestDist && (f.count > bestCount || f.count == bestCount && t < best) {
			best, bestDist, bestCount = t, f.dist, f.count
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
