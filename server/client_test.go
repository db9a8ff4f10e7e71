package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index"
	"github.com/carisearch/cari/index/input"
)

// rejecting is a real index that refuses the articles whose id it names,
// as Backend.Upsert reports problems: by position in the slice it got. It
// counts the Upsert calls, one per request.
type rejecting struct {
	*index.Index
	reject map[string]bool
	mu     sync.Mutex
	calls  int
}

func (r *rejecting) Upsert(ctx context.Context, articles []cari.Article) (cari.IngestStats, []*cari.FieldError, error) {
	r.mu.Lock()
	r.calls++
	r.mu.Unlock()
	var keep []cari.Article
	var problems []*cari.FieldError
	for i, a := range articles {
		if r.reject[a.ID] {
			problems = append(problems, &cari.FieldError{Line: i + 1, Field: "id", Err: fmt.Errorf("id %q is refused", a.ID)})
			continue
		}
		keep = append(keep, a)
	}
	stats, more, err := r.Index.Upsert(ctx, keep)
	return stats, append(problems, more...), err
}

// startClientServer serves a fresh temporary index with the token
// "rahasia"; reject names ids the index refuses.
func startClientServer(t *testing.T, reject ...string) (*rejecting, *httptest.Server) {
	t.Helper()
	ix := tempIndex(t)
	b := &rejecting{Index: ix, reject: map[string]bool{}}
	for _, id := range reject {
		b.reject[id] = true
	}
	ts := httptest.NewServer(New(b, Options{Token: "rahasia", Logger: quietLogger()}))
	t.Cleanup(ts.Close)
	return b, ts
}

func TestClientUpsert(t *testing.T) {
	b, ts := startClientServer(t)
	ctx := context.Background()
	c := &Client{BaseURL: ts.URL + "/", Token: "rahasia"}
	articles := []cari.Article{
		{ID: "k-1", Title: "Banjir di Demak", Body: "Banjir merendam ribuan rumah di Demak.", Tags: []string{"banjir"}},
		{ID: "k-2", Title: "Gempa", Body: "Gempa mengguncang Cianjur <pagi> ini & warga mengungsi."},
	}
	res, err := c.Upsert(ctx, articles)
	if err != nil {
		t.Fatal(err)
	}
	if res.Indexed != 2 || res.Updated != 0 || res.Unchanged != 0 || len(res.Skipped) != 0 {
		t.Fatalf("first upsert: %+v", res)
	}
	got, err := b.Article(ctx, "k-2")
	if err != nil || got.Body != articles[1].Body {
		t.Fatalf("article k-2 on the server: %+v, %v", got, err)
	}
	res, err = c.Upsert(ctx, articles)
	if err != nil || res.Unchanged != 2 || res.Indexed != 0 {
		t.Fatalf("second upsert: %+v, %v", res, err)
	}
	st, err := c.Stats(ctx)
	if err != nil || st.Documents != 2 {
		t.Fatalf("stats: %+v, %v", st, err)
	}
	// Nothing to send is no request (the server refuses an empty body).
	before := b.calls
	if res, err := c.Upsert(ctx, nil); err != nil || res.Total() != 0 || b.calls != before {
		t.Fatalf("empty upsert: %+v, %v, %d requests", res, err, b.calls-before)
	}
}

func TestClientWrongToken(t *testing.T) {
	_, ts := startClientServer(t)
	ctx := context.Background()
	for _, token := range []string{"salah", ""} {
		c := &Client{BaseURL: ts.URL, Token: token}
		_, err := c.Upsert(ctx, []cari.Article{{Body: "Isi."}})
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Status != http.StatusUnauthorized || apiErr.Code != "unauthorized" {
			t.Fatalf("token %q: error %v, want a 401 APIError", token, err)
		}
		for _, want := range []string{"401", "missing or wrong key", ts.URL + "/api/articles"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("token %q: error %q does not say %q", token, err, want)
			}
		}
	}

	// A server with no token refuses writes and says how to allow them.
	ro := httptest.NewServer(New(&fake{}, Options{Logger: quietLogger()}))
	defer ro.Close()
	_, err := (&Client{BaseURL: ro.URL, Token: "x"}).Upsert(ctx, []cari.Article{{Body: "Isi."}})
	if err == nil || !strings.Contains(err.Error(), "403") || !strings.Contains(err.Error(), "writes are disabled") {
		t.Errorf("read-only server: %v", err)
	}
}

func TestClientNetworkAndURLErrors(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	base := ts.URL
	ts.Close() // nothing listens there now
	_, err := (&Client{BaseURL: base, Token: "t"}).Upsert(context.Background(), []cari.Article{{Body: "Isi."}})
	if err == nil || !strings.Contains(err.Error(), base+"/api/articles") {
		t.Fatalf("closed server: %v, want the URL in it", err)
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		t.Errorf("closed server gave an APIError: %v", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, live := startClientServer(t)
	_, err = (&Client{BaseURL: live.URL, Token: "rahasia"}).Upsert(ctx, []cari.Article{{Body: "Isi."}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v, want context.Canceled wrapped", err)
	}

	for _, bad := range []string{"", "127.0.0.1:8080", "ftp://x"} {
		_, err := (&Client{BaseURL: bad}).Stats(context.Background())
		if err == nil || !strings.Contains(err.Error(), "http://HOST:PORT") {
			t.Errorf("base %q: %v", bad, err)
		}
	}
}

func TestClientUpsertSkipped(t *testing.T) {
	_, ts := startClientServer(t)
	c := &Client{BaseURL: ts.URL, Token: "rahasia"}
	res, err := c.Upsert(context.Background(), []cari.Article{
		{ID: "baik-1", Body: "Isi berita pertama."},
		{ID: "kosong", Title: "Tanpa isi"},
		{ID: "baik-2", Body: "Isi berita kedua."},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Indexed != 2 || len(res.Skipped) != 1 {
		t.Fatalf("result %+v", res)
	}
	if s := res.Skipped[0]; s.Line != 2 || s.Field != "body" || s.Message == "" {
		t.Errorf("skipped %+v, want line 2, field body", s)
	}
}

// TestClientUpsertNothingValid: a batch of which no record can be
// indexed is the server's 400, which the client reads as every record
// skipped with its reason, not as a failure of the run.
func TestClientUpsertNothingValid(t *testing.T) {
	_, ts := startClientServer(t)
	c := &Client{BaseURL: ts.URL, Token: "rahasia"}
	res, err := c.Upsert(context.Background(), []cari.Article{{ID: "kosong-1", Title: "Tanpa isi"}, {ID: "kosong-2", Title: "Juga tanpa isi"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Indexed != 0 || !res.Errors || len(res.Skipped) != 2 || res.Skipped[1].Line != 2 || res.Skipped[1].Field != "body" {
		t.Errorf("result %+v, want both records skipped with line and field", res)
	}
}

// TestClientIngest sends two files in small batches: the reader's
// bad record and the server's refusals come back with their input file
// and line, in input order, and the rest is indexed.
func TestClientIngest(t *testing.T) {
	b, ts := startClientServer(t, "a-3", "b-1")
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("a.jsonl", `{"id":"a-1","body":"Satu."}
{"id":"a-2","body":"Dua."}

{"id":"a-3","body":"Tiga."}
{"id":"a-4","title":"tanpa isi"}
{"id":"a-5","body":"Lima."}
`)
	bf := write("b.jsonl", `{"id":"b-1","body":"Satu."}
{"id":"b-2","body":"Dua.","published":"2024-02-09"}
`)
	c := &Client{BaseURL: ts.URL, Token: "rahasia"}
	var progressed int
	report, err := c.Ingest(context.Background(), input.Paths(a, bf), 2, func(p input.Progress) { progressed = p.Records })
	if err != nil {
		t.Fatal(err)
	}
	if report.Indexed != 4 || report.Updated != 0 || report.Unchanged != 0 {
		t.Errorf("counts %+v, want 4 indexed", report.IngestStats)
	}
	if progressed != 7 {
		t.Errorf("progress reached %d, want 7 records", progressed)
	}
	want := []string{
		a + `:4: field "id": id "a-3" is refused`,
		a + `:5: field "body": `,
		bf + `:1: field "id": id "b-1" is refused`,
	}
	if len(report.Skipped) != len(want) {
		t.Fatalf("skipped %v, want %d", report.Skipped, len(want))
	}
	for i, fe := range report.Skipped {
		if !strings.HasPrefix(fe.Error(), want[i]) {
			t.Errorf("skipped[%d] = %q, want it to start %q", i, fe, want[i])
		}
	}
	if b.calls != 3 {
		t.Errorf("%d requests, want 3 (batches of 2 of 6 good records)", b.calls)
	}
	n, err := b.Count()
	if err != nil || n != 4 {
		t.Errorf("server holds %d articles, %v; want 4", n, err)
	}

	// A byte budget cuts batches too; every article still arrives once.
	b2, ts2 := startClientServer(t)
	c2 := &Client{BaseURL: ts2.URL, Token: "rahasia", MaxBatchBytes: 60}
	report, err = c2.Ingest(context.Background(), input.Paths(a), 100, nil)
	if err != nil || report.Indexed != 4 || len(report.Skipped) != 1 {
		t.Fatalf("small byte budget: %+v %v, %v", report.IngestStats, report.Skipped, err)
	}
	if b2.calls < 2 {
		t.Errorf("small byte budget: %d requests, want more than one", b2.calls)
	}

	// A wrong token stops the run with the server's message.
	bad := &Client{BaseURL: ts.URL, Token: "salah"}
	if _, err := bad.Ingest(context.Background(), input.Paths(a), 0, nil); err == nil || !strings.Contains(err.Error(), "wrong key") {
		t.Errorf("wrong token: %v", err)
	}
}

// TestClientSearchParams: what Client.Search sends is what the server reads
// back, for every field the API has; what it has not is refused.
func TestClientSearchParams(t *testing.T) {
	day := 24 * time.Hour
	from := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, r := range []cari.Request{
		{Query: "banjir jakarta", Exact: true},
		{Query: "banjir januari 2020", NoDates: true},
		{Query: `"kerja sama" pertahanan`, Page: 3, Size: 20, Sort: cari.SortDate},
		{Query: "gempa", Recent: true, HalfLife: 7 * day, Sources: []string{"a.id", "b.co"}, Tags: []string{"bencana"}},
		{Query: "kpk", From: from, To: from.AddDate(0, 11, 30), Cursor: true, After: "abc=="},
	} {
		v, err := searchParams(r)
		if err != nil {
			t.Fatalf("%+v: %v", r, err)
		}
		back, err := parseSearch(v.Encode())
		if err != nil {
			t.Fatalf("%+v: the server refuses %s: %v", r, v.Encode(), err)
		}
		if !reflect.DeepEqual(back, r) {
			t.Errorf("sent %+v as %s, read back %+v", r, v.Encode(), back)
		}
	}
	for _, r := range []cari.Request{{Query: "a", Plain: true}, {Query: "a", Recent: true, HalfLife: 36 * time.Hour}, {Query: "kemarin", Now: from}} {
		if _, err := searchParams(r); err == nil {
			t.Errorf("%+v: sent, though the API cannot say it", r)
		}
	}
}
