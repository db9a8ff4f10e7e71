package index

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/analyzer"
)

// analyzeText has stop words, reduplication, affixes, a protected word,
// an acronym, a number and the words of the test lexicon and protected list.
const analyzeText = "Negara-negara itu menyerang dan menyelaraskan kemitraan; Menhan AS berkopdar soal 1.000 pemrograman yg Soekarno tulis."

// TestAnalyzeShowsWhatIsIndexed checks, for an index of each analyzer,
// that Analyze reports what the index stores for a body of that text: each
// stem shown is a term of the body field at the position and offsets
// shown, and the body field holds no other term (written forms kept
// beside stems aside).
func TestAnalyzeShowsWhatIsIndexed(t *testing.T) {
	dir := t.TempDir()
	lexicon := filepath.Join(dir, "lexicon.txt")
	protected := filepath.Join(dir, "protected.txt")
	for path, words := range map[string]string{lexicon: "kopdar\n", protected: "pemrograman\n"} {
		if err := os.WriteFile(path, []byte(words), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		opts Options
		want map[string]string // token → stem this analyzer must give it
	}{
		{"id_fold_exact", Options{}, map[string]string{"menyerang": "serang", "kemitraan": "mitra", "pemrograman": "program", "sukarno": "sukarno", "yang": ""}},
		{"id_exact", Options{Analyzer: analyzer.ExactName}, map[string]string{"menyerang": "serang", "soekarno": "soekarno"}},
		{"id", Options{Analyzer: analyzer.Name}, map[string]string{"menyelaraskan": "selaras", "itu": ""}},
		{"standard", Options{Analyzer: "standard"}, map[string]string{"menyerang": "menyerang"}},
		{"lexicon", Options{Lexicons: []string{lexicon}, Protected: []string{protected}}, map[string]string{"berkopdar": "kopdar", "pemrograman": "pemrograman", "menyerang": "serang"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ix, err := Create(filepath.Join(dir, tc.name), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			if _, _, err := ix.Upsert(ctx, []cari.Article{{ID: "a", Body: analyzeText}}); err != nil {
				t.Fatal(err)
			}
			tokens, err := ix.Analyze(ctx, analyzeText)
			if err != nil {
				t.Fatal(err)
			}
			stored := storedTerms(t, ix, FieldBody)
			shown := map[string]bool{}
			for _, tok := range tokens {
				if want, ok := tc.want[tok.Token]; ok && tok.Stem != want {
					t.Errorf("%q: stem %q, want %q", tok.Token, tok.Stem, want)
				}
				if tok.Text != analyzeText[tok.Start:tok.End] {
					t.Errorf("%q at %d-%d: the text there is %q", tok.Text, tok.Start, tok.End, analyzeText[tok.Start:tok.End])
				}
				if tok.Stem == "" {
					continue
				}
				shown[tok.Stem] = true
				at := location{tok.Position, tok.Start, tok.End}
				if !slices.Contains(stored[tok.Stem], at) {
					t.Errorf("%q shown as %q at %+v; the index has it at %+v", tok.Text, tok.Stem, at, stored[tok.Stem])
				}
			}
			for term := range stored {
				if !shown[term] && !analyzer.IsExact([]byte(term)) {
					t.Errorf("the index holds %q, which analyze does not show", term)
				}
			}
		})
	}
}

type location struct{ pos, start, end int }

// storedTerms reads every term of field in the one-article index ix, with
// its positions and offsets, from the index itself.
func storedTerms(t *testing.T, ix *Index, field string) map[string][]location {
	t.Helper()
	adv, err := ix.shards[0].Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	dict, err := r.FieldDict(field)
	if err != nil {
		t.Fatal(err)
	}
	defer dict.Close()
	out := map[string][]location{}
	for entry, err := dict.Next(); entry != nil || err != nil; entry, err = dict.Next() {
		if err != nil {
			t.Fatal(err)
		}
		tfr, err := r.TermFieldReader(context.Background(), []byte(entry.Term), field, false, false, true)
		if err != nil {
			t.Fatal(err)
		}
		for d, err := tfr.Next(nil); d != nil || err != nil; d, err = tfr.Next(nil) {
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range d.Vectors {
				out[entry.Term] = append(out[entry.Term], location{int(v.Pos), int(v.Start), int(v.End)})
			}
		}
		tfr.Close()
	}
	return out
}
