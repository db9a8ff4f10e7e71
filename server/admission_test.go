package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carisearch/cari"
)

// TestAdmission: past the searches in flight and those queued, a search
// is answered 503 with Retry-After at once; one queued too long gets the
// same; a write goes through while searches are at their bound; and once
// the searches end, searches are taken again.
func TestAdmission(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 4)
	f := &fake{searchFn: func(ctx context.Context, r cari.Request) (*cari.Result, error) {
		started <- struct{}{}
		<-release
		return &cari.Result{Query: r.Query, Page: 1, Size: 10, Hits: []cari.Hit{}, Facets: map[string][]cari.Facet{}}, nil
	}}
	h := newTest(f, Options{Token: "rahasia", Searches: Admission{InFlight: 1, Queue: 1, Wait: 200 * time.Millisecond}})

	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = call(t, h, "GET", "/api/search?q=banjir", "").Code
		}()
		if i == 0 {
			<-started // the first holds the one slot
		}
	}
	time.Sleep(20 * time.Millisecond) // the second is queued
	w := call(t, h, "GET", "/api/search?q=gempa", "")
	if w.Code != http.StatusServiceUnavailable || errorCode(t, w) != "overloaded" || w.Header().Get("Retry-After") == "" {
		t.Errorf("a search past the queue: %d %s (Retry-After %q), want 503 overloaded with Retry-After", w.Code, w.Body, w.Header().Get("Retry-After"))
	}
	post := call(t, h, "POST", "/api/articles", `[{"id":"a","title":"Judul","body":"Isi berita."}]`, "Authorization: Bearer rahasia")
	if post.Code != http.StatusOK {
		t.Errorf("a write while searches are at their bound: %d %s", post.Code, post.Body)
	}
	time.Sleep(250 * time.Millisecond) // the queued one waits past its time
	close(release)
	wg.Wait()
	if codes[0] != http.StatusOK || codes[1] != http.StatusServiceUnavailable {
		t.Errorf("the search in flight answered %d and the one queued too long %d, want 200 and 503", codes[0], codes[1])
	}
	if w := call(t, h, "GET", "/api/search?q=banjir", ""); w.Code != http.StatusOK {
		t.Errorf("a search once the others ended: %d", w.Code)
	}
	metrics := httptest.NewRecorder()
	scrape := httptest.NewRequest("GET", "/metrics", nil)
	scrape.Header.Set("Authorization", "Bearer rahasia") // the token is an admin key
	h.ServeHTTP(metrics, scrape)
	if want := `cari_http_refused_total{kind="search"} 2`; !strings.Contains(metrics.Body.String(), want) {
		t.Errorf("metrics lack %q", want)
	}
}
