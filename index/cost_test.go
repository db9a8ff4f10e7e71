package index

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/carisearch/cari"
)

// TestQueryCost checks the caps on what a query may expand to, on an index
// whose articles hold 3,000 made-up words (zata0000 … zata2999): a
// wildcard, prefix or regular expression over more than MaxExpansion
// terms is refused with ErrTooExpensive naming the clause, as is a query
// over MaxTotalExpansion in all or with more than MaxClauses clauses;
// narrower ones run; a bare * finds every article.
func TestQueryCost(t *testing.T) {
	ix := indexOfArticles(t, wordLists(3, "zata%04d"))
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
		res, err := ix.Search(ctx, cari.Request{Query: tc.query, NoFacets: true})
		switch {
		case tc.refused != "" && (!errors.Is(err, cari.ErrTooExpensive) || !strings.Contains(err.Error(), tc.refused)):
			t.Errorf("%.40q: err %v, want ErrTooExpensive naming %q", tc.query, err, tc.refused)
		case tc.refused == "" && (err != nil || res.Total != tc.total):
			t.Errorf("%q: %v, err %v; want %d hits", tc.query, res, err, tc.total)
		}
	}
}

// BenchmarkCostliestQueries runs, over the news corpus, the most
// expensive searches the caps let through (wide prefixes, a regular
// expression, fuzzy words, two wide prefixes together), each a
// sub-benchmark whose B/op bounds the memory one search in flight can
// hold; what the caps refuse is logged and skipped:
//
//	go test -run XXX -bench CostliestQueries -benchtime 5x -cpu 1 ./index
func BenchmarkCostliestQueries(b *testing.B) {
	li := corpusIndex(b)
	ctx := context.Background()
	candidates := []string{
		"*", "ker*", "pem*", "pen*", "ber*", "men*", "ter*", "per*", "kor*", "ba*", "ma*", "ka*",
		"/pe.*an/", "/ke.*an/", "pemerintah~2", "indonesia~2", "ker* kor*", "kor* bar*", "bar* ka*",
	}
	for _, q := range candidates {
		if _, err := li.ix.Search(ctx, cari.Request{Query: q}); err != nil {
			b.Logf("%q: %v", q, err)
			continue
		}
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := li.ix.Search(ctx, cari.Request{Query: q}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// wordLists makes n articles of 1,000 made-up words each, the words
// format(0) … format(1000n-1), each word in one article.
func wordLists(n int, format string) []cari.Article {
	var articles []cari.Article
	for a := range n {
		var words []string
		for i := a * 1000; i < (a+1)*1000; i++ {
			words = append(words, fmt.Sprintf(format, i))
		}
		articles = append(articles, cari.Article{ID: fmt.Sprintf("kata-%d", a), Title: "Daftar kata", Body: strings.Join(words, " ")})
	}
	return articles
}

// TestCostliestQueryMemory checks that the caps bound what one search
// allocates, whatever the size of the dictionary: on an index of 20,000
// made-up words, the widest query allowed (MaxTotalExpansion terms) and
// the bombs refused (a pattern matching every word, twenty of them in one
// query) each allocate under a fixed bound. With admission control
// bounding the searches in flight, that bounds what concurrent
// expensive queries add to the server's memory (README, "Load").
func TestCostliestQueryMemory(t *testing.T) {
	ix := indexOfArticles(t, wordLists(20, "zata%05d"))
	ctx := context.Background()
	allocated := func(q string) (uint64, error) {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := ix.Search(ctx, cari.Request{Query: q})
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc, err
	}
	const MiB = 1 << 20
	for _, tc := range []struct {
		query   string
		refused bool
		bound   uint64
	}{
		{"zata00* zata01* zata02* zata03*", false, 40 * MiB},
		{"*ata*", true, 2 * MiB},
		{"/.*/", true, 2 * MiB},
		{strings.TrimSpace(strings.Repeat("*ata* ", 20)), true, 2 * MiB},
	} {
		n, err := allocated(tc.query)
		if tc.refused != errors.Is(err, cari.ErrTooExpensive) || !tc.refused && err != nil {
			t.Errorf("%.30q: err %v, want refused %v", tc.query, err, tc.refused)
		}
		t.Logf("%.30q: %.1f MiB allocated (err %v)", tc.query, float64(n)/MiB, err)
		if n > tc.bound {
			t.Errorf("%.30q allocated %.1f MiB, over its bound of %d MiB", tc.query, float64(n)/MiB, tc.bound/MiB)
		}
	}
}
