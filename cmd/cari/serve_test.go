package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startServe runs `cari serve --demo` with args on a free port and
// returns its base URL; the server stops when the test ends.
func startServe(t *testing.T, getenv map[string]string, args ...string) string {
	t.Helper()
	return startServeOf(t, getenv, append([]string{"--demo"}, args...)...)
}

// startServeOf is startServe without --demo: args say what to serve.
func startServeOf(t *testing.T, getenv map[string]string, args ...string) string {
	t.Helper()
	base, _ := startServeLogged(t, getenv, args...)
	return base
}

// startServeLogged is startServeOf that also returns what the server
// writes to standard error, its log.
func startServeLogged(t *testing.T, getenv map[string]string, args ...string) (string, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stderr := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), env{
			stdin: strings.NewReader(""), stdout: io.Discard, stderr: stderr,
			getenv: func(k string) string { return getenv[k] },
		})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d: %s", code, stderr.String())
			}
		case <-time.After(15 * time.Second):
			t.Errorf("serve did not stop: %s", stderr.String())
		}
	})
	addr := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := addr.FindStringSubmatch(stderr.String()); m != nil {
			return "http://" + m[1], stderr
		}
		select {
		case code := <-done:
			done <- code
			t.Fatalf("serve exited %d: %s", code, stderr.String())
		default:
		}
	}
	t.Fatalf("server did not start: %s", stderr.String())
	return "", nil
}

// send makes one request and returns its status and headers.
func send(t *testing.T, method, url, body string, header ...string) (int, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range header {
		k, v, _ := strings.Cut(kv, ":")
		req.Header.Set(k, strings.TrimSpace(v))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}

// TestServeTokenFileAndCORSOrigin starts a server with the token in a file
// (and another in $CARI_TOKEN, which the file overrides) and two allowed
// origins, one given with the old flag name.
func TestServeTokenFileAndCORSOrigin(t *testing.T) {
	const good, old, bad = "https://redaksi.example", "https://lama.example", "https://jahat.example"
	tokenFile := writeFile(t, "  rahasia-berkas\n")
	base := startServe(t, map[string]string{"CARI_TOKEN": "dari-env"},
		"--token-file", tokenFile, "--cors-origin", good, "--cors", old)

	article := `[{"id":"uji-serve","title":"Uji","body":"Isi berita uji."}]`
	for _, tc := range []struct {
		name   string
		header []string
		status int
	}{
		{"token from the file", []string{"Authorization: Bearer rahasia-berkas"}, 200},
		{"no token", nil, 401},
		{"the environment's token", []string{"Authorization: Bearer dari-env"}, 401},
	} {
		if status, _ := send(t, "POST", base+"/api/articles", article, tc.header...); status != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, status, tc.status)
		}
	}

	for _, tc := range []struct {
		origin string
		status int
	}{{good, 204}, {old, 204}, {bad, 403}} {
		status, h := send(t, "OPTIONS", base+"/api/search", "", "Origin: "+tc.origin, "Access-Control-Request-Method: GET")
		if status != tc.status {
			t.Errorf("preflight from %s: status %d, want %d", tc.origin, status, tc.status)
		}
		allow := h.Get("Access-Control-Allow-Origin")
		if (tc.status == 204) != (allow == tc.origin) {
			t.Errorf("preflight from %s: Access-Control-Allow-Origin %q", tc.origin, allow)
		}
	}

	status, h := send(t, "GET", base+"/api/openapi.json", "")
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Errorf("openapi.json: status %d, Content-Type %q", status, h.Get("Content-Type"))
	}
}

// TestServeTokenFromEnvironment: with no flag, $CARI_TOKEN is the token.
func TestServeTokenFromEnvironment(t *testing.T) {
	base := startServe(t, map[string]string{"CARI_TOKEN": "dari-env"})
	article := `[{"id":"uji-env","body":"Isi berita uji."}]`
	if status, _ := send(t, "POST", base+"/api/articles", article, "Authorization: Bearer dari-env"); status != 200 {
		t.Errorf("status %d, want 200", status)
	}
	if status, _ := send(t, "OPTIONS", base+"/api/search", "", "Origin: https://redaksi.example", "Access-Control-Request-Method: GET"); status != 403 {
		t.Errorf("preflight with no origins configured: status %d, want 403", status)
	}
}

// TestServeTokenFileErrors: a token file that cannot be used stops the
// server before it opens anything.
func TestServeTokenFileErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "tidak-ada")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"missing", []string{"--token-file", missing}, "token file"},
		{"empty", []string{"--token-file", writeFile(t, "")}, "is empty"},
		{"only white space", []string{"--token-file", writeFile(t, " \n\t\n")}, "is empty"},
		{"two lines", []string{"--token-file", writeFile(t, "satu\ndua\n")}, "more than one line"},
		{"a directory", []string{"--token-file", t.TempDir()}, "token file"},
		{"with --token", []string{"--token-file", writeFile(t, "x"), "--token", "y"}, "token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// --index points nowhere: the token is checked first.
			args := append([]string{"serve", "--index", filepath.Join(t.TempDir(), "none"), "--addr", "127.0.0.1:0"}, tc.args...)
			r := runCari(t, "", nil, args...)
			if r.code == 0 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want an error about %q", r.code, r.stderr, tc.want)
			}
			if strings.Contains(r.stderr, "no such index") || strings.Contains(r.stderr, "serving") {
				t.Errorf("the server went on: %q", r.stderr)
			}
		})
	}
}

func TestServeHelp(t *testing.T) {
	r := runCari(t, "", map[string]string{"CARI_TOKEN": "rahasia-sekali"}, "serve", "--help")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"--token-file FILE", "--cors-origin ORIGIN", "/api/openapi.json", "Examples:", "cari serve --index /srv/berita --token-file",
		"--keys-file FILE", "--require-search-key", "forbidden_scope", "SIGHUP also reads --keys-file again"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	if strings.Contains(r.stdout, "rahasia-sekali") {
		t.Error("help prints the token from $CARI_TOKEN")
	}
	if regexp.MustCompile(`--cors\s`).MatchString(r.stdout) {
		t.Error("help lists the old --cors flag")
	}
}

// TestSearchAgreesWithServer runs the same queries, misspelt ones among
// them, through `cari search --json` and then through the API of `cari
// serve` over the same index, which builds its autocomplete vocabulary
// before it listens: the total, the hits in order and the suggestion
// must be the same. The text output prints the suggestion.
func TestSearchAgreesWithServer(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	env := map[string]string{"CARI_INDEX": dir}
	if r := runCari(t, "", env, "index", samples); r.code != 0 {
		t.Fatalf("index: %+v", r)
	}
	type answer struct {
		Total      int    `json:"total"`
		Suggestion string `json:"suggestion"`
		Hits       []struct {
			ID string `json:"id"`
		} `json:"hits"`
	}
	queries := []string{"kebakran", "kesehtan hutan", "pembangnan", "pertahnan", "kerja sama pertahnan", "multipolr", "tiongkk moskow", "kerja sama", "nelayan"}
	cli := map[string]answer{}
	suggested := 0
	for _, q := range queries {
		r := runCari(t, "", env, "search", "--json", q)
		var a answer
		if err := json.Unmarshal([]byte(r.stdout), &a); err != nil {
			t.Fatalf("search --json %q: %v\n%s", q, err, r.stdout)
		}
		cli[q] = a
		if a.Suggestion != "" {
			suggested++
			text := runCari(t, "", env, "search", q)
			if !strings.Contains(text.stdout, "Mungkin maksud Anda: "+a.Suggestion+"\n") {
				t.Errorf("%q: the text output lacks the suggestion %q:\n%s", q, a.Suggestion, text.stdout)
			}
		}
	}
	if suggested < 5 {
		t.Errorf("%d of the misspelt queries got a suggestion, want at least 5", suggested)
	}
	base := startServeOf(t, nil, "--index", dir)
	for _, q := range queries {
		resp, err := http.Get(base + "/api/search?q=" + url.QueryEscape(q))
		if err != nil {
			t.Fatal(err)
		}
		var api answer
		err = json.NewDecoder(resp.Body).Decode(&api)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(cli[q]) != fmt.Sprint(api) {
			t.Errorf("%q: cari search %+v, the server %+v", q, cli[q], api)
		}
	}
}
