package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index"
	"github.com/carisearch/cari/server"
)

// throughServer returns a client of the `cari serve` that holds the
// index, when err is the refusal of an index such a server holds and
// says where it answers (index.HeldError.URL): reading commands then ask
// it, as they would have read the index, and say so on standard error.
func (o *options) throughServer(err error, what string) (*server.Client, bool) {
	var held *index.HeldError
	if !errors.As(err, &held) || held.URL == "" {
		return nil, false
	}
	fmt.Fprintf(o.stderr, "cari: `%s` (pid %d) holds %s; %s at %s\n", held.Command, held.PID, o.index, what, held.URL)
	// $CARI_TOKEN, when set, is the key to ask with: the server's
	// /api/stats needs its admin key once it has one, its searches a
	// search key with --require-search-key.
	return &server.Client{BaseURL: held.URL, Token: strings.TrimSpace(o.getenv("CARI_TOKEN"))}, true
}

// articleReader is what the reading commands ask of an index, or of the
// server that holds it.
type articleReader interface {
	Search(ctx context.Context, r cari.Request) (*cari.Result, error)
	Similar(ctx context.Context, id string, size int) (*cari.Result, error)
	Suggest(ctx context.Context, q string, size int) ([]cari.Completion, error)
}

// openReader opens the index for a reading command, with the --synonyms
// files, or, while a `cari serve` holds it, returns a client of that
// server (what says what the command does there: "searching"). close
// releases what was opened.
func (o *options) openReader(what string) (r articleReader, close func(), err error) {
	ix, err := index.Open(o.index)
	if c, ok := o.throughServer(err, what+" through the server"); ok {
		if len(o.synonyms) > 0 {
			return nil, nil, fmt.Errorf("%w; --synonyms cannot change the server's searches (give them to cari serve)", err)
		}
		return c, func() {}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if err := o.addSynonyms(ix); err != nil {
		_ = ix.Close()
		return nil, nil, err
	}
	return ix, func() { _ = ix.Close() }, nil
}
