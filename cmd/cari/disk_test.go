package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestIndexStopsOnFullDisk: cari index on a disk too small for its input
// stops with a message and a non-zero status, and the index opens
// afterwards with the batches it committed.
func TestIndexStopsOnFullDisk(t *testing.T) {
	disk := t.TempDir()
	if err := unix.Mount("tmpfs", disk, "tmpfs", 0, "size=40m"); err != nil {
		t.Skipf("cannot mount a small filesystem to fill (%v); run as root to test a full disk", err)
	}
	t.Cleanup(func() { _ = unix.Unmount(disk, unix.MNT_DETACH) })

	input := filepath.Join(t.TempDir(), "arsip.jsonl")
	f, err := os.Create(input)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	words := strings.Fields("warga desa menanam padi di sawah baru sementara pemerintah kabupaten menyiapkan irigasi dan jalan usaha tani")
	const articles, batch = 6000, 500
	for i := 0; i < articles; i++ {
		var body strings.Builder
		for j := 0; body.Len() < 3000; j++ {
			fmt.Fprintf(&body, "%s%d ", words[(i+j)%len(words)], (i*j)%89)
		}
		line, _ := json.Marshal(map[string]string{"id": fmt.Sprintf("a-%05d", i), "title": fmt.Sprintf("Irigasi desa %d", i), "body": body.String()})
		w.Write(append(line, '\n'))
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	dir := filepath.Join(disk, "idx")
	got := runCari(t, "", nil, "index", "--index", dir, "--min-free", "4MiB", "--batch", fmt.Sprint(batch), input)
	if got.code == 0 || !strings.Contains(got.stderr, "not enough free disk space") {
		t.Fatalf("index onto a full disk: status %d, stderr %q; want a non-zero status and the reason", got.code, got.stderr)
	}
	stats := runCari(t, "", nil, "stats", "--index", dir, "--json")
	var st struct {
		Documents int `json:"documents"`
	}
	if stats.code != 0 || json.Unmarshal([]byte(stats.stdout), &st) != nil {
		t.Fatalf("stats after a full disk: %+v", stats)
	}
	if st.Documents == 0 || st.Documents >= articles || st.Documents%batch != 0 {
		t.Errorf("the index holds %d articles, want the whole batches committed before the disk filled", st.Documents)
	}
}
