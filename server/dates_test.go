package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/carisearch/cari"
)

// TestSearchUnderstoodDates: /api/search answers what it read as a date
// in "understood", as the document says, and dates=false turns it off.
func TestSearchUnderstoodDates(t *testing.T) {
	doc, router := loadSpec(t)
	h := newTest(realIndex(t), Options{})
	search := func(target string) cari.Result {
		t.Helper()
		w := exchange{name: target, h: h, method: "GET", target: target, status: http.StatusOK}.check(t, doc, router)
		var res cari.Result
		if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(w.Body.String(), `"understood"`) != (res.Understood != nil) {
			t.Errorf("%s: understood is in the body only when something was: %s", target, w.Body)
		}
		return res
	}
	res := search("/api/search?q=kerja+sama+2023")
	want := cari.UnderstoodDates{Text: "2023", Label: "2023", Kind: "year", From: "2023-01-01", To: "2023-12-31", Query: "kerja sama"}
	if res.Understood == nil || res.Understood.Dates == nil || *res.Understood.Dates != want {
		t.Fatalf("understood %+v, want %+v", res.Understood, want)
	}
	if len(res.Hits) != 1 || res.Hits[0].ID != "multipolar-1" || res.Query != "kerja sama 2023" {
		t.Errorf("kerja sama 2023: %q %+v, want multipolar-1 alone", res.Query, res.Hits)
	}
	res = search("/api/search?q=banjir+februari+2024&to=2024-02-20")
	if d := res.Understood.Dates; d.From != "2024-02-01" || d.To != "2024-02-20" || d.Label != "1–20 Februari 2024" || len(res.Hits) != 1 {
		t.Errorf("banjir februari 2024 to the 20th: %+v, %d hits", d, len(res.Hits))
	}
	for _, target := range []string{"/api/search?q=kerja+sama+2023&dates=false", "/api/search?q=kerja+sama", "/api/search?q=pasal+27"} {
		if res := search(target); res.Understood != nil {
			t.Errorf("%s: understood %+v", target, res.Understood.Dates)
		}
	}
	w := call(t, h, "GET", "/api/search?q=2023&dates=maybe", "")
	if w.Code != http.StatusBadRequest || errorCode(t, w) != "bad_query" {
		t.Errorf("dates=maybe: %d %s", w.Code, w.Body)
	}
}

// TestPageDateChip: the page shows the understood date as a chip whose
// link searches the same query with dates=false; that page has no chip,
// and a new search from it reads dates again.
func TestPageDateChip(t *testing.T) {
	h := newTest(realIndex(t), Options{})
	w := call(t, h, "GET", "/?q=kerja+sama+2023", "")
	body := w.Body.String()
	chip := `<a class="chip" href="?q=kerja&#43;sama&#43;2023&amp;dates=false" title="Hapus saringan">2023 ×</a>`
	if w.Code != 200 || !strings.Contains(body, chip) {
		t.Fatalf("status %d; no chip %s in\n%s", w.Code, chip, filtersOf(body))
	}
	w = call(t, h, "GET", "/?q=kerja+sama+2023&dates=false", "")
	body = w.Body.String()
	if strings.Contains(filtersOf(body), "2023 ×") {
		t.Errorf("dates=false still shows the chip: %s", filtersOf(body))
	}
	if ids, _ := pageHits(body); len(ids) < 1 {
		t.Errorf("dates=false: hits %v", ids)
	}
	if form, _, _ := strings.Cut(body, "</form>"); strings.Contains(form, `name="dates"`) {
		t.Error("the search form carries dates=false to the next query")
	}
	// Nothing found: the summary says for which words and when.
	w = call(t, h, "GET", "/?q=banjir+2023", "")
	if want := "Tidak ada berita yang cocok dengan “banjir” pada 2023."; !strings.Contains(w.Body.String(), want) {
		t.Errorf("banjir 2023 on the page: no %q", want)
	}
	// The pager and other links keep it.
	w = call(t, h, "GET", "/?q=kerja+sama+2023&dates=false&source=kabarnusa.id", "")
	if !strings.Contains(w.Body.String(), "dates=false") {
		t.Error("the links of a dates=false page lose it")
	}
}

// filtersOf is the filter chips' part of a page.
func filtersOf(body string) string {
	i := strings.Index(body, `id="filters"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</div>")
	if j < 0 {
		return body[i:]
	}
	return body[i : i+j]
}
