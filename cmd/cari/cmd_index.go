package main

import (
	"fmt"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/carisearch/cari/index"
)

func newIndexCmd(o *options) *cobra.Command {
	var batch int
	var analyzerName string
	cmd := &cobra.Command{
		Use:   "index [--index DIR] PATH...",
		Short: "add articles to the index",
		Long: `Index reads articles from each PATH and adds them to the index, creating
it if needed. A directory is walked; "-" reads JSON Lines from standard input.

Formats, by extension:
  .jsonl .ndjson  one JSON object a line
  .json           a JSON array of objects
  .csv            a header row, then one article a row
  .txt .md        one article: a dateline ("kabarnusantara.id – Senin, 14 Agustus
                  2023") opening the first line, or a title line and then the
                  dateline; with no dateline, a title line and the body

Fields: id, title, body (or text), source, url, published (or date: YYYY-MM-DD
or RFC 3339), tags. Only body is required. An article without an id gets one
from its url, else from its content; a text file's id is its file name.

Indexing is an upsert: an article whose id is already indexed is replaced,
and one that has not changed is left alone, so running index twice on the
same files changes nothing. A bad record is reported with file, line and field
and skipped; the rest are indexed. The exit status is 1 if anything was
skipped.

--lexicon and --protected take effect when the index is created: the index
remembers them, so searches stem queries as the articles were stemmed.`,
		Example: `  cari index testdata/articles
  cari index --index /srv/berita arsip/2023.jsonl arsip/2024.jsonl
  zcat berita.jsonl.gz | cari index -`,
		Args:        cobra.MinimumNArgs(1),
		Annotations: takesLexicon(),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			ix, created, err := index.OpenOrCreate(o.index, index.Options{Analyzer: analyzerName, Lexicons: o.lexicons, Protected: o.protected})
			if err != nil {
				return err
			}
			defer ix.Close()
			if created {
				fmt.Fprintf(o.stderr, "created index %s\n", o.index)
			}
			progress, finish := progressReporter(o)
			start := time.Now()
			report, err := ix.Ingest(ctx, args, batch, progress)
			finish()
			for _, fe := range report.Skipped {
				fmt.Fprintf(o.stderr, "skipped: %v\n", fe)
			}
			if err != nil {
				return fmt.Errorf("indexing stopped, %d articles written before: %w", report.Total(), err)
			}
			count, err := ix.Count()
			if err != nil {
				return err
			}
			fmt.Fprintf(o.stdout, "%d indexed, %d updated, %d unchanged, %d skipped in %s; %s holds %d articles\n",
				report.Indexed, report.Updated, report.Unchanged, len(report.Skipped), time.Since(start).Round(time.Millisecond), o.index, count)
			if len(report.Skipped) > 0 {
				return exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&batch, "batch", index.DefaultBatchSize, "articles written to the index at once")
	cmd.Flags().StringVar(&analyzerName, "analyzer", "", `analyzer of a new index: "id" (default) or a bleve analyzer such as "standard"`)
	return cmd
}

// progressReporter shows a progress bar on a terminal and a plain line
// every 10,000 records elsewhere.
func progressReporter(o *options) (progress func(int), finish func()) {
	if isTerminal(o.stderr) {
		bar := progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(o.stderr),
			progressbar.OptionSetDescription("indexing"),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("articles"),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
		return func(int) { _ = bar.Add(1) }, func() { _ = bar.Finish() }
	}
	return func(done int) {
		if done%10000 == 0 {
			fmt.Fprintf(o.stderr, "read %d records\n", done)
		}
	}, func() {}
}
