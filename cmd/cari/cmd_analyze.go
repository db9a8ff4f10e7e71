package main

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/analyzer"
	"github.com/carisearch/cari/index"
)

func newAnalyzeCmd(o *options) *cobra.Command {
	var asJSON bool
	var analyzerName string
	cmd := &cobra.Command{
		Use:   "analyze [--index DIR | --analyzer NAME --lexicon FILE] TEXT...",
		Short: "show how an index reads a text",
		Long: `Analyze prints every token of TEXT as the index at --index reads it, with the
analyzer its articles were analyzed with (its own word lists included): the
token's position, its byte offsets in TEXT, the characters there, the
normalized token and the stem that goes into the index. Stop words are shown
and marked; protected words and words found in the root lexicon are marked
too.

Where there is no index yet, it shows how a new one made with --analyzer,
--lexicon and --protected (as cari index takes them) would read TEXT. Those
flags are refused beside an index, which keeps the lists it was made with.`,
		Example: `  cari analyze "Negara-negara itu menyerang dan menyelaraskan kemitraan"
  cari analyze --json "Menhan Tiongkok terbang ke Moskow"
  cari analyze --index /tmp/baru --lexicon istilah.txt "pemrograman"`,
		Args:        cobra.MinimumNArgs(1),
		Annotations: takesLexicon(),
		RunE: func(cmd *cobra.Command, args []string) error {
			text := strings.Join(args, " ")
			tokens, err := o.analyze(cmd, text, index.Options{Analyzer: analyzerName, Lexicons: o.lexicons, Protected: o.protected})
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
	cmd.Flags().StringVar(&analyzerName, "analyzer", "", "analyzer of a new index (see cari index --help), where there is no index")
	return cmd
}

// analyze explains text with the analyzer of the index at --index, or,
// where there is none, with the one a new index made with opts would have.
func (o *options) analyze(cmd *cobra.Command, text string, opts index.Options) ([]cari.Token, error) {
	ix, err := index.Open(o.index)
	if errors.Is(err, index.ErrNoIndex) {
		an, err := index.BodyAnalyzer(opts)
		if err != nil {
			return nil, err
		}
		return analyzer.Explain(an, text)
	}
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	for _, flag := range []string{"analyzer", "lexicon", "protected"} {
		if cmd.Flags().Changed(flag) {
			return nil, fmt.Errorf("--%s is for a new index; the index at %s reads text with the analyzer and word lists it was made with (leave out --%s, or name another --index)", flag, o.index, flag)
		}
	}
	return ix.Analyze(cmd.Context(), text)
}
