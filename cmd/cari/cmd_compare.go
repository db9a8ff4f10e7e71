package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/carisearch/cari/internal/eval"
)

// randomizationRounds is the number of sign flips of the paired test; 10,000
// puts a p-value near 0.05 within ±0.005.
const randomizationRounds = 10000

func newEvalCompareCmd(o *options) *cobra.Command {
	var (
		qrels, queries string
		asJSON         bool
	)
	cmd := &cobra.Command{
		Use:   "compare --qrels FILE RUN...",
		Short: "score TREC runs on graded judgments and test their differences",
		Long: `Compare scores each TREC run file against graded judgments (qrels with
grades 0, 1, 2; a grade above 0 is relevant) and prints, per run, the mean
nDCG@10, P@5, MRR@10 and Recall@100, the number of queries with nothing
relevant in the top five, and the number of top-ten documents no judgment
grades (a hole in the pool: grade them before trusting the figures).

Every run after the first is tested against the first with a paired
randomization test on nDCG@10 and on P@5 (two-sided, 10,000 rounds); the
p columns give its p-values.

The queries scored are those with at least one relevant document, or with
--queries, every query of that file (a query without a relevant document
then scores 0 for every run).`,
		Example: `  cari eval compare --qrels testdata/relevance/qrels.tsv cari.run bleve.run fts5.run`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, runs []string) error {
			if qrels == "" {
				return fmt.Errorf("compare needs --qrels")
			}
			j, err := eval.ReadJudgments(qrels)
			if err != nil {
				return err
			}
			qids := eval.JudgedQueries(j)
			if queries != "" {
				qs, err := eval.ReadQueries(queries, nil)
				if err != nil {
					return err
				}
				qids = qids[:0]
				for _, q := range qs {
					qids = append(qids, q.ID)
				}
			}
			if len(qids) == 0 {
				return fmt.Errorf("%s: no query has a relevant document", qrels)
			}
			type row struct {
				eval.RunScore
				PNDCG float64 `json:"p_ndcg@10"`
				PP5   float64 `json:"p_p@5"`
			}
			var rows []row
			for _, path := range runs {
				run, err := eval.ReadRun(path)
				if err != nil {
					return err
				}
				name := strings.TrimSuffix(filepath.Base(path), ".run")
				rows = append(rows, row{RunScore: eval.ScoreRun(name, run, qids, j)})
			}
			for i := 1; i < len(rows); i++ {
				base, r := rows[0].PerQuery, rows[i].PerQuery
				if rows[i].PNDCG, err = eval.PairedRandomization(figures(r, ndcg), figures(base, ndcg), randomizationRounds, 1); err != nil {
					return err
				}
				if rows[i].PP5, err = eval.PairedRandomization(figures(r, p5), figures(base, p5), randomizationRounds, 1); err != nil {
					return err
				}
			}
			if asJSON {
				return printJSON(o.stdout, rows)
			}
			fmt.Fprintf(o.stdout, "%d queries; p: paired randomization test against %s\n", len(qids), rows[0].Name)
			tw := tabwriter.NewWriter(o.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "run\tnDCG@10\tp\tP@5\tp\tMRR@10\tR@100\tnone in top 5\tunjudged@10")
			for i, r := range rows {
				pn, pp := "-", "-"
				if i > 0 {
					pn, pp = fmt.Sprintf("%.4f", r.PNDCG), fmt.Sprintf("%.4f", r.PP5)
				}
				fmt.Fprintf(tw, "%s\t%.4f\t%s\t%.4f\t%s\t%.4f\t%.4f\t%d\t%d\n", r.Name, r.Mean.NDCG10, pn, r.Mean.P5, pp, r.Mean.MRR10, r.Mean.Recall100, r.NoneInTop5, r.Unjudged10)
			}
			return tw.Flush()
		},
	}
	f := cmd.Flags()
	f.StringVar(&qrels, "qrels", "", "graded judgments, TREC qrels (qid 0 docid grade)")
	f.StringVar(&queries, "queries", "", "score every query of this file (qid<TAB>category<TAB>query)")
	f.BoolVar(&asJSON, "json", false, "print the figures, per query too, as JSON")
	return cmd
}

func ndcg(s eval.QueryScore) float64 { return s.NDCG10 }
func p5(s eval.QueryScore) float64   { return s.P5 }

func figures(scores []eval.QueryScore, pick func(eval.QueryScore) float64) []float64 {
	out := make([]float64, len(scores))
	for i, s := range scores {
		out[i] = pick(s)
	}
	return out
}
