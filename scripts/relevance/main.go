// Command relevance runs cari's peer engines (bleve, SQLite FTS5; Xapian
// is xapian_peer.py) over a corpus and a query file, writing TREC run
// files, makes the known-item set and scores runs. See README.md.
//
//	go run -tags sqlite_fts5 . index  -system bleve|fts5 -corpus FILE -out DIR [-no-titles]
//	go run -tags sqlite_fts5 . search -system bleve|fts5 -index DIR -queries FILE [-depth 100] -out RUN
//	go run . knownitem -corpus FILE -gapfree FILE [-n 1000] [-seed 1] -out DIR
//	go run . score -qrels FILE -run RUN [-queries FILE]
//	go run . pool -corpus FILE -queries FILE -needs FILE [-qrels FILE] -depth 20 -parts 8 -out DIR RUN...
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

func usage() {
	fmt.Fprint(os.Stderr, `usage:
  relevance index  -system bleve|fts5 -corpus FILE -out DIR [-no-titles]
  relevance search -system bleve|fts5 -index DIR -queries FILE [-depth 100] -out RUN
  relevance knownitem -corpus FILE -gapfree FILE [-n 1000] [-seed 1] -out DIR
  relevance score -qrels FILE -run RUN [-queries FILE]
  relevance pool -corpus FILE -queries FILE -needs FILE [-qrels FILE] [-depth 20] [-parts 8] [-seed 1] -out DIR RUN...
`)
	os.Exit(2)
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	cmd, args := os.Args[1], os.Args[2:]
	fs := flag.NewFlagSet(cmd, flag.ExitOnError)
	var err error
	switch cmd {
	case "index":
		system := fs.String("system", "", "bleve or fts5")
		corpus := fs.String("corpus", "", "corpus, JSON Lines, optionally gzipped")
		out := fs.String("out", "", "index directory to create")
		noTitles := fs.Bool("no-titles", false, "index bodies only")
		fs.Parse(args)
		need(fs, *system, *corpus, *out)
		start := time.Now()
		var n int
		switch *system {
		case "bleve":
			n, err = bleveIndex(*corpus, *out, *noTitles)
		case "fts5":
			n, err = fts5Index(*corpus, *out, *noTitles)
		default:
			err = fmt.Errorf("unknown -system %q", *system)
		}
		if err == nil {
			fmt.Fprintf(os.Stderr, "%s: indexed %d articles in %.1f s\n", *system, n, time.Since(start).Seconds())
		}
	case "search":
		system := fs.String("system", "", "bleve or fts5")
		dir := fs.String("index", "", "index directory")
		queries := fs.String("queries", "", "queries, qid<TAB>split<TAB>text")
		depth := fs.Int("depth", 100, "results per query")
		out := fs.String("out", "", "run file to write")
		fs.Parse(args)
		need(fs, *system, *dir, *queries, *out)
		if *depth < 1 {
			err = errors.New("-depth must be at least 1")
			break
		}
		start := time.Now()
		switch *system {
		case "bleve":
			err = bleveSearch(*dir, *queries, *depth, *out)
		case "fts5":
			err = fts5Search(*dir, *queries, *depth, *out)
		default:
			err = fmt.Errorf("unknown -system %q", *system)
		}
		if err == nil {
			fmt.Fprintf(os.Stderr, "%s: searched in %.1f s\n", *system, time.Since(start).Seconds())
		}
	case "knownitem":
		corpus := fs.String("corpus", "", "corpus, JSON Lines, optionally gzipped")
		gapfree := fs.String("gapfree", "", "ids of gap-free articles, one a line")
		n := fs.Int("n", 1000, "number of queries")
		seed := fs.Uint64("seed", 1, "sampling seed")
		out := fs.String("out", "", "directory to write passages.jsonl, queries.tsv, qrels.txt")
		fs.Parse(args)
		need(fs, *corpus, *gapfree, *out)
		err = knownItem(*corpus, *gapfree, *n, *seed, *out)
	case "score":
		qrels := fs.String("qrels", "", "qrels, qid 0 docid grade")
		run := fs.String("run", "", "TREC run file")
		queries := fs.String("queries", "", "optional query file, for per-split figures")
		fs.Parse(args)
		need(fs, *qrels, *run)
		err = score(*qrels, *run, *queries)
	case "pool":
		corpus := fs.String("corpus", "", "corpus, JSON Lines, optionally gzipped")
		queries := fs.String("queries", "", "queries, qid<TAB>split<TAB>text")
		needs := fs.String("needs", "", "needs, qid<TAB>need")
		qrels := fs.String("qrels", "", "grades already made; their documents are left out")
		depth := fs.Int("depth", 20, "documents a run contributes per query")
		parts := fs.Int("parts", 8, "packets to split the pool into")
		seed := fs.Uint64("seed", 1, "shuffling seed")
		out := fs.String("out", "", "directory for the packets")
		fs.Parse(args)
		if *corpus == "" || *queries == "" || *needs == "" || *out == "" || fs.NArg() == 0 || *parts < 1 || *depth < 1 {
			fmt.Fprintln(os.Stderr, "relevance pool: needs -corpus, -queries, -needs, -out and at least one run")
			os.Exit(2)
		}
		err = pool(*corpus, *queries, *needs, *qrels, fs.Args(), *depth, *parts, *seed, *out)
	default:
		usage()
	}
	if err != nil {
		if strings.Contains(err.Error(), "no such module: fts5") {
			err = fmt.Errorf("%w (build with -tags sqlite_fts5)", err)
		}
		fmt.Fprintf(os.Stderr, "relevance %s: %v\n", cmd, err)
		os.Exit(1)
	}
}

// need exits with the usage when a required flag is empty.
func need(fs *flag.FlagSet, values ...string) {
	for _, v := range values {
		if v == "" {
			fmt.Fprintf(os.Stderr, "relevance %s: missing a required flag\n", fs.Name())
			fs.Usage()
			os.Exit(2)
		}
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "relevance %s: unexpected arguments %v\n", fs.Name(), fs.Args())
		os.Exit(2)
	}
}
