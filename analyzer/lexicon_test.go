package analyzer

import (
	"bufio"
	"io/fs"
	"path"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/id"
	"golang.org/x/text/unicode/norm"
)

// embeddedEntries returns the entries of each embedded list as written,
// comments and blank lines left out, keyed by file name.
func embeddedEntries(t *testing.T) map[string][]string {
	t.Helper()
	names, err := fs.Glob(lexiconFS, "lexicon/*.txt")
	if err != nil || len(names) == 0 {
		t.Fatalf("embedded lists: %v, %d files", err, len(names))
	}
	entries := map[string][]string{}
	for _, name := range names {
		data, err := lexiconFS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(strings.NewReader(string(data)))
		for sc.Scan() {
			if line := sc.Text(); line != "" && line[0] != '#' {
				entries[path.Base(name)] = append(entries[path.Base(name)], line)
			}
		}
	}
	return entries
}

// TestEmbeddedListsAsWritten: every entry of the embedded lists is loaded
// exactly as written. ReadWordList quietly lower-cases entries, cuts them
// at a space, tab or slash and drops those with other characters, as it
// must for hunspell lists; in the project's own lists any of that is a
// mistake, such as a phrase that was cut to its first word. An entry must
// also be in the form the tokenizer gives (NFKC, lower case), or no token
// ever equals it, and listed once in its file.
func TestEmbeddedListsAsWritten(t *testing.T) {
	for name, lines := range embeddedEntries(t) {
		data, err := lexiconFS.ReadFile("lexicon/" + name)
		if err != nil {
			t.Fatal(err)
		}
		loaded, err := ReadWordList(strings.NewReader(string(data)), name)
		if err != nil {
			t.Fatal(err)
		}
		if i := mismatch(lines, loaded); i >= 0 {
			t.Errorf("%s: entry %d as written, %q, is loaded as %q", name, i+1, lines[i:min(i+1, len(lines))], loaded[i:min(i+1, len(loaded))])
		}
		seen := map[string]bool{}
		for _, line := range lines {
			if seen[line] {
				t.Errorf("%s: %q is listed twice", name, line)
			}
			seen[line] = true
			if line != norm.NFKC.String(strings.ToLower(line)) {
				t.Errorf("%s: entry %q is not in NFKC lower case", name, line)
			}
		}
	}
}

// mismatch returns the first index where a and b differ, or -1.
func mismatch(a, b []string) int {
	for i := range max(len(a), len(b)) {
		if i >= len(a) || i >= len(b) || a[i] != b[i] {
			return i
		}
	}
	return -1
}

// TestRootListsSortedAndUnique: roots are plain a–z words, each file of
// them in order and no root in two files. The stemmer analyzes only
// words of a–z and the analyzer splits hyphenated words before stemming,
// so a root with another character could never be reached from an affixed
// word; order keeps a duplicate or a near twin beside its entry, where a
// curator sees it.
func TestRootListsSortedAndUnique(t *testing.T) {
	seen := map[string]string{}
	n := 0
	for name, lines := range embeddedEntries(t) {
		if !strings.HasPrefix(name, "roots") {
			continue
		}
		n += len(lines)
		for i, w := range lines {
			if strings.Trim(w, "abcdefghijklmnopqrstuvwxyz") != "" {
				t.Errorf("%s: root %q has letters other than a–z", name, w)
			}
			if i > 0 && lines[i-1] >= w {
				t.Errorf("%s: %q comes after %q", name, w, lines[i-1])
			}
			if other, ok := seen[w]; ok && other != name {
				t.Errorf("root %q is in both %s and %s", w, other, name)
			}
			seen[w] = name
		}
	}
	if n == 0 {
		t.Fatal("no embedded roots*.txt list")
	}
}

// TestKeepWholeWordsAreDerived: a word of keepwhole.txt is one the stemmer
// reduces to a root and the id analyzer keeps whole all the same, its
// meaning having drifted from its root's. A word the stemmer leaves as it
// is (a root, a protected word, an unknown word) belongs in protected.txt
// or nowhere, and one that stems to no root is a lexicon gap, not a drift.
func TestKeepWholeWordsAreDerived(t *testing.T) {
	s, err := NewStemmer(StemmerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(BuiltinKeepWhole()) == 0 {
		t.Fatal("keepwhole.txt did not load")
	}
	for _, w := range BuiltinKeepWhole() {
		if stem := s.Stem(w); stem == w || !s.IsRoot(stem) {
			t.Errorf("keep-whole word %q stems to %q, want another word that is a root", w, stem)
		}
	}
}

// TestStopWordChanges: every line of stopwords.txt changes bleve's stop
// list: a "-word" removes one of its words and any other line adds a word
// it lacks. A line that changes nothing is a typo or was overtaken by
// bleve, and stopWords must apply every change.
func TestStopWordChanges(t *testing.T) {
	bleveStops := analysis.NewTokenMap()
	if err := bleveStops.LoadBytes(id.IndonesianStopWords); err != nil {
		t.Fatal(err)
	}
	stops, err := stopWords()
	if err != nil {
		t.Fatal(err)
	}
	changes := embeddedEntries(t)["stopwords.txt"]
	if len(changes) == 0 {
		t.Fatal("stopwords.txt has no entries")
	}
	for _, line := range changes {
		w, removed := strings.CutPrefix(line, "-")
		_, inBleve := bleveStops[w]
		_, stop := stops[w]
		switch {
		case removed && !inBleve:
			t.Errorf("stopwords.txt removes %q, which is not on bleve's stop list", w)
		case !removed && inBleve:
			t.Errorf("stopwords.txt adds %q, which bleve's stop list already holds", w)
		case removed && stop:
			t.Errorf("stopWords keeps %q, which stopwords.txt removes", w)
		case !removed && !stop:
			t.Errorf("stopWords lacks %q, which stopwords.txt adds", w)
		}
	}
}
