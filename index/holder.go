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
}

// recordHolder notes this process as the holder of the index at dir. A
// failure (a read-only directory) only costs the refusal its detail.
func recordHolder(dir string) {
	data, err := json.Marshal(holder{PID: os.Getpid(), Command: commandName(os.Args), Since: time.Now().UTC().Truncate(time.Second)})
	if err == nil {
		_ = os.WriteFile(filepath.Join(dir, holderFile), data, 0o600)
	}
}

// releaseHolder removes the record of dir if this process wrote it.
func releaseHolder(dir string) {
	if h, ok := readHolder(dir); ok && h.PID == os.Getpid() {
		_ = os.Remove(filepath.Join(dir, holderFile))
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
// the holder when its record can be believed.
func lockError(err error, dir string) error {
	if !strings.Contains(err.Error(), "timeout") {
		return err
	}
	h, ok := readHolder(dir)
	if !ok || h.PID == os.Getpid() || !alive(h.PID) {
		return fmt.Errorf("%w; stop it, or send writes to a running `cari serve` with --server (%v)", ErrLocked, err)
	}
	advice := "wait for it to finish"
	if strings.HasSuffix(h.Command, " serve") {
		advice = "send writes to its API (cari index --server URL), or stop it"
	}
	return fmt.Errorf("%w: `%s` (pid %d) holds it since %s; %s", ErrLocked, h.Command, h.PID, h.Since.Format(time.RFC3339), advice)
}
