package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// result is what one run of the command printed.
type result struct {
	code           int
	stdout, stderr string
}

func runCari(t *testing.T, stdin string, getenv map[string]string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, env{
		stdin:  strings.NewReader(stdin),
		stdout: &out,
		stderr: &errOut,
		getenv: func(k string) string { return getenv[k] },
	})
	return result{code, out.String(), errOut.String()}
}

var samples = filepath.Join("..", "..", "testdata", "articles")

func TestIndexSearchStats(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	env := map[string]string{"CARI_INDEX": dir}
	first := runCari(t, "", env, "index", samples)
	if first.code != 0 || !strings.Contains(first.stdout, "61 indexed, 0 updated, 0 unchanged, 0 skipped") {
		t.Fatalf("first index: %+v", first)
	}
	second := runCari(t, "", env, "index", samples)
	if second.code != 0 || !strings.Contains(second.stdout, "0 indexed, 0 updated, 61 unchanged") || !strings.Contains(second.stdout, "holds 61 articles") {
		t.Fatalf("second index: %+v", second)
	}

	search := runCari(t, "", env, "search", "multipolar")
	if search.code != 0 || !strings.Contains(search.stdout, "1. Menhan Tiongkok ke Moskow") || !strings.Contains(search.stdout, "«multipolar»") {
		t.Fatalf("search multipolar: %+v", search)
	}

	js := runCari(t, "", env, "search", "--json", "kerja sama")
	var res struct {
		Query string  `json:"query"`
		Total int     `json:"total"`
		Took  float64 `json:"took_ms"`
		Page  int     `json:"page"`
		Size  int     `json:"size"`
		Hits  []struct {
			ID, Title, Source, URL, Published, Snippet string
			Score                                      float64
		} `json:"hits"`
		Facets map[string][]struct {
			Value string
			Count int
		} `json:"facets"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &res); err != nil {
		t.Fatalf("search --json is not JSON: %v\n%s", err, js.stdout)
	}
	if res.Query != "kerja sama" || res.Total == 0 || res.Page != 1 || res.Size != 10 || len(res.Hits) == 0 || res.Hits[0].ID != "kn-2023-002" {
		t.Fatalf("search --json: %+v", res)
	}
	if !strings.Contains(res.Hits[0].Snippet, "<mark>kerja</mark>") || len(res.Facets["source"]) == 0 {
		t.Errorf("hit or facets lack marks: %+v", res.Hits[0])
	}

	filtered := runCari(t, "", env, "search", "--source", "nosuch.id", "multipolar")
	if filtered.code != 0 || !strings.Contains(filtered.stdout, "no articles match") {
		t.Errorf("filtered search: %+v", filtered)
	}
	bad := runCari(t, "", env, "search", "--from", "kemarin", "multipolar")
	if bad.code != 1 || !strings.Contains(bad.stderr, "--from") {
		t.Errorf("bad --from: %+v", bad)
	}

	stats := runCari(t, "", env, "stats", "--json")
	var st struct{ Documents int }
	if err := json.Unmarshal([]byte(stats.stdout), &st); err != nil || st.Documents != 61 {
		t.Errorf("stats --json: %+v (%v)", stats, err)
	}
}

func TestIndexReportsSkippedRecords(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "berita.jsonl")
	content := `{"id":"a","body":"Isi yang baik."}
{"id":"b","title":"Tanpa isi"}
{"id":"c","body":"isi","published":"kemarin"}
`
	if err := os.WriteFile(input, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCari(t, "", nil, "index", "--index", filepath.Join(dir, "idx"), input)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1: %+v", r.code, r)
	}
	for _, want := range []string{"1 indexed", "2 skipped", input + `:2: field "body"`, input + `:3: field "published"`} {
		if !strings.Contains(r.stdout+r.stderr, want) {
			t.Errorf("output lacks %q:\n%s%s", want, r.stdout, r.stderr)
		}
	}
}

func TestSearchWithoutIndex(t *testing.T) {
	r := runCari(t, "", nil, "search", "--index", filepath.Join(t.TempDir(), "none"), "x")
	if r.code != 1 || !strings.Contains(r.stderr, "cari index") {
		t.Errorf("search without an index: %+v", r)
	}
}

func TestAnalyzeAndStem(t *testing.T) {
	r := runCari(t, "", nil, "analyze", "Negara-negara itu menyerang")
	if r.code != 0 {
		t.Fatalf("analyze: %+v", r)
	}
	for _, want := range []regexp.Regexp{
		*regexp.MustCompile(`1\s+0-13\s+Negara-negara\s+negara\s+negara`),
		*regexp.MustCompile(`2\s+14-17\s+itu\s+itu\s+-\s+stop word`),
		*regexp.MustCompile(`3\s+18-27\s+menyerang\s+menyerang\s+serang`),
	} {
		if !want.MatchString(r.stdout) {
			t.Errorf("analyze output lacks %s:\n%s", want.String(), r.stdout)
		}
	}
	stem := runCari(t, "menyerang\nKemitraan\n\nnegara-negara\nberita\n", nil, "stem")
	if stem.code != 0 || stem.stdout != "serang\nmitra\n\nnegara\nberita\n" {
		t.Errorf("stem: %+v", stem)
	}
	lex := filepath.Join(t.TempDir(), "akar.txt")
	if err := os.WriteFile(lex, []byte("zorbak\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	withLexicon := runCari(t, "menzorbak\n", map[string]string{"CARI_LEXICON": lex}, "stem")
	if withLexicon.stdout != "zorbak\n" {
		t.Errorf("stem with $CARI_LEXICON: %+v", withLexicon)
	}
	missing := runCari(t, "x\n", nil, "stem", "--lexicon", "/nonexistent/akar.txt")
	if missing.code != 1 || !strings.Contains(missing.stderr, "/nonexistent/akar.txt") {
		t.Errorf("stem with a missing lexicon: %+v", missing)
	}
}

func TestEval(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"docs.jsonl":  `{"id":"d1","text":"Menteri pertahanan Tiongkok terbang ke Moskow untuk konferensi keamanan."}` + "\n" + `{"id":"d2","text":"Banjir merendam ribuan rumah di Demak."}` + "\n",
		"queries.tsv": "q1\ttest\tSiapa yang terbang ke Moskow?\nq2\ttest\tApa itu C++? Banjir di mana?\nq3\ttrain\tpertahanan\n",
		"qrels.txt":   "q1 0 d1 1\nq2 0 d2 1\nq3 0 d1 1\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := filepath.Join(dir, "run.txt")
	r := runCari(t, "", nil, "eval", "--docs", filepath.Join(dir, "docs.jsonl"), "--queries", filepath.Join(dir, "queries.tsv"),
		"--qrels", filepath.Join(dir, "qrels.txt"), "--split", "test", "--run", run, "--json")
	var rep map[string]float64
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("eval --json: %v: %+v", err, r)
	}
	if rep["queries"] != 2 || rep["mrr@10"] != 1 || rep["recall@10"] != 1 || rep["recall@100"] != 1 || rep["ndcg@10"] != 1 {
		t.Errorf("eval figures: %v", rep)
	}
	data, err := os.ReadFile(run)
	if err != nil || !strings.HasPrefix(string(data), "q1 Q0 d1 1 ") {
		t.Errorf("run file: %q, %v", data, err)
	}
}

func TestHelpReadsLikeAManPage(t *testing.T) {
	for _, cmd := range []string{"index", "search", "serve", "analyze", "stats", "stem", "eval"} {
		r := runCari(t, "", nil, cmd, "--help")
		if r.code != 0 || !strings.Contains(r.stdout, "Usage:") || !strings.Contains(r.stdout, "Examples:") || !strings.Contains(r.stdout, "cari "+cmd) {
			t.Errorf("cari %s --help: %+v", cmd, r)
		}
	}
}

// syncBuffer lets the test read what a running server writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestServeDemo(t *testing.T) {
	base := startServe(t, nil)
	resp, err := http.Get(base + "/api/search?q=multipolar")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Hits []struct{ ID, Snippet string } `json:"hits"`
	}
	err = json.NewDecoder(resp.Body).Decode(&res)
	resp.Body.Close()
	if err != nil || len(res.Hits) == 0 || res.Hits[0].ID != "kn-2023-001" || !strings.Contains(res.Hits[0].Snippet, "<mark>multipolar</mark>") {
		t.Errorf("demo search: %+v, %v", res, err)
	}
}

func TestIndexWarnsButSucceeds(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "berita.jsonl")
	content := `{"id":"a","body":"Isi pertama.","penulis":"Budi"}
{"id":"a","body":"Isi kedua menggantikan yang pertama."}
`
	if err := os.WriteFile(input, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCari(t, "", nil, "index", "--index", filepath.Join(dir, "idx"), input)
	if r.code != 0 {
		t.Fatalf("exit %d, want 0 for warnings only: %+v", r.code, r)
	}
	for _, want := range []string{"warning: " + input + `:2: field "id"`, `"penulis"`, "1 indexed"} {
		if !strings.Contains(r.stdout+r.stderr, want) {
			t.Errorf("output lacks %q:\n%s%s", want, r.stdout, r.stderr)
		}
	}
}

// TestRefusedRunLeavesNoIndex: a run that indexes nothing into a new
// index (every record refused, or no such input) removes the index it
// created, and says so; an empty directory given as the index stays, empty.
func TestRefusedRunLeavesNoIndex(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "buruk.jsonl")
	if err := os.WriteFile(bad, []byte(`{"id":"a","title":"tanpa isi"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, input string
		code        int
	}{
		{"every record refused", bad, 1},
		{"no such input", filepath.Join(dir, "tidak-ada.jsonl"), 1},
	} {
		idx := filepath.Join(dir, "idx-"+strings.ReplaceAll(tc.name, " ", "-"))
		r := runCari(t, "", nil, "index", "--index", idx, tc.input)
		if r.code != tc.code || !strings.Contains(r.stderr, "nothing was indexed: removed the new index") {
			t.Errorf("%s: %+v", tc.name, r)
		}
		if _, err := os.Stat(idx); !os.IsNotExist(err) {
			t.Errorf("%s: %s is still there (%v)", tc.name, idx, err)
		}
	}
	empty := filepath.Join(dir, "kosong")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	if r := runCari(t, "", nil, "index", "--index", empty, bad); r.code != 1 {
		t.Errorf("into an empty directory: %+v", r)
	}
	if entries, err := os.ReadDir(empty); err != nil || len(entries) != 0 {
		t.Errorf("the empty directory holds %v (%v), want it kept and empty", entries, err)
	}
}

// TestIndexKeepsItsWordLists makes an index with --lexicon and
// --protected, then edits and removes the files: the index reads text as
// it did when made (search and analyze), since it stores the words, and
// analyze refuses word lists beside an index that has its own.
func TestIndexKeepsItsWordLists(t *testing.T) {
	dir := t.TempDir()
	lexicon, protected := filepath.Join(dir, "akar.txt"), filepath.Join(dir, "lindungi.txt")
	for path, words := range map[string]string{lexicon: "zorbak\n", protected: "kemitraan\n"} {
		if err := os.WriteFile(path, []byte(words), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	article := filepath.Join(dir, "a.jsonl")
	if err := os.WriteFile(article, []byte(`{"id":"z1","title":"Warga menzorbak kemitraan","body":"Warga desa menzorbak kemitraan baru."}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"CARI_INDEX": filepath.Join(dir, "idx")}
	if r := runCari(t, "", env, "index", "--lexicon", lexicon, "--protected", protected, article); r.code != 0 {
		t.Fatalf("index --lexicon: %+v", r)
	}
	if err := os.WriteFile(lexicon, []byte("lain\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(protected); err != nil {
		t.Fatal(err)
	}
	analyze := runCari(t, "", env, "analyze", "menzorbak kemitraan")
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`1\s+0-9\s+menzorbak\s+menzorbak\s+zorbak`),
		regexp.MustCompile(`2\s+10-19\s+kemitraan\s+kemitraan\s+kemitraan\s+protected`),
	} {
		if analyze.code != 0 || !want.MatchString(analyze.stdout) {
			t.Errorf("analyze on the index, its files changed: want %s in %+v", want, analyze)
		}
	}
	search := runCari(t, "", env, "search", "zorbak")
	if search.code != 0 || !strings.Contains(search.stdout, "1. Warga") {
		t.Errorf("search zorbak (the stored root): %+v", search)
	}
	refused := runCari(t, "", env, "analyze", "--lexicon", lexicon, "menzorbak")
	if refused.code != 1 || !strings.Contains(refused.stderr, "--lexicon is for a new index") {
		t.Errorf("analyze --lexicon beside an index: %+v", refused)
	}
}
