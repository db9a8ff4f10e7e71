package index

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/search"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index/input"
	"github.com/carisearch/cari/internal/eval"
)

// labelledPair is a line of testdata/stories/pairs.tsv.
type labelledPair struct {
	a, b    string
	same    bool
	weight  float64 // first-page pairs of its stratum per pair drawn
	stratum string
}

func readLabelledPairs(t *testing.T) []labelledPair {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "stories", "pairs.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var pairs []labelledPair
	drawn := map[string]int{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 6 || (cols[5] != "0" && cols[5] != "1") {
			t.Fatalf("pairs.tsv:%d: want pair, a, b, stratum, pairs_in_stratum, same (0 or 1)", line)
		}
		all, err := strconv.Atoi(cols[4])
		if err != nil {
			t.Fatalf("pairs.tsv:%d: pairs_in_stratum: %v", line, err)
		}
		pairs = append(pairs, labelledPair{a: cols[1], b: cols[2], same: cols[5] == "1", weight: float64(all), stratum: cols[3]})
		drawn[cols[3]]++
	}
	for i := range pairs {
		pairs[i].weight /= float64(drawn[pairs[i].stratum])
	}
	return pairs
}

// TestStoriesOnLabelledPairs measures the story detector on the pairs of
// testdata/stories, judged blind, over the whole shared corpus: precision
// and recall, plain and weighted by how common each stratum of pairs is
// on first pages; and the share of the judged keyword queries' first
// pages that hold a pair judged the same story, with and without
// collapsing. It needs ../shared, and is skipped with -short.
//
//	go test -run TestStoriesOnLabelledPairs -v ./index
func TestStoriesOnLabelledPairs(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes the whole corpus")
	}
	corpus := newsCorpusPath()
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("no corpus at %s (set CARI_SHARED): %v", corpus, err)
	}
	ctx := context.Background()
	ix, err := Create(filepath.Join(t.TempDir(), "index"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Ingest(ctx, input.Paths(corpus), IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	pairs := readLabelledPairs(t)
	ids := map[string]bool{}
	for _, p := range pairs {
		ids[p.a], ids[p.b] = true, true
	}
	top, err := ix.readTop(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var hits search.DocumentMatchCollection
	for id := range ids {
		hits = append(hits, &search.DocumentMatch{ID: id})
	}
	story, err := top.stories(hits)
	top.Close()
	if err != nil {
		t.Fatal(err)
	}

	var tp, fp, fn, wtp, wfp, wfn float64
	same := map[[2]string]bool{}
	for _, p := range pairs {
		detected := story[p.a] != "" && story[p.a] == story[p.b]
		switch {
		case detected && p.same:
			tp, wtp = tp+1, wtp+p.weight
		case detected:
			fp, wfp = fp+1, wfp+p.weight
		case p.same:
			fn, wfn = fn+1, wfn+p.weight
		}
		if p.same {
			same[[2]string{p.a, p.b}], same[[2]string{p.b, p.a}] = true, true
		}
	}
	precision, recall := tp/(tp+fp), tp/(tp+fn)
	t.Logf("%d pairs, %.0f judged the same story: precision %.3f, recall %.3f; weighted by stratum: precision %.3f, recall %.3f",
		len(pairs), tp+fn, precision, recall, wtp/(wtp+wfp), wtp/(wtp+wfn))

	queries, err := eval.ReadQueries(filepath.Join("..", "testdata", "relevance", "queries.tsv"), nil)
	if err != nil {
		t.Fatal(err)
	}
	withDup := func(collapse bool) int {
		n := 0
		for _, q := range queries {
			res, err := ix.Search(ctx, cari.Request{Query: q.Text, Size: 10, Collapse: collapse, NoFacets: true})
			if err != nil {
				t.Fatal(err)
			}
		page:
			for i, h := range res.Hits {
				for _, o := range res.Hits[i+1:] {
					if same[[2]string{h.ID, o.ID}] {
						n++
						break page
					}
				}
			}
		}
		return n
	}
	before, after := withDup(false), withDup(true)
	t.Logf("first pages holding a pair judged the same story: %d of %d without collapsing, %d with", before, len(queries), after)

	// Guards against a detector made worse, below what it measured
	// (docs/stories.md).
	if precision < 0.8 || recall < 0.25 {
		t.Errorf("precision %.3f, recall %.3f: want at least 0.8 and 0.25", precision, recall)
	}
	if after >= before {
		t.Errorf("collapsing left %d first pages with a duplicate, %d without", after, before)
	}
}
