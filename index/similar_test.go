package index

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/carisearch/cari"
)

// TestSimilarDefence: the related articles of the Indonesia–Australia
// defence agreement (kn-2023-002) are the other defence stories of the
// samples, the ones tagged "pertahanan" (the naval exercise with Japan and
// India, the Chinese defence minister in Moscow), with the naval exercise,
// which shares its maritime patrols, officers and TNI, first.
func TestSimilarDefence(t *testing.T) {
	ix := samples(t)
	ctx := context.Background()
	tagged, err := ix.Search(ctx, cari.Request{Tags: []string{"pertahanan"}, Size: cari.MaxSize, NoFacets: true, NoHighlight: true})
	if err != nil {
		t.Fatal(err)
	}
	var defence []string
	for _, h := range tagged.Hits {
		if h.ID != "kn-2023-002" {
			defence = append(defence, h.ID)
		}
	}
	if len(defence) < 2 {
		t.Fatalf("the samples should have at least two other defence articles, found %v", defence)
	}
	res, err := ix.Similar(ctx, "kn-2023-002", 5)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range res.Hits {
		got = append(got, h.ID)
	}
	if len(got) == 0 || got[0] != "kn-2023-010" {
		t.Errorf("related to kn-2023-002: %v, want kn-2023-010 first", got)
	}
	for _, id := range defence {
		if !slices.Contains(got, id) {
			t.Errorf("related to kn-2023-002: %v, want every other defence article %v among them", got, defence)
			break
		}
	}
	if res.Query == "" {
		t.Error("the result does not say which terms were searched")
	}
	// No stop word: the body's analyzer, which drops them, keeps each.
	body, err := BodyAnalyzer(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, term := range strings.Fields(res.Query) {
		if len(body.Analyze([]byte(term))) == 0 {
			t.Errorf("related terms %q hold the stop word %q", res.Query, term)
		}
	}
	for _, h := range res.Hits {
		if h.Snippet == "" || h.Title == "" || h.Published == "" || h.Source == "" {
			t.Errorf("hit %+v lacks a title, snippet, date or source", h)
		}
	}
}

// TestSimilarDisaster: the Semeru eruption's closest articles are the
// other natural disasters: the Cianjur earthquake, the Demak flood, the
// landslide in Pesisir Selatan, the tsunami drill.
func TestSimilarDisaster(t *testing.T) {
	res, err := samples(t).Similar(context.Background(), "wh-2023-001", 3)
	if err != nil {
		t.Fatal(err)
	}
	disasters := []string{"gempa-cianjur", "banjir-demak", "wh-2023-004", "wh-2023-002"}
	if len(res.Hits) != 3 {
		t.Fatalf("%d hits, want 3", len(res.Hits))
	}
	for _, h := range res.Hits {
		if !slices.Contains(disasters, h.ID) {
			t.Errorf("%s %q is among the three closest to the Semeru eruption; want only disasters %v", h.ID, h.Title, disasters)
		}
	}
}

// TestSimilarEveryArticle: for every sample article, the article itself
// never appears, there are as many hits as asked, and they come best
// first.
func TestSimilarEveryArticle(t *testing.T) {
	ix := samples(t)
	ctx := context.Background()
	all, err := ix.Search(ctx, cari.Request{Size: cari.MaxSize, NoFacets: true, NoHighlight: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range all.Hits {
		res, err := ix.Similar(ctx, a.ID, 10)
		if err != nil {
			t.Fatalf("%s: %v", a.ID, err)
		}
		if len(res.Hits) != 10 {
			t.Errorf("%s: %d related articles, want 10 of %d", a.ID, len(res.Hits), len(all.Hits))
		}
		for i, h := range res.Hits {
			if h.ID == a.ID {
				t.Errorf("%s is related to itself", a.ID)
			}
			if i > 0 && h.Score > res.Hits[i-1].Score {
				t.Errorf("%s: hit %d scores %g, above hit %d's %g", a.ID, i, h.Score, i-1, res.Hits[i-1].Score)
			}
		}
	}
}

func TestSimilarErrors(t *testing.T) {
	ix := samples(t)
	ctx := context.Background()
	if _, err := ix.Similar(ctx, "tidak-ada", 5); !errors.Is(err, cari.ErrNotFound) {
		t.Errorf("unknown id: %v, want ErrNotFound", err)
	}
	for _, size := range []int{-1, cari.MaxSize + 1} {
		if _, err := ix.Similar(ctx, "kn-2023-002", size); !errors.Is(err, cari.ErrBadRequest) {
			t.Errorf("size %d: %v, want ErrBadRequest", size, err)
		}
	}
	res, err := ix.Similar(ctx, "kn-2023-002", 0)
	if err != nil || len(res.Hits) != cari.DefaultSimilarSize {
		t.Errorf("size 0: %v, %d hits, want %d", err, len(res.Hits), cari.DefaultSimilarSize)
	}
}
