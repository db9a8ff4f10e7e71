package analyzer

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

var lexiconAudit = flag.String("lexicon-audit", "", "write lexicon entries that look derived, and root pairs that collide under meN-, to this file")

// TestLexiconAudit is a tool for curating the root lexicon; it runs only
// with -lexicon-audit FILE. It lists (1) entries that an analysis reduces
// to another entry, which are either lexicalized words to keep (berangkat)
// or derived forms that do not belong in a root list (kecepatan); and
// (2) pairs of roots that meN-/peN- or ber-/ter-/per- make
// indistinguishable (alah/kalah, nanti/tanti, makan/pakan, asa/rasa), where a rare member steals the common one's
// words.
func TestLexiconAudit(t *testing.T) {
	if *lexiconAudit == "" {
		t.Skip("a curation tool: run with -lexicon-audit FILE")
	}
	roots := BuiltinRoots()
	set := map[string]bool{}
	for _, r := range roots {
		set[r] = true
	}
	s := NewStemmerFromWords(roots, nil, -1)
	var lines []string
	for _, w := range roots {
		if r, ok := s.analyze(w, true); ok && r != w {
			lines = append(lines, fmt.Sprintf("derived?\t%s\t%s", w, r))
		} else if r, ok := s.analyzeRare(w); ok && r != w {
			lines = append(lines, fmt.Sprintf("derived?\t%s\t%s", w, r))
		}
	}
	for _, w := range roots {
		pair := func(other string) {
			if set[other] {
				lines = append(lines, fmt.Sprintf("collision\t%s\t%s", w, other))
			}
		}
		switch {
		case isVowel(w[0]):
			pair("k" + w) // meng-, peng-
			pair("r" + w) // ber-, ter-, per- before a vowel
		case strings.HasPrefix(w, "n") && len(w) > 1 && isVowel(w[1]):
			pair("t" + w[1:])
		case strings.HasPrefix(w, "m") && len(w) > 1 && isVowel(w[1]):
			pair("p" + w[1:])
		case strings.HasPrefix(w, "ny"):
			pair("s" + w[2:])
		}
	}
	sort.Strings(lines)
	if err := os.WriteFile(*lexiconAudit, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d lines", len(lines))
}
