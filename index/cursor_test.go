package index

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/carisearch/cari"
)

// TestCursorPaging walks every hit page by page with the Next cursor and
// checks the walk against one big page: same articles, same order, none
// twice, none missing, in every sort order.
func TestCursorPaging(t *testing.T) {
	ix := samples(t)
	ctx := context.Background()
	for _, tc := range []struct{ query, sort string }{
		{"indonesia", cari.SortRelevance},
		{"indonesia", cari.SortDate},
		{"indonesia", cari.SortOldest},
		{"", cari.SortDate}, // every article, newest first
	} {
		all, err := ix.Search(ctx, cari.Request{Query: tc.query, Sort: tc.sort, Size: cari.MaxSize, Cursor: true, NoHighlight: true, NoFacets: true})
		if err != nil {
			t.Fatal(err)
		}
		if all.Total < 8 || all.Total > cari.MaxSize {
			t.Fatalf("%q: %d hits; the test wants between 8 and %d", tc.query, all.Total, cari.MaxSize)
		}
		var walked []string
		seen := map[string]bool{}
		after := ""
		for pages := 0; ; pages++ {
			if pages > int(all.Total) {
				t.Fatalf("%q %s: the cursor never ends", tc.query, tc.sort)
			}
			res, err := ix.Search(ctx, cari.Request{Query: tc.query, Sort: tc.sort, Size: 3, Cursor: true, After: after, NoHighlight: true, NoFacets: true})
			if err != nil {
				t.Fatalf("%q %s page %d: %v", tc.query, tc.sort, pages+1, err)
			}
			if res.Total != all.Total {
				t.Errorf("%q %s: total %d on a cursor page, %d at first", tc.query, tc.sort, res.Total, all.Total)
			}
			for _, h := range res.Hits {
				if seen[h.ID] {
					t.Errorf("%q %s: %s on two pages", tc.query, tc.sort, h.ID)
				}
				seen[h.ID] = true
				walked = append(walked, h.ID)
			}
			if res.Next == "" {
				break
			}
			after = res.Next
		}
		if len(walked) != len(all.Hits) {
			t.Fatalf("%q %s: walked %d articles, want %d", tc.query, tc.sort, len(walked), len(all.Hits))
		}
		for i, h := range all.Hits {
			if walked[i] != h.ID {
				t.Errorf("%q %s: rank %d is %s by cursor, %s in one page", tc.query, tc.sort, i+1, walked[i], h.ID)
			}
		}
	}
}

func TestCursorErrors(t *testing.T) {
	ix := samples(t)
	ctx := context.Background()
	first, err := ix.Search(ctx, cari.Request{Query: "indonesia", Size: 2, Cursor: true, NoFacets: true})
	if err != nil || first.Next == "" {
		t.Fatalf("first page: %v, next %q", err, first.Next)
	}
	for _, r := range []cari.Request{
		{Query: "indonesia", Size: 2, After: "not a cursor!"},
		{Query: "indonesia", Size: 2, After: "e30"}, // {} in base64
		{Query: "indonesia", Size: 2, After: first.Next, Sort: cari.SortDate},
		{Query: "indonesia", Size: 2, After: first.Next, Page: 2},
	} {
		if _, err := ix.Search(ctx, r); !errors.Is(err, cari.ErrBadRequest) {
			t.Errorf("Search(after %q, sort %q, page %d): %v, want ErrBadRequest", r.After, r.Sort, r.Page, err)
		}
	}
}

// TestRecency checks the decay each hit's score gets against its age,
// and that it reorders the hits by it.
func TestRecency(t *testing.T) {
	ix := samples(t)
	ctx := context.Background()
	newest, err := ix.newestPublished(ctx)
	if err != nil || newest.IsZero() {
		t.Fatalf("newest article: %v %v", newest, err)
	}
	halfLife := 90 * 24 * time.Hour
	plain, err := ix.Search(ctx, cari.Request{Query: "indonesia", Size: cari.MaxSize, NoHighlight: true, NoFacets: true})
	if err != nil {
		t.Fatal(err)
	}
	recent, err := ix.Search(ctx, cari.Request{Query: "indonesia", Size: cari.MaxSize, Recent: true, HalfLife: halfLife, NoHighlight: true, NoFacets: true})
	if err != nil {
		t.Fatal(err)
	}
	if recent.Total != plain.Total {
		t.Fatalf("recent changes the total: %d, not %d", recent.Total, plain.Total)
	}
	base := map[string]float64{}
	for _, h := range plain.Hits {
		base[h.ID] = h.Score
	}
	for i, h := range recent.Hits {
		published, err := time.Parse("2006-01-02", h.Published)
		if err != nil {
			t.Fatalf("%s: %v", h.ID, err)
		}
		age := newest.Sub(published)
		want := base[h.ID] * (RecencyFloor + (1-RecencyFloor)*math.Exp2(-float64(age)/float64(halfLife)))
		if math.Abs(h.Score-want) > 1e-9*want {
			t.Errorf("%s (%s): score %g, want %g", h.ID, h.Published, h.Score, want)
		}
		if i > 0 && h.Score > recent.Hits[i-1].Score {
			t.Errorf("rank %d scores %g, more than rank %d", i+1, h.Score, i)
		}
	}
	if plain.Hits[0].ID == recent.Hits[0].ID && plain.Hits[1].ID == recent.Hits[1].ID && plain.Hits[2].ID == recent.Hits[2].ID {
		t.Errorf("recency did not change the top three (%s, %s, %s)", plain.Hits[0].ID, plain.Hits[1].ID, plain.Hits[2].ID)
	}
	if _, err := ix.Search(ctx, cari.Request{Query: "x", Recent: true, HalfLife: -time.Hour}); !errors.Is(err, cari.ErrBadRequest) {
		t.Errorf("negative half-life: %v, want ErrBadRequest", err)
	}
}
