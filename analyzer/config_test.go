package analyzer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfiguredStemmer checks the three ways an id_stemmer configuration
// gives its extra words: stored with their hash (indexes made now), named
// as files (indexes made before words were stored), and stored with a
// hash that does not match, which is refused rather than stemmed by.
func TestConfiguredStemmer(t *testing.T) {
	file := filepath.Join(t.TempDir(), "akar.txt")
	if err := os.WriteFile(file, []byte("zorbak\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	roots, protected := []string{"zorbak"}, []string{"kemitraan"}
	for _, tc := range []struct {
		name    string
		config  map[string]interface{}
		stem    map[string]string
		wantErr string
	}{
		{"stored words", map[string]interface{}{
			StemmerLexiconWordsKey:   []interface{}{"zorbak"},
			StemmerProtectedWordsKey: []interface{}{"kemitraan"},
			StemmerWordsHashKey:      WordListsHash(roots, protected),
		}, map[string]string{"menzorbak": "zorbak", "kemitraan": "kemitraan", "menyerang": "serang"}, ""},
		{"files of an older index", map[string]interface{}{
			StemmerLexiconsKey: []interface{}{file},
		}, map[string]string{"menzorbak": "zorbak", "kemitraan": "mitra"}, ""},
		{"no extra words", map[string]interface{}{}, map[string]string{"kemitraan": "mitra"}, ""},
		{"words edited by hand", map[string]interface{}{
			StemmerLexiconWordsKey: []interface{}{"zorbak", "lain"},
			StemmerWordsHashKey:    WordListsHash(roots, nil),
		}, nil, "do not match"},
		{"not a list", map[string]interface{}{StemmerLexiconWordsKey: "zorbak"}, nil, "must be a list"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := configuredStemmer(tc.config)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want one saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for word, want := range tc.stem {
				got := s.Stem(word)
				if s.IsProtected(word) {
					got = word
				}
				if got != want {
					t.Errorf("%s → %s, want %s", word, got, want)
				}
			}
		})
	}
}
