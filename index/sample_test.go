package index

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/carisearch/cari"
)

// sampledIndex is an index of n generated articles, every one of them
// about a flood ("banjir"), one in three also about an earthquake
// ("gempa"), from sources of unequal size over two years of months.
func sampledIndex(t *testing.T, n int) *Index {
	t.Helper()
	ix, err := CreateTemp(Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	rng := rand.New(rand.NewPCG(7, 11))
	filler := strings.Fields("warga desa hujan sungai rumah jalan kota pemerintah bantuan posko relawan air lumpur listrik sekolah pasar")
	sources := []string{"kompas.com", "kompas.com", "kompas.com", "detik.com", "detik.com", "tempo.co", "antaranews.com"}
	start := time.Date(2019, 1, 15, 8, 0, 0, 0, time.UTC)
	var batch []cari.Article
	for i := range n {
		words := []string{"banjir"}
		if i%3 == 0 {
			words = append(words, "gempa")
		}
		for range 20 + rng.IntN(40) {
			words = append(words, filler[rng.IntN(len(filler))])
		}
		rng.Shuffle(len(words), func(a, b int) { words[a], words[b] = words[b], words[a] })
		batch = append(batch, cari.Article{
			ID:        fmt.Sprintf("a%05d", i),
			Title:     "Laporan " + filler[rng.IntN(len(filler))] + " " + filler[rng.IntN(len(filler))],
			Body:      strings.Join(words, " ") + ".",
			Source:    sources[rng.IntN(len(sources))],
			Published: start.AddDate(0, rng.IntN(24), 0),
		})
		if len(batch) == 500 || i == n-1 {
			if _, problems, err := ix.Upsert(context.Background(), batch); err != nil || len(problems) > 0 {
				t.Fatalf("upsert: %v %v", problems, err)
			}
			batch = batch[:0]
		}
	}
	return ix
}

func TestSampledRanking(t *testing.T) {
	const n = 4000
	ix := sampledIndex(t, n)
	ctx := context.Background()
	search := func(limit int, r cari.Request) *cari.Result {
		t.Helper()
		ix.SetSampleAbove(limit)
		res, err := ix.Search(ctx, r)
		if err != nil {
			t.Fatalf("search %+v: %v", r, err)
		}
		return res
	}

	all := search(-1, cari.Request{Query: "banjir"})
	if !all.TotalExact || all.Total != n {
		t.Fatalf("every match read: total %d (exact %v), want %d exact", all.Total, all.TotalExact, n)
	}
	sampled := search(400, cari.Request{Query: "banjir"})
	if sampled.TotalExact {
		t.Fatalf("%d matches over a limit of 400 read in full", sampled.Total)
	}
	if off := math.Abs(float64(sampled.Total)-n) / n; off > 0.15 {
		t.Errorf("estimated total %d, %.0f%% off %d", sampled.Total, 100*off, n)
	}
	// The sources' counts are estimates of the true counts, and so are
	// the years'; a sample spread over the whole index holds every
	// source and both years.
	for _, facet := range []string{FieldSource, FieldPublished} {
		truth := map[string]int{}
		for _, f := range all.Facets[facet] {
			truth[f.Value] = f.Count
		}
		if len(sampled.Facets[facet]) != len(truth) {
			t.Errorf("facet %s: %v from the sample, %v from every match", facet, sampled.Facets[facet], all.Facets[facet])
		}
		for _, f := range sampled.Facets[facet] {
			if off := math.Abs(float64(f.Count-truth[f.Value])) / float64(truth[f.Value]); off > 0.3 {
				t.Errorf("facet %s %q: estimated %d, true %d", facet, f.Value, f.Count, truth[f.Value])
			}
		}
	}
	if len(sampled.Hits) != 10 {
		t.Fatalf("%d hits from the sample, want 10", len(sampled.Hits))
	}
	again := search(400, cari.Request{Query: "banjir"})
	if ids(again.Hits) != ids(sampled.Hits) || again.Total != sampled.Total {
		t.Errorf("the same search on the same index sampled differently: %s (%d) then %s (%d)", ids(sampled.Hits), sampled.Total, ids(again.Hits), again.Total)
	}
	second := search(400, cari.Request{Query: "banjir", Page: 2})
	for _, h := range second.Hits {
		if strings.Contains(ids(sampled.Hits), h.ID) {
			t.Errorf("%s on both the first and the second page", h.ID)
		}
	}

	// What needs every match reads every match: fewer matches than the
	// limit, the newest first, and a cursor.
	for _, r := range []cari.Request{
		{Query: "gempa"},
		{Query: "banjir", Sort: cari.SortDate},
		{Query: "banjir", Cursor: true},
	} {
		limit := 400
		if r.Query == "gempa" {
			limit = n / 2 // a third of the articles hold it
		}
		got, want := search(limit, r), search(-1, r)
		if !got.TotalExact || got.Total != want.Total || ids(got.Hits) != ids(want.Hits) {
			t.Errorf("%+v: total %d (exact %v) hits %s, want %d exact, hits %s", r, got.Total, got.TotalExact, ids(got.Hits), want.Total, ids(want.Hits))
		}
	}
}

func ids(hits []cari.Hit) string {
	var out []string
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return strings.Join(out, " ")
}

func TestTwoFigures(t *testing.T) {
	for _, c := range []struct {
		n      uint64
		factor float64
		want   uint64
	}{
		{387_838, 1, 387_838}, // read in full: exact
		{9_696, 40, 390_000},
		{10_687, 1.02, 11_000},
		{95, 1.01, 96},
		{3, 0.5, 2},
	} {
		if got := estimate(c.n, c.factor); got != c.want {
			t.Errorf("estimate(%d, %g) = %d, want %d", c.n, c.factor, got, c.want)
		}
	}
}
