package index

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/carisearch/cari"
)

// News ranking. With Request.Recent a hit's score is multiplied by
//
//	RecencyFloor + (1 − RecencyFloor) · 2^(−age / half-life)
//
// so an article as new as the newest in the index keeps its score, one a
// half-life older keeps three quarters of it, and an old one keeps half:
// among matches of about the same strength the newer wins, while a far
// better match from last year still beats a weak one from today. Age is
// counted from the newest article in the index, not from the clock, so an
// archive ranks the same tomorrow as today and a cursor stays valid.

// RecencyFloor is the share of its score that an old article keeps.
const RecencyFloor = 0.5

// recencyQuery wraps q so that scores decay with age.
func (ix *Index) recencyQuery(ctx context.Context, q query.Query, halfLife time.Duration) (query.Query, error) {
	newest, err := ix.newestPublished(ctx)
	if err != nil {
		return nil, err
	}
	if newest.IsZero() {
		return q, nil // no dates: nothing to weigh
	}
	if halfLife <= 0 {
		halfLife = cari.DefaultHalfLife
	}
	decay := func(_ context.Context, d *search.DocumentMatch) (float64, error) {
		s, _ := d.Fields[FieldPublished].(string)
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return d.Score * RecencyFloor, nil // undated: as old as can be
		}
		age := max(newest.Sub(t), 0)
		return d.Score * (RecencyFloor + (1-RecencyFloor)*math.Exp2(-float64(age)/float64(halfLife))), nil
	}
	return query.NewCustomScoreQueryWithScorer(q, decay, []string{FieldPublished}, nil), nil
}

// newestPublished is the publication time of the newest article.
func (ix *Index) newestPublished(ctx context.Context) (time.Time, error) {
	return ix.publishedEnd(ctx, "-"+FieldPublished, "newest")
}

// publishedEnd is the publication time of the first article by sortKey,
// the zero time when no article has one; which names it in errors.
func (ix *Index) publishedEnd(ctx context.Context, sortKey, which string) (time.Time, error) {
	req := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), 1, 0, false)
	req.SortBy([]string{sortKey})
	req.Fields = []string{FieldPublished}
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s article: %w", which, err)
	}
	if len(res.Hits) == 0 {
		return time.Time{}, nil
	}
	s, _ := res.Hits[0].Fields[FieldPublished].(string)
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, nil
	}
	return t, nil
}
