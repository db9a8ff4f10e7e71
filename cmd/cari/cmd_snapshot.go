package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/carisearch/cari/index"
)

func newSnapshotCmd(o *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "snapshot [--index DIR] DEST",
		Short: "copy the index to a new directory",
		Long: `Snapshot writes a complete copy of the index to DEST, a directory that
must not exist yet (or be empty). The copy appears only once it is whole,
and opens as an index of its own (cari search --index DEST, cari serve
--index DEST): a backup, or the seed of a second server.

While a running "cari serve" holds the index, this command cannot open it;
start the server with --snapshot-dir DIR and ask it instead, with its write
token, for a copy made while it serves:

  curl -X POST -H "Authorization: Bearer $CARI_TOKEN" http://127.0.0.1:8080/api/snapshots`,
		Example: `  cari snapshot /backup/berita-2026-12-08
  cari snapshot --index /srv/berita /backup/berita`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ix, err := index.Open(o.index)
			if err != nil {
				return err
			}
			defer ix.Close()
			start := time.Now()
			if err := ix.Snapshot(cmd.Context(), args[0]); err != nil {
				return err
			}
			n, err := ix.Count()
			if err != nil {
				return err
			}
			fmt.Fprintf(o.stdout, "copied %s (%s) to %s in %s\n", o.index, plural(int(n), "article"), args[0], time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	return cmd
}
