package server

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/carisearch/cari"
)

// TestSimilarRoute reads the related articles of the Indonesia–Australia
// defence agreement over the sample articles: the TNI AL exercise with
// Japan and India, the other article on defence cooperation at sea,
// comes first; the article itself never appears; errors are JSON.
func TestSimilarRoute(t *testing.T) {
	h := newTest(sampleIndex(t), Options{})
	w := call(t, h, "GET", "/api/articles/kn-2023-002/similar?size=3", "")
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var res cari.Result
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 3 {
		t.Fatalf("%d hits, want 3 (size=3)", len(res.Hits))
	}
	if res.Hits[0].ID != "kn-2023-010" {
		t.Errorf("first related article %s %q, want kn-2023-010 (the naval exercise)", res.Hits[0].ID, res.Hits[0].Title)
	}
	for _, hit := range res.Hits {
		if hit.ID == "kn-2023-002" {
			t.Errorf("the article is related to itself")
		}
		if hit.Snippet == "" || hit.Title == "" {
			t.Errorf("%s: title %q, snippet %q", hit.ID, hit.Title, hit.Snippet)
		}
	}

	for _, tc := range []struct {
		target string
		status int
		code   string
	}{
		{"/api/articles/tidak-ada/similar", 404, "not_found"},
		{"/api/articles/kn-2023-002/similar?size=0", 400, "bad_query"},
		{"/api/articles/kn-2023-002/similar?size=101", 400, "bad_query"},
		{"/api/articles/kn-2023-002/similar?size=lima", 400, "bad_query"},
	} {
		w := call(t, h, "GET", tc.target, "")
		if w.Code != tc.status {
			t.Errorf("%s: status %d, want %d", tc.target, w.Code, tc.status)
			continue
		}
		if code := errorCode(t, w); code != tc.code {
			t.Errorf("%s: code %q, want %q", tc.target, code, tc.code)
		}
	}
}

// TestSuggestRoute checks what the route passes to the index and what it
// answers.
func TestSuggestRoute(t *testing.T) {
	var gotQ string
	var gotSize int
	f := &fake{suggestFn: func(_ context.Context, q string, size int) ([]cari.Completion, error) {
		gotQ, gotSize = q, size
		return []cari.Completion{{Text: "kerja sama", Kind: cari.CompletionTerm, Count: 9}}, nil
	}}
	w := call(t, newTest(f, Options{}), "GET", "/api/suggest?q=kerja+sa&size=5", "")
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	if gotQ != "kerja sa" || gotSize != 5 {
		t.Errorf("index asked for %q size %d, want \"kerja sa\" size 5", gotQ, gotSize)
	}
	var resp suggestResponse
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Query != "kerja sa" || len(resp.Completions) != 1 || resp.Completions[0].Text != "kerja sama" {
		t.Errorf("answer %+v", resp)
	}

	// Over the sample articles.
	h := newTest(sampleIndex(t), Options{})
	w = call(t, h, "GET", "/api/suggest?q=multip", "")
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil || w.Code != 200 {
		t.Fatalf("status %d: %s (%v)", w.Code, w.Body, err)
	}
	var term, title bool
	for _, c := range resp.Completions {
		term = term || c.Kind == cari.CompletionTerm && c.Text == "multipolar"
		title = title || c.Kind == cari.CompletionTitle && c.ID == "kn-2023-001"
	}
	if !term || !title {
		t.Errorf("multip: completions %+v, want the word multipolar and the Moscow article's title", resp.Completions)
	}
	w = call(t, h, "GET", "/api/suggest?q=", "")
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil || w.Code != 200 || resp.Completions == nil || len(resp.Completions) != 0 {
		t.Errorf("empty q: status %d, body %s, want 200 and an empty list", w.Code, w.Body)
	}
	for _, target := range []string{"/api/suggest?q=a&size=21", "/api/suggest?q=a&size=0", "/api/suggest?size=x"} {
		if w := call(t, h, "GET", target, ""); w.Code != 400 || errorCode(t, w) != "bad_query" {
			t.Errorf("%s: status %d: %s", target, w.Code, w.Body)
		}
	}
}
