package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index"
)

func newStatsCmd(o *options) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "stats [--index DIR] [--json]",
		Short: "describe the index",
		Long: `Stats prints the number of articles in the index, its fields, its analyzer
and its size on disk; while a running "cari serve" holds the index, it asks
the server. --json prints the same as an object with the keys
path, documents, shards, fields, size_bytes, analyzer and avg_tokens.`,
		Example: `  cari stats
  cari stats --index /srv/berita --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var st cari.Stats
			ix, err := index.Open(o.index)
			if c, ok := o.throughServer(err, "asking the server"); ok {
				if st, err = c.Stats(cmd.Context()); err != nil {
					return err
				}
				st.Path = o.index // the API does not tell where its index is
			} else {
				if err != nil {
					return err
				}
				defer ix.Close()
				if st, err = ix.Stats(); err != nil {
					return err
				}
			}
			if asJSON {
				return printJSON(o.stdout, st)
			}
			fmt.Fprintf(o.stdout, "index      %s\narticles   %d\nshards     %d\nfields     %s\nanalyzer   %s\nsize       %s\n",
				st.Path, st.Documents, st.Shards, strings.Join(st.Fields, ", "), st.Analyzer, humanBytes(st.SizeBytes))
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the statistics as JSON")
	return cmd
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
