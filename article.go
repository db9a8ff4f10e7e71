package cari

// Design note. An article's identity is its id, and re-reading the same
// input must never create a second copy: an id that is absent is derived
// from the url or, failing that, from a hash of title and body. Every
// write is an upsert by id, and a stored checksum of the content lets a
// re-run skip articles that did not change.

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"
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
