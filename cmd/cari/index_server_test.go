package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// runIndex runs `cari index` with args and returns its exit code, stdout
// and stderr.
func runIndex(t *testing.T, getenv map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"index"}, args...), env{
		stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
		getenv: func(k string) string { return getenv[k] },
	})
	return code, stdout.String(), stderr.String()
}

// searchIDs returns the ids of the hits for q on the server at base.
func searchIDs(t *testing.T, base, q string) []string {
	t.Helper()
	resp, err := http.Get(base + "/api/search?q=" + url.QueryEscape(q))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var res struct {
		Hits []struct{ ID string } `json:"hits"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

// TestIndexServer indexes a file with one bad record through a running
// `cari serve`, which holds its index: the bad record is named by file,
// line and field, the exit status is 1, and the good articles are
// searchable through the server. A second run changes nothing.
func TestIndexServer(t *testing.T) {
	tokenFile := writeFile(t, "rahasia-indeks\n")
	base := startServe(t, nil, "--token-file", tokenFile)

	input := filepath.Join(t.TempDir(), "kiriman.jsonl")
	if err := os.WriteFile(input, []byte(`{"id":"kirim-1","title":"Petani Garam Madura","body":"Petani garam di Madura menikmati panen raya tahun ini."}
{"id":"kirim-2","title":"Tanpa tanggal yang benar","body":"Isi.","published":"kemarin sore"}
{"id":"kirim-3","title":"Kapal Pinisi","body":"Perajin kapal pinisi di Bulukumba menerima pesanan dari Eropa."}
`), 0o600); err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := runIndex(t, nil, "--server", base, "--token-file", tokenFile, "--batch", "1", input)
	if code != 1 {
		t.Errorf("exit %d, want 1; stderr: %s", code, stderr)
	}
	if want := input + `:2: field "published"`; !strings.Contains(stderr, want) {
		t.Errorf("stderr %q does not name %q", stderr, want)
	}
	summary := regexp.MustCompile(`^2 indexed, 0 updated, 0 unchanged, 1 skipped in \S+; server ` + regexp.QuoteMeta(base) + ` holds \d+ articles\n$`)
	if !summary.MatchString(stdout) {
		t.Errorf("stdout %q, want the summary line", stdout)
	}
	for q, id := range map[string]string{"garam": "kirim-1", "pinisi": "kirim-3"} {
		if ids := searchIDs(t, base, q); len(ids) == 0 || ids[0] != id {
			t.Errorf("search %q on the server: %v, want %s first", q, ids, id)
		}
	}

	// Again, with the token from the environment: nothing changes.
	code, stdout, stderr = runIndex(t, map[string]string{"CARI_TOKEN": "rahasia-indeks"}, "--server", base, input)
	if code != 1 || !strings.HasPrefix(stdout, "0 indexed, 0 updated, 2 unchanged, 1 skipped") {
		t.Errorf("second run: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestIndexServerErrors: a wrong or missing token, and flags that belong
// to a local index, stop the command with a message saying why.
func TestIndexServerErrors(t *testing.T) {
	tokenFile := writeFile(t, "rahasia-indeks")
	base := startServe(t, nil, "--token-file", tokenFile)
	input := filepath.Join(t.TempDir(), "satu.jsonl")
	if err := os.WriteFile(input, []byte(`{"id":"satu","body":"Isi berita."}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		getenv map[string]string
		args   []string
		want   string
	}{
		{"wrong token", map[string]string{"CARI_TOKEN": "salah"}, []string{"--server", base, input}, "401 Unauthorized (unauthorized): missing or wrong key"},
		{"no token", nil, []string{"--server", base, input}, "--server needs the server's write token"},
		{"analyzer", map[string]string{"CARI_TOKEN": "x"}, []string{"--server", base, "--analyzer", "standard", input}, "--analyzer belongs to the server's index"},
		{"index", map[string]string{"CARI_TOKEN": "x"}, []string{"--server", base, "--index", t.TempDir(), input}, "--index belongs to the server's index"},
		{"token file without server", nil, []string{"--index", t.TempDir(), "--token-file", tokenFile, input}, "--token-file is for --server"},
		{"not a URL", map[string]string{"CARI_TOKEN": "x"}, []string{"--server", "127.0.0.1:1", input}, "want http://HOST:PORT"},
	} {
		code, _, stderr := runIndex(t, tc.getenv, tc.args...)
		if code != 1 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want 1 and %q", tc.name, code, stderr, tc.want)
		}
	}
}
