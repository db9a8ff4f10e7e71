package index

// A search's cost is bounded before it runs. bleve turns a wildcard,
// prefix, regular expression or fuzzy clause into one term search for
// every dictionary term it matches, and scores and counts them all: `*x*`
// over a news archive is hundreds of thousands of term searches, seconds
// of CPU and gigabytes of memory, for one unauthenticated request. Each
// such clause is counted against the dictionary first, stopping at the
// cap, which costs a walk of at most MaxExpansion terms; a query over
// the cap, over MaxTotalExpansion in all, or with more than MaxClauses
// clauses, is refused with ErrTooExpensive naming the clause. A bare `*` is every article, as
// an empty query is.

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/carisearch/cari"
)

// The caps on a query's cost.
const (
	// MaxExpansion is the most dictionary terms a wildcard, prefix,
	// regexp or fuzzy clause may match in one field.
	MaxExpansion = 2000
	// MaxTotalExpansion is the most such terms a whole query may match:
	// twenty narrow wildcards cost what one broad one does.
	MaxTotalExpansion = 2 * MaxExpansion
	// MaxClauses is the most clauses a query may hold.
	MaxClauses = 64
)

// checkCost refuses a parsed query that holds more than MaxClauses
// clauses, or, with its fields set (expanded), where a clause would
// expand to more than MaxExpansion terms, or all of them to more than
// MaxTotalExpansion.
func (ix *Index) checkCost(ctx context.Context, parsed, expanded query.Query) error {
	clauses := 0
	eachLeaf(parsed, func(query.Query) { clauses++ })
	if clauses > MaxClauses {
		return fmt.Errorf("%w: %d clauses, at most %d", cari.ErrTooExpensive, clauses, MaxClauses)
	}
	var leaves []query.Query
	eachLeaf(expanded, func(leaf query.Query) { leaves = append(leaves, leaf) })
	var reader bleveindex.IndexReader
	defer func() {
		if reader != nil {
			_ = reader.Close()
		}
	}()
	total := 0
	for _, leaf := range leaves {
		if err := ctx.Err(); err != nil {
			return err
		}
		open := func() (bleveindex.IndexReader, error) {
			if reader != nil {
				return reader, nil
			}
			r, err := ix.countingReader()
			if err != nil {
				return nil, fmt.Errorf("query cost: %w", err)
			}
			reader = r
			return r, nil
		}
		n, clause, err := termsMatched(leaf, open)
		if err != nil {
			return err
		}
		if n > MaxExpansion {
			return fmt.Errorf("%w: %s matches more than %d terms; make it narrower", cari.ErrTooExpensive, clause, MaxExpansion)
		}
		if total += n; total > MaxTotalExpansion {
			return fmt.Errorf("%w: with %s the query matches more than %d terms; use fewer wildcards", cari.ErrTooExpensive, clause, MaxTotalExpansion)
		}
	}
	return nil
}

// termsMatched counts, up to MaxExpansion+1, the terms clause matches, and
// names it; 0 for a clause that matches terms as written.
//
// Branchy because it has a case for each kind of clause that expands to
// terms (prefix, wildcard, regexp, fuzzy), each counted the same way.
func termsMatched(clause query.Query, open func() (bleveindex.IndexReader, error)) (int, string, error) {
	var field, name string
	var dict func(bleveindex.IndexReader) (bleveindex.FieldDict, error)
	switch v := clause.(type) {
	case *query.WildcardQuery:
		field, name = v.Field(), fmt.Sprintf("%s:%s", v.Field(), v.Wildcard)
		re := wildcardRegexp(v.Wildcard)
		dict = func(r bleveindex.IndexReader) (bleveindex.FieldDict, error) {
			rr, ok := r.(bleveindex.IndexReaderRegexp)
			if !ok {
				return nil, nil
			}
			return rr.FieldDictRegexp(field, re)
		}
	case *query.RegexpQuery:
		field, name = v.Field(), fmt.Sprintf("%s:/%s/", v.Field(), v.Regexp)
		dict = func(r bleveindex.IndexReader) (bleveindex.FieldDict, error) {
			rr, ok := r.(bleveindex.IndexReaderRegexp)
			if !ok {
				return nil, nil
			}
			return rr.FieldDictRegexp(field, strings.TrimPrefix(v.Regexp, "^"))
		}
	case *query.PrefixQuery:
		field, name = v.Field(), fmt.Sprintf("%s:%s*", v.Field(), v.Prefix)
		dict = func(r bleveindex.IndexReader) (bleveindex.FieldDict, error) {
			return r.FieldDictPrefix(field, []byte(v.Prefix))
		}
	case *query.FuzzyQuery:
		field, name = v.Field(), fmt.Sprintf("%s:%s~%d", v.Field(), v.Term, v.Fuzziness)
		dict = func(r bleveindex.IndexReader) (bleveindex.FieldDict, error) {
			fr, ok := r.(bleveindex.IndexReaderFuzzy)
			if !ok || v.Fuzziness <= 0 {
				return nil, nil
			}
			runes := []rune(v.Term)
			prefix := string(runes[:min(max(v.Prefix, 0), len(runes))])
			return fr.FieldDictFuzzy(field, v.Term, min(v.Fuzziness, 2), prefix)
		}
	default:
		return 0, "", nil
	}
	r, err := open()
	if err != nil {
		return 0, "", err
	}
	d, err := dict(r)
	if err != nil {
		return 0, "", fmt.Errorf("%w: %s: %v", cari.ErrBadRequest, name, err)
	}
	if d == nil {
		return 0, name, nil
	}
	defer d.Close()
	n := 0
	for n <= MaxExpansion {
		e, err := d.Next()
		if err != nil {
			return 0, "", fmt.Errorf("query cost of %s: %w", name, err)
		}
		if e == nil {
			break
		}
		n++
	}
	return n, name, nil
}

// wildcardRegexp is the regular expression of a wildcard: * any run of
// characters, ? one, the rest as written.
func wildcardRegexp(w string) string {
	var b strings.Builder
	for _, r := range w {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	return b.String()
}
