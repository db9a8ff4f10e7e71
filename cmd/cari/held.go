package main

import (
	"errors"
	"fmt"

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
	return &server.Client{BaseURL: held.URL}, true
}
