// Package lexicon holds cari's Indonesian word lists, written by the
// project, in one place: the roots the stemmer reduces words to
// (roots*.txt), the words never stemmed (protected.txt) or kept whole
// although they can be (keepwhole.txt), the changes to bleve's stop list
// (stopwords.txt), the spelling folding's informal forms (informal.txt),
// old words (oldwords.txt) and exceptions (spellingkeep.txt), the
// built-in synonyms (synonyms.txt), the words that
// make a query a question (questions.txt) and the month names of
// datelines (months.txt). Each list is a text file beside this one, read
// once when first asked for.
//
// The package imports nothing of bleve, so the readers of input files use
// it as much as the analyzer and the query planner do.
package lexicon

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

//go:embed *.txt
var files embed.FS

// SynonymsFile names the built-in synonym list in messages.
const SynonymsFile = "analyzer/lexicon/synonyms.txt"

// lists reads the embedded lists once; they never change after that.
type wordLists struct {
	roots, protected, keepWhole, stopChanges []string
	spellingKeep                             []string
	informal, oldWords                       [][2]string
	questions                                map[string]bool
	months                                   map[string]time.Month
}

var lists = sync.OnceValue(func() *wordLists {
	l := &wordLists{}
	roots, err := fs.Glob(files, "roots*.txt")
	if err != nil {
		panic(err) // the pattern is a constant
	}
	sort.Strings(roots)
	for _, name := range roots {
		l.roots = append(l.roots, mustWords(name)...)
	}
	l.protected = mustWords("protected.txt")
	l.keepWhole = mustWords("keepwhole.txt")
	l.stopChanges = mustWords("stopwords.txt")
	l.spellingKeep = mustWords("spellingkeep.txt")
	l.informal = mustPairs("informal.txt")
	l.oldWords = mustPairs("oldwords.txt")
	l.questions = map[string]bool{}
	for _, w := range mustWords("questions.txt") {
		l.questions[w] = true
	}
	l.months = mustMonths("months.txt")
	return l
})

// mustWords reads an embedded word list, which the tests check parses.
func mustWords(name string) []string {
	data, err := files.ReadFile(name)
	if err != nil {
		panic(err) // embedded at build time
	}
	words, err := ReadWordList(bytes.NewReader(data), name)
	if err != nil {
		panic(err)
	}
	return words
}

// mustMonths reads the month names: a month's number, then its names.
func mustMonths(name string) map[string]time.Month {
	data, err := files.ReadFile(name)
	if err != nil {
		panic(err) // embedded at build time
	}
	months := map[string]time.Month{}
	for i, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		n, err := strconv.Atoi(fields[0])
		if err != nil || n < 1 || n > 12 || len(fields) < 2 {
			panic(fmt.Sprintf("%s:%d: want a month's number and its names", name, i+1))
		}
		for _, w := range fields[1:] {
			months[w] = time.Month(n)
		}
	}
	return months
}

// mustPairs reads a list of pairs: a form, then the standard spelling it
// folds to, one pair a line.
func mustPairs(name string) [][2]string {
	data, err := files.ReadFile(name)
	if err != nil {
		panic(err) // embedded at build time
	}
	pairs, err := readPairs(string(data), name)
	if err != nil {
		panic(err)
	}
	return pairs
}

func readPairs(data, name string) ([][2]string, error) {
	var pairs [][2]string
	for i, line := range strings.Split(data, "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		if len(fields) != 2 {
			return nil, fmt.Errorf("%s:%d: want a form and its standard spelling", name, i+1)
		}
		pairs = append(pairs, [2]string{fields[0], fields[1]})
	}
	return pairs, nil
}

// Roots returns the root lexicon.
func Roots() []string { return lists().roots }

// Protected returns the words never stemmed.
func Protected() []string { return lists().protected }

// KeepWhole returns the words the id analyzer keeps whole: the stemmer
// reduces them correctly, but their meaning drifted from their root
// (pertahanan, defence, is not tahan, to hold).
func KeepWhole() []string { return lists().keepWhole }

// StopWordChanges returns the changes to bleve's Indonesian stop list: a
// word to add, or "-word" to take off it.
func StopWordChanges() []string { return lists().stopChanges }

// Informal returns the informal forms of chat and quotes with the
// standard word each stands for: gak tidak, yg yang.
func Informal() [][2]string { return lists().informal }

// OldWords returns words of the spelling before 1972 that hold no letter
// pair the new spelling lacks, with their new spelling: achir akhir.
func OldWords() [][2]string { return lists().oldWords }

// SpellingKeep returns the words that look like the spelling before 1972
// but are not (Boeing, masjid, Ditjen): the spelling folding leaves them
// as they are.
func SpellingKeep() []string { return lists().spellingKeep }

// IsQuestionWord reports whether w, in lower case, makes a query a
// question.
func IsQuestionWord(w string) bool { return lists().questions[w] }

// Month returns the month a name (in lower case) names.
func Month(name string) (time.Month, bool) {
	m, ok := lists().months[name]
	return m, ok
}

// Synonyms returns the built-in synonym list, in the format index's
// ParseSynonyms reads.
func Synonyms() []byte {
	data, err := files.ReadFile("synonyms.txt")
	if err != nil {
		panic(err) // embedded at build time
	}
	return data
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
