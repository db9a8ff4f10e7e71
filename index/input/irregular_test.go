package input

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/carisearch/cari"
)

// TestWalkSkipsWhatIsNoFile walks a directory holding, beside a good file,
// a link to nothing and a named pipe with an input's name: both are
// reported and skipped, the good file and a link to it are read, and the
// walk ends instead of waiting on the pipe.
func TestWalkSkipsWhatIsNoFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "baik.jsonl")
	if err := os.WriteFile(good, []byte(`{"id":"a","body":"Isi yang baik."}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "hilang.jsonl"), filepath.Join(dir, "putus.jsonl")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(good, filepath.Join(dir, "tautan.jsonl")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipa.jsonl"), 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	var ids []string
	var bad []string
	done := make(chan error, 1)
	go func() {
		done <- Paths(dir).Read(context.Background(), Handlers{
			Emit: func(r Record) error { ids = append(ids, r.File); return nil },
			Bad:  func(fe *cari.FieldError) { bad = append(bad, fe.Error()) },
		})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the walk blocked")
	}
	if len(ids) != 2 {
		t.Errorf("read %v, want the good file and the link to it", ids)
	}
	joined := strings.Join(bad, "\n")
	for _, want := range []string{"putus.jsonl: link to nothing skipped", "pipa.jsonl: not a regular file"} {
		if !strings.Contains(joined, want) {
			t.Errorf("reports %q lack %q", bad, want)
		}
	}
}
