package index

// Facets are counted by bleve from doc values: for every hit, the values
// of one field, fieldFacets. zapx would keep them snappy-compressed in
// chunks of 1,024 articles, and a search that finds a few hundred
// articles spread over the index would decode every chunk, offset table
// and all; this field keeps them uncompressed, an article at a time
// (plainDocValuesField): on the news corpus that takes 0.4-0.5 ms off the
// median search of the latency benchmark, over half of what facets cost
// (BenchmarkFacetDocValues). An article's source and month are one short
// value (facetKey): a month code and a code of the source name, 13 bytes
// where "s:kompas.com" and "m:2019-08" took 26, and one value to count,
// not two. Tags, which are many and free text, stay values of their own
// ("t:politik"). The source names are found again from the codes through
// the source field's own dictionary (sourceNames).
//
// Indexes made before keep their field (fieldFacetsCompressed) and
// their values ("s:…", "m:…"): addFacets counts whichever field the
// index has, and splitFacets reads both kinds of value.

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/carisearch/cari"
)

// The prefixes of the values of fieldFacets, and the month code of an
// article with no date.
const (
	facetTag       = "t:"
	facetOldSource = "s:" // indexes made before facetKey
	facetOldMonth  = "m:"
	noMonth        = "---"
)

// facetKey is an article's month and source as one value of fieldFacets:
// monthCode, then sourceCode (empty without a source).
func facetKey(a *cari.Article) string {
	m := noMonth
	if !a.Published.IsZero() {
		m = monthCode(a.Published)
	}
	if a.Source == "" {
		return m
	}
	return m + sourceCode(a.Source)
}

// monthCode is the month of t as three base-36 digits of months since
// year 0 (years up to 3887).
func monthCode(t time.Time) string {
	n := int64(t.Year())*12 + int64(t.Month()) - 1
	s := strconv.FormatInt(n, 36)
	return strings.Repeat("0", max(0, 3-len(s))) + s
}

// monthOf is the "2006-01" month of a monthCode.
func monthOf(code string) (string, bool) {
	n, err := strconv.ParseInt(code, 36, 64)
	if err != nil || n < 0 {
		return "", false
	}
	return fmt.Sprintf("%04d-%02d", n/12, n%12+1), true
}

// sourceCode is ten hex digits of a source name's FNV-1a hash: two of ten
// thousand sources share one with a chance of 1 in 20,000.
func sourceCode(source string) string {
	h := fnv.New64a()
	h.Write([]byte(source))
	return fmt.Sprintf("%010x", h.Sum64()>>24)
}

// sourceNames maps source codes back to names.
type sourceNames struct {
	mu    sync.Mutex
	names map[string]string
}

// sourceName is the source whose code is code, looked up in the source
// field's dictionary of every shard when the code is new.
func (ix *Index) sourceName(code string) (string, bool) {
	ix.sources.mu.Lock()
	defer ix.sources.mu.Unlock()
	if name, ok := ix.sources.names[code]; ok {
		return name, true
	}
	names := map[string]string{}
	for _, b := range ix.shards {
		dict, err := b.FieldDict(FieldSource)
		if err != nil {
			return "", false
		}
		for e, err := dict.Next(); err == nil && e != nil; e, err = dict.Next() {
			names[sourceCode(e.Term)] = e.Term
		}
		_ = dict.Close()
	}
	ix.sources.names = names
	name, ok := names[code]
	return name, ok
}

// splitFacets turns the values of fieldFacets and their counts into the
// source, tag and month facets: the shownValues sources and tags with most
// hits, and every month.
func (ix *Index) splitFacets(all []cari.Facet) (sources, tags, months []cari.Facet) {
	bySource, byTag, byMonth := map[string]int{}, map[string]int{}, map[string]int{}
	for _, f := range all {
		switch {
		case strings.HasPrefix(f.Value, facetTag):
			byTag[f.Value[len(facetTag):]] += f.Count
		case strings.HasPrefix(f.Value, facetOldSource):
			bySource[f.Value[len(facetOldSource):]] += f.Count
		case strings.HasPrefix(f.Value, facetOldMonth):
			byMonth[f.Value[len(facetOldMonth):]] += f.Count
		case len(f.Value) >= len(noMonth):
			code, src := f.Value[:len(noMonth)], f.Value[len(noMonth):]
			if m, ok := monthOf(code); ok && code != noMonth {
				byMonth[m] += f.Count
			}
			if src == "" {
				continue
			}
			if name, ok := ix.sourceName(src); ok {
				bySource[name] += f.Count
			}
		}
	}
	return mostFirst(bySource, shownValues), mostFirst(byTag, shownValues), mostFirst(byMonth, -1)
}

// mostFirst lists counts, most first (ties in the order of their values),
// at most n of them (all when n < 0).
func mostFirst(counts map[string]int, n int) []cari.Facet {
	out := make([]cari.Facet, 0, len(counts))
	for v, c := range counts {
		out = append(out, cari.Facet{Value: v, Count: c})
	}
	slices.SortFunc(out, func(a, b cari.Facet) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Value, b.Value)
	})
	if n >= 0 && len(out) > n {
		out = out[:n]
	}
	return out
}
