package analyzer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/id"
	"github.com/blevesearch/bleve/v2/analysis/token/keyword"
	"github.com/blevesearch/bleve/v2/analysis/token/shingle"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/carisearch/cari/analyzer/lexicon"
)

// Names registered in bleve's registry. They are stable: indexes store them
// in their mapping.
const (
	Name              = "id"               // the full analyzer
	TokenizerName     = "id_tokenizer"     // normalizing tokenizer
	ReduplicationName = "id_reduplication" // token filter
	StopName          = "id_stop"          // token map and token filter
	ProtectedName     = "id_protected"     // token map of words never stemmed
	KeywordName       = "id_keyword"       // marks protected words
	StemmerName       = "id_stemmer"       // token filter
	NoStemName        = "id_nostem"        // the chain without the stemmer
	TitleName         = "id_title"         // the chain without stop words, for titles
	ExactName         = "id_exact"         // the full analyzer, keeping written forms too
	TitleExactName    = "id_title_exact"   // the title analyzer, keeping written forms too
	PairsName         = "id_pairs"         // adjacent words as written, "kerja sama", for autocomplete
	StemmerExactName  = "id_stemmer_exact" // token filter: stems, and keeps written forms
	SpellingName      = "id_spelling"      // token filter: old and informal spellings folded (Spelling)
	// The analyzers above with the spelling filter, the analyzers of
	// indexes made since it came: an index made before keeps the name,
	// and so the chain, it was made with (docs/spelling.md).
	FoldName            = "id_fold"             // id with the spelling filter
	FoldExactName       = "id_fold_exact"       // id_exact with it: the default of a new index
	FoldTitleName       = "id_fold_title"       // id_title with it
	FoldTitleExactName  = "id_fold_title_exact" // id_title_exact with it
	StemmerExactKey     = "exact"               // id_stemmer config: keep written forms (ExactPrefix)
	StemmerLexiconsKey  = "lexicons"            // id_stemmer config: extra root list files (indexes made before lists were stored)
	StemmerProtectedKey = "protected"           // id_stemmer config: extra protected list files (likewise)
	// The words of a user's lists, stored in the mapping so that an index
	// is self-contained: copying its directory copies how it stems, and
	// editing or removing the files it was made from changes nothing.
	StemmerLexiconWordsKey   = "lexicon_words"   // id_stemmer config: extra roots
	StemmerProtectedWordsKey = "protected_words" // id_stemmer config: extra protected words
	StemmerWordsHashKey      = "words_sha256"    // id_stemmer config: WordListsHash of the two
)

// WordListsHash fingerprints the extra roots and protected words of a
// stemmer's configuration, so that a mapping edited by hand (or damaged)
// is refused rather than silently stemming queries otherwise than the
// articles were.
func WordListsHash(roots, protected []string) string {
	h := sha256.New()
	for _, list := range [][]string{roots, protected} {
		for _, w := range list {
			h.Write([]byte(w))
			h.Write([]byte{'\n'})
		}
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ExactPrefix marks the term of a word as written, kept beside its stem
// by StemFilter.Exact: "=pemilihan" beside "pilih". No token of the
// tokenizer starts with it, so a written form never meets a stem.
const ExactPrefix = "="

// IsExact reports whether term is a written form kept beside its stem.
func IsExact(term []byte) bool { return len(term) > 0 && term[0] == ExactPrefix[0] }

// IsAcronym reports whether term is the written form of an acronym
// (Acronym): ExactPrefix and the letters in upper case, "=AS" beside "as".
func IsAcronym(term []byte) bool {
	if !IsExact(term) || len(term) == 1 {
		return false
	}
	for _, c := range term[1:] {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// StemFilter adapts a Stemmer to bleve's token filter interface. Tokens
// marked as keywords and numbers pass unchanged; only the term changes, so
// offsets and positions stay those of the original text.
//
// With Exact, a word whose stem differs from it also keeps its written
// form, ExactPrefix and the word, at the same position and offsets, so a
// search can weigh the form a user typed above the other forms of its
// root: pemilihan (an election) above dipilih (chosen), pemerintah (the
// government) above perintah (an order). Words that are their own stem
// get no second token: their written form is their stem. An acronym
// (Acronym) keeps its written form in upper case ("=AS", "=PAN"), so that
// a query for the acronym can leave out the word written alike ("as",
// "pan").
type StemFilter struct {
	Stemmer *Stemmer
	Exact   bool
}

// Filter implements analysis.TokenFilter.
func (f StemFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream
	for i, tok := range input {
		if f.Exact && tok.Type == Acronym {
			if out == nil {
				out = make(analysis.TokenStream, i, len(input)+len(input)/2)
				copy(out, input[:i])
			}
			written := *tok
			written.Term = append([]byte(ExactPrefix), bytes.ToUpper(tok.Term)...)
			out = append(out, tok, &written)
			continue
		}
		if tok.KeyWord || tok.Type == analysis.Numeric || len(tok.Term) <= 3 {
			if out != nil {
				out = append(out, tok)
			}
			continue
		}
		stem := f.Stemmer.stemBytes(tok.Term)
		if stem == string(tok.Term) {
			if out != nil {
				out = append(out, tok)
			}
			continue
		}
		if !f.Exact {
			tok.Term = []byte(stem)
			continue
		}
		if out == nil {
			out = make(analysis.TokenStream, i, len(input)+len(input)/2)
			copy(out, input[:i])
		}
		written := *tok
		written.Term = append([]byte(ExactPrefix), tok.Term...)
		tok.Term = []byte(stem)
		out = append(out, tok, &written)
	}
	if out == nil {
		return input
	}
	return out
}

// stemBytes is Stem for a token's term: a cache hit costs no allocation.
func (s *Stemmer) stemBytes(term []byte) string {
	if stem, ok := s.cache.getBytes(term); ok {
		return stem
	}
	return s.Stem(string(term))
}

func stopWords() (analysis.TokenMap, error) {
	words := analysis.NewTokenMap()
	if err := words.LoadBytes(id.IndonesianStopWords); err != nil {
		return nil, fmt.Errorf("bleve stop_id: %w", err)
	}
	for _, w := range lexicon.StopWordChanges() {
		if w[0] == '-' {
			delete(words, w[1:])
			continue
		}
		words.AddToken(w)
	}
	return words, nil
}

func stringList(config map[string]interface{}, key string) ([]string, error) {
	raw, ok := config[key]
	if !ok || raw == nil {
		return nil, nil
	}
	items, ok := raw.([]interface{})
	if !ok {
		if list, ok := raw.([]string); ok {
			return list, nil
		}
		return nil, fmt.Errorf("%s: %s must be a list of strings", StemmerName, key)
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, ok := it.(string)
		if !ok {
			return nil, fmt.Errorf("%s: %s must be a list of strings", StemmerName, key)
		}
		out = append(out, s)
	}
	return out, nil
}

// configuredStemmer builds the stemmer of an id_stemmer configuration: the
// embedded lists, plus the words stored in it or, in indexes made before
// words were stored, read from the files it names.
func configuredStemmer(config map[string]interface{}) (*Stemmer, error) {
	files := map[string][]string{}
	for _, key := range []string{StemmerLexiconsKey, StemmerProtectedKey, StemmerLexiconWordsKey, StemmerProtectedWordsKey} {
		list, err := stringList(config, key)
		if err != nil {
			return nil, err
		}
		files[key] = list
	}
	if len(files[StemmerLexiconsKey])+len(files[StemmerProtectedKey]) > 0 {
		return NewStemmer(StemmerOptions{Lexicons: files[StemmerLexiconsKey], Protected: files[StemmerProtectedKey]})
	}
	roots, protected := files[StemmerLexiconWordsKey], files[StemmerProtectedWordsKey]
	if len(roots)+len(protected) == 0 {
		return NewStemmer(StemmerOptions{})
	}
	want, _ := config[StemmerWordsHashKey].(string)
	if got := WordListsHash(roots, protected); got != want {
		return nil, fmt.Errorf("the word lists stored in the mapping do not match their %s (%.12s, stored %.12s): the mapping was changed outside cari", StemmerWordsHashKey, got, want)
	}
	return NewStemmerFromWords(slices.Concat(lexicon.Roots(), roots), slices.Concat(lexicon.Protected(), protected), 0), nil
}

// Long because it registers every piece of the analyzers with bleve, one
// registration each.
func init() {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(registry.RegisterTokenizer(TokenizerName, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		return Tokenizer{}, nil
	}))
	must(registry.RegisterTokenFilter(ReduplicationName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return ReduplicationFilter{}, nil
	}))
	must(registry.RegisterTokenMap(StopName, func(map[string]interface{}, *registry.Cache) (analysis.TokenMap, error) {
		return stopWords()
	}))
	must(registry.RegisterTokenFilter(StopName, func(_ map[string]interface{}, cache *registry.Cache) (analysis.TokenFilter, error) {
		words, err := cache.TokenMapNamed(StopName)
		if err != nil {
			return nil, err
		}
		return stop.NewStopTokensFilter(words), nil
	}))
	must(registry.RegisterTokenMap(ProtectedName, func(map[string]interface{}, *registry.Cache) (analysis.TokenMap, error) {
		words := analysis.NewTokenMap()
		for _, w := range slices.Concat(lexicon.Protected(), lexicon.KeepWhole()) {
			words.AddToken(w)
		}
		return words, nil
	}))
	must(registry.RegisterTokenFilter(KeywordName, func(_ map[string]interface{}, cache *registry.Cache) (analysis.TokenFilter, error) {
		words, err := cache.TokenMapNamed(ProtectedName)
		if err != nil {
			return nil, err
		}
		return keyword.NewKeyWordMarkerFilter(words), nil
	}))
	must(registry.RegisterTokenFilter(StemmerName, func(config map[string]interface{}, _ *registry.Cache) (analysis.TokenFilter, error) {
		s, err := configuredStemmer(config)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", StemmerName, err)
		}
		exact, _ := config[StemmerExactKey].(bool)
		return StemFilter{Stemmer: s, Exact: exact}, nil
	}))
	must(registry.RegisterTokenFilter(SpellingName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return SpellingFilter{Spelling: NewSpelling()}, nil
	}))
	must(registry.RegisterTokenFilter(StemmerExactName, func(_ map[string]interface{}, cache *registry.Cache) (analysis.TokenFilter, error) {
		plain, err := cache.TokenFilterNamed(StemmerName)
		if err != nil {
			return nil, err
		}
		return StemFilter{Stemmer: plain.(StemFilter).Stemmer, Exact: true}, nil
	}))
	must(registry.RegisterAnalyzer(ExactName, func(_ map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
		return build(cache, StemmerExactName)
	}))
	must(registry.RegisterAnalyzer(TitleExactName, func(_ map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
		return buildFilters(cache, TitleFilters(StemmerExactName))
	}))
	for name, filters := range map[string][]string{
		FoldName:           FoldFilters(Filters(StemmerName)),
		FoldExactName:      FoldFilters(Filters(StemmerExactName)),
		FoldTitleName:      FoldFilters(TitleFilters(StemmerName)),
		FoldTitleExactName: FoldFilters(TitleFilters(StemmerExactName)),
	} {
		must(registry.RegisterAnalyzer(name, func(_ map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
			return buildFilters(cache, filters)
		}))
	}
	must(registry.RegisterAnalyzer(PairsName, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return &analysis.DefaultAnalyzer{Tokenizer: Tokenizer{}, TokenFilters: []analysis.TokenFilter{shingle.NewShingleFilter(2, 2, false, " ", "")}}, nil
	}))
	must(registry.RegisterAnalyzer(Name, func(_ map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
		return build(cache, StemmerName)
	}))
	must(registry.RegisterAnalyzer(NoStemName, func(_ map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
		return build(cache, "")
	}))
	must(registry.RegisterAnalyzer(TitleName, func(_ map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
		return buildFilters(cache, TitleFilters(StemmerName))
	}))
}

// Filters is the token filter chain of the id analyzer with stemmer.
func Filters(stemmer string) []string {
	return []string{ReduplicationName, StopName, KeywordName, stemmer}
}

// TitleFilters is the chain of the title analyzer: the id analyzer's
// without stop words. Titles are short, so keeping their stop words costs
// little, and a query made only of stop words ("siapa dia") can still
// find the articles whose titles hold it.
func TitleFilters(stemmer string) []string {
	return []string{ReduplicationName, KeywordName, stemmer}
}

// build assembles the chain from the registry so that a mapping can swap
// the stemmer for one configured with more lexicons.
func build(cache *registry.Cache, stemmer string) (analysis.Analyzer, error) {
	filters := []string{ReduplicationName, StopName, KeywordName}
	if stemmer != "" {
		filters = append(filters, stemmer)
	}
	return buildFilters(cache, filters)
}

func buildFilters(cache *registry.Cache, filters []string) (analysis.Analyzer, error) {
	tokenizer, err := cache.TokenizerNamed(TokenizerName)
	if err != nil {
		return nil, err
	}
	a := &analysis.DefaultAnalyzer{Tokenizer: tokenizer}
	for _, name := range filters {
		f, err := cache.TokenFilterNamed(name)
		if err != nil {
			return nil, err
		}
		a.TokenFilters = append(a.TokenFilters, f)
	}
	return a, nil
}
