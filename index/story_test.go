package index

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carisearch/cari"
)

// A story as three outlets told it on one day: a release copied, one
// copy cut short, one rewritten in part.
const (
	bulogRelease = "Perum Bulog menyalurkan beras cadangan pemerintah ke pasar induk Cipinang untuk menahan kenaikan harga beras medium. " +
		"Direktur Utama Bulog mengatakan stok beras di gudang mencapai dua juta ton dan cukup hingga panen raya. " +
		"Operasi pasar akan digelar serentak di tiga puluh kota mulai pekan depan dengan harga eceran tertinggi. " +
		"Pedagang di Cipinang menyebut harga beras medium naik dua ribu rupiah per kilogram dalam sebulan terakhir."
	bulogCut = "Perum Bulog menyalurkan beras cadangan pemerintah ke pasar induk Cipinang untuk menahan kenaikan harga beras medium. " +
		"Direktur Utama Bulog mengatakan stok beras di gudang mencapai dua juta ton dan cukup hingga panen raya."
	bulogRewrite = "Untuk menahan kenaikan harga beras medium, Perum Bulog menyalurkan beras cadangan pemerintah ke pasar induk Cipinang. " +
		"Menurut Direktur Utama Bulog, stok beras di gudang mencapai dua juta ton dan cukup hingga panen raya. " +
		"Operasi pasar akan digelar serentak di tiga puluh kota mulai pekan depan."
	// The same desk's report a week later, from the same template.
	bulogLater = "Perum Bulog menyalurkan beras cadangan pemerintah ke pasar induk Cipinang untuk menahan kenaikan harga beras medium. " +
		"Direktur Utama Bulog mengatakan stok beras di gudang mencapai dua juta ton dan cukup hingga panen raya."
	// Another story about rice prices on the same day.
	riceFarmers = "Petani di Karawang mengeluhkan harga gabah kering panen yang turun saat harga beras di pasar justru naik. " +
		"Kelompok tani meminta pemerintah membeli gabah dengan harga pembelian yang layak agar petani tidak merugi. " +
		"Dinas pertanian setempat berjanji menyampaikan keluhan itu kepada kementerian pekan ini."
)

func bulogArticles() []cari.Article {
	at := func(a cari.Article, source string) cari.Article {
		a.Source = source
		a.URL = "https://" + source + "/" + a.ID
		return a
	}
	return []cari.Article{
		at(dated("antara-1", "Bulog Salurkan Beras ke Cipinang", bulogRelease, "2024-02-05"), "antaranews.com"),
		at(dated("detik-1", "Harga Beras Naik, Bulog Guyur Cipinang", bulogCut, "2024-02-05"), "detik.com"),
		at(dated("kompas-1", "Bulog Gelontorkan Beras Cadangan", bulogRewrite, "2024-02-06"), "kompas.com"),
		at(dated("antara-2", "Bulog Kembali Salurkan Beras", bulogLater, "2024-02-12"), "antaranews.com"),
		at(dated("tempo-1", "Harga Gabah Turun, Petani Karawang Mengeluh", riceFarmers, "2024-02-05"), "tempo.co"),
	}
}

func storiesOf(t *testing.T, ix *Index, ids ...string) map[string]string {
	t.Helper()
	res, err := ix.Search(context.Background(), cari.Request{Query: "beras", Size: 20})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, h := range res.Hits {
		out[h.ID] = h.Story
	}
	for _, id := range ids {
		if out[id] == "" {
			t.Fatalf("%s has no story among the hits %v", id, out)
		}
	}
	return out
}

// Copies and a rewrite of a story are one story, whether written in one
// batch, in several, or after the index was closed and opened again; the
// same template a week later and another story of the same day are not.
func TestStoriesAtIngest(t *testing.T) {
	ctx := context.Background()
	articles := bulogArticles()
	for _, tc := range []struct {
		name    string
		batches [][]cari.Article
		reopen  bool
	}{
		{"one batch", [][]cari.Article{articles}, false},
		{"a batch each", [][]cari.Article{articles[:1], articles[1:2], articles[2:3], articles[3:]}, false},
		{"reopened between", [][]cari.Article{articles[:1], articles[1:]}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "index")
			ix, err := Create(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer func() { ix.Close() }()
			for _, b := range tc.batches {
				if _, bad, err := ix.Upsert(ctx, b); err != nil || len(bad) > 0 {
					t.Fatalf("upsert: %v %v", err, bad)
				}
				if tc.reopen {
					if err := ix.Close(); err != nil {
						t.Fatal(err)
					}
					if ix, err = Open(path); err != nil {
						t.Fatal(err)
					}
				}
			}
			got := storiesOf(t, ix, "antara-1", "detik-1", "kompas-1", "antara-2", "tempo-1")
			want := map[string]string{"antara-1": "antara-1", "detik-1": "antara-1", "kompas-1": "antara-1", "antara-2": "antara-2", "tempo-1": "tempo-1"}
			for id, story := range want {
				if got[id] != story {
					t.Errorf("story of %s: %q, want %q", id, got[id], story)
				}
			}
		})
	}
}

// An article written again is not its own copy, and keeps telling the
// story it tells.
func TestStoryOfRewrittenArticle(t *testing.T) {
	ctx := context.Background()
	articles := bulogArticles()
	ix := indexOfArticles(t, articles)
	again := articles[1]
	again.Title += " (diperbarui)"
	if _, _, err := ix.Upsert(ctx, []cari.Article{again}); err != nil {
		t.Fatal(err)
	}
	lone := articles[4]
	lone.Body += " Harga gabah diperkirakan pulih bulan depan."
	if _, _, err := ix.Upsert(ctx, []cari.Article{lone}); err != nil {
		t.Fatal(err)
	}
	got := storiesOf(t, ix, "detik-1", "tempo-1")
	if got["detik-1"] != "antara-1" || got["tempo-1"] != "tempo-1" {
		t.Errorf("stories after rewrites: %v", got)
	}
}

// A collapsed page shows a story once, at its best-ranked article, with
// the others below it; totals count articles; later pages go on with
// stories not yet shown; collapse off shows every article.
func TestCollapsedPages(t *testing.T) {
	ctx := context.Background()
	ix := indexOfArticles(t, bulogArticles())
	all, err := ix.Search(ctx, cari.Request{Query: "bulog", Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Hits) != 4 {
		t.Fatalf("without collapsing: %d hits, want the 4 Bulog articles", len(all.Hits))
	}
	res, err := ix.Search(ctx, cari.Request{Query: "bulog", Size: 10, Collapse: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != all.Total {
		t.Errorf("collapsed total %d, want the articles' %d", res.Total, all.Total)
	}
	var shown []string
	var others map[string][]cari.Related = map[string][]cari.Related{}
	for _, h := range res.Hits {
		shown = append(shown, h.ID)
		others[h.ID] = h.Others
	}
	if len(shown) != 2 || !slices.Contains(shown, "antara-2") {
		t.Fatalf("collapsed hits %v, want one of the story of 5 February and antara-2", shown)
	}
	lead := shown[0]
	if lead == "antara-2" {
		lead = shown[1]
	}
	var otherIDs []string
	for _, o := range others[lead] {
		otherIDs = append(otherIDs, o.ID)
		if o.Source == "" || !strings.HasPrefix(o.URL, "https://") || o.Title == "" || o.Published == "" {
			t.Errorf("other article %+v lacks its source, link, title or date", o)
		}
	}
	slices.Sort(otherIDs)
	want := slices.DeleteFunc([]string{"antara-1", "detik-1", "kompas-1"}, func(id string) bool { return id == lead })
	if !slices.Equal(otherIDs, want) {
		t.Errorf("others of %s: %v, want %v", lead, otherIDs, want)
	}
	if len(others["antara-2"]) != 0 {
		t.Errorf("antara-2 has others %v", others["antara-2"])
	}

	// Pages of one hit: the stories in the order of page 1, no repeats.
	var paged []string
	for page := 1; page <= 3; page++ {
		p, err := ix.Search(ctx, cari.Request{Query: "bulog", Size: 1, Page: page, Collapse: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range p.Hits {
			paged = append(paged, h.ID)
		}
	}
	if !slices.Equal(paged, shown) {
		t.Errorf("pages of one hit %v, want %v", paged, shown)
	}
}

// A body too short to tell a story by has no keys, and is its own story.
func TestShortBodyIsItsOwnStory(t *testing.T) {
	short := cari.Article{ID: "s1", Title: "Beras", Body: "Harga beras naik di Cipinang."}
	copyOf := short
	copyOf.ID = "s2"
	ix := indexOfArticles(t, []cari.Article{short, copyOf})
	got := storiesOf(t, ix, "s1", "s2")
	if got["s1"] != "s1" || got["s2"] != "s2" {
		t.Errorf("stories of short bodies: %v", got)
	}
}

// A write of articles from many days, more than one write reads, still
// finds the copies among its own articles, and a later write of a copy
// finds the story in the index.
func TestStoriesAcrossManyDays(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2020, 1, 1, 9, 0, 0, 0, time.UTC)
	var articles []cari.Article
	for i := range 3 * storyReadDays {
		day := start.AddDate(0, 0, 3*i)
		body := fmt.Sprintf("Laporan nomor %d: %s", i, bulogRelease)
		articles = append(articles, cari.Article{ID: fmt.Sprintf("a%03d", i), Title: "Bulog", Body: body, Published: day})
	}
	late := articles[len(articles)-1]
	copyOfLate := late
	copyOfLate.ID = "copy-late"
	articles = append(articles, copyOfLate)
	ix := indexOfArticles(t, articles)
	first := articles[0]
	copyOfFirst := first
	copyOfFirst.ID = "copy-first"
	if _, _, err := ix.Upsert(ctx, []cari.Article{copyOfFirst}); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(ctx, cari.Request{Query: "bulog", Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	story := map[string]string{}
	for _, h := range res.Hits {
		story[h.ID] = h.Story
	}
	if story["copy-late"] != late.ID || story["copy-first"] != first.ID {
		t.Errorf("stories of the copies: %q and %q, want %q and %q", story["copy-late"], story["copy-first"], late.ID, first.ID)
	}
	if story[articles[1].ID] != articles[1].ID {
		t.Errorf("%s, alone on its day, has story %q", articles[1].ID, story[articles[1].ID])
	}
}
