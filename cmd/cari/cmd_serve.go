package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index"
	"github.com/carisearch/cari/index/input"
	"github.com/carisearch/cari/server"
)

func newServeCmd(o *options) *cobra.Command {
	var (
		addr       string
		cpuProfile string
		demo       bool
		token      string
		tokenFile  string
		keysFile   string
		requireKey bool
		origins    []string
		minFree    string
		searches   int
		snapshots  string
	)
	cmd := &cobra.Command{
		Annotations: takesSynonyms(),
		Use:         "serve [--index DIR] [--addr 127.0.0.1:8080] [--keys-file FILE] [--token-file FILE] [--require-search-key] [--cors-origin ORIGIN]... [--demo]",
		Short:       "serve the search page and the JSON API",
		Long: strings.Replace(`Serve answers searches over HTTP: a search page at / and a JSON API,
described by the OpenAPI 3 document it serves at /api/openapi.json.

{{routes}}
Every error is JSON: {"error":{"code":"bad_query","message":"..."}}.

It listens on 127.0.0.1 only, unless --addr says otherwise.

Clients send a key as "Authorization: Bearer KEY". Each key has a
scope: an admin key may do everything (writes, snapshots, settings,
/api/stats, /metrics, and reading), a search key may read (searches, articles,
similar articles, completions, analysis). --keys-file FILE holds keys,
one a line, its scope first:

  # SCOPE KEY, then nothing or a # comment
  admin  9GxLk2vQ7mZr4Tn8YbW1cJd6HsPf3Ua0  # the ingest job
  search pV5eR8tY2uI4oA7sD1fG3hJ6kL9zX0cB  # the front end

Blank lines and lines starting with # are skipped. A key is 16 or more
characters of printable ASCII (no white space), each key once; make
them with head -c 24 /dev/urandom | base64. A file
with an error stops the server with the file and line (never the key).
The token is an admin key too, with or without a key file: --token-file
FILE (a file holding it; white space around it is ignored), --token
TOKEN or $CARI_TOKEN. Prefer files or $CARI_TOKEN to --token, which
other users of the machine can read in the process list.

Reading is public unless --require-search-key; the routes above that
need a key say so. Writes and snapshots need an admin key, and a server
with none refuses them to everyone (403 writes_disabled). /api/stats
and /metrics need the admin key once the server has one, and are public
while it has none (a development server). A missing or unknown key where
one is needed gets 401 unauthorized, a search key where the admin key is
needed 403 forbidden_scope; a key sent where none is needed is not
looked at. /api/settings/synonyms is read like /api/stats and written
like the articles. The search page sends no key: with --require-search-key it
still loads, but its searches are refused (401), so it is for public
servers; a private front end calls the API with its own search key.

Searches use the built-in synonyms, the --synonyms files and the list
stored in the index, all together. PUT /api/settings/synonyms (the
admin key; the body a list in the --synonyms format) replaces the stored
list once all of it parses, and a list with an error is refused (400,
naming the line) with the synonyms in use kept. The stored list is part
of the index: it is there after a restart, for cari search too, and a
rebuild carries it over; GET gives it back. The --synonyms files belong
to this process: SIGHUP reads them again, leaving the stored list, and a
PUT leaves theirs.

  curl -X PUT -H "Authorization: Bearer $KEY" -H "Content-Type: text/plain" \
      --data-binary @sinonim.txt http://127.0.0.1:8080/api/settings/synonyms

The server owns its index while it runs: send writes to its API rather
than running cari index on the same directory.

Searches (and lookups, similar articles, completions) run one a core at
once (--max-searches N); 32 times as many wait up to 250 ms, and the
rest are answered 503 with Retry-After at once, which clients and load
balancers can act on. The Go runtime gets one thread more than the
searches admitted, so that arriving requests reach that queue at once
(unless $GOMAXPROCS is set), and the garbage collector a target of 400%
(unless $GOGC is set): searches allocate much and keep nothing. Writes
have their own turn, one at a time with eight waiting, so searches cannot
starve them. A write that would leave
the index's disk with less free than the index's size (room for scorch
to merge) plus --min-free is answered 507 and stores nothing; searches
go on.

Browsers may call the API from other sites only for the origins given with
--cors-origin (repeatable, or separated by commas; "*" allows any origin).
Without it, cross-origin requests get no CORS headers and preflight
requests are refused; the search page itself needs none.

On SIGINT or SIGTERM the server stops taking connections, lets requests in
flight finish (for up to 10 seconds) and closes the index.

On SIGHUP it switches to the index now at --index DIR: after
"cari index --index DIR --rebuild FILES" has swapped a new index in (the
old one, still open here, set aside as .DIR.old), "kill -HUP PID" makes the
server open the new index, serve every new request from it, let requests
in flight finish on the old one, then close the old one and remove it.
No request fails during the switch; those that arrive while it happens
wait for it (milliseconds). When no new index was swapped in, SIGHUP reads
the --synonyms files again instead (about 2 s later, once the index is
found to be the one served); on an error the synonyms in use stay,
and the list stored in the index stays in any case.
SIGHUP also reads --keys-file again, at once: requests that arrive
after it are judged by the new keys (a removed key is refused). A file
with an error is reported in the log, and the keys in use stay.

--demo indexes the bundled sample articles into a temporary index, so the
search page works with no setup; the index is removed on exit.`, "{{routes}}", routesHelp(), 1),
		Example: `  cari serve --demo
  cari serve --index /srv/berita --addr 127.0.0.1:9000

  # writes with a token kept in a file, for a front end on two origins
  head -c 32 /dev/urandom | base64 > /etc/cari/token
  cari serve --index /srv/berita --token-file /etc/cari/token \
      --cors-origin https://redaksi.example --cors-origin https://beta.redaksi.example
  curl -H "Authorization: Bearer $(cat /etc/cari/token)" \
      --data-binary @artikel.jsonl http://127.0.0.1:8080/api/articles

  # an admin key and a search key, searches only with a key; after an
  # edit of the file, kill -HUP PID takes the new keys
  printf 'admin %s\nsearch %s\n' "$(head -c 24 /dev/urandom | base64)" \
      "$(head -c 24 /dev/urandom | base64)" > /etc/cari/keys
  cari serve --index /srv/berita --keys-file /etc/cari/keys --require-search-key

  # the API's description, for client generators and validators
  curl -s http://127.0.0.1:8080/api/openapi.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			switch {
			case cmd.Flags().Changed("token-file"):
				var err error
				if token, err = readTokenFile(tokenFile); err != nil {
					return err
				}
			case !cmd.Flags().Changed("token"):
				// Read here rather than used as the flag's default, which
				// --help would print.
				token = strings.TrimSpace(o.getenv("CARI_TOKEN"))
			}
			var keys *server.Keys
			if keysFile != "" {
				var err error
				if keys, err = server.ReadKeysFile(keysFile); err != nil {
					return err
				}
			}
			if requireKey && keys.Len() == 0 && token == "" {
				return errors.New("--require-search-key needs keys: give --keys-file FILE with a search key in it")
			}
			reserve, err := index.ParseBytes(minFree)
			if err != nil {
				return fmt.Errorf("--min-free: %w", err)
			}
			log := slog.New(slog.NewTextHandler(o.stderr, nil))
			ix, cleanup, err := openForServe(ctx, o, demo, log)
			if err != nil {
				return err
			}
			// Each index served gets the --synonyms files and, once the
			// server listens, its address in the index's holder record,
			// where a command refused the index finds the server to ask.
			var servedAt atomic.Value // string
			prepare := func(ix *index.Index) error {
				ix.SetMinFree(reserve)
				if err := o.addSynonyms(ix); err != nil {
					return err
				}
				if url, _ := servedAt.Load().(string); url != "" {
					ix.ServedAt(url)
				}
				return nil
			}
			if err := prepare(ix); err != nil {
				cleanup()
				return err
			}
			live := &liveIndex{ix: ix, prepare: prepare}
			defer func() {
				if demo {
					cleanup()
				} else {
					_ = live.close()
				}
			}()
			if searches < 0 {
				return fmt.Errorf("--max-searches must be 0 (the cores) or more, not %d", searches)
			}
			// One scheduler slot more than the searches admitted: with as
			// many as the cores, both busy with searches, a request that
			// arrives waits unfairly in the Go runtime (or behind the load
			// generator's threads) before it even reaches the FIFO queue
			// of admission control. At 8 connections on two cores, p99
			// was 91-113 ms against 19-24 ms with one slot more, at about
			// the same throughput (scripts/load/run.sh). $GOMAXPROCS, when
			// set, is taken as it is.
			cores := runtime.GOMAXPROCS(0)
			if searches == 0 {
				searches = cores
			}
			if o.getenv("GOMAXPROCS") == "" {
				runtime.GOMAXPROCS(cores + 1)
				defer runtime.GOMAXPROCS(cores)
			}
			if o.getenv("GOGC") == "" {
				defer debug.SetGCPercent(debug.SetGCPercent(index.SearchGCPercent))
			}
			if snapshots != "" {
				// The API answers with the copy's path: whole, so that
				// a client elsewhere (cari snapshot) can find it.
				if snapshots, err = filepath.Abs(snapshots); err != nil {
					return fmt.Errorf("--snapshot-dir: %w", err)
				}
			}
			handler := server.New(live, server.Options{Token: token, RequireSearchKey: requireKey, CORSOrigins: origins, Logger: log, Searches: server.Admission{InFlight: searches}, SnapshotDir: snapshots})
			if err := handler.SetKeys(keys); err != nil {
				return fmt.Errorf("--keys-file: %w", err)
			}
			if keysFile != "" {
				warnReadableKeys(keysFile, log)
				if keys.Count(server.ScopeAdmin) == 0 && token == "" {
					log.Warn(noAdminKey)
				}
			}
			hup := make(chan os.Signal, 1)
			signal.Notify(hup, syscall.SIGHUP)
			defer signal.Stop(hup)
			// The reloader ends before the index is closed (defers run
			// last first), so a reload never meets a closing index.
			reloadCtx, stopReload := context.WithCancel(ctx)
			reloaderDone := make(chan struct{})
			defer func() {
				stopReload()
				<-reloaderDone
			}()
			go func() {
				defer close(reloaderDone)
				for {
					select {
					case <-reloadCtx.Done():
						return
					case <-hup:
					}
					if keysFile != "" {
						reloadKeys(handler, keysFile, token != "", log)
					}
					if demo {
						log.Warn("SIGHUP: the demo index is not read from a directory, so it stays")
						continue
					}
					n, err := live.reload(o.index)
					if errors.Is(err, index.ErrLocked) {
						// Nothing was swapped in: the same index, whose
						// settings (the --synonyms files) are read again.
						if err := live.current().SetSynonymFiles(o.synonyms); err != nil {
							log.Error("reading the synonyms again failed; the previous ones stay", "err", err)
							continue
						}
						log.Info("read the synonyms again", "files", o.synonyms)
						continue
					}
					if err != nil {
						log.Error("reload failed; still serving the index as it was", "err", err)
						continue
					}
					log.Info("reloaded the index", "path", o.index, "articles", n)
				}
			}()
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("listen on %s: %w", addr, err)
			}
			srv := newHTTPServer(handler, bodyTimeout)
			// For the load test: where a search's CPU goes in the HTTP
			// path, from listen to shutdown.
			stopProfile, err := startCPUProfile(cpuProfile)
			if err != nil {
				return err
			}
			defer func() {
				if err := stopProfile(); err != nil {
					log.Error("cpu profile", "err", err)
				}
			}()
			url := "http://" + ln.Addr().String()
			servedAt.Store(url)
			live.current().ServedAt(url)
			fmt.Fprintf(o.stderr, "cari: serving %s on %s/\n", describeIndex(live.current(), demo), url)
			errc := make(chan error, 1)
			go func() { errc <- srv.Serve(ln) }()
			select {
			case err := <-errc:
				return fmt.Errorf("serve: %w", err)
			case <-ctx.Done():
			}
			shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return fmt.Errorf("shut down: %w", err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	cmd.Flags().StringVar(&cpuProfile, "cpu-profile", "", "write a CPU profile of the serving to `FILE` (go tool pprof reads it)")
	cmd.Flags().BoolVar(&demo, "demo", false, "serve the bundled sample articles from a temporary index")
	cmd.Flags().IntVar(&searches, "max-searches", 0, "searches run at once, `N` (0: one a core); 32 times as many wait up to 250 ms, the rest get 503 with Retry-After")
	cmd.Flags().StringVar(&snapshots, "snapshot-dir", "", "enable POST /api/snapshots, each a live copy of the index in a new directory under `DIR` (writes need the token)")
	cmd.Flags().StringVar(&minFree, "min-free", index.FormatBytes(index.DefaultMinFree), "refuse writes (507) that would leave less than `SIZE` free on the index's disk; 0 checks nothing")
	cmd.Flags().StringVar(&tokenFile, "token-file", "", "read the bearer token that allows writes from `FILE`")
	cmd.Flags().StringVar(&token, "token", "", "bearer `TOKEN` that allows writes (default $CARI_TOKEN); none disables writes")
	cmd.MarkFlagsMutuallyExclusive("token", "token-file")
	cmd.Flags().StringVar(&keysFile, "keys-file", "", "read keys with their scopes (admin, search) from `FILE`, one \"SCOPE KEY\" a line; SIGHUP reads it again")
	cmd.Flags().BoolVar(&requireKey, "require-search-key", false, "make reading (searches, articles, completions) need a search or admin key")
	cmd.Flags().Var(&listFlag{dst: &origins}, "cors-origin", "let pages from `ORIGIN` call the API, e.g. https://redaksi.example (repeatable)")
	// --cors was the flag's first name; it still works, unlisted.
	cmd.Flags().Var(&listFlag{dst: &origins}, "cors", "same as --cors-origin")
	_ = cmd.Flags().MarkHidden("cors")
	return cmd
}

// noAdminKey warns of a key file with no admin key, and no token.
const noAdminKey = "no admin key: writes and snapshots are refused, and /api/stats and /metrics are public"

// reloadKeys reads the key file again and gives its keys to the server;
// on an error the keys in use stay. hasToken tells a server whose token
// is an admin key whatever the file holds. The log names the file and
// counts keys, and never shows one (the errors of ReadKeysFile do not).
func reloadKeys(h *server.Server, name string, hasToken bool, log *slog.Logger) {
	keys, err := server.ReadKeysFile(name)
	if err == nil {
		err = h.SetKeys(keys)
	}
	if err != nil {
		log.Error("reading the keys again failed; the keys in use stay", "err", err)
		return
	}
	log.Info("read the keys again", "file", name, "admin", keys.Count(server.ScopeAdmin), "search", keys.Count(server.ScopeSearch))
	warnReadableKeys(name, log)
	if keys.Count(server.ScopeAdmin) == 0 && !hasToken {
		log.Warn(noAdminKey)
	}
}

// warnReadableKeys warns of a key file that users other than its owner
// may read: anyone on the machine could then write to the index.
func warnReadableKeys(name string, log *slog.Logger) {
	if fi, err := os.Stat(name); err == nil && fi.Mode().Perm()&0o077 != 0 {
		log.Warn("other users may read the keys file; chmod 600 it", "file", name, "mode", fi.Mode().Perm().String())
	}
}

// readTokenFile reads a bearer token from a file: its content with
// surrounding white space trimmed, which must be one non-empty line.
func readTokenFile(name string) (string, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return "", fmt.Errorf("token file: %w", err)
	}
	token := strings.TrimSpace(string(data))
	switch {
	case token == "":
		return "", fmt.Errorf("token file %s is empty", name)
	case strings.ContainsAny(token, "\r\n"):
		return "", fmt.Errorf("token file %s holds more than one line; put only the token in it", name)
	}
	return token, nil
}

// listFlag is a repeatable flag whose values may also be separated by
// commas; several flags may share one list.
type listFlag struct{ dst *[]string }

func (f *listFlag) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*f.dst = append(*f.dst, part)
		}
	}
	return nil
}

func (f *listFlag) String() string {
	if f.dst == nil {
		return ""
	}
	return strings.Join(*f.dst, ",")
}

func (f *listFlag) Type() string { return "origin" }

func describeIndex(ix *index.Index, demo bool) string {
	n, _ := ix.Count()
	if demo {
		return fmt.Sprintf("%d sample articles", n)
	}
	return fmt.Sprintf("%s (%d articles)", ix.Path(), n)
}

// openForServe opens the index, or builds the demo index in a temporary
// directory that cleanup removes.
func openForServe(ctx context.Context, o *options, demo bool, log *slog.Logger) (*index.Index, func(), error) {
	if !demo {
		ix, err := index.Open(o.index)
		if err != nil {
			return nil, nil, err
		}
		return ix, func() { _ = ix.Close() }, nil
	}
	ix, err := index.CreateTemp(index.Options{})
	if err != nil {
		return nil, nil, fmt.Errorf("demo index: %w", err)
	}
	cleanup := func() { _ = ix.Close() } // which removes its directory
	report, err := ix.Ingest(ctx, input.FS(cari.SampleArticles, cari.SampleDir), index.IngestOptions{})
	if err == nil && len(report.Skipped) > 0 {
		err = fmt.Errorf("sample article: %w", report.Skipped[0])
	}
	if err != nil {
		cleanup()
		return nil, nil, fmt.Errorf("demo index: %w", err)
	}
	log.Info("demo index ready", "articles", report.Indexed, "dir", ix.Path())
	return ix, cleanup, nil
}

// bodyTimeout is the longest a request may take to arrive, body included:
// a batch of a thousand articles is a few megabytes.
const bodyTimeout = 60 * time.Second

// newHTTPServer is the server of `cari serve`. ReadTimeout bounds the
// whole request, body included, so that a client that sends headers and
// no body (or a trickle) is cut off rather than holding a connection.
func newHTTPServer(h http.Handler, readTimeout time.Duration) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: min(10*time.Second, readTimeout), ReadTimeout: readTimeout, WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute}
}

// routesHelp lists the API's routes for --help, from the OpenAPI document
// the router is tested against, so that the help cannot miss a route.
func routesHelp() string {
	routes, err := server.Routes()
	if err != nil {
		return "  (the routes are in /api/openapi.json)\n"
	}
	var b strings.Builder
	for _, r := range routes {
		note := r.Summary
		switch {
		case r.Scope == string(server.ScopeAdmin) && r.Anonymous:
			note += "; admin key (public on a server with none)"
		case r.Scope == string(server.ScopeAdmin):
			note += "; admin key"
		case r.Scope == string(server.ScopeSearch):
			note += "; search key if --require-search-key"
		}
		fmt.Fprintf(&b, "  %-6s %s\n           %s\n", r.Method, r.Target(), note)
	}
	return b.String()
}
