package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An indexing run writes the CPU and heap profiles go tool pprof reads.
func TestIndexWritesProfiles(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "mem.prof")
	res := runCari(t, "", nil, "index", "--index", filepath.Join(dir, "idx"), "--cpu-profile", cpu, "--mem-profile", mem, samples)
	if res.code != 0 || !strings.Contains(res.stdout, "61 indexed") {
		t.Fatalf("index with profiles: %+v", res)
	}
	for _, path := range []string{cpu, mem} {
		// pprof's format is gzipped protocol buffers.
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) < 100 || data[0] != 0x1f || data[1] != 0x8b {
			t.Errorf("%s: %d bytes, not a gzipped profile", path, len(data))
		}
	}

	// A profile that cannot be written is refused before anything is
	// indexed.
	bad := runCari(t, "", nil, "index", "--index", filepath.Join(dir, "idx2"), "--cpu-profile", filepath.Join(dir, "no", "such", "cpu.prof"), samples)
	if bad.code == 0 || !strings.Contains(bad.stderr, "--cpu-profile") {
		t.Fatalf("unwritable profile: %+v", bad)
	}
	if _, err := os.Stat(filepath.Join(dir, "idx2")); !os.IsNotExist(err) {
		t.Errorf("an index was made though the profile could not be written: %v", err)
	}
}
