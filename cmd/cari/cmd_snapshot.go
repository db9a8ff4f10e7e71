package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/carisearch/cari/index"
	"github.com/carisearch/cari/server"
)

func newSnapshotCmd(o *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "snapshot [--index DIR] DEST",
		Short: "copy the index to a new directory",
		Long: `Snapshot writes a complete copy of the index to DEST, a directory that
must not exist yet (or be empty). The copy appears only once it is whole,
and opens as an index of its own (cari search --index DEST, cari serve
--index DEST): a backup, or the seed of a second server.

While a running "cari serve" holds the index, this command asks it for the
copy (POST /api/snapshots, with the admin key in $CARI_TOKEN): the server
must have been started with --snapshot-dir DIR, makes the copy there while
it serves, and the copy is then moved to DEST (or left where the server
made it, and said so, when DEST is on another filesystem). By hand:

  curl -X POST -H "Authorization: Bearer $CARI_TOKEN" http://127.0.0.1:8080/api/snapshots`,
		Example: `  cari snapshot /backup/berita-2026-12-08
  cari snapshot --index /srv/berita /backup/berita`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ix, err := index.Open(o.index)
			if c, ok := o.throughServer(err, "asking it for the copy"); ok {
				return snapshotThrough(cmd.Context(), o, c, args[0])
			}
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

// snapshotThrough has the server that holds the index make the copy,
// and moves it to dest.
func snapshotThrough(ctx context.Context, o *options, c *server.Client, dest string) error {
	start := time.Now()
	made, err := c.Snapshot(ctx)
	var refused *server.APIError
	if errors.As(err, &refused) && refused.Code == "snapshots_disabled" {
		return fmt.Errorf("%w; restart it with --snapshot-dir DIR, or stop it and run cari snapshot again", err)
	}
	if err != nil {
		return err
	}
	if err := os.Rename(made, dest); err != nil {
		fmt.Fprintf(o.stdout, "the server copied %s to %s in %s (not moved to %s: %v)\n", o.index, made, time.Since(start).Round(time.Millisecond), dest, err)
		return nil
	}
	fmt.Fprintf(o.stdout, "the server copied %s to %s in %s\n", o.index, dest, time.Since(start).Round(time.Millisecond))
	return nil
}
