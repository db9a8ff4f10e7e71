package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index"
	"github.com/carisearch/cari/index/input"
	"github.com/carisearch/cari/internal/eval"
)

func newEvalCmd(o *options) *cobra.Command {
	var (
		leadAsTitle, collapse                   bool
		docs, queries, qrels, run, analyzerName string
		splits                                  []string
		asJSON                                  bool
	)
	cmd := &cobra.Command{
		Use:   "eval --docs FILE --queries FILE --qrels FILE [flags]",
		Short: "measure retrieval quality on a known-item set",
		Long: `Eval indexes the documents of a retrieval set into a temporary index, runs every question as plain text (never as query syntax), and prints
MRR@10, Recall@10, Recall@100 and nDCG@10 over the questions that have a
relevant document.

Files: --docs is JSON Lines (id, and body or text); --queries is
qid<TAB>split<TAB>question; --qrels is TREC qrels ("qid 0 docid 1").
Given --index DIR, eval evaluates that existing index instead of --docs.
--run writes the ranking as a TREC run file; with --run, --qrels may be
left out, to rank a query set that has no qrels of this kind (the graded
keyword set, scored by eval compare). --lead-as-title splits each
document's first sentence off as its title, a stand-in for titles when
weighing them (the question sets have none).`,
		Example: `  cari eval --docs ../shared/eval/facqa/passages.jsonl \
            --queries ../shared/eval/facqa/queries.tsv \
            --qrels ../shared/eval/facqa/qrels.txt
  cari eval ... --analyzer standard --json`,
		Args:        cobra.NoArgs,
		Annotations: map[string]string{"lexicon": "yes", "synonyms": "yes"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			useIndex := cmd.Flags().Changed("index")
			if queries == "" || (qrels == "" && run == "") || (docs == "" && !useIndex) {
				return fmt.Errorf("eval needs --queries, --qrels (or only --run) and --docs (or --index DIR)")
			}
			qs, err := eval.ReadQueries(queries, splits)
			if err != nil {
				return err
			}
			// Without judgments, eval only writes the ranking, for
			// scoring elsewhere (eval compare, on graded judgments).
			rels := eval.Qrels{}
			if qrels != "" {
				if rels, err = eval.ReadQrels(qrels); err != nil {
					return err
				}
			}
			var ix *index.Index
			if useIndex {
				ix, err = index.Open(o.index)
			} else {
				ix, err = index.CreateTemp(index.Options{Analyzer: analyzerName, Lexicons: o.lexicons, Protected: o.protected})
			}
			if err != nil {
				return err
			}
			defer ix.Close()
			if err := o.addSynonyms(ix); err != nil {
				return err
			}
			start := time.Now()
			if !useIndex {
				var src input.Source = input.Paths(docs)
				titles := ""
				if leadAsTitle {
					src, titles = leadTitles{src}, ", each with its first sentence as title,"
				}
				report, err := ix.Ingest(ctx, src, index.IngestOptions{})
				if err != nil {
					return err
				}
				for _, fe := range report.Skipped {
					fmt.Fprintf(o.stderr, "skipped: %v\n", fe)
				}
				fmt.Fprintf(o.stderr, "indexed %d documents%s in %s\n", report.Total(), titles, time.Since(start).Round(time.Millisecond))
			}
			var runFile *os.File
			if run != "" {
				if runFile, err = os.Create(run); err != nil {
					return fmt.Errorf("run file: %w", err)
				}
				defer runFile.Close()
			}
			name := "cari-" + analyzerName
			if analyzerName == "" {
				name = "cari-id"
			}
			var searcher eval.Searcher = ix
			if collapse {
				searcher = collapsing{ix}
			}
			var rep eval.Report
			if runFile != nil {
				rep, err = eval.Run(ctx, searcher, qs, rels, name, runFile)
			} else {
				rep, err = eval.Run(ctx, searcher, qs, rels, name, nil)
			}
			if err != nil {
				return err
			}
			if runFile != nil {
				if err := runFile.Close(); err != nil {
					return fmt.Errorf("run file: %w", err)
				}
			}
			if qrels == "" {
				fmt.Fprintf(o.stdout, "%d queries searched; the ranking is in %s (no --qrels: nothing scored)\n", len(qs), run)
				return nil
			}
			if asJSON {
				return printJSON(o.stdout, rep)
			}
			fmt.Fprintf(o.stdout, "queries     %d\nMRR@10      %.4f\nRecall@10   %.4f\nRecall@100  %.4f\nnDCG@10     %.4f\n",
				rep.Queries, rep.MRR10, rep.Recall10, rep.Recall100, rep.NDCG10)
			return nil
		},
	}
	cmd.AddCommand(newEvalCompareCmd(o))
	f := cmd.Flags()
	f.StringVar(&docs, "docs", "", "documents, JSON Lines")
	f.StringVar(&queries, "queries", "", "questions: qid<TAB>split<TAB>question")
	f.StringVar(&qrels, "qrels", "", "relevance judgements, TREC qrels")
	f.StringVar(&run, "run", "", "write the ranking to this TREC run file")
	f.StringVar(&analyzerName, "analyzer", "", `analyzer: "id_fold_exact" (default: stems, and words as written, old and informal spellings folded), "id_fold" (stems alone, folded), "id_exact" and "id" (without folding) or "standard"`)
	f.StringSliceVar(&splits, "split", nil, "only questions of these splits (e.g. train,valid)")
	f.BoolVar(&asJSON, "json", false, "print the figures as JSON")
	f.BoolVar(&collapse, "collapse", false, "rank one hit per story, as the search page and API do (the others of a story are left out of the ranking)")
	f.BoolVar(&leadAsTitle, "lead-as-title", false, "split each document's first sentence off as its title (the question sets have no titles; this stands in for them when weighing titles)")
	return cmd
}

// leadTitles reads its Source with each article's first sentence as its
// title and the rest as its body: the stand-in for titles that --lead-as-title
// gives the question sets, which have none.
type leadTitles struct{ input.Source }

func (s leadTitles) Read(ctx context.Context, h input.Handlers) error {
	emit := h.Emit
	h.Emit = func(rec input.Record) error {
		a := &rec.Article
		lead := cari.LeadSentence(a.Body)
		if rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(a.Body), lead)); rest != "" && !strings.HasSuffix(lead, "…") {
			a.Title, a.Body = lead, rest
		}
		return emit(rec)
	}
	return s.Source.Read(ctx, h)
}

// collapsing searches with one hit per story (cari eval --collapse).
type collapsing struct{ eval.Searcher }

func (c collapsing) Search(ctx context.Context, r cari.Request) (*cari.Result, error) {
	r.Collapse = true
	return c.Searcher.Search(ctx, r)
}
