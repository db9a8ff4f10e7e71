package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/carisearch/cari"
)

func newSimilarCmd(o *options) *cobra.Command {
	var (
		size   int
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "similar [flags] ID",
		Short: "list the articles related to one article",
		Long: `Similar lists the articles most related to the article ID, best first,
never the article itself. The article's title and body are analyzed as the
index analyzed them, its 25 most distinctive terms (frequent in it, rare in
the index; title terms weigh more) are searched in titles and bodies, and
the hits are ranked by BM25, as in cari search. The first line names the
terms searched.

--json prints the result object of GET /api/articles/{id}/similar: the
shape of a search result, with "query" holding the terms searched and each
hit's lead sentence as its snippet.`,
		Example: `  cari similar kn-2023-002
  cari similar --size 10 --json kn-2023-002`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ix, closeIndex, err := o.openReader("asking")
			if err != nil {
				return err
			}
			defer closeIndex()
			res, err := ix.Similar(cmd.Context(), args[0], size)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(o.stdout, res)
			}
			if len(res.Hits) == 0 {
				fmt.Fprintf(o.stdout, "no articles related to %s\n", args[0])
				return nil
			}
			fmt.Fprintf(o.stdout, "%d articles related to %s, by the terms: %s\n\n", len(res.Hits), args[0], res.Query)
			printHits(o, res)
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&size, "size", cari.DefaultSimilarSize, "how many related articles")
	f.BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}

func newSuggestCmd(o *options) *cobra.Command {
	var (
		size   int
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "suggest [flags] TEXT...",
		Short: "complete what is being typed into a search box",
		Long: `Suggest completes the last word of TEXT as the search page's box does:
first words as they are written in the articles, the most used first (after
other words, those that most often follow the previous word), then the
titles of articles that hold such a word (from the third letter typed).
Each line gives the kind (term or title), the completion, and the number of
articles using the word (a word alone) or the article's id. Completions come
from the index's dictionaries, so they follow every write at once.

--json prints the completions of GET /api/suggest.`,
		Example: `  cari suggest multip
  cari suggest kerja sa
  cari suggest --json --size 20 pertah`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ix, closeIndex, err := o.openReader("asking")
			if err != nil {
				return err
			}
			defer closeIndex()
			c, err := ix.Suggest(cmd.Context(), strings.Join(args, " "), size)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(o.stdout, c)
			}
			for _, x := range c {
				switch {
				case x.Kind == cari.CompletionTitle:
					fmt.Fprintf(o.stdout, "%-5s  %s  (%s)\n", x.Kind, x.Text, x.ID)
				case x.Count > 0:
					fmt.Fprintf(o.stdout, "%-5s  %s  (%s)\n", x.Kind, x.Text, plural(x.Count, "article"))
				default:
					fmt.Fprintf(o.stdout, "%-5s  %s\n", x.Kind, x.Text)
				}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&size, "size", cari.DefaultSuggestSize, fmt.Sprintf("at most this many completions (1–%d)", cari.MaxSuggestSize))
	f.BoolVar(&asJSON, "json", false, "print the completions as JSON")
	return cmd
}
