package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSnapshotCommand: cari snapshot copies an index into a new
// directory that searches as the original, and refuses one with files.
func TestSnapshotCommand(t *testing.T) {
	dir := t.TempDir()
	ix := filepath.Join(dir, "index")
	if r := runCari(t, "", nil, "index", "--index", ix, "../../testdata/articles"); r.code != 0 {
		t.Fatalf("index: %+v", r)
	}
	dest := filepath.Join(dir, "cadangan")
	r := runCari(t, "", nil, "snapshot", "--index", ix, dest)
	if r.code != 0 || !strings.Contains(r.stdout, "copied "+ix) {
		t.Fatalf("snapshot: %+v", r)
	}
	want := runCari(t, "", nil, "search", "--index", ix, "--json", "kerja sama")
	got := runCari(t, "", nil, "search", "--index", dest, "--json", "kerja sama")
	// The same result, but for the time it took.
	took := regexp.MustCompile(`"took_ms": [0-9.]+`)
	if got.code != 0 || took.ReplaceAllString(got.stdout, "") != took.ReplaceAllString(want.stdout, "") {
		t.Errorf("search of the copy:\n%s\nof the index:\n%s", got.stdout, want.stdout)
	}
	full := filepath.Join(dir, "penuh")
	if err := os.MkdirAll(full, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(full, "catatan.txt"), []byte("jangan dihapus"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runCari(t, "", nil, "snapshot", "--index", ix, full); r.code == 0 || !strings.Contains(r.stderr, "holds files") {
		t.Errorf("snapshot into a directory with files: %+v", r)
	}
	if data, err := os.ReadFile(filepath.Join(full, "catatan.txt")); err != nil || string(data) != "jangan dihapus" {
		t.Errorf("the directory's file after the refusal: %q %v", data, err)
	}
}
