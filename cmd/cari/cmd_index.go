package main

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index"
	"github.com/carisearch/cari/index/input"
	"github.com/carisearch/cari/server"
)

func newIndexCmd(o *options) *cobra.Command {
	var batch, shards int
	var rebuild bool
	var minFree string
	var analyzerName, serverURL, tokenFile, cpuProfile, memProfile string
	cmd := &cobra.Command{
		Use:   "index [--index DIR [--shards N] [--rebuild] | --server URL [--token-file FILE]] PATH...",
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
Any of them may be compressed, gzip or Zstandard (news.jsonl.gz,
news.jsonl.zst, or found by its first bytes, standard input too).

Fields: id, title, body (or text), source, url, published (or date:
YYYY-MM-DD, RFC 3339, DD/MM/YYYY, "14 Agustus 2023" or RFC 1123), tags. Only
body is required; a body over 1 MiB is skipped, never cut. An article without
an id gets one from its url, else from its content; a text file's id is its
file name.

Indexing is an upsert: an article whose id is already indexed is replaced,
and one that has not changed is left alone, so running index twice on the
same files changes nothing. A bad record is reported with file, line and field
and skipped; the rest are indexed. The exit status is 1 if anything was
skipped. A run that writes nothing into an index it created (a path
mistyped, every record refused) removes that index again. Warnings (an id twice in one file, where the later record wins;
fields cari does not know, which are ignored) are printed but do not change
the exit status.

--lexicon and --protected take effect when the index is created: the index
remembers them, so searches stem queries as the articles were stemmed.

--shards N splits a new index into N scorch indexes (shards), an article
going to the shard its id hashes to; searches run over all of them as one
index, with the same ranking and scores as an index of one shard, and
writes use a core per shard. N is fixed when the index is created (default
1, the layout of indexes made before shards existed); to change it, use
--rebuild.

--rebuild makes the index anew from the PATHs alone: it is built in a
hidden directory beside --index DIR and swapped in at once (an atomic
rename exchange), so the directory never holds a half-built index and a
failed or interrupted rebuild leaves the old index as it was. The old index
is removed after the swap. The new index takes --shards, --analyzer,
--lexicon and --protected as given, and when --shards is not given, the
shard count of the index it replaces. While "cari serve" holds the index,
the old one is kept (as .DIR.old beside it) until the server is told to
switch: send it SIGHUP (kill -HUP PID), and it opens the new index, lets
searches in flight finish on the old one, then closes and removes it.

Progress goes to standard error: on a terminal, a bar with the articles
read, MB/s and, when reading files (whose size is known), the time left;
elsewhere a log line every 5 seconds (articles, MB, articles/s, MB/s).

An index directory is open in one process at a time, so while "cari serve"
holds it, index through the server instead: --server URL reads the files
here exactly as above and sends the good records to the server's
POST /api/articles, --batch articles a request. Writes need the server's
token, read from --token-file FILE (white space around it is ignored) or
$CARI_TOKEN. A record the server refuses is reported with its file, line
and field like one the reader refuses, and the exit status is 1 for
either. The summary ends with the server's article count (GET /api/stats)
when the server gives it. --index, --analyzer, --lexicon and --protected
belong to the server's index and are refused with --server.`,
		Example: `  cari index testdata/articles
  cari index --index /srv/berita arsip/2023.jsonl arsip/2024.jsonl
  cari index arsip/berita.jsonl.gz
  zcat berita.jsonl.gz | cari index -
  cari index --index /srv/berita --shards 2 arsip/
  cari index --index /srv/berita --rebuild arsip/     # then, if a server runs: kill -HUP PID

  # while "cari serve --index /srv/berita --token-file /etc/cari/token" runs
  cari index --server http://127.0.0.1:8080 --token-file /etc/cari/token arsip/2024.jsonl
  CARI_TOKEN=$(cat /etc/cari/token) cari index --server http://127.0.0.1:8080 -`,
		Args:        cobra.MinimumNArgs(1),
		Annotations: takesLexicon(),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if serverURL != "" {
				for _, name := range []string{"index", "analyzer", "lexicon", "protected", "shards", "rebuild"} {
					if cmd.Flags().Changed(name) {
						return fmt.Errorf("--%s belongs to the server's index; it cannot be given with --server", name)
					}
				}
				token := strings.TrimSpace(o.getenv("CARI_TOKEN"))
				if cmd.Flags().Changed("token-file") {
					var err error
					if token, err = readTokenFile(tokenFile); err != nil {
						return err
					}
				}
				if token == "" {
					return errors.New("--server needs the server's write token: --token-file FILE or $CARI_TOKEN")
				}
				c := &server.Client{BaseURL: serverURL, Token: token, HTTP: &http.Client{Timeout: 10 * time.Minute}}
				return indexRemote(o, cmd, c, args, batch)
			}
			if cmd.Flags().Changed("token-file") {
				return errors.New("--token-file is for --server; writing to a local index needs no token")
			}
			if shards < 1 || shards > index.MaxShards {
				return fmt.Errorf("--shards must be between 1 and %d, not %d", index.MaxShards, shards)
			}
			opts := index.Options{Analyzer: analyzerName, Lexicons: o.lexicons, Protected: o.protected, Shards: shards}
			reserve, err := index.ParseBytes(minFree)
			if err != nil {
				return fmt.Errorf("--min-free: %w", err)
			}
			ingest := func(ix *index.Index) (cari.IngestReport, error) {
				ix.SetMinFree(reserve)
				src := input.Paths(args...)
				p := newIngestProgress(o.stderr, isTerminal(o.stderr), src.Size())
				report, err := ix.Ingest(ctx, src, index.IngestOptions{BatchSize: batch, Progress: p.update})
				p.finish()
				return report, err
			}
			if o.getenv("GOGC") == "" {
				// Indexing allocates token lists by the million and keeps
				// few: collecting at 200% growth instead of 100% cuts
				// ingest CPU by about a tenth for about a third more peak
				// memory (scripts/bench-ingest.sh). $GOGC overrides it.
				defer debug.SetGCPercent(debug.SetGCPercent(indexGCPercent))
			}
			if o.getenv("GOMEMLIMIT") == "" {
				// What an ingest holds does not grow with the archive
				// (two batches analyzed, the segments being built and
				// merged), but at 200% the heap grows to three times it,
				// and scorch's merges of a large archive add their own:
				// a million articles peaked at 1.4 GB of memory. A soft
				// limit makes the collector run sooner near it; the
				// million peaked at 881 MiB with 450 MiB (issue 15).
				// $GOMEMLIMIT overrides it.
				defer debug.SetMemoryLimit(debug.SetMemoryLimit(indexMemoryLimit))
			}
			stopProfile, err := startCPUProfile(cpuProfile)
			if err != nil {
				return err
			}
			defer func() {
				if err := stopProfile(); err != nil {
					fmt.Fprintf(o.stderr, "cari: %v\n", err)
				}
				if err := writeHeapProfile(memProfile); err != nil {
					fmt.Fprintf(o.stderr, "cari: %v\n", err)
				}
			}()
			start := time.Now()
			if rebuild {
				return rebuildIndex(o, cmd, opts, ingest, start)
			}
			_, statErr := os.Stat(o.index)
			dirExisted := statErr == nil
			ix, created, err := index.OpenOrCreate(o.index, opts)
			if err != nil {
				return err
			}
			open := true
			defer func() {
				if open {
					ix.Close()
				}
			}()
			if created {
				fmt.Fprintf(o.stderr, "created index %s\n", o.index)
			} else if cmd.Flags().Changed("shards") && ix.Shards() != shards {
				return fmt.Errorf("%s has %d shards; --shards applies to a new index (add --rebuild to make it anew with %d)", o.index, ix.Shards(), shards)
			}
			report, ingestErr := ingest(ix)
			if created && report.Indexed == 0 {
				// A run that wrote nothing leaves no new index behind:
				// a typo in a path, or input all refused, should not
				// leave a directory that looks like an index.
				if n, err := ix.Count(); err == nil && n == 0 {
					open = false
					if err := ix.Close(); err != nil {
						return err
					}
					if err := removeNewIndex(o.index, dirExisted); err != nil {
						return err
					}
					fmt.Fprintf(o.stderr, "nothing was indexed: removed the new index %s\n", o.index)
					if err := reportIngest(o, report, ingestErr); err != nil {
						return err
					}
					return summarize(o, report, start, "no index was made")
				}
			}
			if err := reportIngest(o, report, ingestErr); err != nil {
				return err
			}
			count, err := ix.Count()
			if err != nil {
				return err
			}
			return summarize(o, report, start, fmt.Sprintf("%s holds %d articles", o.index, count))
		},
	}
	cmd.Flags().IntVar(&batch, "batch", cari.DefaultBatchSize, "articles written to the index, or sent to the server, at once")
	cmd.Flags().StringVar(&minFree, "min-free", index.FormatBytes(index.DefaultMinFree), "stop before a write would leave less than `SIZE` free on the index's disk; 0 checks nothing")
	cmd.Flags().IntVar(&shards, "shards", 1, "split a new index into `N` shards (fixed at creation)")
	cmd.Flags().BoolVar(&rebuild, "rebuild", false, "build the index anew from the PATHs beside --index and swap it in atomically")
	cmd.Flags().StringVar(&analyzerName, "analyzer", "", `analyzer of a new index: "id_fold_exact" (default: stems, and words as written, old and informal spellings folded: Soekarno as Sukarno, gak as tidak), "id_fold" (stems alone, folded), "id_exact" and "id" (the same without folding, as indexes made before) or a bleve analyzer such as "standard"`)
	cmd.Flags().StringVar(&serverURL, "server", "", "send the articles to the cari server at `URL` instead of opening an index")
	cmd.Flags().StringVar(&cpuProfile, "cpu-profile", "", "write a CPU profile of the indexing to `FILE` (go tool pprof reads it)")
	cmd.Flags().StringVar(&memProfile, "mem-profile", "", "write a heap profile to `FILE` when the indexing ends")
	cmd.Flags().StringVar(&tokenFile, "token-file", "", "with --server, read the write token from `FILE` (default $CARI_TOKEN)")
	return cmd
}

// indexGCPercent is the garbage collector's target while indexing.
const indexGCPercent = 200

// indexMemoryLimit is the soft limit of the heap while indexing.
const indexMemoryLimit = 450 << 20

// rebuildIndex builds a new index from the inputs and swaps it in for the
// one at --index (see index.Rebuild).
func rebuildIndex(o *options, cmd *cobra.Command, opts index.Options, ingest func(*index.Index) (cari.IngestReport, error), start time.Time) error {
	if !cmd.Flags().Changed("shards") {
		n, err := index.ShardCount(o.index)
		if err != nil {
			return err
		}
		opts.Shards = max(n, 1)
	}
	var report cari.IngestReport
	var count uint64
	res, err := index.Rebuild(cmd.Context(), o.index, opts, func(ix *index.Index) error {
		var err error
		report, err = ingest(ix)
		if err := reportIngest(o, report, err); err != nil {
			return err
		}
		count, err = ix.Count()
		return err
	})
	if err != nil {
		return fmt.Errorf("rebuild %s (the index there is unchanged): %w", o.index, err)
	}
	for _, dir := range res.Removed {
		fmt.Fprintf(o.stderr, "removed %s, left by an earlier rebuild that did not finish\n", dir)
	}
	if res.OldKept != "" {
		fmt.Fprintf(o.stderr, "a running server still uses the old index, now at %s: send the server SIGHUP to switch to the new one, which removes the old\n", res.OldKept)
	}
	return summarize(o, report, start, fmt.Sprintf("%s rebuilt, holds %d articles", o.index, count))
}

// indexRemote sends the articles under paths to a running server.
func indexRemote(o *options, cmd *cobra.Command, c *server.Client, paths []string, batch int) error {
	ctx := cmd.Context()
	src := input.Paths(paths...)
	p := newIngestProgress(o.stderr, isTerminal(o.stderr), src.Size())
	start := time.Now()
	report, err := c.Ingest(ctx, src, batch, p.update)
	p.finish()
	if err := reportIngest(o, report, err); err != nil {
		return err
	}
	holds := "server " + c.BaseURL
	if st, err := c.Stats(ctx); err == nil {
		holds = fmt.Sprintf("server %s holds %d articles", c.BaseURL, st.Documents)
	}
	return summarize(o, report, start, holds)
}

// reportIngest prints the skipped records and explains an error that
// stopped the run.
// removeNewIndex removes an index this run created: its directory, or,
// where the directory was there before (empty), what the run put in it.
func removeNewIndex(dir string, dirExisted bool) error {
	if !dirExisted {
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("remove the new index: %w", err)
		}
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("remove the new index: %w", err)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("remove the new index: %w", err)
		}
	}
	return nil
}

func reportIngest(o *options, report cari.IngestReport, err error) error {
	for _, fe := range report.Warnings {
		fmt.Fprintf(o.stderr, "warning: %v\n", fe)
	}
	for _, fe := range report.Skipped {
		fmt.Fprintf(o.stderr, "skipped: %v\n", fe)
	}
	if errors.Is(err, index.ErrNotMerged) {
		return fmt.Errorf("all %d articles written, and the index is whole; %w", report.Total(), err)
	}
	if err != nil {
		return fmt.Errorf("indexing stopped, %d articles written before: %w", report.Total(), err)
	}
	return nil
}

// summarize prints the counts line, ending with where the articles went,
// and fails with status 1 if anything was skipped.
func summarize(o *options, report cari.IngestReport, start time.Time, holds string) error {
	fmt.Fprintf(o.stdout, "%d indexed, %d updated, %d unchanged, %d skipped in %s; %s\n",
		report.Indexed, report.Updated, report.Unchanged, len(report.Skipped), time.Since(start).Round(time.Millisecond), holds)
	if len(report.Skipped) > 0 {
		return exitError{code: 1}
	}
	return nil
}
