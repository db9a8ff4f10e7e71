package index

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/carisearch/cari"
)

// TestSplitFacets reads facet values as this version writes them and as
// indexes made before it wrote them, mixed, as in an old index that new
// articles were added to.
func TestSplitFacets(t *testing.T) {
	ix := samples(t)
	aug := time.Date(2023, 8, 14, 0, 0, 0, 0, time.UTC)
	newKey := facetKey(&cari.Article{Source: "kabarnusantara.id", Published: aug})
	undated := facetKey(&cari.Article{Source: "suarakita.co.id"})
	sourceless := facetKey(&cari.Article{Published: aug.AddDate(1, 0, 0)})
	sources, tags, months := ix.splitFacets([]cari.Facet{
		{Value: newKey, Count: 4},
		{Value: "s:kabarnusantara.id", Count: 3},
		{Value: "m:2023-08", Count: 2},
		{Value: undated, Count: 5},
		{Value: sourceless, Count: 1},
		{Value: "t:pertahanan", Count: 6},
	})
	for _, tc := range []struct {
		name      string
		got, want []cari.Facet
	}{
		{"sources", sources, []cari.Facet{{Value: "kabarnusantara.id", Count: 7}, {Value: "suarakita.co.id", Count: 5}}},
		{"tags", tags, []cari.Facet{{Value: "pertahanan", Count: 6}}},
		{"months", months, []cari.Facet{{Value: "2023-08", Count: 6}, {Value: "2024-08", Count: 1}}},
	} {
		if fmt.Sprint(tc.got) != fmt.Sprint(tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	for _, m := range []time.Time{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), aug, time.Date(3887, 12, 1, 0, 0, 0, 0, time.UTC)} {
		code := monthCode(m)
		if got, ok := monthOf(code); !ok || got != m.Format("2006-01") || len(code) != len(noMonth) {
			t.Errorf("monthCode(%s) = %q, read back as %q", m.Format("2006-01"), code, got)
		}
	}
}

// TestFacetsAfterMerges counts facets in an index written in many small
// batches and then compacted, so that zapx merges the facet field's doc
// values: as this version keeps them (uncompressed, an article at a time)
// and as indexes made before kept them (compressed, in an older field),
// into which this version goes on writing.
func TestFacetsAfterMerges(t *testing.T) {
	ctx := context.Background()
	src := samples(t)
	all, err := src.Search(ctx, cari.Request{Size: cari.MaxSize, NoFacets: true, NoHighlight: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, old := range []bool{false, true} {
		ix := newIndexWithFacetField(t, old)
		w := ix.NewWriter(4)
		for _, h := range all.Hits {
			a, err := src.Article(ctx, h.ID)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Add(ctx, *a); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		// Updates and a deletion leave segments with dropped articles
		// for the merge to skip.
		for i, h := range all.Hits[:6] {
			a, err := src.Article(ctx, h.ID)
			if err != nil {
				t.Fatal(err)
			}
			a.Source = fmt.Sprintf("ganti-%d.id", i%2)
			a.Published = a.Published.AddDate(0, -i, 0)
			if _, bad, err := ix.Upsert(ctx, []cari.Article{*a}); err != nil || len(bad) > 0 {
				t.Fatal(err, bad)
			}
		}
		if err := ix.Delete(ctx, all.Hits[len(all.Hits)-1].ID); err != nil {
			t.Fatal(err)
		}
		if err := ix.Compact(ctx); err != nil {
			t.Fatalf("old=%v: %v", old, err)
		}
		checkFacetCounts(t, ix)
		res, err := ix.Search(ctx, cari.Request{NoHighlight: true})
		if err != nil {
			t.Fatal(err)
		}
		if want := uint64(len(all.Hits) - 1); res.Total != want {
			t.Errorf("old=%v: %d articles, want %d", old, res.Total, want)
		}
		counted := map[string]int{}
		for _, f := range res.Facets[FieldSource] {
			counted[f.Value] = f.Count
		}
		for _, source := range []string{"ganti-0.id", "ganti-1.id"} {
			if counted[source] != 3 {
				t.Errorf("old=%v: source %q counted %d, want 3", old, source, counted[source])
			}
		}
	}
}

// newIndexWithFacetField makes an empty index in a temporary directory
// whose facet values are kept as this version keeps them, or, when
// compressed is set, as indexes made before kept them.
func newIndexWithFacetField(tb testing.TB, compressed bool) *Index {
	tb.Helper()
	m, err := NewMapping(Options{})
	if err != nil {
		tb.Fatal(err)
	}
	if compressed {
		props := m.DefaultMapping.Properties
		props[fieldFacetsCompressed] = props[fieldFacets]
		delete(props, fieldFacets)
	}
	dir := filepath.Join(tb.TempDir(), "index")
	shards, err := createBleve(dir, m, 1)
	if err != nil {
		tb.Fatal(err)
	}
	ix := newIndex(shards, dir)
	tb.Cleanup(func() { _ = ix.Close() })
	return ix
}

// TestSourceFacetBesideTheChosen: with a source chosen, the hits are that
// source's, and the source facet still counts every source as the search
// without it does (multi-select), while the other facets follow the hits.
func TestSourceFacetBesideTheChosen(t *testing.T) {
	ix := samples(t)
	ctx := context.Background()
	all, err := ix.Search(ctx, cari.Request{Query: "banjir"})
	if err != nil {
		t.Fatal(err)
	}
	sources := all.Facets[FieldSource]
	if len(sources) < 2 {
		t.Fatalf("banjir: sources %v, want two or more for the test", sources)
	}
	chosen := sources[1]
	one, err := ix.Search(ctx, cari.Request{Query: "banjir", Sources: []string{chosen.Value}})
	if err != nil {
		t.Fatal(err)
	}
	if one.Total != uint64(chosen.Count) {
		t.Errorf("banjir from %s: %d hits, the facet said %d", chosen.Value, one.Total, chosen.Count)
	}
	for _, h := range one.Hits {
		if h.Source != chosen.Value {
			t.Errorf("banjir from %s: hit %s from %s", chosen.Value, h.ID, h.Source)
		}
	}
	if !slices.Equal(one.Facets[FieldSource], sources) {
		t.Errorf("source facet with %s chosen: %v, want every source as without it: %v", chosen.Value, one.Facets[FieldSource], sources)
	}
	months := 0
	for _, m := range one.Facets[cari.FacetMonth] {
		months += m.Count
	}
	if months > int(one.Total) {
		t.Errorf("month facet with %s chosen counts %d articles, more than its %d hits", chosen.Value, months, one.Total)
	}
}
