package cari

import (
	"testing"

	"github.com/blevesearch/bleve/v2/search/query"
)

func TestDateBoundsAreBleves(t *testing.T) {
	if !earliestDate().Equal(query.MinRFC3339CompatibleTime) || !latestDate().Equal(query.MaxRFC3339CompatibleTime) {
		t.Errorf("request date bounds %s..%s, bleve's %s..%s", earliestDate(), latestDate(),
			query.MinRFC3339CompatibleTime, query.MaxRFC3339CompatibleTime)
	}
}
