package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestSimilarAndSuggest(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	env := map[string]string{"CARI_INDEX": dir}
	if r := runCari(t, "", env, "index", samples); r.code != 0 {
		t.Fatalf("index: %+v", r)
	}

	// The defence agreement with Australia: the naval exercise first.
	r := runCari(t, "", env, "similar", "--size", "3", "kn-2023-002")
	if r.code != 0 || !strings.Contains(r.stdout, "1. TNI AL Gelar Latihan Bersama") || strings.Contains(r.stdout, "· kn-2023-002\n") {
		t.Errorf("similar: %+v", r)
	}
	r = runCari(t, "", env, "similar", "--json", "--size", "2", "kn-2023-002")
	var res struct {
		Query string `json:"query"`
		Hits  []struct {
			ID string `json:"id"`
		} `json:"hits"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || r.code != 0 || len(res.Hits) != 2 || res.Query == "" {
		t.Errorf("similar --json: %v %+v", err, r)
	}
	if r := runCari(t, "", env, "similar", "tidak-ada"); r.code != 1 || !strings.Contains(r.stderr, "not found") {
		t.Errorf("similar of an unknown id: %+v", r)
	}
	if r := runCari(t, "", env, "similar", "--size", "101", "kn-2023-002"); r.code != 1 || !strings.Contains(r.stderr, "size") {
		t.Errorf("similar --size 101: %+v", r)
	}

	r = runCari(t, "", env, "suggest", "kerja", "sam")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "term   kerja sama\n") || !strings.Contains(r.stdout, "title  Indonesia dan Australia Teken Perjanjian Kerja Sama Pertahanan Baru  (kn-2023-002)") {
		t.Errorf("suggest kerja sam: %+v", r)
	}
	if r := runCari(t, "", env, "suggest", "multip"); r.code != 0 || !strings.HasPrefix(r.stdout, "term   multipolar  (") || !strings.Contains(r.stdout, "articles)") && !strings.Contains(r.stdout, "article)") {
		t.Errorf("suggest multip: %+v", r)
	}
	r = runCari(t, "", env, "suggest", "--json", "--size", "1", "pertah")
	var cs []struct {
		Text, Kind string
	}
	if err := json.Unmarshal([]byte(r.stdout), &cs); err != nil || len(cs) != 1 || cs[0].Text != "pertahanan" || cs[0].Kind != "term" {
		t.Errorf("suggest --json pertah: %v %+v", err, r)
	}

	for _, cmd := range []string{"similar", "suggest"} {
		r := runCari(t, "", nil, cmd, "--help")
		if r.code != 0 || !strings.Contains(r.stdout, "Usage:") || !strings.Contains(r.stdout, "Examples:") || !strings.Contains(r.stdout, "cari "+cmd) {
			t.Errorf("cari %s --help: %+v", cmd, r)
		}
	}
}
