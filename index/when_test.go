package index

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/carisearch/cari"
)

func dated(id, title, body, day string) cari.Article {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		panic(err)
	}
	return cari.Article{ID: id, Title: title, Body: body, Published: t.Add(9 * time.Hour)}
}

// datesIndex is a small archive from 2019 to March 2020.
func datesIndex(t *testing.T) *Index { return indexOfArticles(t, datesArticles()) }

func datesArticles() []cari.Article {
	return []cari.Article{
		dated("banjir-2019", "Banjir rendam Bekasi", "Banjir merendam ratusan rumah warga di Bekasi.", "2019-12-02"),
		dated("banjir-jan", "Banjir besar rendam Jakarta", "Banjir awal tahun merendam Jakarta pada 1 Januari 2020.", "2020-01-02"),
		dated("banjir-feb", "Banjir lagi di Jakarta", "Banjir kembali merendam Jakarta, sebulan setelah Januari 2020.", "2020-02-25"),
		dated("gempa-jan", "Gempa guncang Sulawesi", "Gempa bermagnitudo 5 mengguncang Sulawesi.", "2020-01-20"),
		dated("ite", "Pasal 27 UU ITE digugat", "Pasal 27 ayat 3 UU ITE kembali digugat ke MK, UU 19 2016.", "2020-03-10"),
		dated("mar-demo", "Demo mahasiswa di DPR", "Mahasiswa berdemo menolak RUU.", "2020-03-09"),
		dated("mar-new", "Harga cabai naik", "Harga cabai naik di pasar.", "2020-03-12"),
	}
}

func hitIDs(res *cari.Result) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

func TestSearchUnderstandsDates(t *testing.T) {
	ix := datesIndex(t)
	ctx := context.Background()
	search := func(r cari.Request) *cari.Result {
		t.Helper()
		res, err := ix.Search(ctx, r)
		if err != nil {
			t.Fatalf("%q: %v", r.Query, err)
		}
		return res
	}

	res := search(cari.Request{Query: "banjir januari 2020"})
	if got := hitIDs(res); !slices.Equal(got, []string{"banjir-jan"}) {
		t.Errorf("banjir januari 2020: %v, want only banjir-jan", got)
	}
	want := cari.UnderstoodDates{Text: "januari 2020", Label: "Januari 2020", Kind: "month", From: "2020-01-01", To: "2020-01-31", Query: "banjir"}
	if res.Understood == nil || res.Understood.Dates == nil || *res.Understood.Dates != want {
		t.Errorf("understood %+v, want %+v", res.Understood, want)
	}
	if res.Query != "banjir januari 2020" {
		t.Errorf("the result's query is %q, want the query as typed", res.Query)
	}

	// Turned off, the words are matched: the articles saying januari 2020.
	res = search(cari.Request{Query: "banjir januari 2020", NoDates: true})
	if got := hitIDs(res); res.Understood != nil || len(got) < 2 || got[0] != "banjir-feb" && got[1] != "banjir-feb" {
		t.Errorf("banjir januari 2020 without dates: %v %+v, want banjir-jan and banjir-feb first", got, res.Understood)
	}

	// A date alone lists its days, newest first.
	res = search(cari.Request{Query: "januari 2020"})
	if got := hitIDs(res); !slices.Equal(got, []string{"gempa-jan", "banjir-jan"}) {
		t.Errorf("januari 2020: %v, want gempa-jan, banjir-jan", got)
	}

	// Not dates: the numbers are words.
	res = search(cari.Request{Query: "pasal 27"})
	if got := hitIDs(res); res.Understood != nil || len(got) == 0 || got[0] != "ite" {
		t.Errorf("pasal 27: %v %+v, want ite first and nothing understood", got, res.Understood)
	}
	res = search(cari.Request{Query: "uu 19 2016"})
	if got := hitIDs(res); res.Understood != nil || len(got) == 0 || got[0] != "ite" {
		t.Errorf("uu 19 2016: %v %+v, want ite", got, res.Understood)
	}

	// Relative dates count from the request's Now; on an index that
	// took writes since it was opened, as this one, from today.
	res = search(cari.Request{Query: "demo mahasiswa minggu lalu", Now: time.Date(2020, 3, 18, 0, 0, 0, 0, time.UTC)})
	if got := hitIDs(res); !slices.Equal(got, []string{"mar-demo"}) || res.Understood.Dates.To != "2020-03-15" {
		t.Errorf("demo mahasiswa minggu lalu, a week on: %v %+v", got, res.Understood)
	}
	res = search(cari.Request{Query: "harga cabai kemarin", Now: time.Date(2020, 3, 13, 0, 0, 0, 0, time.UTC)})
	if got := hitIDs(res); !slices.Equal(got, []string{"mar-new"}) {
		t.Errorf("harga cabai kemarin: %v", got)
	}
	res = search(cari.Request{Query: "harga cabai hari ini"})
	if today := time.Now().UTC().Format(time.DateOnly); res.Understood == nil || res.Understood.Dates.From != today || len(res.Hits) != 0 {
		t.Errorf("harga cabai hari ini on a live index: %v %+v, want none of %s", hitIDs(res), res.Understood, today)
	}

	// A date with no article is matched as words: 1945 is before the
	// archive.
	res = search(cari.Request{Query: "banjir 1945"})
	if res.Understood != nil {
		t.Errorf("banjir 1945 understood as %+v, before the oldest article", res.Understood.Dates)
	}

	// With the request's own days: both, where they overlap; the
	// request's, where they do not.
	res = search(cari.Request{Query: "banjir 2020", From: time.Date(2020, 2, 1, 0, 0, 0, 0, time.UTC)})
	if got := hitIDs(res); !slices.Equal(got, []string{"banjir-feb"}) || res.Understood.Dates.From != "2020-02-01" || res.Understood.Dates.To != "2020-12-31" {
		t.Errorf("banjir 2020 from February: %v %+v", got, res.Understood)
	}
	res = search(cari.Request{Query: "banjir 2019", From: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)})
	if res.Understood != nil {
		t.Errorf("banjir 2019 from 2020: understood %+v, want the request's days to win", res.Understood.Dates)
	}

	// A question's or a passage's years are its words.
	for _, q := range []string{"banjir apa yang terjadi januari 2020?", "banjir besar rendam jakarta bekasi bogor tangerang depok januari 2020"} {
		if res := search(cari.Request{Query: q}); res.Understood != nil {
			t.Errorf("%q understood as %+v", q, res.Understood.Dates)
		}
	}

	// A query with no date is searched as before.
	a, b := search(cari.Request{Query: "banjir jakarta"}), search(cari.Request{Query: "banjir jakarta", NoDates: true})
	if !slices.Equal(hitIDs(a), hitIDs(b)) || a.Understood != nil {
		t.Errorf("banjir jakarta: %v, without dates %v", hitIDs(a), hitIDs(b))
	}
}

// TestRelativeDatesOfAnArchive: an index opened and not written to counts
// from its newest article (2020-03-12, a Thursday).
func TestRelativeDatesOfAnArchive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index")
	live, err := Create(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := live.Upsert(context.Background(), datesArticles()); err != nil {
		t.Fatal(err)
	}
	if err := live.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res, err := ix.Search(context.Background(), cari.Request{Query: "demo mahasiswa minggu ini"})
	if err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(res); !slices.Equal(got, []string{"mar-demo"}) || res.Understood == nil || res.Understood.Dates.From != "2020-03-09" || res.Understood.Dates.To != "2020-03-12" {
		t.Errorf("demo mahasiswa minggu ini: %v %+v", got, res.Understood)
	}
}

func TestPublishedSpanIsCached(t *testing.T) {
	ix := datesIndex(t)
	ctx := context.Background()
	span, err := ix.publishedSpan(ctx)
	if err != nil || !span.ok || span.oldest.Format(time.DateOnly) != "2019-12-02" || span.newest.Format(time.DateOnly) != "2020-03-12" {
		t.Fatalf("span %+v %v", span, err)
	}
	if _, _, err := ix.Upsert(ctx, []cari.Article{dated("new", "Berita baru", "Isi.", "2020-04-01")}); err != nil {
		t.Fatal(err)
	}
	if span, _ = ix.publishedSpan(ctx); span.newest.Format(time.DateOnly) != "2020-03-12" {
		t.Errorf("within a minute of the last finding, the newest is %s, want the span kept", span.newest)
	}
	ix.dateSpans.mu.Lock()
	ix.dateSpans.span.at = time.Now().Add(-dateSpanAge)
	ix.dateSpans.mu.Unlock()
	if span, _ = ix.publishedSpan(ctx); span.newest.Format(time.DateOnly) != "2020-04-01" {
		t.Errorf("after a write and a minute the newest is %s", span.newest)
	}
	if span, _ = ix.publishedSpan(ctx); span.gen != ix.writeGen.Load() {
		t.Errorf("the span is of generation %d, the index is at %d", span.gen, ix.writeGen.Load())
	}
}
