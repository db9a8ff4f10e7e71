package index

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestQueryCost checks the caps on what a query may expand to, on an index
// whose articles hold 3,000 made-up words (zata0000 … zata2999): a
// wildcard, prefix or regular expression over more than MaxExpansion
// terms is refused with ErrTooExpensive naming the clause, as is a query
// over MaxTotalExpansion in all or with more than MaxClauses clauses;
// narrower ones run; a bare * finds every article.
func TestQueryCost(t *testing.T) {
	var articles []Article
	for a := range 3 {
		var words []string
		for i := a * 1000; i < (a+1)*1000; i++ {
			words = append(words, fmt.Sprintf("zata%04d", i))
		}
		articles = append(articles, Article{ID: fmt.Sprintf("kata-%d", a), Title: "Daftar kata", Body: strings.Join(words, " ")})
	}
	ix := indexOfArticles(t, articles)
	ctx := context.Background()
	many := strings.TrimSpace(strings.Repeat("+daftar ", MaxClauses+1))
	for _, tc := range []struct {
		query   string
		refused string // a part of the error; "" for a query that runs
		total   uint64
	}{
		{"zata*", "body:zata*", 0},
		{"*ata*", "body:*ata*", 0},
		{"/zata.*/", "body:/zata.*/", 0},
		{"zata1*", "", 1},
		{"zata1* zata2* zata0* kata", "", 3},
		{"zata1* zata2* zata0* zata1* zata2*", "the query matches more than", 0},
		{many, "clauses", 0},
		{"zata00*", "", 1},
		{"*", "", 3},
	} {
		res, err := ix.Search(ctx, Request{Query: tc.query, NoFacets: true})
		switch {
		case tc.refused != "" && (!errors.Is(err, ErrTooExpensive) || !strings.Contains(err.Error(), tc.refused)):
			t.Errorf("%.40q: err %v, want ErrTooExpensive naming %q", tc.query, err, tc.refused)
		case tc.refused == "" && (err != nil || res.Total != tc.total):
			t.Errorf("%q: %v, err %v; want %d hits", tc.query, res, err, tc.total)
		}
	}
}
