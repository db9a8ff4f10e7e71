// Package index is cari's engine: the Article model and its validation,
// readers for the input formats, the bleve mapping, ingest (batched
// upserts), search (query building, filters, highlights, facets) and
// retrieval evaluation.
//
// Design note. An article's identity is its id, and re-reading the same
// input must never create a second copy: an id that is absent is derived
// from the url or, failing that, from a hash of title and body. Every
// write is an upsert by id, and a stored checksum of the content lets a
// re-run skip articles that did not change.
package index

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

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
	ErrBadDate     = errors.New("unknown date format (want YYYY-MM-DD, RFC 3339, DD/MM/YYYY, 14 Agustus 2023 or RFC 1123)")
	ErrTooLong     = errors.New("too long")
)

// Limits on one article, so one bad record cannot exhaust memory.
// MaxBodyBytes is the hard ceiling Normalize enforces; readers skip (and
// report) a body over a lower limit, DefaultMaxBodyBytes unless
// Handlers.MaxBodyBytes says otherwise.
const (
	MaxIDBytes          = 512
	MaxTitleBytes       = 4 << 10
	MaxBodyBytes        = 4 << 20
	DefaultMaxBodyBytes = 1 << 20
)

// Normalize validates a and fills what can be derived: trimmed text and an
// id. A missing title stays missing in the index (a title made from the
// lead would count the lead twice in ranking); results show the lead's
// first sentence in its place. It returns a
// *FieldError (without File and Line) naming the first bad field.
func (a *Article) Normalize() error {
	for _, f := range []struct {
		name string
		val  *string
		max  int
	}{
		{"id", &a.ID, MaxIDBytes},
		{"title", &a.Title, MaxTitleBytes},
		{"body", &a.Body, MaxBodyBytes},
		{"source", &a.Source, MaxTitleBytes},
		{"url", &a.URL, MaxTitleBytes},
	} {
		if !utf8.ValidString(*f.val) {
			return &FieldError{Field: f.name, Err: ErrInvalidUTF8}
		}
		*f.val = strings.TrimSpace(*f.val)
		if len(*f.val) > f.max {
			return &FieldError{Field: f.name, Err: fmt.Errorf("%w: %d bytes, at most %d", ErrTooLong, len(*f.val), f.max)}
		}
	}
	if a.Body == "" {
		return &FieldError{Field: "body", Err: ErrMissing}
	}
	tags := a.Tags[:0]
	for _, t := range a.Tags {
		if !utf8.ValidString(t) {
			return &FieldError{Field: "tags", Err: ErrInvalidUTF8}
		}
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	a.Tags = tags
	if a.ID == "" {
		a.ID = DeriveID(a.URL, a.Title, a.Body)
	}
	return nil
}

// DeriveID names an article that came without an id: from its url when it
// has one (the same story fetched twice is one article), else from its
// content.
func DeriveID(url, title, body string) string {
	h := sha1.New()
	if url != "" {
		h.Write([]byte(url))
		return "u-" + hex.EncodeToString(h.Sum(nil))[:16]
	}
	h.Write([]byte(title))
	h.Write([]byte{0})
	h.Write([]byte(body))
	return "h-" + hex.EncodeToString(h.Sum(nil))[:16]
}

// checksum identifies an article's content, so an unchanged re-run can be
// told from an update.
func (a *Article) checksum() string {
	h := sha1.New()
	for _, s := range []string{a.Title, a.Body, a.Source, a.URL, a.Published.Format(time.RFC3339), strings.Join(a.Tags, "\x1f")} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:20]
}

// LeadSentence returns the first sentence of text, cut at a word boundary
// if it runs long, for articles that come without a title.
func LeadSentence(text string) string {
	text = strings.TrimSpace(text)
	if i := strings.IndexAny(text, "\n"); i >= 0 {
		text = text[:i]
	}
	for i := 0; i < len(text); i++ {
		if text[i] != '.' && text[i] != '!' && text[i] != '?' {
			continue
		}
		// A dot between digits (1.000) or before a lower-case letter
		// (S.H. or "dr. budi") does not end a sentence.
		if i+1 < len(text) && text[i+1] != ' ' && text[i+1] != '"' {
			continue
		}
		if i+2 < len(text) && isShortAbbrev(text[:i]) {
			continue
		}
		text = text[:i+1]
		break
	}
	const maxTitle = 160
	if len(text) > maxTitle {
		cut := strings.LastIndexByte(text[:maxTitle], ' ')
		if cut < maxTitle/2 {
			cut = maxTitle
			for cut > 0 && !utf8.RuneStart(text[cut]) {
				cut--
			}
		}
		text = strings.TrimSpace(text[:cut]) + "…"
	}
	return text
}

// isShortAbbrev reports whether the text before a dot ends in an
// abbreviation that a sentence does not end with: an initial ("H.") or a
// title or address word ("dr.", "Prof.", "Jl.").
func isShortAbbrev(before string) bool {
	i := strings.LastIndexByte(before, ' ')
	word := before[i+1:]
	if len(word) == 1 && word[0] >= 'A' && word[0] <= 'Z' {
		return true
	}
	switch strings.ToLower(word) {
	case "dr", "drs", "dra", "ir", "prof", "hj", "h", "st", "sh", "mr", "mrs", "ny", "tn", "sdr", "no", "nomor", "hlm", "tgl", "jl", "kab", "kec", "kel", "pt", "cv", "tbk", "kh", "m", "s", "a":
		return true
	}
	return false
}

// dateLayouts are the forms accepted for published, tried in order. A
// date with slashes is read day first (DD/MM/YYYY), as Indonesian sources
// write it; 08/14/2023 is then an error, not a guess.
var dateLayouts = []string{
	time.RFC3339Nano, "2006-01-02", "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04",
	"2/1/2006", time.RFC1123, time.RFC1123Z,
}

// ParseDate parses a publication date: YYYY-MM-DD (with an optional
// time), RFC 3339, DD/MM/YYYY, a day, an Indonesian month name and a year
// ("14 Agustus 2023", optionally after a day name) or RFC 1123 (with a zone
// name or a numeric offset).
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	if t, ok, err := parseIndonesianDate(s); ok {
		return t, err
	}
	return time.Time{}, fmt.Errorf("%w: %q", ErrBadDate, truncate(s, 40))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func validUTF8(s string) bool { return utf8.ValidString(s) }
