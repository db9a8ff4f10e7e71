package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzSearchParams sends arbitrary query strings to /api/search over a
// real temporary index: whatever a client sends, the answer is never a
// 5xx and is always JSON.
func FuzzSearchParams(f *testing.F) {
	for _, seed := range []string{
		"q=multipolar",
		"q=%22kerja+sama%22",
		"q=title:(",
		"q=%22unclosed",
		"q=/[/&sort=date",
		"q=+rusia+-ukraina&source=kabarnusa.id,warta.co&tag=politik",
		"q=multipolar~5",
		"q=body:dunia^3+published:>2023-01-01",
		"page=-1",
		"page=9223372036854775807&size=2",
		"size=abc",
		"size=101",
		"sort=bogus",
		"from=2023-13-45",
		"from=2024-01-01&to=2023-01-01",
		"q=%ff%fe",
		"q=%zz",
		"q=indonesia&cursor=true&size=1",
		"q=indonesia&after=eyJzIjoicmVsZXZhbmNlIiwidiI6WyIxIiwieCJdfQ",
		"q=indonesia&after=%00&page=2",
		"q=ekonomi&recent=true&half_life=1",
		"q=ekonomi&exact=true",
		"q=ekonomi&recent=1&half_life=-5",
		"q=dia&sort=oldest&cursor=1",
		"",
	} {
		f.Add(seed)
	}
	ix := realIndex(f)
	h := newTest(ix, Options{})
	f.Fuzz(func(t *testing.T, raw string) {
		req := httptest.NewRequest("GET", "/api/search", nil)
		req.URL.RawQuery = raw
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%q: status %d: %s", raw, w.Code, w.Body)
		}
		if !json.Valid(w.Body.Bytes()) {
			t.Fatalf("%q: status %d: body is not JSON: %q", raw, w.Code, w.Body)
		}
		if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Fatalf("%q: Content-Type %q", raw, ct)
		}
	})
}

// FuzzSuggestSimilarParams does the same for /api/suggest and for
// /api/articles/{id}/similar, whose id is fuzzed too: any query string,
// any id, never a 5xx, always JSON.
func FuzzSuggestSimilarParams(f *testing.F) {
	for _, seed := range []struct {
		similar bool
		id, raw string
	}{
		{false, "", "q=multip"},
		{false, "", "q=kerja+sa&size=20"},
		{false, "", "q=%22unclosed"},
		{false, "", "q=title:(&size=3"},
		{false, "", "q=*&size=1"},
		{false, "", "q=%ff%fe"},
		{false, "", "q=%zz"},
		{false, "", "q=++-+&size=0"},
		{false, "", "size=21"},
		{false, "", "size=-1"},
		{false, "", "size=abc"},
		{false, "", ""},
		{true, "multipolar-1", ""},
		{true, "multipolar-1", "size=100"},
		{true, "multipolar-1", "size=0"},
		{true, "multipolar-1", "size=9223372036854775807"},
		{true, "tidak-ada", "size=3"},
		{true, "%2F..%2F", ""},
		{true, "%ff", "size=abc"},
	} {
		f.Add(seed.similar, seed.id, seed.raw)
	}
	ix := realIndex(f)
	h := newTest(ix, Options{})
	f.Fuzz(func(t *testing.T, similar bool, id, raw string) {
		req := httptest.NewRequest("GET", "/api/suggest", nil)
		if similar {
			if id == "" || strings.ContainsAny(id, "/?#") {
				t.Skip("not one path segment")
			}
			req.URL.Path = "/api/articles/" + id + "/similar"
			req.URL.RawPath = ""
		}
		req.URL.RawQuery = raw
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s?%s: status %d: %s", req.URL.Path, raw, w.Code, w.Body)
		}
		if w.Code == http.StatusTemporaryRedirect || w.Code == http.StatusMovedPermanently || w.Code == http.StatusPermanentRedirect {
			// A path with "." or ".." segments: Go's router sends the
			// client to the clean path, which answers JSON.
			if w.Header().Get("Location") == "" {
				t.Fatalf("%s?%s: redirect %d without a Location", req.URL.Path, raw, w.Code)
			}
			return
		}
		if !json.Valid(w.Body.Bytes()) {
			t.Fatalf("%s?%s: status %d: body is not JSON: %q", req.URL.Path, raw, w.Code, w.Body)
		}
		if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Fatalf("%s?%s: Content-Type %q", req.URL.Path, raw, ct)
		}
	})
}
