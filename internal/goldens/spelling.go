// Package goldens reads golden files of testdata/ that the tests of more
// than one package check.
package goldens

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// SpellingPair is a line of testdata/spelling/goldens.tsv: two written
// forms that must fold to the same word (Same) or stay apart.
type SpellingPair struct {
	A, B string
	Same bool
	Line int
}

// ReadSpelling reads a file in the format of testdata/spelling/goldens.tsv:
// form TAB form TAB same|apart, with # comments and blank lines.
func ReadSpelling(path string) ([]SpellingPair, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []SpellingPair
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) != 3 || (fields[2] != "same" && fields[2] != "apart") {
			return nil, fmt.Errorf("%s:%d: want form, form, same|apart: %q", path, n, line)
		}
		out = append(out, SpellingPair{A: fields[0], B: fields[1], Same: fields[2] == "same", Line: n})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}
