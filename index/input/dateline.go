package input

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/analyzer/lexicon"
)

// A dateline opens a story with its source and date:
//
//	slawifm.com – Senin, 14 Agustus 2023 Li Shangfu, menteri ...
//
// The source is one word (a domain or a name), then any dash, an optional
// Indonesian day name, the day, an Indonesian month name (full or short)
// and the year, optionally a time; the story may follow on the same line.
var datelinePattern = regexp.MustCompile(`(?i)^\s*(\S+?)\s*[-–—‒―]+\s*` +
	`(?:(senin|selasa|rabu|kamis|jum'?at|jum’at|sabtu|minggu|ahad|sen|sel|rab|kam|jum|sab|min)\.?\s*,?\s*)?` +
	`(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})` +
	`(?:\s*,?\s*(?:pukul\s+)?\d{1,2}[:.]\d{2}(?:\s*(?:wib|wita|wit))?)?` +
	`(?:\s*[-–—:|]\s*|\s+|$)(.*)$`)

// indonesianDatePattern is a date as a dateline writes it, on its own:
// "14 Agustus 2023", "Senin, 14 Agt 2023".
var indonesianDatePattern = regexp.MustCompile(`(?i)^(?:[a-z'’]+\.?\s*,?\s+)?(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})$`)

// parseIndonesianDate parses a date with an Indonesian month name. ok is
// false when s does not have that shape; err is set when it has the shape
// but names a day that does not exist.
func parseIndonesianDate(s string) (t time.Time, ok bool, err error) {
	m := indonesianDatePattern.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false, nil
	}
	month, known := lexicon.Month(strings.ToLower(m[2]))
	if !known {
		return time.Time{}, false, nil
	}
	day, _ := strconv.Atoi(m[1])
	year, _ := strconv.Atoi(m[3])
	date := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	if date.Day() != day || date.Month() != month {
		return time.Time{}, true, fmt.Errorf("%w: %s %s %s is a day that does not exist", ErrBadDate, m[1], m[2], m[3])
	}
	return date, true, nil
}

// Dateline is what a dateline says.
type Dateline struct {
	Source string
	Date   time.Time
	Rest   string // the text after the dateline on the same line
}

var errNotDateline = errors.New("not a dateline")

// ParseDateline parses a line that opens with a dateline. It returns
// errNotDateline when the line has no dateline shape, and a date error
// when it has the shape but names a date that does not exist.
func ParseDateline(line string) (Dateline, error) {
	m := datelinePattern.FindStringSubmatch(line)
	if m == nil {
		return Dateline{}, errNotDateline
	}
	month, ok := lexicon.Month(strings.ToLower(m[4]))
	if !ok {
		return Dateline{}, errNotDateline
	}
	day, _ := strconv.Atoi(m[3])
	year, _ := strconv.Atoi(m[5])
	date := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	if date.Day() != day || date.Month() != month {
		return Dateline{}, fmt.Errorf("%w: dateline names %s %s %s, a day that does not exist", ErrBadDate, m[3], m[4], m[5])
	}
	return Dateline{Source: strings.TrimRight(m[1], ",:"), Date: date, Rest: strings.TrimSpace(m[6])}, nil
}

// ParseText reads a plain-text article in one of three forms:
//
//   - dateline first, story on the same line, no title (the title is then
//     the lead's first sentence);
//   - a title line, then the dateline opening the next line;
//   - no dateline: a title line and a body.
//
// A Markdown heading marker on the title line is dropped.
func ParseText(text string) (cari.Article, error) {
	text = strings.TrimPrefix(text, "\ufeff")
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	first := nextNonEmpty(lines, 0)
	if first < 0 {
		return cari.Article{}, &cari.FieldError{Field: "body", Err: cari.ErrMissing}
	}
	if d, err := ParseDateline(lines[first]); err == nil {
		return cari.Article{Source: d.Source, Published: d.Date, Body: joinBody(d.Rest, lines[first+1:])}, nil
	} else if !errors.Is(err, errNotDateline) {
		return cari.Article{}, &cari.FieldError{Field: "published", Err: err}
	}
	title := strings.TrimSpace(strings.TrimLeft(lines[first], "#"))
	second := nextNonEmpty(lines, first+1)
	if second < 0 {
		return cari.Article{Body: title}, nil
	}
	if d, err := ParseDateline(lines[second]); err == nil {
		return cari.Article{Title: title, Source: d.Source, Published: d.Date, Body: joinBody(d.Rest, lines[second+1:])}, nil
	} else if !errors.Is(err, errNotDateline) {
		return cari.Article{}, &cari.FieldError{Field: "published", Err: err}
	}
	return cari.Article{Title: title, Body: joinBody("", lines[second:])}, nil
}

func nextNonEmpty(lines []string, from int) int {
	for i := from; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "" {
			return i
		}
	}
	return -1
}

func joinBody(lead string, rest []string) string {
	body := strings.TrimSpace(strings.Join(rest, "\n"))
	switch {
	case lead == "":
		return body
	case body == "":
		return lead
	}
	return lead + "\n" + body
}
