package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index/input"
)

var (
	hitIDs     = regexp.MustCompile(`<li class="hit" data-id="([^"]*)">`)
	hitURLs    = regexp.MustCompile(`<h2><a href="([^"]*)"`)
	summaryRE  = regexp.MustCompile(`<p id="summary"[^>]*>([^<]*)</p>`)
	totalRE    = regexp.MustCompile(`dari ([0-9.]+) hasil`)
	errorBoxRE = regexp.MustCompile(`<p id="error"[^>]*>([^<]*)</p>`)
)

// pageHits are the ids and addresses of the hits a rendered page shows.
func pageHits(body string) (ids, urls []string) {
	for _, m := range hitIDs.FindAllStringSubmatch(body, -1) {
		ids = append(ids, html.UnescapeString(m[1]))
	}
	for _, m := range hitURLs.FindAllStringSubmatch(body, -1) {
		urls = append(urls, html.UnescapeString(m[1]))
	}
	return ids, urls
}

// TestPageShowsTheAPIsResults renders the page for queries, filters,
// sorts and pages over the sample articles and holds the hits it shows,
// in order, and its total to /api/search's answer to the same
// parameters.
func TestPageShowsTheAPIsResults(t *testing.T) {
	h := newTest(sampleIndex(t), Options{})
	for _, q := range []string{
		"",
		"q=multipolar",
		"q=kerja+sama",
		"q=kerja+sama&source=kabarnusantara.id",
		"q=kerja+sama&source=kabarnusantara.id&source=warta-harian.com",
		"q=kerja+sama&source=kabarnusantara.id,warta-harian.com&page=2",
		"q=indonesia&page=2",
		"q=indonesia&page=3&size=4",
		"q=indonesia&tag=diplomasi",
		"q=indonesia&from=2023-01-01&to=2023-12-31",
		"q=indonesia&sort=date",
		"q=indonesia&sort=oldest",
		"q=ekonomi&recent=true",
		"q=ekonomi&recent=true&half_life=30",
		"sort=date&source=berita-timur.id",
		"q=multipolr",
		"q=%22kerja+sama%22+-tiongkok",
	} {
		t.Run(q, func(t *testing.T) {
			w := call(t, h, "GET", "/?"+q, "")
			if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
				t.Fatalf("status %d, Content-Type %q", w.Code, w.Header().Get("Content-Type"))
			}
			body := w.Body.String()
			a := call(t, h, "GET", "/api/search?"+q, "")
			var res cari.Result
			if err := json.Unmarshal(a.Body.Bytes(), &res); err != nil || a.Code != 200 {
				t.Fatalf("API: status %d, %v", a.Code, err)
			}
			var wantIDs, wantURLs []string
			for _, hit := range res.Hits {
				wantIDs = append(wantIDs, hit.ID)
				if hit.URL != "" {
					wantURLs = append(wantURLs, hit.URL)
				}
			}
			ids, urls := pageHits(body)
			if fmt.Sprint(ids) != fmt.Sprint(wantIDs) {
				t.Errorf("the page shows %v, the API answers %v", ids, wantIDs)
			}
			if fmt.Sprint(urls) != fmt.Sprint(wantURLs) {
				t.Errorf("the page links %v, the API answers %v", urls, wantURLs)
			}
			summary := summaryRE.FindStringSubmatch(body)
			if summary == nil {
				t.Fatal("no summary")
			}
			if res.Total > 0 {
				m := totalRE.FindStringSubmatch(summary[1])
				if m == nil || strings.ReplaceAll(m[1], ".", "") != fmt.Sprint(res.Total) {
					t.Errorf("summary %q, the API counts %d", summary[1], res.Total)
				}
			}
			if res.Suggestion != "" && !strings.Contains(body, "Mungkin maksud Anda: <a href=") {
				t.Errorf("no suggestion of %q", res.Suggestion)
			}
			if strings.Contains(body, "memerlukan JavaScript") {
				t.Error("the page says it needs JavaScript")
			}
			// The facets come after the results.
			if r, f := strings.Index(body, `id="results"`), strings.Index(body, `id="facets"`); r < 0 || f < r {
				t.Errorf("results at %d, facets at %d", r, f)
			}
		})
	}
}

// TestPageLinks checks the controls of a page that work without
// JavaScript: the search box and sort, the pager's links, the source
// check boxes and their form, the filter chips, each with the state of
// the URL.
func TestPageLinks(t *testing.T) {
	h := newTest(sampleIndex(t), Options{})
	for _, tc := range []struct {
		target string
		want   []string
		not    []string
	}{
		{"/?q=indonesia", []string{
			`id="q" value="indonesia"`,
			`<option value="relevance" selected>`,
			`<a id="next" href="?q=indonesia&amp;page=2" rel="next">`,
			`<span class="off" aria-disabled="true">« Sebelumnya</span>`,
			`<span id="pageno">Halaman 1 dari `,
			`<input type="hidden" name="q" value="indonesia">`,
			`<input type="checkbox" name="source" value="kabarnusantara.id"> kabarnusantara.id</label>`,
			`<button type="submit" class="apply">Terapkan</button>`,
			`<a href="?q=indonesia&amp;from=2023-01-01&amp;to=2023-12-31">2023</a>`,
		}, []string{`id="prev" href`, `class="chip"`, " checked>"}},
		{"/?q=indonesia&page=2&sort=date", []string{
			`<option value="date" selected>`,
			`<a id="prev" href="?q=indonesia&amp;sort=date" rel="prev">`,
			`<a id="next" href="?q=indonesia&amp;sort=date&amp;page=3" rel="next">`,
			`<span id="pageno">Halaman 2 dari `,
			// The search box keeps the sort in its select, not hidden.
			`<input type="hidden" name="sort" value="date">`,
		}, []string{`<input type="hidden" name="page"`}},
		{"/?q=kerja+sama&source=kabarnusantara.id&recent=true", []string{
			`<option value="recent" selected>`,
			`<input type="checkbox" name="source" value="kabarnusantara.id" checked> kabarnusantara.id</label>`,
			`<input type="checkbox" name="source" value="warta-harian.com"> warta-harian.com</label>`,
			`<a class="chip" href="?q=kerja&#43;sama&amp;recent=true" title="Hapus saringan">Sumber: kabarnusantara.id ×</a>`,
			// The search box carries the source to a new query.
			`<input type="hidden" name="source" value="kabarnusantara.id">`,
			`<input type="hidden" name="recent" value="true">`,
		}, nil},
		{"/?q=indonesia&from=2023-01-01&to=2023-12-31", []string{
			`<h3>Bulan</h3>`,
			`<a class="chip" href="?q=indonesia" title="Hapus saringan">Tahun: 2023 ×</a>`,
			`<a href="?q=indonesia" class="on" aria-current="true">2023</a>`,
		}, nil},
		{"/?q=xyzzyplugh&source=warta-harian.com", []string{
			`Tidak ada berita yang cocok dengan “xyzzyplugh” pada saringan yang aktif.`,
			`Periksa ejaan kata kuncinya.`,
			`<a id="clear-filters" href="?q=xyzzyplugh">hapus semua saringan</a>`,
		}, []string{`<li class="hit"`}},
		{"/", []string{`Berita terbaru: 1–10 dari `, `<option value="date" selected>`, `id="q" value=""`}, []string{"JavaScript"}},
	} {
		w := call(t, h, "GET", tc.target, "")
		body := w.Body.String()
		if w.Code != http.StatusOK {
			t.Errorf("%s: status %d", tc.target, w.Code)
		}
		for _, s := range tc.want {
			if !strings.Contains(body, s) {
				t.Errorf("%s: the page lacks %s", tc.target, s)
			}
		}
		for _, s := range tc.not {
			if strings.Contains(body, s) {
				t.Errorf("%s: the page has %s", tc.target, s)
			}
		}
	}

	// The sort box without JavaScript sends sort=recent: the page is
	// the search with recent=true.
	w := call(t, h, "GET", "/?q=ekonomi&sort=recent&source=kabarnusantara.id", "")
	if loc := w.Header().Get("Location"); w.Code != http.StatusSeeOther || loc != "/?q=ekonomi&recent=true&source=kabarnusantara.id" {
		t.Errorf("sort=recent: status %d, Location %q", w.Code, loc)
	}
}

// TestPageErrors renders failed searches: each tells in Indonesian what
// the API's code says, with the API's status, and the API's message as
// the tooltip; the page is HTML still.
func TestPageErrors(t *testing.T) {
	ix := sampleIndex(t)
	h := newTest(ix, Options{})
	fakeErr := func(err error) *fake {
		return &fake{searchFn: func(context.Context, cari.Request) (*cari.Result, error) { return nil, err }}
	}
	slow := newTest(&fake{searchFn: func(ctx context.Context, _ cari.Request) (*cari.Result, error) { <-ctx.Done(); return nil, ctx.Err() }},
		Options{SearchTimeout: 5 * time.Millisecond})
	const badQuery = "Kueri tidak dapat diproses. Periksa tanda kutip, tanda kurung, tanggal, dan saringannya."
	for _, tc := range []struct {
		name, target string
		h            http.Handler
		status       int
		code, text   string
	}{
		{"page not a number", "/?q=banjir&page=abc", h, 400, "bad_query", badQuery},
		{"page zero", "/?q=banjir&page=0", h, 400, "bad_query", badQuery},
		{"size too big", "/?q=banjir&size=101", h, 400, "bad_query", badQuery},
		{"no such day", "/?q=banjir&from=2019-02-30", h, 400, "bad_query", badQuery},
		{"bad sort", "/?q=banjir&sort=acak", h, 400, "bad_query", badQuery},
		{"bad recent", "/?q=banjir&recent=kadang", h, 400, "bad_query", badQuery},
		{"too deep", "/?q=banjir&page=2000", h, 400, "bad_query", badQuery},
		{"to before from", "/?q=banjir&from=2024-01-01&to=2023-01-01", h, 400, "bad_query", badQuery},
		{"query too long", "/?q=" + strings.Repeat("a", cari.MaxQueryBytes+1), h, 400, "bad_query", badQuery},
		{"too expensive", "/?q=a*", newTest(fakeErr(fmt.Errorf("wildcard: %w", cari.ErrTooExpensive)), Options{}), 400, "query_too_expensive",
			"Kueri terlalu luas: kata dengan * atau ~ cocok dengan terlalu banyak kata. Persempit kuerinya."},
		{"deadline", "/?q=banjir", slow, 504, "timeout", "Pencarian memakan waktu terlalu lama. Coba kueri yang lebih sempit."},
		{"internal", "/?q=banjir", newTest(fakeErr(errors.New("disk on fire")), Options{}), 500, "internal", "Terjadi kesalahan (500)."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := call(t, tc.h, "GET", tc.target, "")
			if w.Code != tc.status || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
				t.Fatalf("status %d, Content-Type %q, want %d and HTML", w.Code, w.Header().Get("Content-Type"), tc.status)
			}
			body := w.Body.String()
			m := errorBoxRE.FindStringSubmatch(body)
			if m == nil || html.UnescapeString(m[1]) != tc.text {
				t.Errorf("error box %q, want %q", m, tc.text)
			}
			if strings.Contains(body, "disk on fire") {
				t.Error("the page shows an internal error's detail")
			}
			if ids, _ := pageHits(body); len(ids) != 0 {
				t.Errorf("hits %v beside the error", ids)
			}
			// The API says the same code for the same parameters.
			api := call(t, tc.h, "GET", "/api/search"+strings.TrimPrefix(tc.target, "/"), "")
			if api.Code != tc.status || errorCode(t, api) != tc.code {
				t.Errorf("API: status %d code %q, want %d %q", api.Code, errorCode(t, api), tc.status, tc.code)
			}
			// And app.js starts from the API's answer.
			if !strings.Contains(body, `"code":"`+tc.code+`"`) {
				t.Errorf("the page's answer for its script lacks the code %q", tc.code)
			}
		})
	}
}

// TestPageRefusedWhenBusy: the page's search waits its turn with the
// API's, and a refusal is the page, saying the server is busy.
func TestPageRefusedWhenBusy(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	b := &fake{searchFn: func(ctx context.Context, r cari.Request) (*cari.Result, error) {
		started <- struct{}{}
		<-release
		return &cari.Result{Page: 1, Size: 10, Hits: []cari.Hit{}, Facets: map[string][]cari.Facet{}}, nil
	}}
	h := newTest(b, Options{Searches: Admission{InFlight: 1, Queue: -1}})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); call(t, h, "GET", "/api/search?q=a", "") }()
	<-started
	w := call(t, h, "GET", "/?q=banjir", "")
	close(release)
	wg.Wait()
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
		t.Fatalf("status %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
	if m := errorBoxRE.FindStringSubmatch(w.Body.String()); m == nil || m[1] != "Server sedang sibuk. Coba lagi sebentar lagi." {
		t.Errorf("error box %q", m)
	}
}

// TestPageErrorTextsMatchTheScript: the page and app.js tell each code
// in the same words.
func TestPageErrorTextsMatchTheScript(t *testing.T) {
	script, err := os.ReadFile("web/app.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"bad_query", "query_too_expensive", "timeout", "overloaded", "unavailable"} {
		want := code + ": '" + pageErrorText(code, 400) + "'"
		if !strings.Contains(string(script), want) {
			t.Errorf("app.js lacks %s", want)
		}
	}
}

// TestPageEscapesArticles indexes articles whose title, body, source,
// tags and address carry markup and renders them: only the page's own
// markup and the highlights' <mark> are HTML.
func TestPageEscapesArticles(t *testing.T) {
	ix := tempIndex(t)
	day, _ := input.ParseDate("2024-02-10")
	evil := []cari.Article{
		{ID: "xss-1", Title: `Banjir <script>alert(1)</script> Demak`, Body: `Banjir merendam rumah. "><img src=x onerror=alert(2)> <b>tebal</b> &amp; selesai.`,
			Source: `warta"><script>alert(3)</script>`, Tags: []string{`"><img src=x onerror=alert(4)>`}, Published: day,
			URL: `https://contoh.id/"><script>alert(5)</script>`},
		{ID: `xss-2"><img src=x onerror=alert(6)>`, Title: `"><img src=x onerror=alert(7)>`, Body: "Banjir kedua, <mark>palsu</mark> dari penulis.",
			URL: "javascript:alert(8)", Published: day},
	}
	if _, _, err := ix.Upsert(context.Background(), evil); err != nil {
		t.Fatal(err)
	}
	h := newTest(ix, Options{})
	for _, target := range []string{"/?q=banjir", "/?q=banjir&source=" + url.QueryEscape(evil[0].Source), "/?q=" + url.QueryEscape(`"><img onerror>`)} {
		w := call(t, h, "GET", target, "")
		body := w.Body.String()
		// Cut the data block for the script: it is JSON, checked below.
		page, data, _ := strings.Cut(body, `<script type="application/json" id="initial">`)
		data, rest, _ := strings.Cut(data, "</script>")
		page += rest
		for _, bad := range []string{"<script>", "<img", "<b>", "javascript:"} {
			if strings.Contains(page, bad) {
				i := strings.Index(page, bad)
				t.Errorf("%s: the page holds %q: …%s…", target, bad, page[max(0, i-80):min(len(page), i+80)])
			}
		}
		if strings.Contains(data, "<") || strings.Contains(data, "</script") {
			t.Errorf("%s: the data block holds a raw <", target)
		}
		var answer struct {
			Status int          `json:"status"`
			Body   *cari.Result `json:"body"`
		}
		if err := json.Unmarshal([]byte(data), &answer); err != nil {
			t.Errorf("%s: the data block is not JSON: %v", target, err)
		}
		if target == "/?q=banjir" {
			for _, want := range []string{
				`Banjir</mark> &lt;script&gt;alert(1)&lt;/script&gt; Demak`, // the title, marked and escaped
				`&#34;&gt;&lt;img src=x onerror=alert(2)&gt;`,               // the snippet
				`&lt;mark&gt;palsu&lt;/mark&gt;`,                            // a writer's <mark> is text
				`<span class="tag">&#34;&gt;&lt;img src=x onerror=alert(4)&gt;</span>`,
			} {
				if !strings.Contains(page, want) {
					t.Errorf("the page lacks %s", want)
				}
			}
			if len(answer.Body.Hits) != 2 {
				t.Errorf("%d hits, want both articles", len(answer.Body.Hits))
			}
		}
	}
}

// TestMarkedHTML: of the index's HTML only the text and the marks are
// kept, as app.js's marked keeps them.
func TestMarkedHTML(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"dunia <mark>multipolar</mark> baru", "dunia <mark>multipolar</mark> baru"},
		{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"<script>alert(1)</script>", "alert(1)"},
		{`&#34;&gt;&lt;img src=x onerror=alert(1)&gt;`, "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"},
		{`"><img src=x onerror=alert(1)>`, "&#34;&gt;"},
		{"<MARK>a</MARK> <mark>b", "<mark>a</mark> <mark>b</mark>"},
		{"a </mark> b", "a  b"},
		{"<mark><mark>a</mark>", "<mark>a</mark>"},
		{"a < b", "a &lt; b"},
		{"Tom &amp; Jerry", "Tom &amp; Jerry"},
	} {
		if got := string(markedHTML(tc.in)); got != tc.want {
			t.Errorf("markedHTML(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPageFormats(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{formatCount(0), "0"},
		{formatCount(999), "999"},
		{formatCount(1000), "1.000"},
		{formatCount(1234567), "1.234.567"},
		{formatMS(0.04), "0"},
		{formatMS(3.45), "3,5"},
		{formatMS(12), "12"},
		{formatMS(1234.56), "1.234,6"},
		{formatDate("2022-11-21"), "21 November 2022"},
		{formatDate("2024-02-03"), "3 Februari 2024"},
		{formatDate("kemarin"), "kemarin"},
		{monthLabel("2023-08"), "Agustus 2023"},
	} {
		if tc.got != tc.want {
			t.Errorf("%q, want %q", tc.got, tc.want)
		}
	}
	if from, to := monthRange("2024-02"); from != "2024-02-01" || to != "2024-02-29" {
		t.Errorf("February 2024 is %s to %s", from, to)
	}
}

// TestUsesSyntax holds the page's test of a query with operators to
// app.js's /["+:*?~]|(^|\s)-/.
func TestUsesSyntax(t *testing.T) {
	for q, want := range map[string]bool{
		"banjir": false, "pasca-banjir": false, "banjir bandang demak": false,
		`"kerja sama"`: true, "+rusia": true, "rusia -ukraina": true, "-ukraina": true,
		"rusia\t-ukraina": true, "title:banjir": true, "banj*": true, "banjr~": true, "ban?ir": true,
	} {
		if got := usesSyntax(q); got != want {
			t.Errorf("usesSyntax(%q) = %v", q, got)
		}
	}
}

// TestPageSaysEstimates: a total the index estimated from a sample of
// the matches (cari.Result.TotalExact false) is said to be about so many.
func TestPageSaysEstimates(t *testing.T) {
	for _, tc := range []struct {
		total uint64
		exact bool
		want  string
	}{
		{390_000, false, "1–1 dari sekitar 390.000 hasil"},
		{387_838, true, "1–1 dari 387.838 hasil"},
	} {
		f := &fake{searchFn: func(ctx context.Context, r cari.Request) (*cari.Result, error) {
			return &cari.Result{Query: r.Query, Total: tc.total, TotalExact: tc.exact, Page: 1, Size: 10,
				Hits: []cari.Hit{{ID: "a", Title: "KPK", Snippet: "KPK"}}, Facets: map[string][]cari.Facet{}}, nil
		}}
		w := call(t, newTest(f, Options{}), "GET", "/?q=kpk", "")
		if w.Code != 200 || !strings.Contains(w.Body.String(), tc.want) {
			t.Errorf("total %d (exact %v): status %d, page lacks %q", tc.total, tc.exact, w.Code, tc.want)
		}
	}
}

// pageErrorCode is the API error code a page that tells an error carries
// for its script (#initial).
func pageErrorCode(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	_, data, ok := strings.Cut(w.Body.String(), `<script type="application/json" id="initial">`)
	data, _, _ = strings.Cut(data, "</script>")
	var initial struct {
		Body errorBody `json:"body"`
	}
	if err := json.Unmarshal([]byte(data), &initial); !ok || err != nil || initial.Body.Error.Code == "" {
		t.Fatalf("status %d: a page without the error's code for its script (%v): %q", w.Code, err, w.Body.String())
	}
	return initial.Body.Error.Code
}

// A hit's other articles of its story are listed under it, folded,
// with their links, escaped; a hit without others lists none.
func TestPageListsOtherSourcesOfAStory(t *testing.T) {
	f := &fake{searchFn: func(ctx context.Context, r cari.Request) (*cari.Result, error) {
		return &cari.Result{Query: r.Query, Total: 4, TotalExact: true, Page: 1, Size: 10, Facets: map[string][]cari.Facet{},
			Hits: []cari.Hit{
				{ID: "a", Title: "Bulog Salurkan Beras", Snippet: "beras", Story: "a", Others: []cari.Related{
					{ID: "b", Title: "Harga Beras Naik &amp; Bulog Turun Tangan", Source: "detik.com", URL: "https://detik.com/b", Published: "2024-02-05"},
					{ID: "c", Title: "Bulog Gelontorkan Beras", Source: "kompas.com", URL: "javascript:alert(1)", Published: "2024-02-06"},
				}},
				{ID: "d", Title: "Petani Karawang Mengeluh", Snippet: "gabah", Story: "d"},
			}}, nil
	}}
	w := call(t, newTest(f, Options{}), "GET", "/?q=beras", "")
	body := w.Body.String()
	if w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	if !f.lastReq.Collapse {
		t.Error("the page searched without collapsing stories")
	}
	for _, want := range []string{
		"<summary>+2 sumber lain</summary>",
		`<a href="https://detik.com/b" rel="noopener noreferrer">Harga Beras Naik &amp; Bulog Turun Tangan</a> · detik.com · 5 Februari 2024`,
		"<li>Bulog Gelontorkan Beras · kompas.com · 6 Februari 2024</li>", // no link for a script URL
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Count(body, `<details class="others">`) != 1 {
		t.Errorf("want one list of other sources, for the hit that has them:\n%s", body)
	}
}
