package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index"
	"github.com/carisearch/cari/server"
)

func newServeCmd(o *options) *cobra.Command {
	var (
		addr    string
		demo    bool
		token   string
		origins []string
	)
	cmd := &cobra.Command{
		Use:   "serve [--index DIR] [--addr 127.0.0.1:8080] [--demo]",
		Short: "serve the search page and the JSON API",
		Long: `Serve answers searches over HTTP: a search page at / and a JSON API.

  GET    /api/search?q=&page=&size=&sort=&source=&tag=&from=&to=
  GET    /api/articles/{id}
  POST   /api/articles          JSON array or JSON Lines; needs the token
  DELETE /api/articles/{id}     needs the token
  GET    /api/analyze?text=     the analyzer's tokens
  GET    /api/stats, /healthz, /readyz

It listens on 127.0.0.1 only, unless --addr says otherwise. Writes are
refused unless a token is set (--token or $CARI_TOKEN); clients send it as
"Authorization: Bearer TOKEN". The server owns its index while it runs:
send writes to its API rather than running cari index on the same directory.

--demo indexes the bundled sample articles into a temporary index, so the
search page works with no setup; the index is removed on exit.`,
		Example: `  cari serve --demo
  cari serve --index /srv/berita --addr 127.0.0.1:9000
  CARI_TOKEN=rahasia cari serve --cors https://redaksi.example`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			log := slog.New(slog.NewTextHandler(o.stderr, nil))
			ix, cleanup, err := openForServe(ctx, o, demo, log)
			if err != nil {
				return err
			}
			defer cleanup()
			handler := server.New(ix, server.Options{Token: token, CORSOrigins: origins, Logger: log})
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("listen on %s: %w", addr, err)
			}
			srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute}
			fmt.Fprintf(o.stderr, "cari: serving %s on http://%s/\n", describeIndex(ix, demo), ln.Addr())
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
	defaultToken := o.getenv("CARI_TOKEN")
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	cmd.Flags().BoolVar(&demo, "demo", false, "serve the bundled sample articles from a temporary index")
	cmd.Flags().StringVar(&token, "token", defaultToken, "bearer token that allows writes ($CARI_TOKEN); none disables writes")
	cmd.Flags().StringSliceVar(&origins, "cors", nil, "origin allowed to call the API from a browser (repeatable)")
	return cmd
}

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
	dir, err := os.MkdirTemp("", "cari-demo-")
	if err != nil {
		return nil, nil, fmt.Errorf("demo index: %w", err)
	}
	ix, err := index.Create(dir+"/index", index.Options{})
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, nil, err
	}
	cleanup := func() {
		_ = ix.Close()
		_ = os.RemoveAll(dir)
	}
	report, err := ix.IngestFS(ctx, cari.SampleArticles, cari.SampleDir, nil)
	if err == nil && len(report.Skipped) > 0 {
		err = fmt.Errorf("sample article: %w", report.Skipped[0])
	}
	if err != nil {
		cleanup()
		return nil, nil, fmt.Errorf("demo index: %w", err)
	}
	log.Info("demo index ready", "articles", report.Indexed, "dir", dir)
	return ix, cleanup, nil
}
