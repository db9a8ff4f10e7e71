package cari

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// This file holds the API's types: what a caller sends (Article, Request)
// and gets back (Result, Hit, Facet, Completion, Stats, IngestStats,
// IngestReport), with the limits and errors that are part of the contract.
// They are the JSON of the HTTP API and of `cari search --json`. The
// package imports nothing of bleve, so a Go client of the API
// (server.Client) does not pull in the engine.

// Article is one news article, the unit cari indexes and returns.
type Article struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Source    string    `json:"source,omitempty"`
	URL       string    `json:"url,omitempty"`
	Published time.Time `json:"published,omitzero"`
	Tags      []string  `json:"tags,omitempty"`
}

// FieldError is a problem with one field of one input record. File and
// Line say where the record is; Line is a record number for formats
// without lines.
type FieldError struct {
	File  string
	Line  int
	Field string
	Err   error
}

func (e *FieldError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(":")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:", e.Line)
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "field %q: ", e.Field)
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *FieldError) Unwrap() error { return e.Err }

// Errors a record can fail validation with.
var (
	ErrMissing     = errors.New("missing or empty")
	ErrInvalidUTF8 = errors.New("not valid UTF-8")
	ErrTooLong     = errors.New("too long")
)

// Limits on one article, so one bad record cannot exhaust memory.
// MaxBodyBytes is the hard ceiling Normalize enforces; readers skip (and
// report) a body over a lower limit, DefaultMaxBodyBytes unless told
// otherwise.
const (
	MaxIDBytes          = 512
	MaxTitleBytes       = 4 << 10
	MaxBodyBytes        = 4 << 20
	DefaultMaxBodyBytes = 1 << 20
)

// Request is a search: the user's text, filters, paging and sort.
type Request struct {
	// Query is bleve query-string syntax ("kerja sama", +rusia -ukraina,
	// title:multipolar) or plain words. Empty matches every article.
	Query string
	// Plain searches Query as plain words, never as syntax, so that any
	// text (a question such as "Apa itu C++?") is a valid query.
	Plain   bool
	Page    int    // 1-based; 0 means 1
	Size    int    // hits a page; 0 means DefaultSize
	Sort    string // SortRelevance (default), SortDate or SortOldest
	Sources []string
	Tags    []string
	From    time.Time // published on or after this day
	To      time.Time // published on or before this day
	// NoHighlight skips snippets and title marks (evaluation runs).
	NoHighlight bool
	// NoFacets skips facet counts.
	NoFacets bool
	// Recent weighs newer articles more, with a score that halves
	// towards a floor every HalfLife (0 means DefaultHalfLife).
	Recent   bool
	HalfLife time.Duration
	// Cursor asks for Result.Next, the cursor of the following page.
	// After is the Next of the previous page: the page that follows it,
	// however deep (Page must then be 1; After implies Cursor). Paging by
	// cursor neither repeats nor skips an article, and has no depth limit.
	Cursor bool
	After  string
	// Exact ranks and counts every match, however many: a search that
	// matches more than a search reads is otherwise ranked on a sample
	// of its matches (Result.TotalExact), several times faster on a
	// large archive.
	Exact bool
	// Collapse shows one hit per story: an article the index found to
	// tell the same story as a hit ranked above it (Hit.Story) is left
	// out of the page and listed in that hit's Others. Pages are cut
	// from the top of the ranking (CollapseFactor), collapsed; a cursor
	// (After) pages without collapsing.
	Collapse bool
	// NoDates matches the words of Query that say when ("januari 2020",
	// "kemarin") as words. Otherwise a search reads the first such
	// phrase of a short query as a date filter (Result.Understood).
	NoDates bool
	// Now is the day relative dates in Query count from ("kemarin",
	// "minggu lalu"). Zero means the newest article's day, or today on
	// an index that took writes since it was opened (a live server).
	Now time.Time
}

// Sort orders.
const (
	SortRelevance = "relevance"
	SortDate      = "date"   // newest first
	SortOldest    = "oldest" // oldest first
)

// Limits on a request.
const (
	DefaultSize    = 10
	MaxSize        = 100
	MaxResultDepth = 10000 // page*size may not go past this
	// CollapseFactor is how many articles of the ranking a collapsed
	// page is cut from for each hit it and the pages before it show:
	// page 2 of 10 hits, from the top 60 (at most MaxResultDepth).
	CollapseFactor = 3
	MaxQueryBytes  = 4096
	// DefaultHalfLife is the half-life of Request.Recent when HalfLife
	// is 0.
	DefaultHalfLife = 14 * 24 * time.Hour
)

// Result is one page of hits.
type Result struct {
	Query string `json:"query"`
	Total uint64 `json:"total"`
	// TotalExact is false where the search matched so much of the
	// archive that it ranked a sample of the matches: Total and the
	// facet counts are then estimates, rounded to two figures, and the
	// hits the best of the sample.
	TotalExact bool               `json:"total_exact"`
	TookMS     float64            `json:"took_ms"`
	Page       int                `json:"page"`
	Size       int                `json:"size"`
	Hits       []Hit              `json:"hits"`
	Facets     map[string][]Facet `json:"facets"`
	// Suggestion is the query with each word the index does not know
	// replaced by the closest word it does ("multipolr" → "multipolar").
	Suggestion string `json:"suggestion,omitempty"`
	// Next is the cursor of the following page (Request.After), empty
	// on the last page.
	Next string `json:"next,omitempty"`
	// Understood is what the search read out of Query rather than
	// matched as words; nil when nothing was.
	Understood *Understood `json:"understood,omitempty"`
}

// Understood is what a search read out of its query.
type Understood struct {
	Dates *UnderstoodDates `json:"dates,omitempty"`
}

// UnderstoodDates is a date phrase of a query that a search applied as a
// filter of publication days instead of matching its words
// ("banjir januari 2020" is "banjir" from 2020-01-01 to 2020-01-31).
type UnderstoodDates struct {
	Text  string `json:"text"`  // the phrase as typed: "januari 2020"
	Label string `json:"label"` // the days in Indonesian: "Januari 2020"
	// Kind is year, range (2019-2023), month, day, part (awal 2020),
	// relative (kemarin, minggu lalu: counted from Now) or since (sejak
	// 2019: up to Now).
	Kind string `json:"kind"`
	// From and To are the first and last day searched (YYYY-MM-DD): the
	// phrase's, within the request's own from and to.
	From string `json:"from"`
	To   string `json:"to"`
	// Query is what was matched as words: the query without Text.
	Query string `json:"query"`
}

// Hit is one article in a result. Title and Snippet are HTML: text is
// escaped and matched words are wrapped in <mark>.
type Hit struct {
	ID        string   `json:"id"`
	Score     float64  `json:"score"`
	Title     string   `json:"title"`
	Source    string   `json:"source,omitempty"`
	URL       string   `json:"url,omitempty"`
	Published string   `json:"published,omitempty"`
	Tags      []string `json:"tags,omitempty"`
	Snippet   string   `json:"snippet"`
	// Story is the id of the first article of the story the index found
	// this one to tell (itself, for most articles).
	Story string `json:"story,omitempty"`
	// Others are the articles of the same story ranked below it on a
	// collapsed page (Request.Collapse), best first.
	Others []Related `json:"others,omitempty"`
}

// Related is an article of the same story as a hit. Its title is HTML,
// escaped, as a hit's is.
type Related struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Source    string `json:"source,omitempty"`
	URL       string `json:"url,omitempty"`
	Published string `json:"published,omitempty"`
}

// FacetMonth names the facet of publication months ("2023-08"), the 24
// months with most hits, newest first. The facet "published" counts years.
const FacetMonth = "month"

// Facet is one value of a facet and how many hits have it.
type Facet struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Completion is one way to complete what was typed. Text is plain text:
// the whole query with its last word completed (kind "term"), or an
// article's title (kind "title", with the article's ID).
type Completion struct {
	Text  string `json:"text"`
	Kind  string `json:"kind"`
	ID    string `json:"id,omitempty"`
	Count int    `json:"count,omitempty"` // articles using the word, for terms
}

// Completion kinds.
const (
	CompletionTerm  = "term"
	CompletionTitle = "title"
)

// Limits of completions and related articles.
const (
	DefaultSuggestSize = 8
	MaxSuggestSize     = 20
	// DefaultSimilarSize is how many related articles are returned when
	// asked for none in particular: a side panel's worth.
	DefaultSimilarSize = 5
)

// Stats describes an index.
type Stats struct {
	Path      string   `json:"path,omitempty"`
	Documents uint64   `json:"documents"`
	Shards    int      `json:"shards,omitempty"` // 1 for an index that is not sharded
	Fields    []string `json:"fields"`
	SizeBytes int64    `json:"size_bytes"`
	Analyzer  string   `json:"analyzer"`
	// AvgTokens is each scored field's mean length in tokens, the figure
	// BM25 normalizes by.
	AvgTokens map[string]float64 `json:"avg_tokens"`
}

// IngestStats counts what a write did.
type IngestStats struct {
	Indexed   int `json:"indexed"`   // new articles
	Updated   int `json:"updated"`   // articles whose id existed with other content
	Unchanged int `json:"unchanged"` // articles already indexed exactly so
}

// Total is every article the write accepted.
func (s IngestStats) Total() int { return s.Indexed + s.Updated + s.Unchanged }

// Add counts o in s.
func (s *IngestStats) Add(o IngestStats) {
	s.Indexed += o.Indexed
	s.Updated += o.Updated
	s.Unchanged += o.Unchanged
}

// IngestReport is the outcome of ingesting inputs: counts, every record
// (or file) that was skipped with the reason, and warnings about records
// that were indexed but deserve a look (an id repeated within a file, the
// last record winning; fields that were ignored). A skip means something
// was not indexed; a warning does not.
type IngestReport struct {
	IngestStats
	Skipped  []*FieldError `json:"-"`
	Warnings []*FieldError `json:"-"`
}

// DefaultBatchSize is how many articles are written to the index at once.
// Measured on the 25,401 corpus articles (scripts/bench-ingest.sh, 2
// cores): see README "Indexing at scale" for the figures behind it.
const DefaultBatchSize = 1000

// Errors of the API, told apart with errors.Is.
var (
	// ErrBadRequest marks errors in a request: bad query syntax, bad
	// paging, bad sort. Servers answer them with 400.
	ErrBadRequest = errors.New("bad request")
	// ErrTooExpensive is the error of a query that would cost more than
	// a search may.
	ErrTooExpensive = errors.New("query too expensive")
	// ErrNotFound is returned for an id with no article.
	ErrNotFound = errors.New("not found")
	// ErrDiskFull is returned by a write that would leave less than the
	// index's minimum of free bytes on its filesystem. Nothing of the
	// write is stored.
	ErrDiskFull = errors.New("not enough free disk space")
)

// Token is one token of a text as an index's analyzer reads it, for
// people tuning queries (GET /api/analyze, cari analyze): where it is,
// what it became, and why it was dropped or left unstemmed.
type Token struct {
	Position  int    `json:"position"`
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Text      string `json:"text"`  // the original characters
	Token     string `json:"token"` // normalized, before stemming
	Stem      string `json:"stem"`  // the term that is indexed; "" when dropped
	Stop      bool   `json:"stop,omitempty"`
	Protected bool   `json:"protected,omitempty"`
	Root      bool   `json:"root,omitempty"` // the token is in the root lexicon
}
