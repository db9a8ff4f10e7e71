package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/analyzer"
	"github.com/carisearch/cari/index"
	"github.com/carisearch/cari/index/input"
	"github.com/carisearch/cari/server"
)

func TestMarkerIsOneUnstemmedWord(t *testing.T) {
	an, err := index.BodyAnalyzer(index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range []struct{ tag, seq uint64 }{{0, 0}, {0, 1}, {1, 0}, {maxTag - 1, maxSeq - 1}, {4242, 12345}, {4242, 12346}} {
		m := Marker(c.tag, c.seq)
		if seen[m] {
			t.Errorf("Marker(%d, %d) = %s twice", c.tag, c.seq, m)
		}
		seen[m] = true
		if len(m) != 2+tagWidth+seqWidth || strings.ContainsAny(m, "aiueo") {
			t.Errorf("Marker(%d, %d) = %q", c.tag, c.seq, m)
		}
		toks, err := analyzer.Explain(an, "Berita "+m+" hari ini")
		if err != nil {
			t.Fatal(err)
		}
		if len(toks) < 2 || toks[1].Text != m || toks[1].Stem != m {
			t.Errorf("analyzer on %s: %+v", m, toks)
		}
	}
}

func TestAccepted(t *testing.T) {
	var r upsertResponse
	if err := json.Unmarshal([]byte(`{"indexed":3,"updated":0,"unchanged":0,"skipped":[{"line":2,"field":"body","message":"empty"},{"line":5,"message":"bad"}]}`), &r); err != nil {
		t.Fatal(err)
	}
	got := accepted(5, r)
	if want := []int{0, 2, 3}; !equal(got, want) {
		t.Errorf("accepted = %v, want %v", got, want)
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRewrite(t *testing.T) {
	out, err := rewrite([]byte(`{"id":"x-1","title":"Judul","text":"Isi berita.","date":"2019-07-31","source":"contoh.id"}`), "load-b-1", "zqbbbbbbbbb")
	if err != nil {
		t.Fatal(err)
	}
	var a map[string]any
	if err := json.Unmarshal(out, &a); err != nil {
		t.Fatal(err)
	}
	if a["id"] != "load-b-1" || a["body"] != "zqbbbbbbbbb Isi berita." || a["title"] != "Judul" || a["date"] != "2019-07-31" || a["text"] != nil {
		t.Errorf("rewrite: %s", out)
	}
}

// TestPostAndCheck runs both commands against a server on a temporary
// index that already holds the sample articles.
func TestPostAndCheck(t *testing.T) {
	ix, err := index.CreateTemp(index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	if _, err := ix.Ingest(context.Background(), input.FS(cari.SampleArticles, cari.SampleDir), index.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(ix, server.Options{Token: "rahasia"}))
	defer srv.Close()
	t.Setenv("CARI_TOKEN", "rahasia")

	dir := t.TempDir()
	manifest := filepath.Join(dir, "manifest.json")
	corpus := filepath.Join("..", "..", "..", "testdata", "articles", "part-a.jsonl")
	var stdout, stderr bytes.Buffer
	ctx := context.Background()
	if code := run(ctx, []string{"post", "-server", srv.URL, "-corpus", corpus, "-batch", "4", "-max", "10", "-manifest", manifest}, &stdout, &stderr); code != 0 {
		t.Fatalf("post: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "WRITER batches=3 posted=10 accepted=10 indexed=10 ") {
		t.Errorf("post printed %q", stdout.String())
	}
	stdout.Reset()
	if code := run(ctx, []string{"check", "-manifest", manifest}, &stdout, &stderr); code != 0 {
		t.Fatalf("check: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "CHECK articles=10 fetched=10 found_by_marker=10 documents=71 expected_documents=71 ") {
		t.Errorf("check printed %q", stdout.String())
	}

	// An article deleted behind the writer's back fails the check.
	var m Manifest
	data, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete(ctx, m.Articles[3].ID); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	stderr.Reset()
	if code := run(ctx, []string{"check", "-manifest", manifest}, &stdout, &stderr); code != 1 {
		t.Fatalf("check after a delete: exit %d, want 1\n%s%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stderr.String(), m.Articles[3].ID) {
		t.Errorf("check after a delete did not name the article: %s", stderr.String())
	}

	// A wrong token is an error, not a silent zero.
	t.Setenv("CARI_TOKEN", "salah")
	stdout.Reset()
	stderr.Reset()
	if code := run(ctx, []string{"post", "-server", srv.URL, "-corpus", corpus, "-max", "2", "-manifest", filepath.Join(dir, "m2.json")}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "401") {
		t.Errorf("post with a wrong token: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
}
