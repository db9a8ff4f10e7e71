package analyzer

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/carisearch/cari/analyzer/lexicon"
	"github.com/carisearch/cari/index/input"
)

// TestSpellingCorpus measures the spelling folding on the corpus's
// vocabulary: every distinct word (as the tokenizer and the reduplication
// filter give it, the words the spelling filter sees) that the folding
// changes, with the articles holding it, what it becomes, and the
// articles holding that as written. It also lists the words the
// exceptions keep. Run it with -v to read the list (docs/spelling.md was
// written from it), or set CARI_SPELLING_OUT to a file to get it as TSV:
//
//	word  folded  articles  articles-of-folded  by (informal, old, rule, kept)
func TestSpellingCorpus(t *testing.T) {
	path := filepath.Join(sharedDir(t), "corpus", "news.jsonl.gz")
	articles := map[string]int{}
	texts := 0
	seen := map[string]bool{}
	readErr := input.EachText(context.Background(), input.Paths(path), func(text []byte) bool {
		texts++
		clear(seen)
		for _, tok := range (ReduplicationFilter{}).Filter(Tokenizer{}.Tokenize(text)) {
			if tok.Type == Acronym {
				continue // never folded
			}
			w := string(tok.Term)
			if !seen[w] {
				seen[w] = true
				articles[w]++
			}
		}
		return true
	})
	if errors.Is(readErr, fs.ErrNotExist) {
		t.Skipf("no corpus: %v", readErr)
	}
	if readErr != nil {
		t.Fatal(readErr)
	}
	if texts < 10_000 {
		t.Fatalf("only %d texts read: the corpus did not read whole", texts)
	}
	s := NewSpelling()
	rules := NewSpellingFrom(nil, nil, nil) // the rules alone, no exception
	informal := map[string]bool{}
	for _, p := range lexicon.Informal() {
		informal[p[0]] = true
	}
	type change struct {
		word, folded, by string
		docs, foldedDocs int
	}
	var changes []change
	for w, n := range articles {
		f, ok := s.fold([]byte(w))
		byRule, _ := rules.fold([]byte(w))
		by := "rule"
		switch {
		case ok && informal[w]:
			by = "informal"
		case ok && f != byRule:
			by = "old"
		case !ok:
			if f, ok = rules.fold([]byte(w)); !ok {
				continue
			}
			by = "kept"
		}
		changes = append(changes, change{w, f, by, n, articles[f]})
	}
	slices.SortFunc(changes, func(a, b change) int {
		return cmp.Or(cmp.Compare(a.by, b.by), cmp.Compare(b.docs, a.docs), cmp.Compare(a.word, b.word))
	})
	count := map[string]int{}
	var out strings.Builder
	for _, c := range changes {
		count[c.by]++
		fmt.Fprintf(&out, "%s\t%s\t%d\t%d\t%s\n", c.word, c.folded, c.docs, c.foldedDocs, c.by)
	}
	t.Logf("%d texts, %d distinct words; folded: %d by the informal map, %d as old words, %d by the rules; %d kept by the exceptions",
		texts, len(articles), count["informal"], count["old"], count["rule"], count["kept"])
	if file := os.Getenv("CARI_SPELLING_OUT"); file != "" {
		if err := os.WriteFile(file, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Logf("word\tfolded\tarticles\tarticles of folded\tby\n%s", out.String())
}
