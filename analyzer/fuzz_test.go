package analyzer

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// seedLines adds the paragraphs and words of the bundled sample articles
// to a fuzz corpus.
func seedLines(f *testing.F, words bool) {
	paths, _ := filepath.Glob(filepath.Join("..", "testdata", "articles", "*"))
	for _, p := range paths {
		file, err := os.Open(p)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(file)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for n := 0; sc.Scan() && n < 20; n++ {
			line := sc.Text()
			if !words {
				f.Add(line)
				continue
			}
			for _, w := range strings.Fields(line)[:min(8, len(strings.Fields(line)))] {
				f.Add(strings.ToLower(strings.Trim(w, `.,“”"()`)))
			}
		}
		file.Close()
	}
	for _, s := range []string{"", "-", "--", "a-", "-a", "negara--negara", "ｍｅｎｙｅｒａｎｇ", "\xff\xfe", "ﬁ", "me-", "kau", "ku-ku", "a\u00ad", "\u0301", "1.2.3,4", "x’’y"} {
		f.Add(s)
	}
}

func FuzzAnalyzer(f *testing.F) {
	seedLines(f, false)
	id := analyzerNamed(f, Name)
	f.Fuzz(func(t *testing.T, text string) {
		input := []byte(text)
		orig := string(input)
		checkStream(t, input, id.Analyze(input))
		if string(input) != orig {
			t.Fatalf("analysis changed its input")
		}
	})
}

func FuzzStemmer(f *testing.F) {
	seedLines(f, true)
	s, err := NewStemmer(StemmerOptions{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, word string) {
		stem := s.Stem(word)
		if utf8.ValidString(word) && !utf8.ValidString(stem) {
			t.Fatalf("Stem(%q) = %q is not valid UTF-8", word, stem)
		}
		if len(stem) > len(word) {
			t.Fatalf("Stem(%q) = %q is longer than the word", word, stem)
		}
		if again := s.Stem(word); again != stem {
			t.Fatalf("Stem(%q) gave %q, then %q", word, stem, again)
		}
	})
}
