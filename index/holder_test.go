package index

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestHeldIndexNamesItsHolder: an index held by another process is
// refused with ErrLocked naming that process and its pid; once it lets
// go, the index opens and the record is gone with it.
func TestHeldIndexNamesItsHolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index")
	ix, err := Create(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(path, holderFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a closed index keeps its holder record: %v", err)
	}

	// The holder is this test binary, run again as TestHoldIndex.
	cmd := exec.Command(os.Args[0], "-test.run=^TestHoldIndex$", "-test.timeout=60s")
	cmd.Env = append(os.Environ(), "CARI_HOLD_INDEX="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "holding") {
		t.Fatalf("the holder did not start: %q %v", line, err)
	}

	_, err = Open(path)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("opening a held index: %v, want ErrLocked", err)
	}
	want := "`" + filepath.Base(os.Args[0]) + "` (pid " + strconv.Itoa(cmd.Process.Pid) + ") holds it"
	if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "wait for it to finish") {
		t.Errorf("opening a held index: %v, want it to say %s and to wait", err, want)
	}

	_ = stdin.Close() // the holder closes the index and ends
	if err := cmd.Wait(); err != nil {
		t.Fatalf("holder: %v", err)
	}
	again, err := Open(path)
	if err != nil {
		t.Fatalf("open after the holder ended: %v", err)
	}
	if h, ok := readHolder(path); !ok || h.PID != os.Getpid() {
		t.Errorf("holder record after reopening: %+v %v, want this process", h, ok)
	}
	if err := again.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestHoldIndex is TestHeldIndexNamesItsHolder's other process: it holds
// the index at $CARI_HOLD_INDEX until its standard input closes.
func TestHoldIndex(t *testing.T) {
	path := os.Getenv("CARI_HOLD_INDEX")
	if path == "" {
		t.Skip("run by TestHeldIndexNamesItsHolder")
	}
	ix, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("holding\n")
	_, _ = io.Copy(io.Discard, os.Stdin)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestCommandName(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"/usr/local/bin/cari", "serve", "--index", "x"}, "cari serve"},
		{[]string{"cari", "index", "--index", "x", "a.jsonl"}, "cari index"},
		{[]string{"cari", "--json", "search", "banjir"}, "cari search"},
		{[]string{"./cari"}, "cari"},
		{nil, "cari"},
	} {
		if got := commandName(tc.args); got != tc.want {
			t.Errorf("commandName(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}

// TestHolderRecordIsTheIndexs: closing an Index removes its own holder
// record, not one a later Index at the same path wrote (a server that
// reloads a rebuilt index closes the old one after opening the new one).
func TestHolderRecordIsTheIndexs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index")
	old, err := Create(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	next := &Index{path: path, opened: old.opened.Add(time.Nanosecond)}
	next.ServedAt("http://127.0.0.1:8080")
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	h, ok := readHolder(path)
	if !ok || h.URL != "http://127.0.0.1:8080" || !h.Since.Equal(next.opened) {
		t.Fatalf("after the old index closed: %+v %v, want the new one's record", h, ok)
	}
	next.releaseHolder()
	if _, ok := readHolder(path); ok {
		t.Error("the new index's record outlives it")
	}
}
