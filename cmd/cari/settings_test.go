package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// kopdarArticle is the one article that writes "kopi darat", which only
// the synonym kopdar => kopi darat reaches from a search for kopdar.
const kopdarArticle = `{"id": "kopdar-1", "title": "Pesepeda Bandung Rutin Gelar Kopi Darat", "body": "Komunitas pesepeda di Bandung menggelar kopi darat setiap akhir bulan untuk merencanakan rute baru.", "source": "warta.co", "published": "2024-03-02"}` + "\n"

// TestStoredSynonymsOutliveTheServer: a list put through
// PUT /api/settings/synonyms is kept in the index: cari search uses it
// once the server is gone, a new server gives it back and searches with
// it, and a rebuild under the server followed by SIGHUP keeps it.
func TestStoredSynonymsOutliveTheServer(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "berita")
	extra := filepath.Join(t.TempDir(), "kopdar.jsonl")
	if err := os.WriteFile(extra, []byte(kopdarArticle), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runCari(t, "", nil, "index", "--index", dir, samples, extra); r.code != 0 {
		t.Fatalf("index: %d %s", r.code, r.stderr)
	}
	const (
		key  = "kunci-admin-0123456789"
		list = "# made up\nkopdar => kopi darat\n"
	)
	env := map[string]string{"CARI_TOKEN": key}
	auth := "Authorization: Bearer " + key
	searchFinds := func() bool {
		t.Helper()
		r := runCari(t, "", nil, "search", "--index", dir, "kopdar")
		if r.code != 0 {
			t.Fatalf("search: %d %s", r.code, r.stderr)
		}
		return strings.Contains(r.stdout, "kopdar-1")
	}
	if searchFinds() {
		t.Fatal("kopdar finds the article before any synonym")
	}
	get := func(base string) string {
		t.Helper()
		req, _ := http.NewRequest("GET", base+"/api/settings/synonyms", nil)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET: %d %s", resp.StatusCode, body)
		}
		return string(body)
	}
	t.Run("first server", func(t *testing.T) {
		base := startServeOf(t, env, "--index", dir)
		if status, _ := send(t, "PUT", base+"/api/settings/synonyms", "yang, dan\n", auth); status != 400 {
			t.Errorf("a list of stop words: %d, want 400", status)
		}
		if status, _ := send(t, "PUT", base+"/api/settings/synonyms", list, auth, "Content-Type: text/plain"); status != 200 {
			t.Fatalf("PUT: %d", status)
		}
	}) // the server stops here, closing the index
	if !searchFinds() {
		t.Error("after the server stopped, cari search for kopdar does not find the article")
	}
	t.Run("second server", func(t *testing.T) {
		base := startServeOf(t, env, "--index", dir)
		if got := get(base); got != list {
			t.Errorf("after a restart GET gives %q, want %q", got, list)
		}
		// A rebuild while the server holds the index cannot read its
		// synonyms; the server carries them to the new index on SIGHUP.
		if r := runCari(t, "", nil, "index", "--index", dir, "--rebuild", extra); r.code != 0 {
			t.Fatalf("rebuild: %d %s", r.code, r.stderr)
		}
		if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			status, _ := send(t, "GET", base+"/api/articles/kw-2023-010", "")
			if status == 404 { // the new index holds only the one article
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the server did not switch to the rebuilt index")
			}
		}
		if got := get(base); got != list {
			t.Errorf("after the rebuild and SIGHUP GET gives %q, want %q", got, list)
		}
	})
	if !searchFinds() {
		t.Error("after the rebuild, cari search for kopdar does not find the article")
	}
}
