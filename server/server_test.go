package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/analyzer"
	"github.com/carisearch/cari/index"
	"github.com/carisearch/cari/index/input"
)

// fake is a Backend whose answers the test chooses; it records the last
// search request and the articles it was asked to upsert.
type fake struct {
	mu       sync.Mutex
	lastReq  cari.Request
	searched bool
	upserted []cari.Article

	searchFn   func(ctx context.Context, r cari.Request) (*cari.Result, error)
	articleFn  func(ctx context.Context, id string) (*cari.Article, error)
	upsertFn   func(ctx context.Context, a []cari.Article) (cari.IngestStats, []*cari.FieldError, error)
	deleteFn   func(ctx context.Context, id string) error
	similarFn  func(ctx context.Context, id string, size int) (*cari.Result, error)
	suggestFn  func(ctx context.Context, q string, size int) ([]cari.Completion, error)
	snapshotFn func(ctx context.Context, dest string) error
	statsErr   error
	// synonyms is the stored synonym list; setSynonymsFn, when set,
	// answers SetStoredSynonyms instead of storing.
	synonyms      string
	setSynonymsFn func(ctx context.Context, source, text string) (int, error)
}

func (f *fake) SetStoredSynonyms(ctx context.Context, source, text string) (int, error) {
	if f.setSynonymsFn != nil {
		return f.setSynonymsFn(ctx, source, text)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.synonyms = text
	return strings.Count(text, "\n"), nil
}

func (f *fake) StoredSynonyms() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.synonyms
}

func (f *fake) Snapshot(ctx context.Context, dest string) error {
	if f.snapshotFn != nil {
		return f.snapshotFn(ctx, dest)
	}
	return os.MkdirAll(dest, 0o700)
}

func (f *fake) Search(ctx context.Context, r cari.Request) (*cari.Result, error) {
	f.mu.Lock()
	f.lastReq, f.searched = r, true
	f.mu.Unlock()
	if f.searchFn != nil {
		return f.searchFn(ctx, r)
	}
	return &cari.Result{Query: r.Query, Page: 1, Size: 10, Hits: []cari.Hit{}, Facets: map[string][]cari.Facet{}}, nil
}

func (f *fake) Article(ctx context.Context, id string) (*cari.Article, error) {
	if f.articleFn != nil {
		return f.articleFn(ctx, id)
	}
	if id == "ada" {
		return &cari.Article{ID: "ada", Title: "Judul", Body: "Isi berita."}, nil
	}
	return nil, fmt.Errorf("article %q: %w", id, cari.ErrNotFound)
}

func (f *fake) Upsert(ctx context.Context, a []cari.Article) (cari.IngestStats, []*cari.FieldError, error) {
	f.mu.Lock()
	f.upserted = append(f.upserted, a...)
	f.mu.Unlock()
	if f.upsertFn != nil {
		return f.upsertFn(ctx, a)
	}
	return cari.IngestStats{Indexed: len(a)}, nil, nil
}

func (f *fake) Delete(ctx context.Context, id string) error {
	if f.deleteFn != nil {
		return f.deleteFn(ctx, id)
	}
	if id == "ada" {
		return nil
	}
	return fmt.Errorf("article %q: %w", id, cari.ErrNotFound)
}

func (f *fake) Similar(ctx context.Context, id string, size int) (*cari.Result, error) {
	if f.similarFn != nil {
		return f.similarFn(ctx, id, size)
	}
	if id == "ada" {
		return &cari.Result{Page: 1, Size: max(size, 1), Hits: []cari.Hit{}, Facets: map[string][]cari.Facet{}}, nil
	}
	return nil, fmt.Errorf("article %q: %w", id, cari.ErrNotFound)
}

func (f *fake) Suggest(ctx context.Context, q string, size int) ([]cari.Completion, error) {
	if f.suggestFn != nil {
		return f.suggestFn(ctx, q, size)
	}
	return []cari.Completion{}, nil
}

// Analyze explains with the analyzer of a new index: the handler's part is
// the plumbing, the index's (TestAnalyzeShowsWhatIsIndexed) the tokens.
func (f *fake) Analyze(_ context.Context, text string) ([]cari.Token, error) {
	an, err := index.BodyAnalyzer(index.Options{})
	if err != nil {
		return nil, err
	}
	return analyzer.Explain(an, text)
}

func (f *fake) Stats() (cari.Stats, error) {
	if f.statsErr != nil {
		return cari.Stats{}, f.statsErr
	}
	return cari.Stats{Path: "/srv/rahasia/berita", Documents: 3, Fields: []string{"body", "title"}, Analyzer: "id"}, nil
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newTest(b Backend, opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = quietLogger()
	}
	return New(b, opts)
}

// call sends one request; header is "Name: value" pairs.
func call(t *testing.T, h http.Handler, method, target, body string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	for _, kv := range header {
		k, v, _ := strings.Cut(kv, ":")
		req.Header.Set(k, strings.TrimSpace(v))
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// errorCode checks that w holds a JSON error and returns its code.
func errorCode(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	if strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		return pageErrorCode(t, w)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("status %d: Content-Type %q, want JSON; body %q", w.Code, ct, w.Body.String())
	}
	var e errorBody
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatalf("status %d: body is not JSON: %v: %q", w.Code, err, w.Body.String())
	}
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("status %d: error without code or message: %q", w.Code, w.Body.String())
	}
	return e.Error.Code
}

func TestSearchParams(t *testing.T) {
	day := func(s string) time.Time { d, _ := input.ParseDate(s); return d }
	tests := []struct {
		name   string
		query  string
		status int
		want   cari.Request // checked when status is 200
	}{
		{"empty", "", 200, cari.Request{Collapse: true}},
		{"all", "q=kerja+sama&page=2&size=20&sort=date&from=2023-01-01&to=2023-12-31",
			200, cari.Request{Query: "kerja sama", Page: 2, Size: 20, Sort: "date", From: day("2023-01-01"), To: day("2023-12-31"), Collapse: true}},
		{"repeated and comma-separated filters", "source=tempo.co&source=kompas.com,+antara&tag=politik&tag=",
			200, cari.Request{Sources: []string{"tempo.co", "kompas.com", "antara"}, Tags: []string{"politik"}, Collapse: true}},
		{"dates off", "q=banjir+2020&dates=false", 200, cari.Request{Query: "banjir 2020", NoDates: true, Collapse: true}},
		{"dates on", "q=banjir+2020&dates=1", 200, cari.Request{Query: "banjir 2020", Collapse: true}},
		{"every article", "q=banjir&collapse=false", 200, cari.Request{Query: "banjir"}},
		{"one hit per story", "q=banjir&collapse=1", 200, cari.Request{Query: "banjir", Collapse: true}},
		{"collapse not a boolean", "collapse=ya", 400, cari.Request{}},
		{"dates not a boolean", "dates=tidak", 400, cari.Request{}},
		{"page not a number", "page=abc", 400, cari.Request{}},
		{"size not a number", "size=abc", 400, cari.Request{}},
		{"size too big", "size=101", 400, cari.Request{}},
		{"page overflows", "page=9223372036854775807&size=2", 400, cari.Request{}},
		{"page past depth", "page=10001&size=1", 400, cari.Request{}},
		{"huge page number", "page=99999999999999999999", 400, cari.Request{}},
		{"bad date", "from=2023-13-45", 400, cari.Request{}},
		{"bad to", "to=kemarin", 400, cari.Request{}},
		{"malformed escape", "q=%zz", 400, cari.Request{}},
		{"too many sources", "source=" + strings.Repeat("a,", MaxFilterValues+1), 400, cari.Request{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fake{}
			w := call(t, newTest(f, Options{}), "GET", "/api/search?"+tc.query, "")
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d; body %s", w.Code, tc.status, w.Body)
			}
			if tc.status != 200 {
				if code := errorCode(t, w); code != "bad_query" {
					t.Errorf("code %q, want bad_query", code)
				}
				if f.searched {
					t.Error("backend searched despite a bad parameter")
				}
				return
			}
			if !reflect.DeepEqual(f.lastReq, tc.want) {
				t.Errorf("request\n got %+v\nwant %+v", f.lastReq, tc.want)
			}
		})
	}
}

func TestSearchBackendErrors(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status int
		code   string
	}{
		{"bad request", fmt.Errorf("%w: cannot parse query", cari.ErrBadRequest), 400, "bad_query"},
		{"too expensive", fmt.Errorf("%w: body:a* matches more than 2000 terms", cari.ErrTooExpensive), 400, "query_too_expensive"},
		{"deadline", fmt.Errorf("search: %w", context.DeadlineExceeded), 504, "timeout"},
		{"internal", errors.New("segment 42: checksum mismatch at /srv/rahasia"), 500, "internal"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fake{searchFn: func(context.Context, cari.Request) (*cari.Result, error) { return nil, tc.err }}
			w := call(t, newTest(f, Options{}), "GET", "/api/search?q=x", "")
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d", w.Code, tc.status)
			}
			if code := errorCode(t, w); code != tc.code {
				t.Errorf("code %q, want %q", code, tc.code)
			}
			if strings.Contains(w.Body.String(), "rahasia") {
				t.Errorf("internal detail leaked: %s", w.Body)
			}
		})
	}
}

func TestSearchTimeout(t *testing.T) {
	f := &fake{searchFn: func(ctx context.Context, _ cari.Request) (*cari.Result, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}}
	w := call(t, newTest(f, Options{SearchTimeout: 10 * time.Millisecond}), "GET", "/api/search?q=x", "")
	if w.Code != http.StatusGatewayTimeout {
		t.Fatalf("status %d, want 504", w.Code)
	}
	errorCode(t, w)
}

func TestSearchReturnsResultAsIs(t *testing.T) {
	res := &cari.Result{Query: "banjir", Total: 1, TookMS: 1.5, Page: 1, Size: 10,
		Hits:   []cari.Hit{{ID: "a", Score: 1.25, Title: "<mark>Banjir</mark> Demak", Snippet: "air &amp; <mark>banjir</mark>"}},
		Facets: map[string][]cari.Facet{"source": {{Value: "tempo.co", Count: 1}}}}
	f := &fake{searchFn: func(context.Context, cari.Request) (*cari.Result, error) { return res, nil }}
	w := call(t, newTest(f, Options{}), "GET", "/api/search?q=banjir", "")
	if w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(res); err != nil {
		t.Fatal(err)
	}
	if got := w.Body.String(); got != want.String() {
		t.Errorf("body\n got %s\nwant %s", got, want.String())
	}
	if !strings.Contains(w.Body.String(), `"<mark>Banjir</mark> Demak"`) {
		t.Errorf("marks are escaped in %s", w.Body.String())
	}
}

func TestArticle(t *testing.T) {
	h := newTest(&fake{}, Options{})
	w := call(t, h, "GET", "/api/articles/ada", "")
	var a cari.Article
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &a) != nil || a.ID != "ada" {
		t.Fatalf("status %d, body %s", w.Code, w.Body)
	}
	w = call(t, h, "GET", "/api/articles/tidak-ada", "")
	if w.Code != 404 || errorCode(t, w) != "not_found" {
		t.Fatalf("status %d, body %s", w.Code, w.Body)
	}
}

func TestWrites(t *testing.T) {
	const token = "rahasia"
	auth := "Authorization: Bearer " + token
	tests := []struct {
		name    string
		token   string // server's
		method  string
		target  string
		body    string
		header  []string
		status  int
		code    string // of an error
		maxBody int64
	}{
		{name: "disabled post", method: "POST", target: "/api/articles", body: "[]", header: []string{auth}, status: 403, code: "writes_disabled"},
		{name: "disabled delete", method: "DELETE", target: "/api/articles/ada", header: []string{auth}, status: 403, code: "writes_disabled"},
		{name: "no token", token: token, method: "POST", target: "/api/articles", body: "[]", status: 401, code: "unauthorized"},
		{name: "wrong token", token: token, method: "POST", target: "/api/articles", body: "[]", header: []string{"Authorization: Bearer salah"}, status: 401, code: "unauthorized"},
		{name: "basic auth", token: token, method: "POST", target: "/api/articles", body: "[]", header: []string{"Authorization: Basic " + token}, status: 401, code: "unauthorized"},
		{name: "empty array", token: token, method: "POST", target: "/api/articles", body: " []", header: []string{auth}, status: 200},
		{name: "empty body", token: token, method: "POST", target: "/api/articles", body: " \n", header: []string{auth}, status: 400, code: "bad_request"},
		{name: "too large", token: token, method: "POST", target: "/api/articles", body: `[{"body":"` + strings.Repeat("x", 200) + `"}]`, header: []string{auth}, status: 413, code: "too_large", maxBody: 100},
		{name: "delete", token: token, method: "DELETE", target: "/api/articles/ada", header: []string{auth}, status: 204},
		{name: "delete missing", token: token, method: "DELETE", target: "/api/articles/tidak-ada", header: []string{auth}, status: 404, code: "not_found"},
		{name: "delete no token", token: token, method: "DELETE", target: "/api/articles/ada", status: 401, code: "unauthorized"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fake{}
			h := newTest(f, Options{Token: tc.token, MaxBodyBytes: tc.maxBody})
			w := call(t, h, tc.method, tc.target, tc.body, tc.header...)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d; body %s", w.Code, tc.status, w.Body)
			}
			if tc.code != "" {
				if code := errorCode(t, w); code != tc.code {
					t.Errorf("code %q, want %q", code, tc.code)
				}
				if len(f.upserted) > 0 {
					t.Errorf("upserted %d articles on an error", len(f.upserted))
				}
			}
			if tc.status == 401 && w.Header().Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
}

// The 413 must also hold when the client does not announce a length.
func TestPostTooLargeStreamed(t *testing.T) {
	f := &fake{}
	h := newTest(f, Options{Token: "t", MaxBodyBytes: 1000})
	line := `{"title":"a","body":"` + strings.Repeat("isi ", 20) + `"}` + "\n"
	req := httptest.NewRequest("POST", "/api/articles", io.MultiReader(strings.NewReader(strings.Repeat(line, 100))))
	req.ContentLength = -1
	req.Header.Set("Authorization", "Bearer t")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 413 {
		t.Fatalf("status %d, want 413; body %s", w.Code, w.Body)
	}
	if len(f.upserted) > 0 {
		t.Errorf("upserted %d articles from a body that was too large", len(f.upserted))
	}
}

func TestPostReportsSkipped(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []skipped
		n    int // articles handed to Upsert
	}{
		{"ndjson", `{"id":"a","title":"Satu","body":"Isi satu."}
{"id":"b","title":"Tanpa isi"}

{"id":"c","title":"Tiga","body":"Isi tiga.","published":"kemarin"}
{"id":"d","body":"Isi empat."}
`, []skipped{{Line: 2, Field: "body"}, {Line: 4, Field: "published"}}, 2},
		{"array", `[
  {"id":"a","title":"Satu","body":"Isi satu."},
  {"id":"b","title":"Tanpa isi","body":"  "}
]`, []skipped{{Line: 3, Field: "body"}}, 1},
		{"broken line", `{"id":"a","body":"x"}
{"id":
`, []skipped{{Line: 2}}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fake{}
			w := call(t, newTest(f, Options{Token: "t"}), "POST", "/api/articles", tc.body, "Authorization: Bearer t", "Content-Type: text/plain")
			if w.Code != 200 {
				t.Fatalf("status %d; body %s", w.Code, w.Body)
			}
			var got struct {
				Indexed, Updated, Unchanged int
				Skipped                     []skipped
			}
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if got.Indexed != tc.n || len(f.upserted) != tc.n {
				t.Errorf("indexed %d, upserted %d, want %d", got.Indexed, len(f.upserted), tc.n)
			}
			if len(got.Skipped) != len(tc.want) {
				t.Fatalf("skipped %+v, want %+v", got.Skipped, tc.want)
			}
			for i, s := range got.Skipped {
				if s.Line != tc.want[i].Line || s.Field != tc.want[i].Field || s.Message == "" {
					t.Errorf("skipped[%d] = %+v, want line %d field %q and a message", i, s, tc.want[i].Line, tc.want[i].Field)
				}
			}
		})
	}
}

// Problems the backend finds are reported at the line of the input, not
// at the position in the slice the server passed on.
func TestPostMapsBackendProblemsToLines(t *testing.T) {
	f := &fake{upsertFn: func(_ context.Context, a []cari.Article) (cari.IngestStats, []*cari.FieldError, error) {
		return cari.IngestStats{Indexed: len(a) - 1}, []*cari.FieldError{{Line: 2, Field: "title", Err: errors.New("nope")}}, nil
	}}
	body := "{\"id\":\"a\",\"body\":\"x\"}\n{\"id\":\"b\"}\n{\"id\":\"c\",\"body\":\"y\"}\n"
	w := call(t, newTest(f, Options{Token: "t"}), "POST", "/api/articles", body, "Authorization: Bearer t")
	want := `{"indexed":1,"updated":0,"unchanged":0,"errors":true,"skipped":[{"line":2,"field":"body","message":"missing or empty"},{"line":3,"field":"title","message":"nope"}]}`
	if got := strings.TrimSpace(w.Body.String()); got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
}

func TestCORS(t *testing.T) {
	const good, bad = "https://redaksi.example", "https://jahat.example"
	tests := []struct {
		name    string
		origins []string
		method  string
		header  []string
		status  int
		allow   string // Access-Control-Allow-Origin
	}{
		{"allowed origin", []string{good}, "GET", []string{"Origin: " + good}, 200, good},
		{"denied origin", []string{good}, "GET", []string{"Origin: " + bad}, 200, ""},
		{"no origins configured", nil, "GET", []string{"Origin: " + good}, 200, ""},
		{"star listed", []string{"*"}, "GET", []string{"Origin: " + bad}, 200, "*"},
		{"preflight allowed", []string{good}, "OPTIONS", []string{"Origin: " + good, "Access-Control-Request-Method: POST"}, 204, good},
		{"preflight denied", []string{good}, "OPTIONS", []string{"Origin: " + bad, "Access-Control-Request-Method: POST"}, 403, ""},
		{"preflight, none configured", nil, "OPTIONS", []string{"Origin: " + good, "Access-Control-Request-Method: GET"}, 403, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newTest(&fake{}, Options{CORSOrigins: tc.origins})
			w := call(t, h, tc.method, "/api/search?q=x", "", tc.header...)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d; body %s", w.Code, tc.status, w.Body)
			}
			if got := w.Header().Get("Access-Control-Allow-Origin"); got != tc.allow {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, tc.allow)
			}
			if tc.status == 204 && !strings.Contains(w.Header().Get("Access-Control-Allow-Headers"), "Authorization") {
				t.Errorf("preflight does not allow the Authorization header: %v", w.Header())
			}
			if tc.status >= 400 {
				errorCode(t, w)
			}
		})
	}
}

func TestOperations(t *testing.T) {
	tests := []struct {
		name     string
		f        *fake
		target   string
		status   int
		contains string
	}{
		{"healthz", &fake{}, "/healthz", 200, `"status":"ok"`},
		{"readyz", &fake{}, "/readyz", 200, `"status":"ready"`},
		{"not ready", &fake{statsErr: errors.New("closed")}, "/readyz", 503, `"unavailable"`},
		{"stats", &fake{}, "/api/stats", 200, `"documents":3`},
		{"stats failing", &fake{statsErr: errors.New("closed")}, "/api/stats", 500, `"internal"`},
		{"analyze", &fake{}, "/api/analyze?text=Menteri+negara-negara+menulis", 200, `"stem":"tulis"`},
		{"analyze empty", &fake{}, "/api/analyze", 200, `{"tokens":[]}`},
		{"analyze too long", &fake{}, "/api/analyze?text=" + strings.Repeat("a", MaxAnalyzeBytes+1), 400, `"bad_request"`},
		{"unknown api path", &fake{}, "/api/tidak-ada", 404, `"not_found"`},
		{"unknown page", &fake{}, "/favicon.ico", 404, `"not_found"`},
		{"no static index", &fake{}, "/static/index.html", 404, `"not_found"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := call(t, newTest(tc.f, Options{}), "GET", tc.target, "")
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d; body %s", w.Code, tc.status, w.Body)
			}
			if !strings.Contains(w.Body.String(), tc.contains) {
				t.Errorf("body %s does not contain %s", w.Body, tc.contains)
			}
			if !json.Valid(w.Body.Bytes()) {
				t.Errorf("body is not JSON: %s", w.Body)
			}
		})
	}
}

func TestMethodNotAllowed(t *testing.T) {
	h := newTest(&fake{}, Options{Token: "t"})
	for _, tc := range []struct{ method, target, allow string }{
		{"POST", "/api/search", "GET"},
		{"PUT", "/api/articles/ada", "DELETE"},
		{"GET", "/api/articles", "POST"},
		{"POST", "/", "GET"},
	} {
		w := call(t, h, tc.method, tc.target, "")
		if w.Code != 405 {
			t.Errorf("%s %s: status %d, want 405", tc.method, tc.target, w.Code)
			continue
		}
		if code := errorCode(t, w); code != "method_not_allowed" {
			t.Errorf("%s %s: code %q", tc.method, tc.target, code)
		}
		if !strings.Contains(w.Header().Get("Allow"), tc.allow) {
			t.Errorf("%s %s: Allow %q, want it to list %s", tc.method, tc.target, w.Header().Get("Allow"), tc.allow)
		}
	}
}

func TestPage(t *testing.T) {
	h := newTest(&fake{}, Options{})
	w := call(t, h, "GET", "/", "")
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, Content-Type %q", w.Code, w.Header().Get("Content-Type"))
	}
	body := w.Body.String()
	for _, want := range []string{"Cari berita", "/static/app.js", "/static/style.css"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, "http://") || strings.Contains(body, "https://") {
		t.Error("page loads an external resource")
	}
	for _, tc := range []struct{ path, ctype, contains string }{
		{"/static/app.js", "text/javascript", "/api/search?"},
		{"/static/style.css", "text/css", "mark"},
	} {
		w := call(t, h, "GET", tc.path, "")
		if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), tc.ctype) || !strings.Contains(w.Body.String(), tc.contains) {
			t.Errorf("%s: status %d, Content-Type %q", tc.path, w.Code, w.Header().Get("Content-Type"))
		}
	}
}

func TestPanicIsJSON500(t *testing.T) {
	f := &fake{searchFn: func(context.Context, cari.Request) (*cari.Result, error) { panic("boom") }}
	w := call(t, newTest(f, Options{}), "GET", "/api/search", "")
	if w.Code != 500 || errorCode(t, w) != "internal" {
		t.Fatalf("status %d, body %s", w.Code, w.Body)
	}
}

func TestMetrics(t *testing.T) {
	h := newTest(&fake{}, Options{Token: "rahasia"})
	call(t, h, "GET", "/api/search?q=a", "")
	call(t, h, "GET", "/api/search?page=x", "")
	call(t, h, "BREW", "/api/search", "")
	post := httptest.NewRequest("POST", "/api/articles", strings.NewReader("{\"id\":\"m1\",\"body\":\"Isi berita.\"}\n{\"id\":\"m2\"}\n"))
	post.Header.Set("Authorization", "Bearer rahasia")
	post.Header.Set("Content-Type", "application/x-ndjson")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, post)
	if rec.Code != 200 {
		t.Fatalf("post: %d %s", rec.Code, rec.Body)
	}
	del := httptest.NewRequest("DELETE", "/api/articles/ada", nil)
	del.Header.Set("Authorization", "Bearer rahasia")
	h.ServeHTTP(httptest.NewRecorder(), del)
	w := call(t, h, "GET", "/metrics", "", "Authorization: Bearer rahasia") // the token is an admin key
	body := w.Body.String()
	for _, want := range []string{
		`cari_http_requests_total{code="200",method="GET",route="GET /api/search"} 1`,
		`cari_http_requests_total{code="400",method="GET",route="GET /api/search"} 1`,
		`cari_http_requests_total{code="405",method="other",route="unmatched"} 1`,
		`cari_http_request_duration_seconds_count{code="200",route="GET /api/search"} 1`,
		`cari_http_request_duration_seconds_count{code="400",route="GET /api/search"} 1`,
		`cari_index_documents 3`,
		`cari_ingest_articles_total{result="skipped"} 1`,
		`cari_ingest_articles_total{result="deleted"} 1`,
		`cari_ingest_articles_total{result="unchanged"} 0`,
		"\nprocess_resident_memory_bytes ",
		"\ngo_sched_latencies_seconds_bucket{",
		"\ngo_gc_heap_goal_bytes ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s:\n%s", want, body)
		}
	}
}

func TestLogsRequests(t *testing.T) {
	log, logged := lockedLog(nil)
	call(t, New(&fake{}, Options{Logger: log}), "GET", "/api/articles/tidak-ada", "")
	for _, want := range []string{"method=GET", "path=/api/articles/tidak-ada", "status=404", "duration="} {
		if !strings.Contains(logged(), want) {
			t.Errorf("log lacks %s: %s", want, logged())
		}
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// tempIndex is a real, empty index in a temporary directory, closed and
// removed when the test ends.
func tempIndex(t testing.TB) *index.Index {
	t.Helper()
	ix, err := index.CreateTemp(index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	return ix
}

// realIndex is a temporary index holding a few short articles.
func realIndex(t testing.TB) *index.Index {
	t.Helper()
	ix := tempIndex(t)
	day := func(s string) time.Time { d, _ := input.ParseDate(s); return d }
	articles := []cari.Article{
		{ID: "multipolar-1", Title: "Tiongkok dan Rusia Dorong Dunia Multipolar", Source: "kabarnusa.id", Published: day("2023-08-14"), Tags: []string{"politik"},
			Body: "Menteri pertahanan Tiongkok tiba di Moskow. Kedua negara menyerukan tatanan dunia multipolar dan kerja sama militer yang lebih erat."},
		{ID: "banjir-1", Title: "Banjir Rendam Ribuan Rumah di Demak", Source: "warta.co", Published: day("2024-02-10"), Tags: []string{"bencana"},
			Body: "Hujan deras membuat tanggul sungai jebol. Warga mengungsi ke masjid dan balai desa, sementara relawan membagikan makanan."},
		{ID: "batik-1", Title: "Festival Batik Pekalongan Dibuka", Source: "kabarnusa.id", Published: day("2022-10-02"), Tags: []string{"budaya"},
			Body: "Perajin batik memamerkan karya mereka. Pemerintah kota berharap kerja sama dengan desainer muda memperluas pasar."},
	}
	if _, problems, err := ix.Upsert(context.Background(), articles); err != nil || len(problems) > 0 {
		t.Fatalf("upsert: %v %v", err, problems)
	}
	return ix
}

func TestRealIndex(t *testing.T) {
	ix := realIndex(t)
	h := newTest(ix, Options{Token: "t"})

	w := call(t, h, "GET", "/api/search?q=multipolar", "")
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var res cari.Result
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 || !strings.Contains(res.Hits[0].Snippet, "<mark>multipolar</mark>") {
		t.Fatalf("first hit's snippet lacks <mark>multipolar</mark>: %+v", res)
	}

	for _, tc := range []struct {
		query  string
		status int
		total  uint64
	}{
		// Not valid syntax: searched as plain words, not refused.
		{"q=title:", 200, 0},
		{"q=%2B", 200, 0},
		{"q=%22kerja+sama", 200, 2},
		{"q=/[/", 200, 0},
		{"sort=bogus", 400, 0},
		{"size=101", 400, 0},
		{"page=-1", 400, 0},
		{"size=0", 400, 0}, // the spec's minimum, as for similar and suggest
		{"page=0", 400, 0},
		{"from=2024-01-01&to=2023-01-01", 400, 0},
		{"q=%22kerja+sama%22", 200, 2},
		{"source=kabarnusa.id", 200, 2},
		{"source=warta.co,kabarnusa.id&tag=bencana", 200, 1},
		{"from=2023-01-01&to=2023-12-31", 200, 1},
		{"sort=date", 200, 3},
	} {
		w := call(t, h, "GET", "/api/search?"+tc.query, "")
		if w.Code != tc.status {
			t.Errorf("%s: status %d, want %d: %s", tc.query, w.Code, tc.status, w.Body)
			continue
		}
		if tc.status != 200 {
			if code := errorCode(t, w); code != "bad_query" {
				t.Errorf("%s: code %q", tc.query, code)
			}
			continue
		}
		var res cari.Result
		if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || res.Total != tc.total {
			t.Errorf("%s: total %d, want %d (%v)", tc.query, res.Total, tc.total, err)
		}
	}

	// bleve's query-string syntax has no grouping, so the index takes
	// "title:(" as a search for the term "(" in titles. Whether it
	// answers that or rejects it, it must not fail.
	w = call(t, h, "GET", "/api/search?q=title:(", "")
	if w.Code >= 500 || !json.Valid(w.Body.Bytes()) {
		t.Errorf("q=title:(: status %d: %s", w.Code, w.Body)
	}

	// Write, read, delete, read again.
	body := `{"id":"gempa-1","title":"Gempa Guncang Cianjur","body":"Gempa bermagnitudo 5,6 merusak rumah warga.","source":"warta.co","published":"2022-11-21"}
{"id":"kosong","title":"Tanpa isi"}
`
	w = call(t, h, "POST", "/api/articles", body, "Authorization: Bearer t", "Content-Type: application/x-ndjson")
	if want := `{"indexed":1,"updated":0,"unchanged":0,"errors":true,"skipped":[{"line":2,"field":"body","message":"missing or empty"}]}`; strings.TrimSpace(w.Body.String()) != want {
		t.Errorf("post: status %d\n got %s\nwant %s", w.Code, w.Body, want)
	}
	w = call(t, h, "POST", "/api/articles", "["+strings.SplitN(body, "\n", 2)[0]+"]", "Authorization: Bearer t")
	if !strings.Contains(w.Body.String(), `"unchanged":1`) {
		t.Errorf("re-post: %s", w.Body)
	}
	w = call(t, h, "GET", "/api/articles/gempa-1", "")
	var a cari.Article
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &a) != nil || a.Source != "warta.co" || a.Body == "" {
		t.Errorf("get: status %d: %s", w.Code, w.Body)
	}
	if w = call(t, h, "DELETE", "/api/articles/gempa-1", "", "Authorization: Bearer t"); w.Code != 204 {
		t.Errorf("delete: status %d: %s", w.Code, w.Body)
	}
	if w = call(t, h, "GET", "/api/articles/gempa-1", ""); w.Code != 404 {
		t.Errorf("get after delete: status %d", w.Code)
	}
	if w = call(t, h, "DELETE", "/api/articles/gempa-1", "", "Authorization: Bearer t"); w.Code != 404 {
		t.Errorf("second delete: status %d", w.Code)
	}
	w = call(t, h, "GET", "/api/stats", "", "Authorization: Bearer t")
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"documents":3`) {
		t.Errorf("stats: %d %s", w.Code, w.Body)
	}
}

// A write the disk cannot take is a 507 saying so, for POST and DELETE
// alike, and the searches go on.
func TestDiskFull(t *testing.T) {
	const auth = "Authorization: Bearer rahasia"
	full := fmt.Errorf("%w: 1 MiB free", cari.ErrDiskFull)
	f := &fake{
		upsertFn: func(context.Context, []cari.Article) (cari.IngestStats, []*cari.FieldError, error) {
			return cari.IngestStats{}, nil, full
		},
		deleteFn: func(context.Context, string) error { return full },
	}
	h := newTest(f, Options{Token: "rahasia"})
	for _, tc := range []struct{ method, target, body string }{
		{"POST", "/api/articles", `[{"id":"a","title":"Judul","body":"Isi berita."}]`},
		{"DELETE", "/api/articles/ada", ""},
	} {
		w := call(t, h, tc.method, tc.target, tc.body, auth)
		if w.Code != http.StatusInsufficientStorage || errorCode(t, w) != "insufficient_storage" {
			t.Errorf("%s %s on a full disk: %d %s, want 507 insufficient_storage", tc.method, tc.target, w.Code, w.Body)
		}
		if !strings.Contains(w.Body.String(), "nothing of this write was stored") {
			t.Errorf("%s %s: %s should say nothing was stored", tc.method, tc.target, w.Body)
		}
	}
	if w := call(t, h, "GET", "/api/search?q=banjir", ""); w.Code != http.StatusOK {
		t.Errorf("search beside a full disk: %d", w.Code)
	}
}

// lockedLog is a text logger whose lines the server's goroutines may
// write at once, and what it has logged so far.
func lockedLog(opts *slog.HandlerOptions) (*slog.Logger, func() string) {
	var buf strings.Builder
	var mu sync.Mutex
	log := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return buf.WriteString(string(p))
	}), opts))
	return log, func() string {
		mu.Lock()
		defer mu.Unlock()
		return buf.String()
	}
}
