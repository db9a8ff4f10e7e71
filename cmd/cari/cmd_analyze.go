package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/carisearch/cari/analyzer"
)

func newAnalyzeCmd(o *options) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "analyze TEXT...",
		Short: "show how the Indonesian analyzer reads a text",
		Long: `Analyze prints every token of TEXT as the id analyzer sees it: its position,
its byte offsets in TEXT, the characters there, the normalized token and the
stem that goes into the index. Stop words are shown and marked; protected
words and words found in the root lexicon are marked too.`,
		Example: `  cari analyze "Negara-negara itu menyerang dan menyelaraskan kemitraan"
  cari analyze --json "Menhan Tiongkok terbang ke Moskow"`,
		Args:        cobra.MinimumNArgs(1),
		Annotations: takesLexicon(),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := o.stemmer()
			if err != nil {
				return err
			}
			text := strings.Join(args, " ")
			tokens, err := analyzer.Explain(text, s)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(o.stdout, map[string]interface{}{"text": text, "tokens": tokens})
			}
			tw := tabwriter.NewWriter(o.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "POS\tOFFSETS\tTEXT\tTOKEN\tSTEM\tNOTE")
			for _, t := range tokens {
				var notes []string
				switch {
				case t.Stop:
					notes = append(notes, "stop word")
				case t.Protected:
					notes = append(notes, "protected")
				case t.Root:
					notes = append(notes, "root")
				}
				stem := t.Stem
				if t.Stop {
					stem = "-"
				}
				fmt.Fprintf(tw, "%d\t%d-%d\t%s\t%s\t%s\t%s\n", t.Position, t.Start, t.End, t.Text, t.Token, stem, strings.Join(notes, ", "))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the tokens as JSON")
	return cmd
}
