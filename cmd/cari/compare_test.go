package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEvalCompare(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	qrels := write("j.qrels", "q1 0 a 2\nq1 0 b 0\nq2 0 c 1\nq3 0 d 0\n")
	good := write("good.run", "q1 Q0 a 1 2 g\nq2 Q0 c 1 2 g\n")
	poor := write("poor.run", "q1 Q0 b 1 2 p\nq1 Q0 x 2 1 p\nq1 Q0 a 3 1 p\n")

	res := runCari(t, "", nil, "eval", "compare", "--qrels", qrels, "--json", good, poor)
	if res.code != 0 {
		t.Fatalf("compare: %+v", res)
	}
	var rows []struct {
		Name       string  `json:"name"`
		NoneInTop5 int     `json:"none_in_top5"`
		Unjudged   int     `json:"unjudged@10"`
		PNDCG      float64 `json:"p_ndcg@10"`
		Mean       struct {
			NDCG float64 `json:"ndcg@10"`
		} `json:"mean"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &rows); err != nil {
		t.Fatalf("json: %v\n%s", err, res.stdout)
	}
	// q3 has no relevant document and is left out: two queries.
	if len(rows) != 2 || rows[0].Name != "good" || rows[0].Mean.NDCG != 1 || rows[0].NoneInTop5 != 0 {
		t.Fatalf("good run: %+v", rows)
	}
	if rows[1].NoneInTop5 != 1 || rows[1].Unjudged != 1 || rows[1].Mean.NDCG >= 0.5 || rows[1].PNDCG <= 0 {
		t.Errorf("poor run: %+v", rows[1])
	}

	text := runCari(t, "", nil, "eval", "compare", "--qrels", qrels, good, poor)
	if text.code != 0 || !strings.Contains(text.stdout, "2 queries; p: paired randomization test against good") {
		t.Errorf("text output: %+v", text)
	}
	if bad := runCari(t, "", nil, "eval", "compare", "--qrels", qrels, write("bad.run", "q1 Q0 a\n")); bad.code == 0 || !strings.Contains(bad.stderr, "bad.run:1") {
		t.Errorf("bad run file: %+v", bad)
	}
}

// TestEvalRunWithoutQrels ranks a query set that has no qrels: eval writes
// the run, one line per hit with its rank, and scores nothing; without
// --run it still wants --qrels.
func TestEvalRunWithoutQrels(t *testing.T) {
	queries := writeFile(t, "q1\tkw\tmultipolar\nq2\tkw\tkerja sama pertahanan\n")
	run := filepath.Join(t.TempDir(), "cari.run")
	docs := filepath.Join(samples, "part-a.jsonl")
	r := runCari(t, "", nil, "eval", "--docs", docs, "--queries", queries, "--run", run)
	if r.code != 0 || !strings.Contains(r.stdout, "2 queries searched") || !strings.Contains(r.stdout, "nothing scored") {
		t.Fatalf("eval --run without --qrels: %+v", r)
	}
	b, err := os.ReadFile(run)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "q1 Q0 kn-2023-001 1 ") {
		t.Errorf("run file starts %q, want q1's first hit kn-2023-001 at rank 1", lines[:min(2, len(lines))])
	}
	if r := runCari(t, "", nil, "eval", "--docs", docs, "--queries", queries); r.code == 0 || !strings.Contains(r.stderr, "--qrels") {
		t.Errorf("eval without --qrels or --run: %+v", r)
	}
}
