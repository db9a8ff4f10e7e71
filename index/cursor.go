package index

import (
	"encoding/base64"
	"encoding/json"
	"strconv"

	"github.com/blevesearch/bleve/v2/search"

	"github.com/carisearch/cari"
)

// Deep paging. Pages by number (from + size) cost more the deeper they
// go and are capped at MaxResultDepth; a cursor is bleve's search_after:
// the sort values of the last hit of a page, from which the next page
// starts, at the cost of the first. When paging by cursor, every order
// ends with the document id, so no two articles tie and a cursor neither
// repeats nor skips one. Otherwise ties keep the index's order: the id
// would be read for every hit, not only for those shown, which costs a
// search over a broad query about a millisecond.

// sortKeys is bleve's sort order for a Request.Sort.
func sortKeys(order string, cursor bool) []string {
	var keys []string
	switch order {
	case cari.SortDate:
		keys = []string{"-" + FieldPublished, "-_score"}
	case cari.SortOldest:
		keys = []string{FieldPublished, "-_score"}
	default:
		keys = []string{"-_score"}
	}
	if cursor {
		keys = append(keys, "_id")
	}
	return keys
}

// cursor is what a Next string carries.
type cursor struct {
	Sort   string   `json:"s"`
	Values []string `json:"v"`
}

// encodeCursor makes the cursor that continues after hit.
func encodeCursor(order string, keys []string, hit *search.DocumentMatch) string {
	c := cursor{Sort: order, Values: make([]string, len(keys))}
	for i, k := range keys {
		switch {
		case k == "_score" || k == "-_score":
			// bleve reads a score back with ParseFloat; 'g' with
			// precision -1 round-trips every float64.
			c.Values[i] = strconv.FormatFloat(hit.Score, 'g', -1, 64)
		case k == "_id":
			c.Values[i] = hit.ID
		case i < len(hit.Sort):
			c.Values[i] = hit.Sort[i]
		}
	}
	b, _ := json.Marshal(c) // strings only: cannot fail
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor checks a cursor against the request's sort order.
func decodeCursor(s, order string, keys int) ([]string, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, badRequest("after is not a cursor this server made")
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || len(c.Values) != keys {
		return nil, badRequest("after is not a cursor this server made")
	}
	if c.Sort != order {
		return nil, badRequest("the cursor continues a search sorted by %q, not %q", c.Sort, order)
	}
	return c.Values, nil
}
