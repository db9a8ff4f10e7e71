package input

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrBadDate is the error of a publication date in no known form.
var ErrBadDate = errors.New("unknown date format (want YYYY-MM-DD, RFC 3339, DD/MM/YYYY, 14 Agustus 2023 or RFC 1123)")

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
	noSuchDay := false
	for _, layout := range dateLayouts {
		t, err := time.Parse(layout, s)
		if err == nil {
			return t.UTC(), nil
		}
		// "2019-02-30" is in a known form, naming a day there is not:
		// saying so beats listing the forms.
		var pe *time.ParseError
		noSuchDay = noSuchDay || errors.As(err, &pe) && strings.Contains(pe.Message, "out of range")
	}
	if t, ok, err := parseIndonesianDate(s); ok {
		return t, err
	}
	if noSuchDay {
		return time.Time{}, fmt.Errorf("%w: %q is a day that does not exist", ErrBadDate, truncate(s, 40))
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
