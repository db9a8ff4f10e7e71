package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestSlowBodyIsCutOff checks that the server of `cari serve` closes a
// connection whose request announces a body and never sends it, after
// its read timeout (here 200 ms), rather than holding it open.
func TestSlowBodyIsCutOff(t *testing.T) {
	read := make(chan error, 1)
	srv := newHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		read <- err
		w.WriteHeader(http.StatusBadRequest)
	}), 200*time.Millisecond)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	if _, err := io.WriteString(conn, "POST /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nContent-Length: 100000\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	// A bound for a hang, not a speed: without the read timeout the
	// connection stays open until this deadline.
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = io.Copy(io.Discard, bufio.NewReader(conn))
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the connection was still open after %s", time.Since(start).Round(time.Millisecond))
	}
	select {
	case err := <-read:
		if err == nil {
			t.Error("the handler read the whole body, want a timeout error")
		}
	default:
		t.Error("the handler did not see the body end")
	}
	t.Logf("closed after %s", time.Since(start).Round(time.Millisecond))
}
