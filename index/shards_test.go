package index

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index/input"
)

// shardQueries mix one word, several words, phrases, syntax, affixed
// forms, typos (fuzzy matching) and filters.
var shardQueries = []cari.Request{
	{Query: "multipolar"}, {Query: "kemitraan"}, {Query: "serangan"}, {Query: "belarusia"},
	{Query: `"kerja sama pertahanan"`}, {Query: `"laut china selatan"`}, {Query: "kerja sama"},
	{Query: "memvonis"}, {Query: "kemanusiaan gaza"}, {Query: `"suku bunga"`}, {Query: "hilirisasi"},
	{Query: "pengungsi erupsi"}, {Query: "hutan terbakar"}, {Query: "vaksinasi polio"},
	{Query: "perusahaan rintisan PHK"}, {Query: "mengimpor beras"}, {Query: "ganda putra"},
	{Query: "pewayangan"}, {Query: "penanaman mangrove"}, {Query: "kereta cepat"},
	{Query: `"sepak bola"`}, {Query: "+rusia -ukraina"}, {Query: "title:multipolar"},
	{Query: "multi*"}, {Query: "multipolar~1"}, {Query: "multipolr"}, {Query: "pemerintah"}, {Query: "tiongkok amerika serikat"},
	{Query: "banjir rumah warga"}, {Query: "presiden menteri"}, {Query: "Apa itu C++?", Plain: true},
	{Query: "indonesia", Sources: []string{"kabarnusantara.id"}},
	{Query: "indonesia", Size: 20, Page: 2},
	// Names (synonyms), stop words only, recency.
	{Query: "KPK vonis bupati"}, {Query: "Amerika Serikat peretasan"}, {Query: "RRT"}, {Query: "title:rrt"},
	{Query: "masih dengan"}, {Query: "ekonomi", Recent: true},
}

func sampleIndexWithShards(t *testing.T, shards int) *Index {
	t.Helper()
	ix, err := Create(filepath.Join(t.TempDir(), "index"), Options{Shards: shards})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	report, err := ix.Ingest(context.Background(), input.FS(cari.SampleArticles, cari.SampleDir), IngestOptions{})
	if err != nil || len(report.Skipped) > 0 {
		t.Fatalf("ingest: %v %v", err, report.Skipped)
	}
	return ix
}

// TestShardsRankAsOneIndex checks that 3 shards give the same hits, in
// the same order, with the same scores, as one index of the same
// articles: the BM25 statistics (document count, token totals, and each
// term's document frequency) are those of all shards together.
func TestShardsRankAsOneIndex(t *testing.T) {
	ctx := context.Background()
	one := sampleIndexWithShards(t, 1)
	three := sampleIndexWithShards(t, 3)
	if three.Shards() != 3 {
		t.Fatalf("%d shards, want 3", three.Shards())
	}
	// The articles are spread: no shard is empty or holds all.
	for s, b := range three.shards {
		n, err := b.DocCount()
		if err != nil || n == 0 || n == 61 {
			t.Fatalf("shard %d holds %d articles (%v)", s, n, err)
		}
	}
	st1, err := one.Stats()
	if err != nil {
		t.Fatal(err)
	}
	st3, err := three.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st1.Documents != 61 || st3.Documents != st1.Documents || !equalMaps(st1.AvgTokens, st3.AvgTokens) || !slices.Equal(st1.Fields, st3.Fields) {
		t.Fatalf("stats differ: 1 shard %+v, 3 shards %+v", st1, st3)
	}
	for _, q := range shardQueries {
		r1, err := one.Search(ctx, q)
		if err != nil {
			t.Fatalf("%q: %v", q.Query, err)
		}
		r3, err := three.Search(ctx, q)
		if err != nil {
			t.Fatalf("%q: %v", q.Query, err)
		}
		if len(r1.Hits) == 0 {
			t.Errorf("%q: no hits; the query tests nothing", q.Query)
		}
		if r1.Total != r3.Total || len(r1.Hits) != len(r3.Hits) || r1.Suggestion != r3.Suggestion {
			t.Errorf("%q: 1 shard %d total, %d hits, suggestion %q; 3 shards %d, %d, %q",
				q.Query, r1.Total, len(r1.Hits), r1.Suggestion, r3.Total, len(r3.Hits), r3.Suggestion)
			continue
		}
		for i := range r1.Hits {
			h1, h3 := r1.Hits[i], r3.Hits[i]
			if h1.ID != h3.ID || math.Abs(h1.Score-h3.Score) > 1e-9 || h1.Snippet != h3.Snippet {
				t.Errorf("%q: hit %d is %s (%.12f) on 1 shard, %s (%.12f) on 3", q.Query, i+1, h1.ID, h1.Score, h3.ID, h3.Score)
			}
		}
	}
}

func equalMaps(a, b map[string]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if math.Abs(b[k]-v) > 1e-9 {
			return false
		}
	}
	return true
}

// TestShardedWrites checks lookups, updates, deletes and reopening of a
// sharded index: each goes to the article's shard, the counts and token
// totals stay those of one index, and the shard count is kept on disk.
func TestShardedWrites(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Create(dir, Options{Shards: 4})
	if err != nil {
		t.Fatal(err)
	}
	one, err := CreateTemp(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer one.Close()
	var articles []cari.Article
	for _, id := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		articles = append(articles, cari.Article{ID: id, Title: "Judul " + id, Body: "banjir merendam rumah warga di desa " + id})
	}
	for _, x := range []*Index{ix, one} {
		if st, problems, err := x.Upsert(ctx, articles); err != nil || len(problems) > 0 || st.Indexed != 8 {
			t.Fatalf("upsert: %+v %v %v", st, problems, err)
		}
		changed := articles[2]
		changed.Body = "gempa mengguncang kota pada malam hari dan warga mengungsi"
		if st, _, err := x.Upsert(ctx, []cari.Article{changed, articles[3]}); err != nil || st.Updated != 1 || st.Unchanged != 1 {
			t.Fatalf("update: %+v %v", st, err)
		}
		if err := x.Delete(ctx, "e"); err != nil {
			t.Fatal(err)
		}
		if err := x.Delete(ctx, "e"); !errors.Is(err, cari.ErrNotFound) {
			t.Fatalf("deleting twice: %v", err)
		}
	}
	a, err := ix.Article(ctx, "c")
	if err != nil || a.Body != "gempa mengguncang kota pada malam hari dan warga mengungsi" {
		t.Fatalf("article c: %+v %v", a, err)
	}
	if _, err := ix.Article(ctx, "e"); !errors.Is(err, cari.ErrNotFound) {
		t.Fatalf("deleted article: %v", err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err == nil {
		t.Fatal("a sharded index has an index_meta.json of its own")
	}
	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	want, err := one.Stats()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ix.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if got.Shards != 4 || got.Documents != 7 || got.Documents != want.Documents || !equalMaps(got.AvgTokens, want.AvgTokens) {
		t.Fatalf("reopened: %+v; one index: %+v", got, want)
	}
	r, err := ix.Search(ctx, cari.Request{Query: "gempa"})
	if err != nil || len(r.Hits) != 1 || r.Hits[0].ID != "c" {
		t.Fatalf("search after reopening: %+v %v", r, err)
	}
}

// TestShardsRelatedAndSuggest checks that related articles and
// completions are the same from 3 shards as from one index.
func TestShardsRelatedAndSuggest(t *testing.T) {
	ctx := context.Background()
	one := sampleIndexWithShards(t, 1)
	three := sampleIndexWithShards(t, 3)
	for _, id := range []string{"kn-2023-001", "kn-2023-002", "wh-2023-001", "banjir-demak"} {
		r1, err := one.Similar(ctx, id, 5)
		if err != nil {
			t.Fatal(err)
		}
		r3, err := three.Similar(ctx, id, 5)
		if err != nil {
			t.Fatalf("%s over 3 shards: %v", id, err)
		}
		if len(r1.Hits) == 0 || len(r1.Hits) != len(r3.Hits) {
			t.Fatalf("%s: %d related from one index, %d from 3 shards", id, len(r1.Hits), len(r3.Hits))
		}
		for i := range r1.Hits {
			if r1.Hits[i].ID != r3.Hits[i].ID {
				t.Errorf("%s related #%d: %s from one index, %s from 3 shards", id, i+1, r1.Hits[i].ID, r3.Hits[i].ID)
			}
		}
	}
	for _, q := range []string{"multip", "kerja sa", "pert", "ban"} {
		c1, err := one.Suggest(ctx, q, 8)
		if err != nil {
			t.Fatal(err)
		}
		c3, err := three.Suggest(ctx, q, 8)
		if err != nil {
			t.Fatalf("%q over 3 shards: %v", q, err)
		}
		if len(c1) == 0 || !slices.Equal(c1, c3) {
			t.Errorf("%q: %v from one index, %v from 3 shards", q, c1, c3)
		}
	}
}
