package analyzer

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"

	"github.com/carisearch/cari/analyzer/lexicon"
	"github.com/carisearch/cari/index/input"
)

// benchTexts returns article bodies from the real corpus (the first n),
// or the bundled sample articles when the corpus is absent.
func benchTexts(b *testing.B, n int) [][]byte {
	b.Helper()
	path := filepath.Join("..", "..", "shared", "corpus", "news.jsonl.gz")
	if dir := os.Getenv("CARI_SHARED"); dir != "" {
		path = filepath.Join(dir, "corpus", "news.jsonl.gz")
	}
	var texts [][]byte
	err := input.EachText(context.Background(), input.Paths(path), func(text []byte) bool {
		texts = append(texts, text)
		return len(texts) < n
	})
	if err == nil {
		return texts
	}
	if !errors.Is(err, fs.ErrNotExist) {
		b.Fatal(err)
	}
	b.Logf("corpus not found at %s; using the sample articles", path)
	texts = nil
	paths, _ := filepath.Glob(filepath.Join("..", "testdata", "articles", "*"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, data)
	}
	return texts
}

// BenchmarkStemCorpusTokens stems the token stream of the corpus with a
// warm cache, the state of a long indexing run. Target: at least 4 million
// tokens a second on one core (go test -bench StemCorpus -cpu 1).
func BenchmarkStemCorpusTokens(b *testing.B) {
	var words [][]byte
	for _, text := range benchTexts(b, 2000) {
		for _, tok := range (ReduplicationFilter{}).Filter(Tokenizer{}.Tokenize(text)) {
			words = append(words, tok.Term)
		}
	}
	s, err := NewStemmer(StemmerOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for _, w := range words {
		s.stemBytes(w)
	}
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		for _, w := range words {
			s.stemBytes(w)
		}
		n += len(words)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkStemCold stems every distinct corpus word once with no cache:
// the cost of a word the first time it is seen.
func BenchmarkStemCold(b *testing.B) {
	seen := map[string]bool{}
	var words []string
	for _, text := range benchTexts(b, 2000) {
		for _, tok := range (Tokenizer{}).Tokenize(text) {
			if w := string(tok.Term); !seen[w] {
				seen[w] = true
				words = append(words, w)
			}
		}
	}
	s := NewStemmerFromWords(lexicon.Roots(), lexicon.Protected(), -1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, w := range words {
			s.Stem(w)
		}
	}
	b.ReportMetric(float64(b.N*len(words))/b.Elapsed().Seconds(), "words/s")
}

func benchAnalyzer(b *testing.B, name string) {
	a := analyzerNamed(b, name)
	texts := benchTexts(b, 2000)
	size := 0
	for _, t := range texts {
		size += len(t)
		a.Analyze(t) // warm the stem cache
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, t := range texts {
			a.Analyze(t)
		}
	}
}

// BenchmarkAnalyzerID and BenchmarkAnalyzerStandard analyze the same text;
// the target is id at no more than 1.5× the time of standard.
func BenchmarkAnalyzerID(b *testing.B)       { benchAnalyzer(b, Name) }
func BenchmarkAnalyzerStandard(b *testing.B) { benchAnalyzer(b, standard.Name) }
