package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carisearch/cari"
)

// TestReadThroughServer: while `cari serve` holds an index, search,
// similar, suggest and stats on it ask the server and answer as they would from the index;
// what the API cannot say is refused, and writes are pointed at its URL.
func TestReadThroughServer(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	if r := runCari(t, "", nil, "index", "--index", dir, "../../testdata/articles"); r.code != 0 {
		t.Fatalf("index: %+v", r)
	}
	direct := runCari(t, "", nil, "search", "--index", dir, "--json", "kerja sama")
	if direct.code != 0 {
		t.Fatalf("search before serving: %+v", direct)
	}
	url := startServeOf(t, nil, "--index", dir)

	held := runCari(t, "", nil, "search", "--index", dir, "--json", "kerja sama")
	if held.code != 0 || !strings.Contains(held.stderr, "searching through the server at "+url) {
		t.Fatalf("search of a served index: %+v", held)
	}
	var a, b cari.Result
	if err := json.Unmarshal([]byte(direct.stdout), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(held.stdout), &b); err != nil {
		t.Fatal(err)
	}
	if a.Total != b.Total || len(a.Hits) == 0 || len(a.Hits) != len(b.Hits) || a.Hits[0].ID != b.Hits[0].ID {
		t.Errorf("through the server: %d hits, first %v; from the index: %d, first %v", b.Total, b.Hits, a.Total, a.Hits)
	}
	if r := runCari(t, "", nil, "stats", "--index", dir); r.code != 0 || !strings.Contains(r.stdout, "articles   ") || !strings.Contains(r.stdout, dir) {
		t.Errorf("stats of a served index: %+v", r)
	}
	if r := runCari(t, "", nil, "similar", "--index", dir, "kn-2023-002"); r.code != 0 || !strings.Contains(r.stdout, "related to kn-2023-002") {
		t.Errorf("similar of a served index: %+v", r)
	}
	if r := runCari(t, "", nil, "suggest", "--index", dir, "multip"); r.code != 0 || !strings.HasPrefix(r.stdout, "term   multipolar  (") {
		t.Errorf("suggest of a served index: %+v", r)
	}
	if r := runCari(t, "", nil, "search", "--index", dir, "--plain", "kerja sama"); r.code == 0 || !strings.Contains(r.stderr, "plain") {
		t.Errorf("search --plain of a served index: %+v", r)
	}
	if r := runCari(t, "", nil, "index", "--index", dir, "../../testdata/articles"); r.code == 0 || !strings.Contains(r.stderr, "cari index --server "+url) {
		t.Errorf("index into a served index: %+v", r)
	}
}
