package analyzer

import (
	"fmt"
)

// StemmerOptions configures NewStemmer. The zero value gives the stemmer of
// the analyzer "id": the embedded lexicon and protected list, a default cache.
type StemmerOptions struct {
	// Lexicons are word list files whose words are added to the roots
	// (one word a line, or a hunspell .dic file).
	Lexicons []string
	// Protected are word list files whose words are never stemmed.
	Protected []string
	// CacheSize bounds the stem cache; 0 means DefaultCacheSize and a
	// negative size disables caching.
	CacheSize int
}

// NewStemmer builds a stemmer from the embedded lists and the files in opts.
func NewStemmer(opts StemmerOptions) (*Stemmer, error) {
	roots := append([]string(nil), BuiltinRoots()...)
	for _, path := range opts.Lexicons {
		words, err := LoadWordList(path)
		if err != nil {
			return nil, fmt.Errorf("lexicon: %w", err)
		}
		roots = append(roots, words...)
	}
	protected := append([]string(nil), BuiltinProtected()...)
	for _, path := range opts.Protected {
		words, err := LoadWordList(path)
		if err != nil {
			return nil, fmt.Errorf("protected words: %w", err)
		}
		protected = append(protected, words...)
	}
	return NewStemmerFromWords(roots, protected, opts.CacheSize), nil
}

// NewStemmerFromWords builds a stemmer from word lists in memory, with no
// embedded words; tests and tools use it to see the rules on their own.
func NewStemmerFromWords(roots, protected []string, cacheSize int) *Stemmer {
	s := &Stemmer{
		roots:     make(map[string]struct{}, len(roots)),
		protected: make(map[string]struct{}, len(protected)),
	}
	for _, w := range roots {
		s.roots[w] = struct{}{}
	}
	for _, w := range protected {
		s.protected[w] = struct{}{}
	}
	switch {
	case cacheSize == 0:
		s.cache = newStemCache(DefaultCacheSize)
	case cacheSize > 0:
		s.cache = newStemCache(cacheSize)
	}
	return s
}
