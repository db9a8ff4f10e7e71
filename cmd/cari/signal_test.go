package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSecondSignalEnds: `cari index` stuck opening a named pipe that
// nobody writes, where no context reaches, takes a first SIGTERM to mean
// stop and a second to end it at once.
func TestSecondSignalEnds(t *testing.T) {
	dir := t.TempDir()
	pipe := filepath.Join(dir, "pipa.jsonl")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	cmd := exec.Command(os.Args[0], "index", "--index", filepath.Join(dir, "idx"), pipe)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CARI_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, crashChildEnv+"=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	time.Sleep(500 * time.Millisecond) // let it reach the pipe
	for i := 0; i < 2; i++ {
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	select {
	case err := <-done:
		if err == nil {
			t.Errorf("cari index ended with status 0 after two signals")
		}
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatal("cari index still runs 10 s after a second SIGTERM")
	}
}
