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

// TestSnapshotThroughServer: while `cari serve` holds an index, cari
// snapshot has the server make the copy and moves it where it was asked
// to; without --snapshot-dir it says what to do, without the admin key
// which key to give.
func TestSnapshotThroughServer(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "index")
	if r := runCari(t, "", nil, "index", "--index", dir, "../../testdata/articles"); r.code != 0 {
		t.Fatalf("index: %+v", r)
	}
	const token = "kunci-admin-0123456789"
	env := map[string]string{"CARI_TOKEN": token}
	startServeOf(t, env, "--index", dir, "--snapshot-dir", filepath.Join(root, "snaps"))

	dest := filepath.Join(root, "salinan")
	if r := runCari(t, "", nil, "snapshot", "--index", dir, dest); r.code == 0 || !strings.Contains(r.stderr, "$CARI_TOKEN") {
		t.Errorf("snapshot through the server without its key: %+v", r)
	}
	r := runCari(t, "", env, "snapshot", "--index", dir, dest)
	if r.code != 0 || !strings.Contains(r.stdout, "the server copied "+dir+" to "+dest) {
		t.Fatalf("snapshot through the server: %+v", r)
	}
	if r := runCari(t, "", nil, "search", "--index", dest, "--json", "kerja sama"); r.code != 0 || !strings.Contains(r.stdout, `"total":`) {
		t.Errorf("search of the copy: %+v", r)
	}

	other := filepath.Join(root, "lain")
	if r := runCari(t, "", nil, "index", "--index", other, "../../testdata/articles"); r.code != 0 {
		t.Fatalf("index: %+v", r)
	}
	startServeOf(t, env, "--index", other)
	if r := runCari(t, "", env, "snapshot", "--index", other, filepath.Join(root, "salinan-lain")); r.code == 0 || !strings.Contains(r.stderr, "--snapshot-dir") {
		t.Errorf("snapshot through a server without --snapshot-dir: %+v", r)
	}
}
