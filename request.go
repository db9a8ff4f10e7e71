package cari

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// earliestDate and latestDate bound the dates a request may filter by:
// bleve keeps dates as nanoseconds since 1970 in an int64, and its date
// ranges span these (query.MinRFC3339CompatibleTime and
// MaxRFC3339CompatibleTime; TestDateBoundsAreBleves checks they agree).
func earliestDate() time.Time { return time.Date(1677, 12, 1, 0, 0, 0, 0, time.UTC) }
func latestDate() time.Time   { return time.Date(2262, 4, 11, 11, 59, 59, 0, time.UTC) }

func badRequest(format string, args ...interface{}) error {
	return fmt.Errorf("%w: %s", ErrBadRequest, fmt.Sprintf(format, args...))
}

// Normalize checks a request and fills defaults; its errors wrap
// ErrBadRequest.
//
// Branchy because it is a flat list of checks, one or two a field of the
// request.
func (r *Request) Normalize() error {
	r.Query = strings.TrimSpace(r.Query)
	if !utf8.ValidString(r.Query) {
		return badRequest("query is not valid UTF-8")
	}
	if len(r.Query) > MaxQueryBytes {
		return badRequest("query is %d bytes long, at most %d", len(r.Query), MaxQueryBytes)
	}
	if r.Page == 0 {
		r.Page = 1
	}
	if r.Size == 0 {
		r.Size = DefaultSize
	}
	switch {
	case r.Page < 1:
		return badRequest("page must be 1 or more, not %d", r.Page)
	case r.Size < 1 || r.Size > MaxSize:
		return badRequest("size must be between 1 and %d, not %d", MaxSize, r.Size)
	case r.After != "" && r.Page != 1:
		return badRequest("page and a cursor (after) cannot go together")
	case r.Page > MaxResultDepth/r.Size:
		return badRequest("page %d of size %d goes past the first %d results", r.Page, r.Size, MaxResultDepth)
	}
	switch r.Sort {
	case "":
		r.Sort = SortRelevance
		if r.Query == "" {
			r.Sort = SortDate
		}
	case SortRelevance, SortDate, SortOldest:
	case "-date", "newest":
		r.Sort = SortDate
	case "+date", "date-asc":
		r.Sort = SortOldest
	default:
		return badRequest("sort must be %q, %q or %q, not %q", SortRelevance, SortDate, SortOldest, r.Sort)
	}
	if r.HalfLife < 0 {
		return badRequest("half-life must be positive, not %s", r.HalfLife)
	}
	for _, d := range []struct {
		name string
		t    time.Time
	}{{"from", r.From}, {"to", r.To}} {
		if !d.t.IsZero() && (d.t.Before(earliestDate()) || !d.t.AddDate(0, 0, 1).Before(latestDate())) {
			return badRequest("%s (%s) must be between %s and %s", d.name, d.t.Format("2006-01-02"),
				earliestDate().Format("2006-01-02"), latestDate().AddDate(0, 0, -1).Format("2006-01-02"))
		}
	}
	if !r.From.IsZero() && !r.To.IsZero() && r.To.Before(r.From) {
		return badRequest("to (%s) is before from (%s)", r.To.Format("2006-01-02"), r.From.Format("2006-01-02"))
	}
	return nil
}
