package analyzer

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var lexiconReport = flag.String("lexicon-report", "", "write the corpus words the stemmer finds no root for to this file")

// TestLexiconCoverage measures, on the real corpus, how many word tokens
// end in a known root (the word is a root, or an analysis reaches one), and
// with -lexicon-report FILE lists the words that do not, most frequent
// first: the list the lexicon is grown from.
func TestLexiconCoverage(t *testing.T) {
	path := filepath.Join(sharedDir(t), "corpus", "news.jsonl.gz")
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("corpus: %v", err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	sc := bufio.NewScanner(gz)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var doc struct{ Title, Body string }
		if err := json.Unmarshal(sc.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		for _, tok := range (ReduplicationFilter{}).Filter(Tokenizer{}.Tokenize([]byte(doc.Title + "\n" + doc.Body))) {
			if tok.Type != 1 { // not numeric
				counts[string(tok.Term)]++
			}
		}
	}
	s, err := NewStemmer(StemmerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stops, err := stopWords()
	if err != nil {
		t.Fatal(err)
	}
	type miss struct {
		word  string
		count int
		stem  string
	}
	var misses []miss
	total, known := 0, 0
	for w, n := range counts {
		if _, stop := stops[w]; stop || strings.ContainsAny(w, "0123456789-") {
			continue
		}
		total += n
		stem := s.Stem(w)
		if s.IsRoot(stem) || s.IsProtected(w) {
			known += n
			continue
		}
		misses = append(misses, miss{w, n, stem})
	}
	t.Logf("corpus tokens ending in a known root: %d/%d = %.1f%%; %d distinct words without one", known, total, 100*float64(known)/float64(total), len(misses))
	if *lexiconReport == "" {
		return
	}
	sort.Slice(misses, func(i, j int) bool { return misses[i].count > misses[j].count })
	out, err := os.Create(*lexiconReport)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	for _, m := range misses {
		fmt.Fprintf(out, "%s\t%d\t%s\n", m.word, m.count, m.stem)
	}
}
