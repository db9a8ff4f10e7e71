package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/carisearch/cari"
)

// TestServeRereadsSynonymsOnSIGHUP: with no new index swapped in, SIGHUP
// makes a server read its --synonyms files again, so an edited list takes
// effect without a restart; a broken edit leaves the list in use.
func TestServeRereadsSynonymsOnSIGHUP(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "berita")
	if r := runCari(t, "", nil, "index", "--index", dir, samples); r.code != 0 {
		t.Fatalf("index: %d %s", r.code, r.stderr)
	}
	syn := filepath.Join(t.TempDir(), "sinonim.txt")
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(syn, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("# no groups yet\n")
	base := startServeOf(t, nil, "--index", dir, "--synonyms", syn)
	// "zebrakuda" is in no article: it finds something only as another
	// name of a word that is.
	total := func() uint64 {
		t.Helper()
		resp, err := http.Get(base + "/api/search?q=" + url.QueryEscape("zebrakuda"))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var res cari.Result
		if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	waitFor := func(want func(uint64) bool, what string) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if want(total()) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: zebrakuda finds %d", what, total())
			}
		}
	}
	if n := total(); n != 0 {
		t.Fatalf("zebrakuda before any synonym: %d hits", n)
	}
	write("zebrakuda, multipolar\n")
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitFor(func(n uint64) bool { return n > 0 }, "after SIGHUP with the new group")
	found := total()
	write("yang, dan\n") // stop words only: refused, so the list in use stays
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * time.Second) // the reload's lock wait, then the refusal
	if n := total(); n != found {
		t.Errorf("after a broken edit: zebrakuda finds %d, want the %d of the list in use", n, found)
	}
}
