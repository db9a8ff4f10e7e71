// Package eval scores rankings: known-item question sets (queries and
// qrels, MRR, recall, nDCG), and keyword queries with graded judgments
// (nDCG@10, P@5) compared by a paired randomization test. It reaches an
// index only through Searcher, so the figures are those of the engine's
// public Search, as a user's query would get them.
package eval

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/carisearch/cari"
)

// Query is one question of a known-item retrieval set.
type Query struct {
	ID    string
	Split string
	Text  string
}

// Qrels maps a query id to its relevant document ids and grades.
type Qrels map[string]map[string]int

// ReadQueries reads a queries file: qid<TAB>split<TAB>question. With
// splits given, only queries of those splits are kept.
func ReadQueries(path string, splits []string) ([]Query, error) {
	keep := map[string]bool{}
	for _, s := range splits {
		if s = strings.TrimSpace(s); s != "" {
			keep[s] = true
		}
	}
	var out []Query
	err := eachLine(path, func(line int, text string) error {
		parts := strings.SplitN(text, "\t", 3)
		if len(parts) != 3 {
			return fmt.Errorf("%s:%d: want qid<TAB>split<TAB>question, got %d columns", path, line, len(parts))
		}
		if len(keep) > 0 && !keep[parts[1]] {
			return nil
		}
		out = append(out, Query{ID: parts[0], Split: parts[1], Text: parts[2]})
		return nil
	})
	return out, err
}

// ReadQrels reads TREC qrels: qid 0 docid relevance.
func ReadQrels(path string) (Qrels, error) {
	q := Qrels{}
	err := eachLine(path, func(line int, text string) error {
		f := strings.Fields(text)
		if len(f) != 4 {
			return fmt.Errorf("%s:%d: want \"qid 0 docid relevance\", got %d fields", path, line, len(f))
		}
		rel, err := strconv.Atoi(f[3])
		if err != nil {
			return fmt.Errorf("%s:%d: relevance %q: %w", path, line, f[3], err)
		}
		if rel <= 0 {
			return nil
		}
		if q[f[0]] == nil {
			q[f[0]] = map[string]int{}
		}
		q[f[0]][f[2]] = rel
		return nil
	})
	return q, err
}

func eachLine(path string, fn func(line int, text string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if err := fn(line, text); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}

// Report holds the figures of an evaluation run, averaged over the
// queries that have at least one relevant document.
type Report struct {
	Queries   int     `json:"queries"`
	MRR10     float64 `json:"mrr@10"`
	Recall10  float64 `json:"recall@10"`
	Recall100 float64 `json:"recall@100"`
	NDCG10    float64 `json:"ndcg@10"`
}

// evalDepth is how many hits each query retrieves.
const evalDepth = 100

// Searcher is what Run needs of an index.
type Searcher interface {
	Search(ctx context.Context, r cari.Request) (*cari.Result, error)
}

// Run runs every query as plain text (never as query syntax) and
// scores the ranking against qrels. If run is not nil, the ranking is
// written to it as a TREC run file, queries in input order.
//
// Long because its workers and the scoring in input order share the
// rankings; it reads as one pass over the queries.
func Run(ctx context.Context, ix Searcher, queries []Query, qrels Qrels, runName string, run io.Writer) (Report, error) {
	rankings := make([][]rankedDoc, len(queries))
	errs := make([]error, len(queries))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res, err := ix.Search(ctx, cari.Request{Query: queries[i].Text, Plain: true, Size: evalDepth, NoHighlight: true, NoFacets: true})
				if err != nil {
					errs[i] = fmt.Errorf("query %s: %w", queries[i].ID, err)
					continue
				}
				for _, h := range res.Hits {
					rankings[i] = append(rankings[i], rankedDoc{h.ID, h.Score})
				}
			}
		}()
	}
	for i := range queries {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return Report{}, err
	}
	var rep Report
	bw := bufio.NewWriter(io.Discard)
	if run != nil {
		bw = bufio.NewWriter(run)
	}
	for i, q := range queries {
		if errs[i] != nil {
			return Report{}, errs[i]
		}
		for rank, d := range rankings[i] {
			fmt.Fprintf(bw, "%s Q0 %s %d %.6f %s\n", q.ID, d.id, rank+1, d.score, runName)
		}
		relevant := qrels[q.ID]
		if len(relevant) == 0 {
			continue
		}
		rep.Queries++
		m := scoreRanking(rankings[i], relevant)
		rep.MRR10 += m.MRR10
		rep.Recall10 += m.Recall10
		rep.Recall100 += m.Recall100
		rep.NDCG10 += m.NDCG10
	}
	if err := bw.Flush(); err != nil {
		return Report{}, fmt.Errorf("write run: %w", err)
	}
	if rep.Queries > 0 {
		n := float64(rep.Queries)
		rep.MRR10 /= n
		rep.Recall10 /= n
		rep.Recall100 /= n
		rep.NDCG10 /= n
	}
	return rep, nil
}

type rankedDoc struct {
	id    string
	score float64
}

// scoreRanking computes the metrics of one query.
func scoreRanking(ranking []rankedDoc, relevant map[string]int) Report {
	var m Report
	found10, found100 := 0, 0
	dcg := 0.0
	for rank, d := range ranking {
		rel, ok := relevant[d.id]
		if !ok {
			continue
		}
		if rank < 10 {
			if m.MRR10 == 0 {
				m.MRR10 = 1 / float64(rank+1)
			}
			found10++
			dcg += (math.Pow(2, float64(rel)) - 1) / math.Log2(float64(rank+2))
		}
		if rank < 100 {
			found100++
		}
	}
	grades := make([]int, 0, len(relevant))
	for _, g := range relevant {
		grades = append(grades, g)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(grades)))
	ideal := 0.0
	for rank, g := range grades {
		if rank >= 10 {
			break
		}
		ideal += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(rank+2))
	}
	m.Recall10 = float64(found10) / float64(len(relevant))
	m.Recall100 = float64(found100) / float64(len(relevant))
	if ideal > 0 {
		m.NDCG10 = dcg / ideal
	}
	return m
}
