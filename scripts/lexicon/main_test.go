package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	data := []byte(text)
	if strings.HasSuffix(name, ".gz") {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		if _, err := zw.Write(data); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		data = buf.Bytes()
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func runLexicon(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestAudit runs audit on roots of our own: a derived form listed beside
// its root, a rare affix form, the lookalikes of each nasal rule and of
// ber-, and a root that is none of these.
func TestAudit(t *testing.T) {
	roots := write(t, "akar.txt", "tulis\nmenulis\nkerja\nkinerja\nalah\nkalah\nasa\nrasa\nnanti\ntanti\nmakan\npakan\nnyanyi\nsanyi\nberita\ntulis\n")
	code, stdout, stderr := runLexicon(t, "audit", "-builtin=false", "-lexicon", roots)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := strings.Join([]string{
		"collision\talah\tkalah",
		"collision\tasa\trasa",
		"collision\tmakan\tpakan",
		"collision\tnanti\ttanti",
		"collision\tnyanyi\tsanyi",
		"derived?\tkinerja\tkerja",
		"derived?\tmenulis\ttulis",
	}, "\n") + "\n"
	if stdout != want {
		t.Errorf("audit printed\n%s\nwant\n%s", stdout, want)
	}
	if !strings.Contains(stderr, "7 lines") {
		t.Errorf("stderr %q does not count the 7 lines", stderr)
	}
}

// TestAuditBuiltin: the embedded lexicon is audited by default, and the
// report goes to -o.
func TestAuditBuiltin(t *testing.T) {
	out := filepath.Join(t.TempDir(), "audit.tsv")
	code, stdout, stderr := runLexicon(t, "audit", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("with -o, stdout got %q", stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if f := strings.Split(line, "\t"); len(f) != 3 || f[0] != "derived?" && f[0] != "collision" {
			t.Fatalf("bad report line %q", line)
		}
	}
}

// TestCoverage runs coverage on a corpus of our own, gzipped and plain:
// an unknown word is listed with its count, and a -lexicon list that
// holds it makes it known.
func TestCoverage(t *testing.T) {
	text := `{"id":"a","title":"Menyerang","body":"Zorbak dan zorbak, 2023 kemitraan qwertyuiop"}` + "\n\n" +
		`{"id":"b","body":"Berita zorbak"}` + "\n"
	for _, name := range []string{"news.jsonl.gz", "news.jsonl"} {
		corpus := write(t, name, text)
		code, stdout, stderr := runLexicon(t, "coverage", "-corpus", corpus)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		if want := "zorbak\t3\tzorbak\nqwertyuiop\t1\tqwertyuiop\n"; stdout != want {
			t.Errorf("%s: coverage printed %q, want %q", name, stdout, want)
		}
		// menyerang, kemitraan, berita known; zorbak thrice and qwertyuiop not.
		if want := "3/7 = 42.9%; 2 distinct words"; !strings.Contains(stderr, want) {
			t.Errorf("%s: stderr %q, want %q in it", name, stderr, want)
		}
	}
	corpus := write(t, "news.jsonl", text)
	lexicon := write(t, "akar.txt", "zorbak\n")
	code, stdout, stderr := runLexicon(t, "coverage", "-corpus", corpus, "-lexicon", lexicon, "-top", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "qwertyuiop\t1\tqwertyuiop\n"; stdout != want {
		t.Errorf("with the lexicon, coverage printed %q, want %q", stdout, want)
	}
}

func TestUsageAndErrors(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{nil, 2, "SYNOPSIS"},
		{[]string{"grow"}, 2, `unknown command "grow"`},
		{[]string{"audit", "-nope"}, 2, "flag provided but not defined"},
		{[]string{"audit", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"audit", "-builtin=false"}, 1, "no roots to audit"},
		{[]string{"audit", "-lexicon", "/nonexistent/akar.txt"}, 1, "/nonexistent/akar.txt"},
		{[]string{"coverage", "-corpus", "/nonexistent/news.jsonl.gz"}, 1, "/nonexistent/news.jsonl.gz"},
		{[]string{"coverage", "-top", "-1"}, 2, "-top -1"},
	} {
		code, _, stderr := runLexicon(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.stderr) {
			t.Errorf("lexicon %q: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, tc.code, tc.stderr)
		}
	}
	for _, args := range [][]string{{"help"}, {"audit", "-h"}, {"coverage", "-help"}} {
		if code, stdout, _ := runLexicon(t, args...); code != 0 || !strings.Contains(stdout, "EXIT STATUS") {
			t.Errorf("lexicon %q: exit %d, stdout without the usage", args, code)
		}
	}
}
