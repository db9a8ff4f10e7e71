package main

// score: Recall@100 and MRR@10 of a run against qrels, over every query of
// the qrels (a query the run has no line for scores 0), and per split when
// the query file is given (a split "k3-missing" also counts under "k3" and
// "*-missing"). The run's ranks are taken as written.

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

func readQrels(path string) (map[string]map[string]bool, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	rel := map[string]map[string]bool{}
	var order []string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		fs := strings.Fields(sc.Text())
		if len(fs) == 0 {
			continue
		}
		if len(fs) != 4 {
			return nil, nil, fmt.Errorf("%s:%d: want qid 0 docid grade", path, n)
		}
		if g, err := strconv.Atoi(fs[3]); err != nil || g <= 0 {
			continue
		}
		if rel[fs[0]] == nil {
			rel[fs[0]] = map[string]bool{}
			order = append(order, fs[0])
		}
		rel[fs[0]][fs[2]] = true
	}
	return rel, order, sc.Err()
}

// readRun gives each query's documents in rank order.
func readRun(path string) (map[string][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	type line struct {
		doc  string
		rank int
	}
	byQ := map[string][]line{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		fs := strings.Fields(sc.Text())
		if len(fs) == 0 {
			continue
		}
		if len(fs) != 6 {
			return nil, fmt.Errorf("%s:%d: want qid Q0 docid rank score system", path, n)
		}
		r, err := strconv.Atoi(fs[3])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: rank: %w", path, n, err)
		}
		byQ[fs[0]] = append(byQ[fs[0]], line{fs[2], r})
	}
	run := map[string][]string{}
	for q, ls := range byQ {
		sort.SliceStable(ls, func(i, j int) bool { return ls[i].rank < ls[j].rank })
		docs := make([]string, len(ls))
		for i, l := range ls {
			docs[i] = l.doc
		}
		run[q] = docs
	}
	return run, sc.Err()
}

type metrics struct {
	n           int
	recall, mrr float64
}

func (m *metrics) add(rel map[string]bool, docs []string) {
	m.n++
	found, rr := 0, 0.0
	for i, d := range docs {
		if i >= 100 {
			break
		}
		if rel[d] {
			found++
			if rr == 0 && i < 10 {
				rr = 1 / float64(i+1)
			}
		}
	}
	m.recall += float64(found) / float64(len(rel))
	m.mrr += rr
}

func (m metrics) String() string {
	if m.n == 0 {
		return "n=0"
	}
	return fmt.Sprintf("n=%-5d Recall@100=%.4f MRR@10=%.4f", m.n, m.recall/float64(m.n), m.mrr/float64(m.n))
}

func score(qrels, runPath, queries string) error {
	rel, order, err := readQrels(qrels)
	if err != nil {
		return err
	}
	run, err := readRun(runPath)
	if err != nil {
		return err
	}
	split := map[string]string{}
	if queries != "" {
		qs, err := readQueries(queries)
		if err != nil {
			return err
		}
		for _, q := range qs {
			split[q.ID] = q.Split
		}
	}
	var all metrics
	by := map[string]*metrics{}
	for _, q := range order {
		all.add(rel[q], run[q])
		s, ok := split[q]
		if !ok {
			continue
		}
		groups := []string{s}
		if pre, post, ok := strings.Cut(s, "-"); ok {
			// k3-missing also counts under k3 and *-missing.
			groups = append(groups, pre, "*-"+post)
		}
		for _, g := range groups {
			if by[g] == nil {
				by[g] = &metrics{}
			}
			by[g].add(rel[q], run[q])
		}
	}
	fmt.Printf("%-12s %v\n", "all", all)
	for _, s := range sortedKeys(by) {
		fmt.Printf("%-12s %v\n", s, *by[s])
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
