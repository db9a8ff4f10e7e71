package lexicon

import (
	"bufio"
	"io/fs"
	"path"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

// embeddedEntries returns the entries of each embedded word list as written,
// comments and blank lines left out, keyed by file name.
func embeddedEntries(t *testing.T) map[string][]string {
	t.Helper()
	names, err := fs.Glob(files, "*.txt")
	if err != nil || len(names) == 0 {
		t.Fatalf("embedded lists: %v, %d files", err, len(names))
	}
	entries := map[string][]string{}
	for _, name := range names {
		switch name {
		case "synonyms.txt", "months.txt", "informal.txt", "oldwords.txt":
			continue // not lists of words (TestSynonymList, TestMonths, TestPairLists)
		}
		data, err := files.ReadFile(name)
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
		data, err := files.ReadFile(name)
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

// TestMonths: every month has its full name, and the short names of
// datelines name the month they abbreviate.
func TestMonths(t *testing.T) {
	full := []string{"januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september", "oktober", "november", "desember"}
	for i, name := range full {
		if m, ok := Month(name); !ok || m != time.Month(i+1) {
			t.Errorf("Month(%q) = %v, %v; want %v", name, m, ok, time.Month(i+1))
		}
		if m, ok := Month(name[:3]); ok && m != time.Month(i+1) {
			t.Errorf("Month(%q) = %v; the short name of %s", name[:3], m, name)
		}
	}
	for _, name := range []string{"agt", "nopember", "pebruari", "sept"} {
		if _, ok := Month(name); !ok {
			t.Errorf("Month(%q): unknown", name)
		}
	}
	if _, ok := Month("senin"); ok {
		t.Error(`Month("senin"): a day is no month`)
	}
}

// TestQuestionWords: each question word asks also with -kah, and "ada"
// (there is) does not ask by itself.
func TestQuestionWords(t *testing.T) {
	n := 0
	for _, w := range mustWords("questions.txt") {
		if base, ok := strings.CutSuffix(w, "kah"); ok && base != "ada" && !IsQuestionWord(base) {
			t.Errorf("%q asks, %q does not", w, base)
		} else if !ok && !IsQuestionWord(w+"kah") {
			t.Errorf("%q asks, %q does not", w, w+"kah")
		}
		n++
	}
	if n < 20 || IsQuestionWord("ada") || !IsQuestionWord("adakah") || IsQuestionWord("berita") {
		t.Errorf("%d question words; ada %v, adakah %v", n, IsQuestionWord("ada"), IsQuestionWord("adakah"))
	}
}

// TestPairLists: the spelling folding's lists of pairs load every pair as
// written, in the form the tokenizer gives, each form once.
func TestPairLists(t *testing.T) {
	for name, pairs := range map[string][][2]string{"informal.txt": Informal(), "oldwords.txt": OldWords()} {
		data, err := files.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, line := range strings.Split(string(data), "\n") {
			if line != "" && line[0] != '#' {
				n++
			}
		}
		if n == 0 || n != len(pairs) {
			t.Errorf("%s: %d lines of pairs, %d pairs loaded", name, n, len(pairs))
		}
		seen := map[string]bool{}
		for _, p := range pairs {
			if seen[p[0]] {
				t.Errorf("%s: %q is listed twice", name, p[0])
			}
			seen[p[0]] = true
			for _, w := range p {
				if w != norm.NFKC.String(strings.ToLower(w)) {
					t.Errorf("%s: %q is not in NFKC lower case", name, w)
				}
			}
		}
	}
	if _, err := readPairs("a b c\n", "x"); err == nil {
		t.Error("a line of three words read as a pair")
	}
}

// TestSynonymList: the built-in synonym list is there; its format and
// meaning are index's ParseSynonyms's to check.
func TestSynonymList(t *testing.T) {
	if data := Synonyms(); !strings.Contains(string(data), "Tiongkok") {
		t.Errorf("synonyms.txt (%d bytes) lacks Tiongkok", len(data))
	}
}
