package server

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/carisearch/cari"
)

// TestLongIDsRefusedUnechoed: an id longer than any id can be is a 400
// on every route that takes one, and the answer does not repeat it.
func TestLongIDsRefusedUnechoed(t *testing.T) {
	f := &fake{articleFn: func(context.Context, string) (*cari.Article, error) {
		t.Error("the backend was asked for an id no article can have")
		return nil, cari.ErrNotFound
	}}
	h := newTest(f, Options{Token: "rahasia"})
	long := strings.Repeat("x", cari.MaxIDBytes+1)
	for _, rt := range []struct{ method, target string }{
		{"GET", "/api/articles/" + long},
		{"GET", "/api/articles/" + long + "/similar"},
		{"DELETE", "/api/articles/" + long},
	} {
		w := call(t, h, rt.method, rt.target, "", "Authorization: Bearer rahasia")
		if w.Code != http.StatusBadRequest || errorCode(t, w) != "bad_request" || strings.Contains(w.Body.String(), long[:100]) {
			t.Errorf("%s %.40s…: %d %s", rt.method, rt.target, w.Code, w.Body.String()[:min(200, w.Body.Len())])
		}
	}
}

// TestStatsHideThePath: /api/stats tells a reader what the index holds,
// not where it lives on disk.
func TestStatsHideThePath(t *testing.T) {
	w := call(t, newTest(&fake{}, Options{}), "GET", "/api/stats", "")
	if w.Code != http.StatusOK || strings.Contains(w.Body.String(), "rahasia") || !strings.Contains(w.Body.String(), `"documents":3`) {
		t.Errorf("stats: %d %s", w.Code, w.Body)
	}
}

// TestRefusedWriteDoesNotWaitForItsBody: a POST with a wrong token that
// announces a body and never sends it is answered 401 at once, over a
// real connection: the server does not first read the body.
func TestRefusedWriteDoesNotWaitForItsBody(t *testing.T) {
	srv := httptest.NewServer(newTest(&fake{}, Options{Token: "rahasia"}))
	defer srv.Close()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer salah\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
	if err := conn.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer while the body is missing: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status %d, want 401", resp.StatusCode)
	}
}
