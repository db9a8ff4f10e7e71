package server

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/carisearch/cari/index"
)

// TestSnapshotRoute: POST /api/snapshots writes, under --snapshot-dir, a
// copy that opens as an index holding what the served one holds.
func TestSnapshotRoute(t *testing.T) {
	ix := sampleIndex(t)
	dir := t.TempDir()
	h := newTest(ix, Options{Token: "rahasia", SnapshotDir: dir})
	w := call(t, h, "POST", "/api/snapshots", "", "Authorization: Bearer rahasia")
	if w.Code != 201 {
		t.Fatalf("snapshot: %d %s", w.Code, w.Body)
	}
	var res snapshotResponse
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(res.Path, dir) {
		t.Fatalf("snapshot at %s, want it under %s", res.Path, dir)
	}
	copied, err := index.Open(res.Path)
	if err != nil {
		t.Fatalf("open the snapshot: %v", err)
	}
	defer copied.Close()
	want, _ := ix.Count()
	if n, err := copied.Count(); err != nil || n != want || n == 0 {
		t.Errorf("snapshot holds %d articles (%v), the index %d", n, err, want)
	}
}
