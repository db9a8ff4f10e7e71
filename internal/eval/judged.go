package eval

// Judged keyword sets: graded judgments (0, 1, 2) pooled from several
// engines. Unlike the known-item sets, a grade 0 matters here: it tells a
// judged miss from a document nobody graded, and a run whose top ten holds
// many unjudged documents is measured on holes in the pool, not on its
// ranking. Two runs are compared per query with a paired randomization test,
// the usual significance test of IR evaluation (Smucker et al., CIKM 2007).

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
)

// Judgments maps a query id to the grade of every judged document,
// zeros included.
type Judgments map[string]map[string]int

// ReadJudgments reads TREC qrels (qid 0 docid grade), keeping grade 0.
func ReadJudgments(path string) (Judgments, error) {
	j := Judgments{}
	err := eachLine(path, func(line int, text string) error {
		f := strings.Fields(text)
		if len(f) != 4 {
			return fmt.Errorf("%s:%d: want \"qid 0 docid grade\", got %d fields", path, line, len(f))
		}
		g, err := strconv.Atoi(f[3])
		if err != nil || g < 0 {
			return fmt.Errorf("%s:%d: grade %q: want a whole number ≥ 0", path, line, f[3])
		}
		if j[f[0]] == nil {
			j[f[0]] = map[string]int{}
		}
		if old, dup := j[f[0]][f[2]]; dup && old != g {
			return fmt.Errorf("%s:%d: %s %s graded both %d and %d", path, line, f[0], f[2], old, g)
		}
		j[f[0]][f[2]] = g
		return nil
	})
	return j, err
}

// ReadRun reads a TREC run file (qid Q0 docid rank score name) and gives
// each query's documents in rank order.
func ReadRun(path string) (map[string][]string, error) {
	type entry struct {
		doc  string
		rank int
	}
	byQuery := map[string][]entry{}
	err := eachLine(path, func(line int, text string) error {
		f := strings.Fields(text)
		if len(f) != 6 {
			return fmt.Errorf("%s:%d: want \"qid Q0 docid rank score name\", got %d fields", path, line, len(f))
		}
		rank, err := strconv.Atoi(f[3])
		if err != nil {
			return fmt.Errorf("%s:%d: rank %q: %w", path, line, f[3], err)
		}
		byQuery[f[0]] = append(byQuery[f[0]], entry{f[2], rank})
		return nil
	})
	if err != nil {
		return nil, err
	}
	run := make(map[string][]string, len(byQuery))
	for q, es := range byQuery {
		sort.SliceStable(es, func(a, b int) bool { return es[a].rank < es[b].rank })
		docs := make([]string, len(es))
		for i, e := range es {
			docs[i] = e.doc
		}
		run[q] = docs
	}
	return run, nil
}

// QueryScore holds one query's figures. A document counts as relevant
// when its grade is above zero.
type QueryScore struct {
	NDCG10    float64 `json:"ndcg@10"`
	P5        float64 `json:"p@5"`
	MRR10     float64 `json:"mrr@10"`
	Recall100 float64 `json:"recall@100"`
	// Unjudged10 counts top-ten documents the judgments do not grade.
	Unjudged10 int `json:"unjudged@10"`
}

// ScoreQuery scores one ranking against one query's grades. nDCG uses the
// gain 2^grade−1, and its ideal ranking is that of every judged document.
func ScoreQuery(ranking []string, grades map[string]int) QueryScore {
	var s QueryScore
	relevant := 0
	var ideal []int
	for _, g := range grades {
		if g > 0 {
			relevant++
			ideal = append(ideal, g)
		}
	}
	dcg, found100 := 0.0, 0
	for rank, doc := range ranking {
		if rank >= 100 {
			break
		}
		g, judged := grades[doc]
		if rank < 10 && !judged {
			s.Unjudged10++
		}
		if g <= 0 {
			continue
		}
		found100++
		if rank < 10 {
			dcg += gain(g) / math.Log2(float64(rank+2))
			if s.MRR10 == 0 {
				s.MRR10 = 1 / float64(rank+1)
			}
		}
		if rank < 5 {
			s.P5 += 0.2
		}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(ideal)))
	idcg := 0.0
	for rank, g := range ideal {
		if rank == 10 {
			break
		}
		idcg += gain(g) / math.Log2(float64(rank+2))
	}
	if idcg > 0 {
		s.NDCG10 = dcg / idcg
	}
	if relevant > 0 {
		s.Recall100 = float64(found100) / float64(relevant)
	}
	return s
}

func gain(grade int) float64 { return math.Exp2(float64(grade)) - 1 }

// RunScore is a run's figures over a set of queries.
type RunScore struct {
	Name     string       `json:"name"`
	Queries  []string     `json:"queries"`
	PerQuery []QueryScore `json:"per_query"`
	Mean     QueryScore   `json:"mean"`
	// NoneInTop5 counts queries with nothing relevant in the top five.
	NoneInTop5 int `json:"none_in_top5"`
	// Unjudged10 is the total of unjudged documents in the top tens.
	Unjudged10 int `json:"unjudged@10"`
}

// ScoreRun scores run over qids; a query the run has no line for scores 0.
func ScoreRun(name string, run map[string][]string, qids []string, j Judgments) RunScore {
	rs := RunScore{Name: name, Queries: qids}
	for _, q := range qids {
		s := ScoreQuery(run[q], j[q])
		rs.PerQuery = append(rs.PerQuery, s)
		rs.Mean.NDCG10 += s.NDCG10
		rs.Mean.P5 += s.P5
		rs.Mean.MRR10 += s.MRR10
		rs.Mean.Recall100 += s.Recall100
		rs.Unjudged10 += s.Unjudged10
		if s.P5 == 0 {
			rs.NoneInTop5++
		}
	}
	if n := float64(len(qids)); n > 0 {
		rs.Mean.NDCG10 /= n
		rs.Mean.P5 /= n
		rs.Mean.MRR10 /= n
		rs.Mean.Recall100 /= n
	}
	rs.Mean.Unjudged10 = rs.Unjudged10
	return rs
}

// JudgedQueries gives, sorted, the queries with at least one relevant
// document: only they have an nDCG.
func JudgedQueries(j Judgments) []string {
	var qids []string
	for q, grades := range j {
		for _, g := range grades {
			if g > 0 {
				qids = append(qids, q)
				break
			}
		}
	}
	sort.Strings(qids)
	return qids
}

// PairedRandomization gives the two-sided p-value of the mean difference
// of paired per-query figures a and b: under the null hypothesis the two
// systems' labels are exchangeable per query, so each round flips the sign
// of every difference at random and counts how often the mean difference
// is at least as large as the one observed.
func PairedRandomization(a, b []float64, rounds int, seed uint64) (float64, error) {
	if len(a) != len(b) {
		return 0, fmt.Errorf("paired test: %d figures against %d", len(a), len(b))
	}
	if len(a) == 0 || rounds < 1 {
		return 1, nil
	}
	diffs := make([]float64, len(a))
	observed := 0.0
	for i := range a {
		diffs[i] = a[i] - b[i]
		observed += diffs[i]
	}
	observed = math.Abs(observed)
	// Sums of float differences in another order can differ in the last
	// bits; a tolerance keeps an identical pair of runs at p = 1.
	const eps = 1e-9
	rng := rand.New(rand.NewPCG(seed, seed+1))
	atLeast := 0
	for r := 0; r < rounds; r++ {
		sum := 0.0
		for _, d := range diffs {
			if rng.IntN(2) == 0 {
				sum += d
			} else {
				sum -= d
			}
		}
		if math.Abs(sum) >= observed-eps {
			atLeast++
		}
	}
	return float64(atLeast+1) / float64(rounds+1), nil
}
