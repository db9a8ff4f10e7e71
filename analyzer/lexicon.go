package analyzer

import (
	"bufio"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"unicode"
)

// The lexicon directory holds word lists written by the project: roots*.txt
// are root words, protected.txt words that are never stemmed, keepwhole.txt
// words the analyzer keeps whole although the stemmer can reduce them,
// stopwords.txt changes to bleve's Indonesian stop list.
//
//go:embed lexicon/*.txt
var lexiconFS embed.FS

// builtinLists reads the embedded lists once; they never change after that.
var builtinLists = sync.OnceValue(func() (lists struct{ roots, protected, keepWhole []string }) {
	entries, err := fs.Glob(lexiconFS, "lexicon/*.txt")
	if err != nil {
		panic(err) // the pattern is a constant
	}
	sort.Strings(entries)
	for _, name := range entries {
		data, err := lexiconFS.ReadFile(name)
		if err != nil {
			panic(err) // embedded at build time
		}
		words, err := ReadWordList(strings.NewReader(string(data)), name)
		if err != nil {
			panic(err) // tested: every embedded list parses
		}
		switch base := filepath.Base(name); {
		case base == "protected.txt":
			lists.protected = append(lists.protected, words...)
		case base == "keepwhole.txt":
			lists.keepWhole = append(lists.keepWhole, words...)
		case strings.HasPrefix(base, "roots"):
			lists.roots = append(lists.roots, words...)
		}
	}
	return lists
})

// BuiltinRoots returns the root lexicon embedded in the binary.
func BuiltinRoots() []string {
	return builtinLists().roots
}

// BuiltinProtected returns the embedded list of words never stemmed.
func BuiltinProtected() []string {
	return builtinLists().protected
}

// BuiltinKeepWhole returns the embedded list of words the id analyzer
// keeps whole: the stemmer reduces them correctly, but their meaning
// drifted from their root (pertahanan, defence, is not tahan, to hold).
func BuiltinKeepWhole() []string {
	return builtinLists().keepWhole
}

// ReadWordList reads a word list: either plain text with one word a line
// ('#' starts a comment) or a hunspell dictionary (.dic), whose first line
// is an entry count and whose entries carry flags after a slash
// ("serang/MN"). Words are lower-cased; entries with spaces, digits or
// other non-word characters are skipped, as hunspell lists hold
// abbreviations and phrases that are no roots. name is used in errors.
func ReadWordList(r io.Reader, name string) ([]string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	var words []string
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
			if isCount(text) {
				continue
			}
		}
		if text == "" || text[0] == '#' {
			continue
		}
		if i := strings.IndexAny(text, "/\t "); i >= 0 {
			text = text[:i]
		}
		word := strings.ToLower(text)
		if !isLexiconWord(word) {
			continue
		}
		words = append(words, word)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: line %d: %w", name, line+1, err)
	}
	return words, nil
}

// LoadWordList reads a word list file (see ReadWordList).
func LoadWordList(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open word list: %w", err)
	}
	defer f.Close()
	return ReadWordList(f, path)
}

func isCount(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func isLexiconWord(w string) bool {
	if len(w) < 2 {
		return false
	}
	for _, r := range w {
		if !unicode.IsLetter(r) && r != '-' {
			return false
		}
	}
	return true
}
