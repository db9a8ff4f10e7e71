package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/carisearch/cari"
)

// TestPrintResultSaysEstimates: a total the index estimated from a sample
// of the matches is printed as about so many; an exact one is not.
func TestPrintResultSaysEstimates(t *testing.T) {
	for _, tc := range []struct {
		total uint64
		exact bool
		want  string
	}{
		{390_000, false, `about 390000 articles match "kpk"`},
		{387_838, true, `387838 articles match "kpk"`},
	} {
		var out bytes.Buffer
		o := &options{env: env{stdout: &out, stderr: &out, getenv: func(string) string { return "" }}}
		printResult(o, &cari.Result{Query: "kpk", Total: tc.total, TotalExact: tc.exact, Page: 1, Size: 10, Hits: []cari.Hit{{ID: "a", Title: "KPK"}}})
		first, _, _ := strings.Cut(out.String(), ";")
		if first != tc.want {
			t.Errorf("total %d (exact %v): %q, want %q", tc.total, tc.exact, first, tc.want)
		}
	}
}

// TestSearchPrintsUnderstoodDates: cari search says in one line what date
// it read, and --no-dates reads none.
func TestSearchPrintsUnderstoodDates(t *testing.T) {
	dir := t.TempDir() + "/idx"
	env := map[string]string{"CARI_INDEX": dir}
	if r := runCari(t, "", env, "index", samples); r.code != 0 {
		t.Fatalf("index: %+v", r)
	}
	r := runCari(t, "", env, "search", "ekonomi", "2023")
	want := `dates: "2023" read as 2023-01-01 to 2023-12-31 (2023), searching the words "ekonomi"; --no-dates searches it as words`
	if r.code != 0 || strings.Count(r.stdout, "dates: ") != 1 || !strings.Contains(r.stdout, want+"\n") {
		t.Fatalf("search ekonomi 2023: %+v", r)
	}
	hits := 0
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.Contains(line, " · score ") {
			hits++
			if !strings.Contains(line, " · 2023-") {
				t.Errorf("a hit outside 2023: %s", line)
			}
		}
	}
	if hits == 0 {
		t.Errorf("no hits for ekonomi 2023:\n%s", r.stdout)
	}
	r = runCari(t, "", env, "search", "--no-dates", "ekonomi", "2023")
	if r.code != 0 || strings.Contains(r.stdout, "dates: ") {
		t.Errorf("search --no-dates: %+v", r)
	}
}
