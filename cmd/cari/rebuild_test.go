package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index"
)

// TestRebuild checks `cari index --rebuild` without a server: the index
// holds only the new input afterwards, keeps its shard count, and nothing
// is left beside it; a rebuild that fails leaves the old index whole.
func TestRebuild(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "berita")
	if r := runCari(t, "", nil, "index", "--index", dir, "--shards", "2", samples); r.code != 0 {
		t.Fatalf("index: %d %s", r.code, r.stderr)
	}
	one := filepath.Join(samples, "gempa-cianjur.txt")
	r := runCari(t, "", nil, "index", "--index", dir, "--rebuild", one)
	if r.code != 0 || !strings.Contains(r.stdout, "1 indexed") || !strings.Contains(r.stdout, "rebuilt, holds 1 articles") {
		t.Fatalf("rebuild: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if n, err := index.ShardCount(dir); err != nil || n != 2 {
		t.Fatalf("after the rebuild: %d shards (%v), want the 2 of the index it replaced", n, err)
	}
	entries, err := os.ReadDir(filepath.Dir(dir))
	if err != nil || len(entries) != 1 {
		t.Fatalf("beside the index: %v %v", entries, err)
	}
	// A rebuild stopped by an error (an input that cannot be read)
	// changes nothing.
	r = runCari(t, "", nil, "index", "--index", dir, "--rebuild", "--shards", "3", samples, filepath.Join(t.TempDir(), "missing.jsonl"))
	if r.code == 0 || !strings.Contains(r.stderr, "unchanged") {
		t.Fatalf("failed rebuild: %d %s", r.code, r.stderr)
	}
	if n, _ := index.ShardCount(dir); n != 2 {
		t.Fatalf("a failed rebuild changed the shard count to %d", n)
	}
	if r := runCari(t, "", nil, "stats", "--index", dir, "--json"); !strings.Contains(r.stdout, `"documents": 1`) {
		t.Fatalf("after a failed rebuild: %s", r.stdout)
	}
	if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 1 {
		t.Fatalf("a failed rebuild left %v", entries)
	}
}

// TestRebuildRemovesLeftovers: what rebuilds killed midway left beside
// the index (a half-made index, an empty directory) is removed by the next
// rebuild, which says so; the directory of a rebuild still running (an
// index held open) is left to it.
func TestRebuildRemovesLeftovers(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "berita")
	if r := runCari(t, "", nil, "index", "--index", dir, filepath.Join(samples, "gempa-cianjur.txt")); r.code != 0 {
		t.Fatalf("index: %+v", r)
	}
	empty := filepath.Join(parent, ".berita.rebuild-111")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	half := filepath.Join(parent, ".berita.rebuild-222")
	ix, err := index.Create(half, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	running := filepath.Join(parent, ".berita.rebuild-333")
	held, err := index.Create(running, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	r := runCari(t, "", nil, "index", "--index", dir, "--rebuild", filepath.Join(samples, "banjir-demak.txt"))
	if r.code != 0 {
		t.Fatalf("rebuild: %+v", r)
	}
	for _, gone := range []string{empty, half} {
		if _, err := os.Stat(gone); !os.IsNotExist(err) || !strings.Contains(r.stderr, "removed "+gone) {
			t.Errorf("%s: still there (%v), or not reported: %s", gone, err, r.stderr)
		}
	}
	if _, err := os.Stat(running); err != nil {
		t.Errorf("the running rebuild's directory was removed: %v", err)
	}
}

// TestServeReloadsOnSIGHUP rebuilds the index of a running server and
// sends it SIGHUP while clients search without a pause: every search
// answers 200, the server then serves the new index, and the old one,
// kept aside while the server held it, is removed.
func TestServeReloadsOnSIGHUP(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "berita")
	if r := runCari(t, "", nil, "index", "--index", dir, samples); r.code != 0 {
		t.Fatalf("index: %d %s", r.code, r.stderr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--index", dir, "--addr", "127.0.0.1:0"}, env{
			stdin: strings.NewReader(""), stdout: io.Discard, stderr: &stderr, getenv: func(string) string { return "" },
		})
	}()
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d: %s", code, stderr.String())
		}
	}()
	var base string
	for deadline := time.Now().Add(30 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`).FindStringSubmatch(stderr.String()); m != nil {
			base = "http://" + m[1]
		}
	}
	if base == "" {
		t.Fatalf("server did not start: %s", stderr.String())
	}
	documents := func() int {
		resp, err := http.Get(base + "/api/stats")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var st cari.Stats
		if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
			t.Fatal(err)
		}
		return int(st.Documents)
	}
	if n := documents(); n != 61 {
		t.Fatalf("serving %d articles, want 61", n)
	}

	// Clients search all along.
	var searches, failures atomic.Int64
	var failed sync.Map
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				q := []string{"gempa", "banjir", "kerja sama", "multipolr"}[i%4]
				resp, err := http.Get(base + "/api/search?q=" + strings.ReplaceAll(q, " ", "+"))
				searches.Add(1)
				if err != nil {
					failures.Add(1)
					failed.Store(err.Error(), true)
					continue
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					failures.Add(1)
					failed.Store(fmt.Sprintf("%d %s", resp.StatusCode, body), true)
				}
			}
		}()
	}

	one := filepath.Join(samples, "gempa-cianjur.txt")
	r := runCari(t, "", nil, "index", "--index", dir, "--rebuild", one)
	if r.code != 0 || !strings.Contains(r.stderr, "send the server SIGHUP") {
		t.Fatalf("rebuild under a server: %d %s %s", r.code, r.stdout, r.stderr)
	}
	old := index.OldDir(dir)
	if _, err := os.Stat(old); err != nil {
		t.Fatalf("the old index, still served, is not kept: %v", err)
	}
	if n := documents(); n != 61 {
		t.Fatalf("before SIGHUP the server serves %d articles, want the old 61", n)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for documents() != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("the server did not switch: %s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // searches on the new index too
	close(stop)
	wg.Wait()
	if failures.Load() > 0 || searches.Load() < 20 {
		var msgs []string
		failed.Range(func(k, _ any) bool { msgs = append(msgs, k.(string)); return true })
		t.Fatalf("%d of %d searches failed: %v", failures.Load(), searches.Load(), msgs)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Fatalf("the old index is still there after the switch: %v", err)
	}
	resp, err := http.Get(base + "/api/search?q=gempa")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var res cari.Result
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil || len(res.Hits) != 1 || res.Hits[0].ID != "gempa-cianjur" {
		t.Fatalf("search on the new index: %+v %v", res, err)
	}
	t.Logf("%d searches during the rebuild and the switch, none failed", searches.Load())
}
