package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The keys of these tests, 16 bytes or more as a key file wants them.
const (
	adminKey    = "admin-kunci-0123456789"
	searchKey   = "cari-kunci-0123456789"
	newAdminKey = "admin-baru-0123456789"
	newSearch   = "cari-baru-0123456789"
)

func bearer(key string) string { return "Authorization: Bearer " + key }

// TestServeReloadsKeysOnSIGHUP: SIGHUP makes a server read its
// --keys-file again: a new key works at once, a removed one is refused,
// and a file with an error is reported and leaves the keys in use. No
// key ever reaches the log.
func TestServeReloadsKeysOnSIGHUP(t *testing.T) {
	keys := filepath.Join(t.TempDir(), "keys.txt")
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(keys, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("# kunci\nadmin " + adminKey + "\nsearch " + searchKey + " # the front end\n")
	base, log := startServeLogged(t, nil, "--demo", "--keys-file", keys, "--require-search-key")
	search := func(key string) int {
		t.Helper()
		var header []string
		if key != "" {
			header = append(header, bearer(key))
		}
		status, _ := send(t, "GET", base+"/api/search?q=multipolar", "", header...)
		return status
	}
	stats := func(key string) int {
		t.Helper()
		status, _ := send(t, "GET", base+"/api/stats", "", bearer(key))
		return status
	}
	hup := func() {
		t.Helper()
		if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"search without a key", search(""), 401},
		{"search with the search key", search(searchKey), 200},
		{"stats with the search key", stats(searchKey), 403},
		{"stats with the admin key", stats(adminKey), 200},
	} {
		if c.got != c.want {
			t.Errorf("before SIGHUP: %s: status %d, want %d", c.what, c.got, c.want)
		}
	}

	write("admin " + newAdminKey + "\nsearch " + newSearch + "\n")
	hup()
	for deadline := time.Now().Add(10 * time.Second); search(newSearch) != 200; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the new search key is refused after SIGHUP: %s", log)
		}
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"search with the removed search key", search(searchKey), 401},
		{"stats with the removed admin key", stats(adminKey), 401},
		{"stats with the new admin key", stats(newAdminKey), 200},
	} {
		if c.got != c.want {
			t.Errorf("after SIGHUP: %s: status %d, want %d", c.what, c.got, c.want)
		}
	}

	write("admin " + adminKey + "\nwirte " + searchKey + "\n")
	hup()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(log.String(), "reading the keys again failed"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no error logged for a broken key file: %s", log)
		}
	}
	if want := keys + `:2: unknown scope \"wirte\"; want admin or search`; !strings.Contains(log.String(), want) {
		t.Errorf("the log lacks %s: %s", want, log)
	}
	if search(newSearch) != 200 || stats(newAdminKey) != 200 || stats(adminKey) != 401 {
		t.Errorf("a broken key file changed the keys: search %d, new admin %d, old admin %d", search(newSearch), stats(newAdminKey), stats(adminKey))
	}
	for _, key := range []string{adminKey, searchKey, newAdminKey, newSearch} {
		if strings.Contains(log.String(), key) {
			t.Errorf("the log shows a key: %s", log)
		}
	}
}

// TestServeKeysWithToken: the token is an admin key beside the key
// file's; a key file others may read is warned of.
func TestServeKeysWithToken(t *testing.T) {
	keys := writeFile(t, "search "+searchKey+"\n")
	if err := os.Chmod(keys, 0o644); err != nil {
		t.Fatal(err)
	}
	base, log := startServeLogged(t, map[string]string{"CARI_TOKEN": "token-lama"}, "--demo", "--keys-file", keys)
	if !strings.Contains(log.String(), "other users may read the keys file") {
		t.Errorf("no warning of a key file others may read: %s", log)
	}
	article := `[{"id":"uji-kunci","body":"Isi berita uji."}]`
	for _, c := range []struct {
		what, method, path, key string
		want                    int
	}{
		{"write with the token", "POST", "/api/articles", "token-lama", 200},
		{"write with the search key", "POST", "/api/articles", searchKey, 403},
		{"stats with the token", "GET", "/api/stats", "token-lama", 200},
		{"stats with no key", "GET", "/api/stats", "", 401},
		{"search with no key", "GET", "/api/search?q=uji", "", 200},
	} {
		var header []string
		if c.key != "" {
			header = append(header, bearer(c.key))
		}
		if status, _ := send(t, c.method, base+c.path, article, header...); status != c.want {
			t.Errorf("%s: status %d, want %d", c.what, status, c.want)
		}
	}
}

// TestServeKeysFileErrors: a key file that cannot be used, or a search
// key required with no key at all, stops the server before it opens
// anything, and the message shows no key.
func TestServeKeysFileErrors(t *testing.T) {
	dir := t.TempDir()
	keysFile := func(text string) string {
		name := filepath.Join(dir, "keys.txt")
		if err := os.WriteFile(name, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return name
	}
	for _, tc := range []struct {
		name string
		file string
		args []string
		env  map[string]string
		want string
	}{
		{name: "unknown scope", file: "admin " + adminKey + "\n# x\nwirte " + searchKey + "\n", want: `keys.txt:3: unknown scope "wirte"; want admin or search`},
		{name: "key first", file: searchKey + " search\n", want: "keys.txt:1: the line does not start with a scope"},
		{name: "duplicate", file: "admin " + adminKey + "\nsearch " + adminKey + "\n", want: "keys.txt:2: the same key as"},
		{name: "white space", file: "search " + searchKey + " " + adminKey + "\n", want: "keys.txt:1: more than a key after the scope"},
		{name: "missing", args: []string{"--keys-file", filepath.Join(dir, "tidak-ada")}, want: "keys file: open"},
		{name: "search key required, no keys", args: []string{"--require-search-key"}, want: "--require-search-key needs keys"},
		{name: "search key required, empty file", file: "# nobody yet\n", args: []string{"--require-search-key"}, want: "--require-search-key needs keys"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"serve", "--index", filepath.Join(t.TempDir(), "none"), "--addr", "127.0.0.1:0"}
			if tc.file != "" {
				args = append(args, "--keys-file", keysFile(tc.file))
			}
			r := runCari(t, "", tc.env, append(args, tc.args...)...)
			if r.code == 0 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want an error with %q", r.code, r.stderr, tc.want)
			}
			if strings.Contains(r.stderr, "no such index") || strings.Contains(r.stderr, "serving") {
				t.Errorf("the server went on: %q", r.stderr)
			}
			for _, key := range []string{adminKey, searchKey} {
				if strings.Contains(r.stderr, key) {
					t.Errorf("the error shows a key: %q", r.stderr)
				}
			}
		})
	}
	// The token in the key file too: found once the server has been
	// made, which is after the index is opened.
	r := runCari(t, "", map[string]string{"CARI_TOKEN": adminKey}, "serve", "--demo", "--addr", "127.0.0.1:0", "--keys-file", keysFile("search "+adminKey+"\n"))
	if want := "--keys-file: the token: the same key as " + filepath.Join(dir, "keys.txt") + ":1"; r.code == 0 || !strings.Contains(r.stderr, want) || strings.Contains(r.stderr, adminKey) {
		t.Errorf("token in the key file: exit %d, stderr %q; want %q", r.code, r.stderr, want)
	}
}
