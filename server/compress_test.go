package server

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/carisearch/cari"
)

// TestCompressedResponses: a client that accepts gzip gets a result page
// compressed, one that does not gets it plain, and both decode to the
// same result; small answers and errors stay plain.
func TestCompressedResponses(t *testing.T) {
	hits := make([]cari.Hit, 20)
	for i := range hits {
		hits[i] = cari.Hit{ID: "a", Title: "Banjir merendam rumah warga", Snippet: strings.Repeat("banjir merendam rumah warga di pesisir utara ", 4)}
	}
	b := &fake{searchFn: func(_ context.Context, r cari.Request) (*cari.Result, error) {
		return &cari.Result{Query: r.Query, Total: 20, Page: 1, Size: 20, Hits: hits, Facets: map[string][]cari.Facet{}}, nil
	}}
	h := newTest(b, Options{})
	plain := call(t, h, "GET", "/api/search?q=banjir&size=20", "")
	zipped := call(t, h, "GET", "/api/search?q=banjir&size=20", "", "Accept-Encoding: gzip")
	if plain.Code != 200 || zipped.Code != 200 {
		t.Fatalf("status %d and %d", plain.Code, zipped.Code)
	}
	if plain.Header().Get("Content-Encoding") != "" {
		t.Errorf("no gzip asked for, got Content-Encoding %q", plain.Header().Get("Content-Encoding"))
	}
	if zipped.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(zipped.Header().Get("Vary"), "Accept-Encoding") {
		t.Fatalf("gzip asked for: headers %v", zipped.Header())
	}
	if zipped.Body.Len()*3 > plain.Body.Len() {
		t.Errorf("compressed %d bytes against %d plain", zipped.Body.Len(), plain.Body.Len())
	}
	zr, err := gzip.NewReader(zipped.Body)
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var a, z cari.Result
	if err := json.Unmarshal(plain.Body.Bytes(), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(unzipped, &z); err != nil {
		t.Fatalf("decompressed body: %v", err)
	}
	if len(a.Hits) != 20 || len(z.Hits) != 20 || a.Hits[3].Snippet != z.Hits[3].Snippet {
		t.Errorf("plain and compressed results differ: %d and %d hits", len(a.Hits), len(z.Hits))
	}
	// An error is small: sent as it is, still JSON.
	bad := call(t, h, "GET", "/api/search?size=1000", "", "Accept-Encoding: gzip")
	if bad.Code != 400 || bad.Header().Get("Content-Encoding") != "" || errorCode(t, bad) != "bad_query" {
		t.Errorf("a bad request with gzip accepted: %d %v %s", bad.Code, bad.Header(), bad.Body)
	}
}
