package input

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/carisearch/cari"
)

// TestSourcesWalkAlike reads one tree from disk (Paths) and from a file
// system in memory (FS): the same articles in the same order, the same
// files passed over, and Size the bytes of the files read.
func TestSourcesWalkAlike(t *testing.T) {
	tree := map[string]string{
		"a.jsonl":          `{"id":"a1","body":"satu"}` + "\n" + `{"id":"a2","body":"dua"}` + "\n",
		"sub/b.txt":        "Judul B\n\nIsi berita B.",
		"sub/c.md":         "# Judul C\n\nIsi berita C.",
		"sub/notes.pdf":    "%PDF passed over: no known format",
		".hidden/d.jsonl":  `{"id":"hidden","body":"tidak dibaca"}`,
		"sub/.e.jsonl":     `{"id":"hidden2","body":"tidak dibaca"}`,
		"z/bad.jsonl":      `{"id":"z1"}` + "\n",
		"z/zz/last.ndjson": `{"id":"z2","body":"akhir"}`,
	}
	dir := t.TempDir()
	mem := fstest.MapFS{}
	var readBytes int64
	for name, content := range tree {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		mem["root/"+name] = &fstest.MapFile{Data: []byte(content), Mode: 0o644}
		if _, known := FormatOf(name); known && !strings.Contains(name, "/.") && !strings.HasPrefix(name, ".") {
			readBytes += int64(len(content))
		}
	}
	read := func(s Source) (ids, bad []string) {
		t.Helper()
		err := s.Read(context.Background(), Handlers{
			Emit: func(r Record) error { ids = append(ids, r.Article.ID); return nil },
			Bad:  func(fe *cari.FieldError) { bad = append(bad, filepath.Base(fe.File)) },
		})
		if err != nil {
			t.Fatal(err)
		}
		return ids, bad
	}
	diskIDs, diskBad := read(Paths(dir))
	memIDs, memBad := read(FS(mem, "root"))
	if len(diskIDs) != 5 || !slices.Equal(diskIDs[:2], []string{"a1", "a2"}) || diskIDs[4] != "z2" {
		t.Errorf("from disk: %v", diskIDs)
	}
	if !slices.Equal(diskIDs, memIDs) || !slices.Equal(diskBad, memBad) {
		t.Errorf("disk read %v (bad %v), memory %v (bad %v)", diskIDs, diskBad, memIDs, memBad)
	}
	if !slices.Equal(diskBad, []string{"bad.jsonl"}) {
		t.Errorf("bad records in %v, want bad.jsonl's", diskBad)
	}
	if got := Paths(dir).Size(); got != readBytes {
		t.Errorf("Paths size %d, want %d", got, readBytes)
	}
	if got := FS(mem, "root").Size(); got != readBytes {
		t.Errorf("FS size %d, want %d", got, readBytes)
	}
	if got := FS(mem, "nowhere").Size(); got != -1 {
		t.Errorf("size of a directory that is not there: %d, want -1", got)
	}
}
