package index

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"
	// The "custom" analyzer type builds the id analyzer with extra
	// lexicons (customAnalyzer); nothing else registers it.
	"github.com/blevesearch/bleve/v2/analysis"
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/mapping"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/analyzer"
	"github.com/carisearch/cari/analyzer/lexicon"
)

// Field names in the index.
const (
	FieldTitle     = "title"
	FieldBody      = "body"
	FieldSource    = "source"
	FieldURL       = "url"
	FieldPublished = "published"
	FieldTags      = "tags"
	fieldHash      = "hash"
	fieldYear      = "year"  // the year facet's field in indexes made before it came from months
	fieldMonth     = "month" // the month facet's field in indexes made before fieldFacets
	// fieldFacets holds an article's source, tags and month in one field
	// (facetKey and "t:politik"), so that counting all three facets reads
	// one doc value a hit, not three (see addFacets). Its doc values are
	// kept uncompressed, an article at a time (plainDocValuesField).
	fieldFacets = "facet_values"
	// fieldFacetsCompressed is fieldFacets as indexes made before kept it,
	// doc values compressed. A new name, not new options on the old one:
	// zapx cannot merge segments that keep one field's doc values both
	// ways, so a field keeps them one way for the life of an index.
	fieldFacetsCompressed = "facets"
	// fieldPairs holds the pairs of adjacent words of an article's title
	// and body as written ("kerja sama"), indexed only: its dictionary
	// ranks the words that follow the previous one in autocomplete.
	fieldPairs = "word_pairs"
	// fieldStory holds an article's story: the id of the first article
	// of the story it was found to tell (story.go), kept in doc values
	// for searches to show one hit per story. A story's first article
	// also holds its day (fieldStoryDay), indexed, and the bands of its
	// wording (fieldStoryBands), stored, for writes to find the stories
	// of a day.
	fieldStory      = "story"
	fieldStoryDay   = "story_day"
	fieldStoryBands = "story_bands"
)

// Options choose how a new index analyzes text. They are written into the
// index's mapping, so searches always analyze queries the way the index
// analyzed documents.
type Options struct {
	// Analyzer is "id_fold_exact" (the default: stems and written forms,
	// see analyzer.StemFilter, of words whose old and informal spellings
	// are folded, see analyzer.Spelling), "id_fold" (stems only, folded),
	// "id_exact" and "id" (the same without folding: the analyzers of
	// indexes made before it came, and before written forms were kept)
	// or any analyzer registered with bleve, such as "standard", for
	// comparisons.
	Analyzer string
	// Lexicons and Protected are word list files added to the stemmer of
	// the id analyzer (see lexicon.ReadWordList). Their words are read
	// once and stored in the mapping, with a hash, so the index is
	// self-contained.
	Lexicons  []string
	Protected []string
	// Shards is the number of scorch indexes a new index is split into,
	// fixed at creation (shards.go); 0 and 1 mean one, the layout of an
	// index that is not sharded.
	Shards int
}

// customAnalyzer is the name of the id analyzer configured with a user's
// word lists.
const customAnalyzer = "id_custom"

// customStemmer is the name of the stemmer filter of customAnalyzer.
const customStemmer = "id_stemmer_custom"

// keepsWrittenForms reports whether the body analyzer of m keeps the
// written forms of words beside their stems (analyzer.ExactName or
// FoldExactName, or the custom analyzer of extra word lists made with
// one).
func keepsWrittenForms(m mapping.IndexMapping) bool {
	switch m.AnalyzerNameForPath(FieldBody) {
	case analyzer.ExactName, analyzer.FoldExactName:
		return true
	case customAnalyzer:
		impl, ok := m.(*mapping.IndexMappingImpl)
		if !ok || impl.CustomAnalysis == nil {
			return false
		}
		exact, _ := impl.CustomAnalysis.TokenFilters[customStemmer][analyzer.StemmerExactKey].(bool)
		return exact
	}
	return false
}

// NewMapping returns the index mapping of the design: BM25 scoring, title
// and body analyzed and stored with term vectors for highlighting, source
// and tags as keywords for filters and facets, url stored only, published
// as a date.
//
// Long because it is the schema: every field's mapping in one place, read
// top to bottom as docs/design.md's table of fields.
func NewMapping(opts Options) (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	m.ScoringModel = bleveindex.BM25Scoring
	textAnalyzer := opts.Analyzer
	if textAnalyzer == "" {
		textAnalyzer = analyzer.FoldExactName
	}
	exact := textAnalyzer == analyzer.ExactName || textAnalyzer == analyzer.FoldExactName
	fold := textAnalyzer == analyzer.FoldName || textAnalyzer == analyzer.FoldExactName
	if len(opts.Lexicons)+len(opts.Protected) > 0 {
		if !exact && !fold && textAnalyzer != analyzer.Name {
			return nil, fmt.Errorf("lexicons apply to the %q, %q, %q and %q analyzers, not %q", analyzer.FoldExactName, analyzer.FoldName, analyzer.ExactName, analyzer.Name, textAnalyzer)
		}
		roots, err := readWordLists("lexicon", opts.Lexicons)
		if err != nil {
			return nil, err
		}
		protected, err := readWordLists("protected words", opts.Protected)
		if err != nil {
			return nil, err
		}
		err = m.AddCustomTokenFilter(customStemmer, map[string]interface{}{
			"type":                            analyzer.StemmerName,
			analyzer.StemmerLexiconWordsKey:   roots,
			analyzer.StemmerProtectedWordsKey: protected,
			analyzer.StemmerWordsHashKey:      analyzer.WordListsHash(roots, protected),
			analyzer.StemmerExactKey:          exact,
		})
		if err != nil {
			return nil, fmt.Errorf("mapping: %w", err)
		}
		// The chains are stored in the mapping, so an index made before
		// the spelling filter keeps its chain without it.
		body, title := analyzer.Filters(customStemmer), analyzer.TitleFilters(customStemmer)
		if fold {
			body, title = analyzer.FoldFilters(body), analyzer.FoldFilters(title)
		}
		err = m.AddCustomAnalyzer(customAnalyzer, map[string]interface{}{
			"type":          "custom",
			"tokenizer":     analyzer.TokenizerName,
			"token_filters": body,
		})
		if err != nil {
			return nil, fmt.Errorf("mapping: %w", err)
		}
		err = m.AddCustomAnalyzer(customAnalyzer+"_title", map[string]interface{}{
			"type":          "custom",
			"tokenizer":     analyzer.TokenizerName,
			"token_filters": title,
		})
		if err != nil {
			return nil, fmt.Errorf("mapping: %w", err)
		}
		textAnalyzer = customAnalyzer
	}
	// Titles keep their stop words (see analyzer.TitleFilters); queries
	// still drop them (setQueryAnalyzer), unless they are all a query has.
	titleAnalyzer := textAnalyzer
	switch textAnalyzer {
	case analyzer.Name:
		titleAnalyzer = analyzer.TitleName
	case analyzer.ExactName:
		titleAnalyzer = analyzer.TitleExactName
	case analyzer.FoldName:
		titleAnalyzer = analyzer.FoldTitleName
	case analyzer.FoldExactName:
		titleAnalyzer = analyzer.FoldTitleExactName
	case customAnalyzer:
		titleAnalyzer = customAnalyzer + "_title"
	}
	m.DefaultAnalyzer = textAnalyzer

	text := func(analyzer string) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = true
		f.IncludeTermVectors = true
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	keywordField := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		return f
	}
	stored := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Index = false
		f.Store = true
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	published := bleve.NewDateTimeFieldMapping()
	published.IncludeInAll = false

	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(FieldTitle, text(titleAnalyzer))
	doc.AddFieldMappingsAt(FieldBody, text(textAnalyzer))
	// Sources and tags are searched (filters, source:) and stored, but
	// counted through fieldFacets, so they need no doc values; nor is
	// there a month field any more (fieldMonth), which indexes made
	// before counted months by.
	for _, f := range []string{FieldSource, FieldTags} {
		kw := keywordField()
		kw.DocValues = false
		doc.AddFieldMappingsAt(f, kw)
	}
	facets := keywordField()
	facets.Store = false
	doc.AddFieldMappingsAt(fieldFacets, facets)
	pairs := text(analyzer.PairsName) // its dictionary alone is read
	pairs.Store, pairs.IncludeTermVectors = false, false
	doc.AddFieldMappingsAt(fieldPairs, pairs)
	story := keywordField() // written by commit (setStory), not mapped from the article
	story.Store = true
	doc.AddFieldMappingsAt(fieldStory, story)
	storyDay := keywordField() // written by commit, likewise
	storyDay.Store, storyDay.DocValues = false, false
	doc.AddFieldMappingsAt(fieldStoryDay, storyDay)
	doc.AddFieldMappingsAt(fieldStoryBands, stored())
	doc.AddFieldMappingsAt(FieldURL, stored())
	doc.AddFieldMappingsAt(fieldHash, stored())
	doc.AddFieldMappingsAt(fieldLens, stored())
	doc.AddFieldMappingsAt(FieldPublished, published)
	// No "_all" field: queries name their fields, and an empty composite
	// field still costs every document a pass over its fields when
	// indexed (6% of ingest CPU).
	all := bleve.NewDocumentDisabledMapping()
	doc.AddSubDocumentMapping("_all", all)
	m.DefaultMapping = doc
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	_ = standard.Name // registers the standard analyzer for comparisons
	return m, nil
}

// readWordLists reads the words of the files a new index's stemmer adds,
// to be stored in its mapping (analyzer.StemmerLexiconWordsKey): an index
// never reads them again.
func readWordLists(what string, paths []string) ([]string, error) {
	words := []string{}
	for _, p := range paths {
		list, err := lexicon.LoadWordList(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		words = append(words, list...)
	}
	return words, nil
}

// articleFields is what bleve indexes for an article whose checksum is
// sum.
func articleFields(a *cari.Article, sum string) map[string]interface{} {
	d := map[string]interface{}{
		FieldBody:  a.Body,
		fieldHash:  sum,
		fieldPairs: a.Title,
	}
	if a.Title != "" {
		d[FieldTitle] = a.Title
	}
	if a.Source != "" {
		d[FieldSource] = a.Source
	}
	if a.URL != "" {
		d[FieldURL] = a.URL
	}
	facets := []string{facetKey(a)}
	if !a.Published.IsZero() {
		d[FieldPublished] = a.Published
		d[fieldMonth] = a.Published.Format("2006-01") // for indexes that count months by it
	}
	if len(a.Tags) > 0 {
		d[FieldTags] = a.Tags
		for _, t := range a.Tags {
			facets = append(facets, facetTag+t)
		}
	}
	// The index's mapping takes the one it has.
	d[fieldFacets] = facets
	d[fieldFacetsCompressed] = facets
	return d
}

// BodyAnalyzer returns the analyzer a new index made with opts reads
// article bodies and queries with, built by bleve from the mapping as the
// index's own would be: what `cari analyze` explains when there is no
// index yet.
func BodyAnalyzer(opts Options) (analysis.Analyzer, error) {
	m, err := NewMapping(opts)
	if err != nil {
		return nil, err
	}
	name := m.AnalyzerNameForPath(FieldBody)
	an := m.AnalyzerNamed(name)
	if an == nil {
		return nil, fmt.Errorf("mapping: no analyzer %q", name)
	}
	return an, nil
}
