package index

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// The holder of an index. bolt's lock tells a second process only that
// the index is held, not by whom; an open index records its process in
// holderFile, so that the refusal can name it ("`cari index` (pid 4242)
// holds it") and say what to do: wait for an indexing run, or send writes
// to a server's API. The record is advice: written when an index opens,
// removed when it closes, and believed only while its process lives.

// holderFile is the record, in the index's directory.
const holderFile = "cari-holder.json"

// holder is what holderFile holds.
type holder struct {
	PID     int       `json:"pid"`
	Command string    `json:"command"` // "cari serve", "cari index"
	Since   time.Time `json:"since"`
	// URL is where a server answers for the index (ServedAt).
	URL string `json:"url,omitempty"`
}

// recordHolder notes this process as the holder of ix, served at url if
// not empty. Since is when ix opened, to the nanosecond, which tells this
// Index's record from another's of the same process at the same path (a
// server that reloads a rebuilt index). A failure (a read-only directory)
// only costs the refusal its detail.
func (ix *Index) recordHolder(url string) {
	data, err := json.Marshal(holder{PID: os.Getpid(), Command: commandName(os.Args), Since: ix.opened, URL: url})
	if err == nil {
		_ = os.WriteFile(filepath.Join(ix.path, holderFile), data, 0o600)
	}
}

// ServedAt records that a server answers for the index at url, so that a
// command refused the index can ask the server instead (HeldError.URL).
func (ix *Index) ServedAt(url string) { ix.recordHolder(url) }

// HeldError is ErrLocked with the process that holds the index, as its
// record tells.
type HeldError struct {
	Command string
	PID     int
	Since   time.Time
	URL     string // where it serves the index, if it is a server
	cause   error  // bolt's timeout
}

func (e *HeldError) Error() string {
	advice := "wait for it to finish"
	switch {
	case e.URL != "":
		advice = "send writes to its API (cari index --server " + e.URL + "), or stop it"
	case strings.HasSuffix(e.Command, " serve"):
		advice = "send writes to its API (cari index --server URL), or stop it"
	}
	return fmt.Sprintf("%v: `%s` (pid %d) holds it since %s; %s", ErrLocked, e.Command, e.PID, e.Since.Truncate(time.Second).Format(time.RFC3339), advice)
}

func (e *HeldError) Unwrap() []error { return []error{ErrLocked, e.cause} }

// releaseHolder removes the record of ix if it is still ix's: after a
// rebuild swapped another index in at the path, the record there is the
// new one's.
func (ix *Index) releaseHolder() {
	if h, ok := readHolder(ix.path); ok && h.PID == os.Getpid() && h.Since.Equal(ix.opened) {
		_ = os.Remove(filepath.Join(ix.path, holderFile))
	}
}

// readHolder reads the record of dir.
func readHolder(dir string) (holder, bool) {
	var h holder
	data, err := os.ReadFile(filepath.Join(dir, holderFile))
	if err != nil || json.Unmarshal(data, &h) != nil || h.PID <= 0 {
		return holder{}, false
	}
	return h, true
}

// commandName is the program and its subcommand, the first argument
// not a flag: "cari serve".
func commandName(args []string) string {
	if len(args) == 0 {
		return "cari"
	}
	name := filepath.Base(args[0])
	for _, a := range args[1:] {
		if !strings.HasPrefix(a, "-") {
			return name + " " + a
		}
	}
	return name
}

// alive reports whether process pid runs (signal 0 tests without
// sending).
func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	return err == nil && p.Signal(syscall.Signal(0)) == nil
}

// lockError turns bolt's timeout on a held index into ErrLocked, naming
// the holder when its record can be believed (HeldError).
func lockError(err error, dir string) error {
	if !strings.Contains(err.Error(), "timeout") {
		return err
	}
	h, ok := readHolder(dir)
	if !ok || !alive(h.PID) {
		return fmt.Errorf("%w; stop it, or send writes to a running `cari serve` with --server (%v)", ErrLocked, err)
	}
	return &HeldError{Command: h.Command, PID: h.PID, Since: h.Since, URL: h.URL, cause: err}
}
