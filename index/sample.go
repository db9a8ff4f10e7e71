package index

// A search that matches most of a large archive is ranked on a sample
// of its matches. bleve scores every match and reads every match's facet
// values (it has no block-max WAND or other dynamic pruning), so the
// cost of a search grows with its matches: "kpk" matches 388,000 of a
// million synthetic articles and took 270-290 ms, of which walking the
// postings was 60% and the facets 28%. Where a ranking would read more
// than SampleAbove matches, it reads only a systematic sample of them:
// the doc-number space is cut into windows (its segments, large ones
// cut further: sampleWindows), and in each window only the first share of
// doc numbers is read, the share chosen so that about SampleAbove matches
// are. A sample spread over the whole
// space holds old and new articles alike (segments are roughly in the
// order of writing), so the counts scaled from it are estimates of the
// counts of all matches, which the result says (TotalExact false), and
// the top of its ranking is the best of SampleAbove matches, not of all.
//
// How many matches there are is not known before the search (bleve's
// Count of a conjunction is the sum of its parts), so a pilot pass reads
// a few matches at sampleProbes places spread over the space and
// measures their density; a search its Count already bounds below the
// threshold skips the pilot.

import (
	"context"
	"math"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
	"github.com/carisearch/cari"
)

// SampleAbove is the number of matches above which a ranking reads a
// sample of them.
const SampleAbove = 10_000

// The sample's shape: windows of at most a maxWindows'th of the doc
// numbers (each jump to the next window costs an Advance of every term
// of the query), and the pilot's
// sampleProbes probes of up to probeMatches matches, each over at most
// 1/probeReach of the stretch to the next probe.
// sampleSpaceMin is how many times limit articles an index must hold for
// a ranking to be sampled: a smaller one reads every match in a few
// milliseconds, and the pilot would cost it more than the sample saves
// (on the 25,401 articles of the latency benchmark, the median search
// took 2-30% longer with it).
const sampleSpaceMin = 10

const (
	maxWindows   = 32
	sampleProbes = 16
	probeMatches = 40
	probeReach   = 8
)

// matchSample is what the searchers of one ranking (one per shard)
// report of their samples.
type matchSample struct {
	mu      sync.Mutex
	read    uint64  // the matches the searchers let through
	matches float64 // their estimated number of matches in all
	sampled bool    // some searcher read only a share
}

// add records one searcher's matches read, and the share of the doc
// numbers it read them from.
func (m *matchSample) add(read uint64, share float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.read += read
	m.matches += float64(read) / share
	m.sampled = m.sampled || share < 1
}

// scale is the factor from counts of the matches read to estimates of
// the counts of all matches, and whether those are exact.
func (m *matchSample) scale() (factor float64, exact bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.sampled || m.read == 0 {
		return 1, true
	}
	return m.matches / float64(m.read), false
}

// sampledQuery is a query whose searcher reads at most about limit of
// its matches (see the top of this file).
type sampledQuery struct {
	query.Query
	limit  uint64
	sample *matchSample
}

func (q *sampledQuery) Searcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	inner, err := q.Query.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	// Unscored, the pilot jumps from probe to probe through the postings
	// bitmaps; scored, zap steps through every posting in between.
	unscored := opts
	unscored.Score, unscored.Explain, unscored.IncludeTermVectors = "none", false, false
	share, err := q.share(ctx, r, m, unscored, inner.Count())
	if err != nil {
		_ = inner.Close()
		return nil, err
	}
	s := &sampledSearcher{Searcher: inner, sample: q.sample}
	if share >= 1 {
		s.share = 1
		return s, nil
	}
	var read, space uint64
	for _, w := range sampleWindows(r) {
		take := min(uint64(math.Ceil(share*float64(w.end-w.start))), w.end-w.start)
		s.windows = append(s.windows, window{start: w.start, end: w.end, take: take})
		read += take
		space += w.end - w.start
	}
	s.share = float64(read) / float64(max(space, 1))
	return s, nil
}

// share is the share of each window's doc numbers the searcher reads: 1
// where the query's matches are at most limit.
func (q *sampledQuery) share(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, unscored search.SearcherOptions, bound uint64) (float64, error) {
	space := max(docSpace(r), 1)
	if q.limit == 0 || bound <= q.limit || space < sampleSpaceMin*q.limit {
		return 1, nil
	}
	pilot, err := q.Query.Searcher(ctx, r, m, unscored)
	if err != nil {
		return 0, err
	}
	estimate, err := estimateMatches(pilot, r, space)
	if cerr := pilot.Close(); err == nil {
		err = cerr
	}
	if err != nil || estimate <= float64(q.limit) {
		return 1, err
	}
	return float64(q.limit) / estimate, nil
}

// window is a stretch of doc numbers of which the first take are read.
type window struct{ start, end, take uint64 }

// sampleWindows cuts the doc numbers of r into windows: each segment is
// one, or, where a segment holds more than a maxWindows'th of them, as
// many equal pieces as make each hold at most that. Jumping to the next
// segment costs a searcher nothing; jumping within one costs it a step
// through every posting passed, so a small share is cheap only over many
// segments (SegmentMaxDocs).
func sampleWindows(r bleveindex.IndexReader) []window {
	sizes := segmentSizes(r)
	var space uint64
	for _, n := range sizes {
		space += n
	}
	most := max(space/maxWindows, 1)
	var out []window
	var start uint64
	for _, n := range sizes {
		pieces := max((n+most-1)/most, 1)
		for i := range pieces {
			from, to := start+n*i/pieces, start+n*(i+1)/pieces
			if to > from {
				out = append(out, window{start: from, end: to})
			}
		}
		start += n
	}
	return out
}

// docSpace is the number of doc numbers of a reader: its segments'
// documents, deleted ones included.
func docSpace(r bleveindex.IndexReader) uint64 {
	var n uint64
	for _, size := range segmentSizes(r) {
		n += size
	}
	return n
}

// segmentSizes are the numbers of doc numbers of r's segments, in their
// order: a scorch snapshot's segments, deleted documents included, or
// one stretch of all documents for another reader.
func segmentSizes(r bleveindex.IndexReader) []uint64 {
	s, ok := r.(interface {
		Segments() []*scorch.SegmentSnapshot
	})
	if !ok {
		n, _ := r.DocCount()
		return []uint64{n}
	}
	var sizes []uint64
	for _, seg := range s.Segments() {
		sizes = append(sizes, uint64(seg.FullSize()))
	}
	return sizes
}

// estimateMatches is the number of matches of s over a space of doc
// numbers, from their density at sampleProbes places spread over it.
func estimateMatches(s search.Searcher, r bleveindex.IndexReader, space uint64) (float64, error) {
	ctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize()+1, 0), IndexReader: r}
	stretch := max(space/sampleProbes, 1)
	reach := max(stretch/probeReach, 1)
	var found, spanned uint64
	var pending *search.DocumentMatch // the first match after a probe
	for start := uint64(0); start < space; start += stretch {
		end := min(start+reach, space)
		dm, err := pending, error(nil)
		if pending == nil || pending.IndexInternalID.Value() < start {
			if pending != nil {
				ctx.DocumentMatchPool.Put(pending)
			}
			dm, err = s.Advance(ctx, bleveindex.NewIndexInternalID(nil, start))
		}
		pending = nil
		n := uint64(0)
		for ; dm != nil && err == nil; dm, err = s.Next(ctx) {
			at := dm.IndexInternalID.Value()
			if at >= end {
				pending = dm
				break
			}
			ctx.DocumentMatchPool.Put(dm)
			if n++; n == probeMatches {
				end = at + 1
				break
			}
		}
		if err != nil {
			return 0, err
		}
		found += n
		spanned += end - start
		if dm == nil {
			// No match after this probe: the probes after it would
			// span their reach without one.
			for start += stretch; start < space; start += stretch {
				spanned += min(start+reach, space) - start
			}
		}
	}
	if spanned == 0 {
		return 0, nil
	}
	return float64(found) * float64(space) / float64(spanned), nil
}

// sampledSearcher lets through the matches whose doc numbers are among
// the first take of their window, and jumps over the rest; without
// windows it lets every match through.
type sampledSearcher struct {
	search.Searcher
	windows []window
	at      int     // the window of the last match
	share   float64 // of all doc numbers, the share read
	read    uint64
	sample  *matchSample
}

func (s *sampledSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	dm, err := s.Searcher.Next(ctx)
	return s.within(ctx, dm, err)
}

func (s *sampledSearcher) Advance(ctx *search.SearchContext, id bleveindex.IndexInternalID) (*search.DocumentMatch, error) {
	dm, err := s.Searcher.Advance(ctx, id)
	return s.within(ctx, dm, err)
}

// within returns the first match from dm on within the sample. A jump
// within a segment costs a scored searcher a step through every posting
// it passes (zap decodes no frequencies for them, but visits each); a
// jump to the next segment costs nothing.
func (s *sampledSearcher) within(ctx *search.SearchContext, dm *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
	if s.windows == nil {
		if dm != nil {
			s.read++
		}
		return dm, err
	}
	for dm != nil && err == nil {
		n := dm.IndexInternalID.Value()
		for s.at < len(s.windows)-1 && n >= s.windows[s.at].end {
			s.at++
		}
		w := s.windows[s.at]
		if n < w.start+w.take || n >= w.end {
			s.read++
			return dm, nil
		}
		ctx.DocumentMatchPool.Put(dm)
		dm, err = s.Searcher.Advance(ctx, bleveindex.NewIndexInternalID(nil, w.end))
	}
	return dm, err
}

func (s *sampledSearcher) Close() error {
	s.sample.add(s.read, s.share)
	return s.Searcher.Close()
}

// estimate is n matches read scaled by factor to all matches, rounded to
// two figures when it is an estimate.
func estimate(n uint64, factor float64) uint64 {
	if factor == 1 {
		return n
	}
	return uint64(twoFigures(float64(n) * factor))
}

// scaleFacets scales the counts of a sample's facets to estimates of the
// counts of all matches; a value seen counts at least one.
func scaleFacets(facets map[string][]cari.Facet, factor float64) map[string][]cari.Facet {
	if factor == 1 {
		return facets
	}
	for _, values := range facets {
		for i := range values {
			values[i].Count = max(1, int(twoFigures(float64(values[i].Count)*factor)))
		}
	}
	return facets
}

// twoFigures rounds v to two significant figures.
func twoFigures(v float64) float64 {
	if v < 100 {
		return math.Round(v)
	}
	unit := math.Pow(10, math.Floor(math.Log10(v))-1)
	return math.Round(v/unit) * unit
}

// sampleLimit is the number of matches above which a ranking reads a
// sample of them; 0 reads them all.
func (ix *Index) sampleLimit() uint64 {
	switch n := ix.sampleAbove.Load(); {
	case n < 0:
		return 0
	case n == 0:
		return SampleAbove
	default:
		return uint64(n)
	}
}

// SetSampleAbove sets the number of matches above which a ranking reads
// a sample of them (SampleAbove when 0); a negative n ranks every match.
func (ix *Index) SetSampleAbove(n int) { ix.sampleAbove.Store(int64(n)) }
