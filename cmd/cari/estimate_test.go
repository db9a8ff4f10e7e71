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
