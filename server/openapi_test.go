package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index"
	"github.com/carisearch/cari/index/input"
)

var (
	specOnce   sync.Once
	specDoc    *openapi3.T
	specRouter routers.Router
	specErr    error
)

// loadSpec loads and validates web/openapi.json and builds a router over
// it; it also teaches the validator to read JSON Lines request bodies.
func loadSpec(t *testing.T) (*openapi3.T, routers.Router) {
	t.Helper()
	specOnce.Do(func() {
		var data []byte
		if data, specErr = fs.ReadFile(webFiles, "web/"+openapiFile); specErr != nil {
			return
		}
		specDoc, specErr = parseSpec(data)
		if specErr != nil {
			return
		}
		specRouter, specErr = gorillamux.NewRouter(specDoc)
		openapi3filter.RegisterBodyDecoder("application/x-ndjson", ndjsonDecoder)
	})
	if specErr != nil {
		t.Fatalf("openapi.json: %v", specErr)
	}
	return specDoc, specRouter
}

func parseSpec(data []byte) (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("invalid: %w", err)
	}
	return doc, nil
}

// ndjsonDecoder reads a JSON Lines body as the array of its records, which
// is how the document describes application/x-ndjson.
func ndjsonDecoder(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
	records := []any{}
	sc := bufio.NewScanner(body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var v any
		if err := json.Unmarshal(line, &v); err != nil {
			return nil, &openapi3filter.ParseError{Kind: openapi3filter.KindInvalidFormat, Cause: err}
		}
		records = append(records, v)
	}
	return records, sc.Err()
}

// bearerPresent is the validator's view of the security scheme: it can
// tell a missing or malformed Authorization header, not a wrong token.
func bearerPresent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	if in.SecuritySchemeName != "bearer" {
		return fmt.Errorf("unknown security scheme %q", in.SecuritySchemeName)
	}
	scheme, token, _ := strings.Cut(in.RequestValidationInput.Request.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return errors.New("no bearer token")
	}
	return nil
}

// reqCheck says what the document should think of a request.
type reqCheck int

const (
	// reqValid: the request conforms to the document.
	reqValid reqCheck = iota
	// reqInvalid: the document already tells the client the request is
	// wrong (a parameter out of range, a missing token).
	reqInvalid
	// reqAny: only the server can tell (an unparsable query, a wrong
	// token, a body over the limit).
	reqAny
)

// exchange is one request to send and what should come back.
type exchange struct {
	name    string
	h       http.Handler
	method  string
	target  string
	body    string
	header  []string
	request reqCheck
	status  int
	code    string // the error code of a 4xx or 5xx
	// component names the response in components/responses the answer
	// must match, for answers no operation describes: unknown paths
	// (404), methods a path does not take (405), refused preflights.
	component string
}

// check sends x to its handler and validates the request and the
// response against the document with kin-openapi.
func (x exchange) check(t *testing.T, doc *openapi3.T, router routers.Router) *httptest.ResponseRecorder {
	t.Helper()
	newReq := func() *http.Request {
		var body io.Reader
		if x.body != "" {
			body = strings.NewReader(x.body)
		}
		r := httptest.NewRequest(x.method, x.target, body)
		for _, kv := range x.header {
			k, v, _ := strings.Cut(kv, ":")
			r.Header.Set(k, strings.TrimSpace(v))
		}
		return r
	}
	ctx := context.Background()

	// The request, as the document sees it.
	req := newReq()
	rt, params, routeErr := router.FindRoute(req)
	var in *openapi3filter.RequestValidationInput
	switch {
	case x.component != "":
		switch x.status {
		case http.StatusNotFound:
			if !errors.Is(routeErr, routers.ErrPathNotFound) {
				t.Errorf("the document has a route for %s %s (%v), the server answers 404", x.method, x.target, routeErr)
			}
		case http.StatusMethodNotAllowed:
			if !errors.Is(routeErr, routers.ErrMethodNotAllowed) {
				t.Errorf("the document does not say %s %s is a wrong method (%v)", x.method, x.target, routeErr)
			}
		}
		op := openapi3.NewOperation()
		ref := doc.Components.Responses[x.component]
		if ref == nil {
			t.Fatalf("no component response %q", x.component)
		}
		op.Responses = openapi3.NewResponses(openapi3.WithStatus(x.status, ref))
		rt = &routers.Route{Spec: doc, Path: req.URL.Path, Method: x.method, Operation: op}
		in = &openapi3filter.RequestValidationInput{Request: req, Route: rt}
	case routeErr != nil:
		t.Fatalf("%s %s: the document has no such operation: %v", x.method, x.target, routeErr)
	default:
		in = &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: rt,
			Options: &openapi3filter.Options{AuthenticationFunc: bearerPresent, MultiError: true}}
		err := openapi3filter.ValidateRequest(ctx, in)
		switch {
		case x.request == reqValid && err != nil:
			t.Errorf("request does not conform to the document: %v", err)
		case x.request == reqInvalid && err == nil:
			t.Errorf("the document accepts a request it should reject")
		}
	}

	// The response, from the server.
	w := httptest.NewRecorder()
	x.h.ServeHTTP(w, newReq())
	if w.Code != x.status {
		t.Fatalf("status %d, want %d; body %s", w.Code, x.status, w.Body)
	}
	err := openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 w.Code,
		Header:                 w.Header(),
		Body:                   io.NopCloser(bytes.NewReader(w.Body.Bytes())),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	})
	if err != nil {
		t.Errorf("response does not conform to the document: %v\nbody: %s", err, truncate(w.Body.String(), 2000))
	}
	if x.code != "" {
		if code := errorCode(t, w); code != x.code {
			t.Errorf("error code %q, want %q", code, x.code)
		}
	}
	if x.status == http.StatusMethodNotAllowed {
		checkAllow(t, doc, req.URL.Path, w.Header().Get("Allow"))
	}
	return w
}

// checkAllow checks that a 405's Allow header lists the methods the
// document gives the path (and HEAD with GET, as net/http does).
func checkAllow(t *testing.T, doc *openapi3.T, path, allow string) {
	t.Helper()
	item := doc.Paths.Find(path)
	if item == nil {
		for tmpl, it := range doc.Paths.Map() {
			if matchTemplate(tmpl, path) {
				item = it
			}
		}
	}
	if item == nil {
		t.Errorf("405 for %s, a path the document does not have", path)
		return
	}
	var want []string
	for m := range item.Operations() {
		want = append(want, m)
		if m == http.MethodGet {
			want = append(want, http.MethodHead)
		}
	}
	var got []string
	for _, m := range strings.Split(allow, ",") {
		got = append(got, strings.TrimSpace(m))
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("%s: Allow %q, the document lists %v", path, allow, want)
	}
}

// matchTemplate reports whether path fits a path template such as
// /api/articles/{id}.
func matchTemplate(tmpl, path string) bool {
	ts, ps := strings.Split(tmpl, "/"), strings.Split(path, "/")
	if len(ts) != len(ps) {
		return false
	}
	for i := range ts {
		if ts[i] != ps[i] && !(strings.HasPrefix(ts[i], "{") && ps[i] != "") {
			return false
		}
	}
	return true
}

// sampleIndex is a temporary index of the bundled sample articles.
func sampleIndex(t testing.TB) *index.Index {
	t.Helper()
	ix := tempIndex(t)
	if _, err := ix.Ingest(context.Background(), input.FS(cari.SampleArticles, cari.SampleDir), index.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	return ix
}

// TestOpenAPIDocument checks the served document: valid OpenAPI 3, the
// embedded file, and one operation for each route of the server, no more.
func TestOpenAPIDocument(t *testing.T) {
	w := call(t, newTest(&fake{}, Options{}), "GET", "/api/openapi.json", "")
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("status %d, Content-Type %q", w.Code, w.Header().Get("Content-Type"))
	}
	served, err := parseSpec(w.Body.Bytes())
	if err != nil {
		t.Fatalf("served document: %v", err)
	}
	if !strings.HasPrefix(served.OpenAPI, "3.") {
		t.Errorf("openapi %q, want 3.x", served.OpenAPI)
	}
	doc, _ := loadSpec(t)

	routes := map[string]bool{}
	for _, rt := range newTest(&fake{}, Options{}).routes() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		path = strings.TrimSuffix(path, "{$}")
		if path == "" {
			path = "/"
		}
		key := method + " " + path
		routes[key] = true
		item := doc.Paths.Value(path)
		if item == nil || item.GetOperation(method) == nil {
			t.Errorf("route %s is not in openapi.json", rt.pattern)
		}
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if !routes[method+" "+path] {
				t.Errorf("openapi.json documents %s %s, which the server does not have", method, path)
			}
			for status, ref := range op.Responses.Map() {
				// The search page tells its errors on the page.
				page := op.OperationID == "page" && ref.Value != nil && ref.Value.Content.Get("text/html") != nil
				if status >= "400" && !page && (ref.Value == nil || ref.Value.Content.Get("application/json") == nil) {
					t.Errorf("%s %s: response %s is not a JSON error", method, path, status)
				}
			}
		}
	}
	// The document is served at one address only.
	if w := call(t, newTest(&fake{}, Options{}), "GET", "/static/"+openapiFile, ""); w.Code != 404 {
		t.Errorf("/static/%s: status %d, want 404", openapiFile, w.Code)
	}
}

// TestOpenAPIConformance sends a request to every route for each status
// it answers with and validates request and response against the
// document: a field the document lacks, a status it does not list, an
// error code other than the one it names, fails the test.
func TestOpenAPIConformance(t *testing.T) {
	doc, router := loadSpec(t)
	const token = "rahasia"
	auth := "Authorization: Bearer " + token
	ix := sampleIndex(t)
	h := newTest(ix, Options{Token: token, CORSOrigins: []string{"https://redaksi.example"}})
	readOnly := newTest(ix, Options{})
	small := newTest(ix, Options{Token: token, MaxBodyBytes: 200})
	slow := newTest(&fake{
		searchFn:  func(ctx context.Context, _ cari.Request) (*cari.Result, error) { <-ctx.Done(); return nil, ctx.Err() },
		articleFn: func(ctx context.Context, _ string) (*cari.Article, error) { <-ctx.Done(); return nil, ctx.Err() },
		similarFn: func(ctx context.Context, _ string, _ int) (*cari.Result, error) { <-ctx.Done(); return nil, ctx.Err() },
		suggestFn: func(ctx context.Context, _ string, _ int) ([]cari.Completion, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		},
	}, Options{SearchTimeout: 5 * time.Millisecond})
	broken := errors.New("disk on fire")
	failing := newTest(&fake{
		searchFn:  func(context.Context, cari.Request) (*cari.Result, error) { return nil, broken },
		articleFn: func(context.Context, string) (*cari.Article, error) { return nil, broken },
		upsertFn: func(context.Context, []cari.Article) (cari.IngestStats, []*cari.FieldError, error) {
			return cari.IngestStats{}, nil, broken
		},
		deleteFn:      func(context.Context, string) error { return broken },
		similarFn:     func(context.Context, string, int) (*cari.Result, error) { return nil, broken },
		suggestFn:     func(context.Context, string, int) ([]cari.Completion, error) { return nil, broken },
		statsErr:      broken,
		setSynonymsFn: func(context.Context, string, string) (int, error) { return 0, broken },
	}, Options{Token: token})
	faked := newTest(&fake{}, Options{})
	snapshots := newTest(ix, Options{Token: token, SnapshotDir: t.TempDir()})
	keyed := keyedServer(t, ix, Options{SnapshotDir: t.TempDir()})
	required := keyedServer(t, ix, Options{RequireSearchKey: true})
	adminAuth, searchAuth := "Authorization: Bearer "+adminKey, "Authorization: Bearer "+searchKey
	failingSnapshots := newTest(&fake{snapshotFn: func(context.Context, string) error { return broken }}, Options{Token: token, SnapshotDir: t.TempDir()})

	article := `{"id":"uji-1","title":"Gempa Guncang Cianjur","body":"Gempa bermagnitudo 5,6 merusak rumah warga.","source":"warta.co","published":"2022-11-21","tags":["bencana"]}`
	longQuery := strings.Repeat("a", cari.MaxQueryBytes+1)

	for _, x := range []exchange{
		// GET /api/search
		{name: "search", h: h, method: "GET", target: "/api/search?q=multipolar", status: 200},
		{name: "search every parameter", h: h, method: "GET", status: 200,
			target: "/api/search?q=kerja+sama&page=2&size=3&sort=date&source=kabarnusantara.id&source=warta-harian.com&tag=diplomasi&from=2023-01-01&to=2024-12-31"},
		{name: "search comma list", h: h, method: "GET", target: "/api/search?q=indonesia&source=kabarnusantara.id,berita-timur.id", status: 200},
		{name: "search everything newest first", h: h, method: "GET", target: "/api/search?size=100", status: 200},
		{name: "search oldest", h: h, method: "GET", target: "/api/search?q=indonesia&sort=oldest", status: 200},
		{name: "search no hits", h: h, method: "GET", target: "/api/search?q=xyzzyplugh", status: 200},
		{name: "search fake", h: faked, method: "GET", target: "/api/search?q=x", status: 200},
		{name: "search page not a number", h: h, method: "GET", target: "/api/search?page=abc", request: reqInvalid, status: 400, code: "bad_query"},
		{name: "search size too big", h: h, method: "GET", target: "/api/search?size=101", request: reqInvalid, status: 400, code: "bad_query"},
		{name: "search bad sort", h: h, method: "GET", target: "/api/search?sort=bogus", request: reqInvalid, status: 400, code: "bad_query"},
		{name: "search cursor", h: h, method: "GET", target: "/api/search?q=indonesia&size=1&cursor=true", status: 200},
		{name: "search recent", h: h, method: "GET", target: "/api/search?q=indonesia&recent=true&half_life=30", status: 200},
		{name: "search bad cursor", h: h, method: "GET", target: "/api/search?q=indonesia&after=bukan-kursor", request: reqAny, status: 400, code: "bad_query"},
		{name: "search exact", h: h, method: "GET", target: "/api/search?q=indonesia&exact=true", status: 200},
		{name: "search bad exact", h: h, method: "GET", target: "/api/search?q=indonesia&exact=semua", request: reqInvalid, status: 400, code: "bad_query"},
		{name: "search bad recent", h: h, method: "GET", target: "/api/search?q=indonesia&recent=kadang", request: reqInvalid, status: 400, code: "bad_query"},
		{name: "search bad half-life", h: h, method: "GET", target: "/api/search?q=indonesia&recent=true&half_life=0", request: reqInvalid, status: 400, code: "bad_query"},
		{name: "search query too long", h: h, method: "GET", target: "/api/search?q=" + longQuery, request: reqInvalid, status: 400, code: "bad_query"},
		{name: "search unparsable query", h: h, method: "GET", target: "/api/search?q=%22unclosed", status: 200},
		{name: "search bad date", h: h, method: "GET", target: "/api/search?from=2023-13-45", request: reqAny, status: 400, code: "bad_query"},
		{name: "search too deep", h: h, method: "GET", target: "/api/search?page=200&size=100", request: reqAny, status: 400, code: "bad_query"},
		{name: "search internal", h: failing, method: "GET", target: "/api/search?q=x", status: 500, code: "internal"},
		{name: "search deadline", h: slow, method: "GET", target: "/api/search?q=x", status: 504, code: "timeout"},
		{name: "search key required", h: required, method: "GET", target: "/api/search?q=x", request: reqAny, status: 401, code: "unauthorized"},
		{name: "search key required, sent", h: required, method: "GET", target: "/api/search?q=x", header: []string{searchAuth}, status: 200},

		// GET /api/articles/{id}
		{name: "article", h: h, method: "GET", target: "/api/articles/kn-2023-001", status: 200},
		{name: "article unknown", h: h, method: "GET", target: "/api/articles/tidak-ada", status: 404, code: "not_found"},
		{name: "article internal", h: failing, method: "GET", target: "/api/articles/ada", status: 500, code: "internal"},
		{name: "article deadline", h: slow, method: "GET", target: "/api/articles/ada", status: 504, code: "timeout"},
		{name: "article key required", h: required, method: "GET", target: "/api/articles/kn-2023-001", request: reqAny, status: 401, code: "unauthorized"},

		// GET /api/articles/{id}/similar
		{name: "similar", h: h, method: "GET", target: "/api/articles/kn-2023-002/similar", status: 200},
		{name: "similar size", h: h, method: "GET", target: "/api/articles/kn-2023-002/similar?size=100", status: 200},
		{name: "similar fake", h: faked, method: "GET", target: "/api/articles/ada/similar", status: 200},
		{name: "similar unknown", h: h, method: "GET", target: "/api/articles/tidak-ada/similar", status: 404, code: "not_found"},
		{name: "similar size not a number", h: h, method: "GET", target: "/api/articles/kn-2023-002/similar?size=abc", request: reqInvalid, status: 400, code: "bad_query"},
		{name: "similar size zero", h: h, method: "GET", target: "/api/articles/kn-2023-002/similar?size=0", request: reqInvalid, status: 400, code: "bad_query"},
		{name: "similar size too big", h: h, method: "GET", target: "/api/articles/kn-2023-002/similar?size=101", request: reqInvalid, status: 400, code: "bad_query"},
		{name: "similar internal", h: failing, method: "GET", target: "/api/articles/ada/similar", status: 500, code: "internal"},
		{name: "similar deadline", h: slow, method: "GET", target: "/api/articles/ada/similar", status: 504, code: "timeout"},
		{name: "similar key required", h: required, method: "GET", target: "/api/articles/kn-2023-002/similar", request: reqAny, status: 401, code: "unauthorized"},

		// GET /api/suggest
		{name: "suggest", h: h, method: "GET", target: "/api/suggest?q=multip", status: 200},
		{name: "suggest after words", h: h, method: "GET", target: "/api/suggest?q=kerja+sa&size=20", status: 200},
		{name: "suggest one", h: h, method: "GET", target: "/api/suggest?q=pertah&size=1", status: 200},
		{name: "suggest nothing typed", h: h, method: "GET", target: "/api/suggest", status: 200},
		{name: "suggest no match", h: h, method: "GET", target: "/api/suggest?q=xyzzyplugh", status: 200},
		{name: "suggest fake", h: faked, method: "GET", target: "/api/suggest?q=x", status: 200},
		{name: "suggest size not a number", h: h, method: "GET", target: "/api/suggest?q=a&size=abc", request: reqInvalid, status: 400, code: "bad_query"},
		{name: "suggest size too big", h: h, method: "GET", target: "/api/suggest?q=a&size=21", request: reqInvalid, status: 400, code: "bad_query"},
		{name: "suggest query too long", h: h, method: "GET", target: "/api/suggest?q=" + longQuery, request: reqInvalid, status: 400, code: "bad_query"},
		{name: "suggest malformed", h: h, method: "GET", target: "/api/suggest?q=%zz", request: reqAny, status: 400, code: "bad_query"},
		{name: "suggest internal", h: failing, method: "GET", target: "/api/suggest?q=x", status: 500, code: "internal"},
		{name: "suggest deadline", h: slow, method: "GET", target: "/api/suggest?q=x", status: 504, code: "timeout"},
		{name: "suggest key required", h: required, method: "GET", target: "/api/suggest?q=x", request: reqAny, status: 401, code: "unauthorized"},

		// POST /api/articles
		{name: "post array", h: h, method: "POST", target: "/api/articles", body: "[" + article + "]",
			header: []string{auth, "Content-Type: application/json"}, status: 200},
		{name: "post again", h: h, method: "POST", target: "/api/articles", body: "[" + article + "]",
			header: []string{auth, "Content-Type: application/json"}, status: 200},
		{name: "post ndjson", h: h, method: "POST", target: "/api/articles",
			body:   `{"id":"uji-2","text":"Relawan membagikan makanan.","date":"2024-02-10T08:00:00+07:00","tags":"bencana,banjir"}` + "\n\n" + `{"id":3,"content":"Isi ketiga."}` + "\n",
			header: []string{auth, "Content-Type: application/x-ndjson"}, status: 200},
		{name: "post skipped records", h: h, method: "POST", target: "/api/articles",
			body:   article + "\n" + `{"id":"kosong","title":"Tanpa isi"}` + "\n" + `{"id":"rusak",` + "\n",
			header: []string{auth, "Content-Type: application/x-ndjson"}, request: reqInvalid, status: 200},
		{name: "post nothing valid", h: h, method: "POST", target: "/api/articles",
			body:   `{"id":"kosong","title":"Tanpa isi"}` + "\n" + `{"id":"rusak",` + "\n",
			header: []string{auth, "Content-Type: application/x-ndjson"}, request: reqInvalid, status: 400, code: "no_valid_article"},
		{name: "post broken JSON", h: h, method: "POST", target: "/api/articles", body: "[{\"id\": ",
			header: []string{auth, "Content-Type: application/json"}, request: reqInvalid, status: 400, code: "no_valid_article"},
		{name: "post empty body", h: h, method: "POST", target: "/api/articles", body: "",
			header: []string{auth, "Content-Type: application/json"}, request: reqInvalid, status: 400, code: "bad_request"},
		{name: "post no token", h: h, method: "POST", target: "/api/articles", body: "[" + article + "]",
			header: []string{"Content-Type: application/json"}, request: reqInvalid, status: 401, code: "unauthorized"},
		{name: "post wrong token", h: h, method: "POST", target: "/api/articles", body: "[" + article + "]",
			header: []string{"Authorization: Bearer salah", "Content-Type: application/json"}, request: reqAny, status: 401, code: "unauthorized"},
		{name: "post writes disabled", h: readOnly, method: "POST", target: "/api/articles", body: "[" + article + "]",
			header: []string{auth, "Content-Type: application/json"}, status: 403, code: "writes_disabled"},
		{name: "post too large", h: small, method: "POST", target: "/api/articles", body: "[" + article + "," + article + "]",
			header: []string{auth, "Content-Type: application/json"}, request: reqAny, status: 413, code: "too_large"},
		{name: "post search key", h: keyed, method: "POST", target: "/api/articles", body: "[" + article + "]",
			header: []string{searchAuth, "Content-Type: application/json"}, status: 403, code: "forbidden_scope"},
		{name: "post internal", h: failing, method: "POST", target: "/api/articles", body: "[" + article + "]",
			header: []string{auth, "Content-Type: application/json"}, status: 500, code: "internal"},

		// DELETE /api/articles/{id}
		{name: "delete", h: h, method: "DELETE", target: "/api/articles/uji-1", header: []string{auth}, status: 204},
		{name: "delete unknown", h: h, method: "DELETE", target: "/api/articles/uji-1", header: []string{auth}, status: 404, code: "not_found"},
		{name: "delete no token", h: h, method: "DELETE", target: "/api/articles/uji-2", request: reqInvalid, status: 401, code: "unauthorized"},
		{name: "delete writes disabled", h: readOnly, method: "DELETE", target: "/api/articles/uji-2", header: []string{auth}, status: 403, code: "writes_disabled"},
		{name: "delete search key", h: keyed, method: "DELETE", target: "/api/articles/uji-2", header: []string{searchAuth}, status: 403, code: "forbidden_scope"},
		{name: "delete internal", h: failing, method: "DELETE", target: "/api/articles/ada", header: []string{auth}, status: 500, code: "internal"},

		// POST /api/snapshots
		{name: "snapshot", h: snapshots, method: "POST", target: "/api/snapshots", header: []string{auth}, status: 201},
		{name: "snapshot no token", h: snapshots, method: "POST", target: "/api/snapshots", request: reqInvalid, status: 401, code: "unauthorized"},
		{name: "snapshots disabled", h: h, method: "POST", target: "/api/snapshots", header: []string{auth}, status: 403, code: "snapshots_disabled"},
		{name: "snapshot writes disabled", h: readOnly, method: "POST", target: "/api/snapshots", header: []string{auth}, status: 403, code: "writes_disabled"},
		{name: "snapshot search key", h: keyed, method: "POST", target: "/api/snapshots", header: []string{searchAuth}, status: 403, code: "forbidden_scope"},
		{name: "snapshot internal", h: failingSnapshots, method: "POST", target: "/api/snapshots", header: []string{auth}, status: 500, code: "internal"},

		// GET /api/analyze
		{name: "analyze", h: h, method: "GET", target: "/api/analyze?text=Negara-negara+itu+menyerang+dan+menyelaraskan+kemitraan", status: 200},
		{name: "analyze nothing", h: h, method: "GET", target: "/api/analyze", status: 200},
		{name: "analyze key required", h: required, method: "GET", target: "/api/analyze?text=x", request: reqAny, status: 401, code: "unauthorized"},
		{name: "analyze too long", h: h, method: "GET", target: "/api/analyze?text=" + strings.Repeat("a", MaxAnalyzeBytes+1), request: reqInvalid, status: 400, code: "bad_request"},

		// Operations
		{name: "stats", h: h, method: "GET", target: "/api/stats", header: []string{auth}, status: 200},
		{name: "stats with no admin key", h: faked, method: "GET", target: "/api/stats", status: 200},
		{name: "stats no key", h: keyed, method: "GET", target: "/api/stats", request: reqAny, status: 401, code: "unauthorized"},
		{name: "stats search key", h: keyed, method: "GET", target: "/api/stats", header: []string{searchAuth}, status: 403, code: "forbidden_scope"},
		{name: "stats admin key", h: keyed, method: "GET", target: "/api/stats", header: []string{adminAuth}, status: 200},
		{name: "stats internal", h: failing, method: "GET", target: "/api/stats", header: []string{auth}, status: 500, code: "internal"},
		// GET and PUT /api/settings/synonyms (the last PUT leaves the
		// sample index with no stored list, as it was)
		{name: "put synonyms", h: h, method: "PUT", target: "/api/settings/synonyms", body: "# ours\nkopdar => kopi darat\n",
			header: []string{auth, "Content-Type: text/plain"}, status: 200},
		{name: "get synonyms", h: h, method: "GET", target: "/api/settings/synonyms", header: []string{auth}, status: 200},
		{name: "get synonyms with no admin key", h: faked, method: "GET", target: "/api/settings/synonyms", status: 200},
		{name: "get synonyms no key", h: keyed, method: "GET", target: "/api/settings/synonyms", request: reqAny, status: 401, code: "unauthorized"},
		{name: "get synonyms search key", h: keyed, method: "GET", target: "/api/settings/synonyms", header: []string{searchAuth}, status: 403, code: "forbidden_scope"},
		{name: "put synonyms invalid", h: h, method: "PUT", target: "/api/settings/synonyms", body: "kopdar => kopi darat\nyang, dan\n",
			header: []string{auth, "Content-Type: text/plain"}, status: 400, code: "bad_request"},
		{name: "put synonyms no token", h: h, method: "PUT", target: "/api/settings/synonyms", body: "a, b\n",
			header: []string{"Content-Type: text/plain"}, request: reqInvalid, status: 401, code: "unauthorized"},
		{name: "put synonyms search key", h: keyed, method: "PUT", target: "/api/settings/synonyms", body: "a, b\n",
			header: []string{searchAuth, "Content-Type: text/plain"}, status: 403, code: "forbidden_scope"},
		{name: "put synonyms writes disabled", h: readOnly, method: "PUT", target: "/api/settings/synonyms", body: "a, b\n",
			header: []string{auth, "Content-Type: text/plain"}, status: 403, code: "writes_disabled"},
		{name: "put synonyms too large", h: small, method: "PUT", target: "/api/settings/synonyms", body: strings.Repeat("kopdar, kopi darat\n", 20),
			header: []string{auth, "Content-Type: text/plain"}, request: reqAny, status: 413, code: "too_large"},
		{name: "put synonyms internal", h: failing, method: "PUT", target: "/api/settings/synonyms", body: "a, b\n",
			header: []string{auth, "Content-Type: text/plain"}, status: 500, code: "internal"},
		{name: "put no synonyms", h: h, method: "PUT", target: "/api/settings/synonyms", header: []string{auth}, status: 200},

		{name: "openapi", h: h, method: "GET", target: "/api/openapi.json", status: 200},
		{name: "healthz", h: h, method: "GET", target: "/healthz", status: 200},
		{name: "readyz", h: h, method: "GET", target: "/readyz", status: 200},
		{name: "readyz unavailable", h: failing, method: "GET", target: "/readyz", status: 503, code: "unavailable"},
		{name: "metrics", h: h, method: "GET", target: "/metrics", header: []string{auth}, status: 200},
		{name: "metrics with no admin key", h: readOnly, method: "GET", target: "/metrics", status: 200},
		{name: "metrics no key", h: keyed, method: "GET", target: "/metrics", request: reqAny, status: 401, code: "unauthorized"},
		{name: "metrics search key", h: keyed, method: "GET", target: "/metrics", header: []string{searchAuth}, status: 403, code: "forbidden_scope"},

		// The page
		{name: "page", h: h, method: "GET", target: "/", status: 200},
		{name: "page with state", h: h, method: "GET", target: "/?q=multipolar&page=2", status: 200},
		{name: "page bad parameter", h: h, method: "GET", target: "/?q=multipolar&page=abc", status: 400},
		{name: "page sort box", h: h, method: "GET", target: "/?q=multipolar&sort=recent", status: 303},
		{name: "page internal", h: failing, method: "GET", target: "/?q=x", status: 500},
		{name: "page deadline", h: slow, method: "GET", target: "/?q=x", status: 504},
		{name: "script", h: h, method: "GET", target: "/static/app.js", status: 200},
		{name: "style", h: h, method: "GET", target: "/static/style.css", status: 200},
		{name: "static unknown", h: h, method: "GET", target: "/static/tidak-ada.css", status: 404, code: "not_found"},

		// What no operation describes
		{name: "unknown api route", h: h, method: "GET", target: "/api/tidak-ada", status: 404, code: "not_found", component: "NotFound"},
		{name: "unknown route", h: h, method: "GET", target: "/favicon.ico", status: 404, code: "not_found", component: "NotFound"},
		{name: "unknown nested route", h: h, method: "GET", target: "/api/articles/a/b", status: 404, code: "not_found", component: "NotFound"},
		{name: "post to search", h: h, method: "POST", target: "/api/search", body: "q=x", status: 405, code: "method_not_allowed", component: "MethodNotAllowed"},
		{name: "put article", h: h, method: "PUT", target: "/api/articles/kn-2023-001", body: article, header: []string{auth}, status: 405, code: "method_not_allowed", component: "MethodNotAllowed"},
		{name: "get articles", h: h, method: "GET", target: "/api/articles", status: 405, code: "method_not_allowed", component: "MethodNotAllowed"},
		{name: "delete healthz", h: h, method: "DELETE", target: "/healthz", status: 405, code: "method_not_allowed", component: "MethodNotAllowed"},
		{name: "post similar", h: h, method: "POST", target: "/api/articles/kn-2023-002/similar", status: 405, code: "method_not_allowed", component: "MethodNotAllowed"},
		{name: "delete suggest", h: h, method: "DELETE", target: "/api/suggest", status: 405, code: "method_not_allowed", component: "MethodNotAllowed"},
		{name: "preflight refused", h: h, method: "OPTIONS", target: "/api/search",
			header: []string{"Origin: https://jahat.example", "Access-Control-Request-Method: GET"}, status: 403, code: "cors_denied", component: "CORSDenied"},
	} {
		t.Run(x.name, func(t *testing.T) { x.check(t, doc, router) })
	}
}

// TestOpenAPIIsStrict makes sure the checks above can fail: a field the
// document does not describe, a missing required field, or a code other
// than the status's, are each caught by the validator.
func TestOpenAPIIsStrict(t *testing.T) {
	_, router := loadSpec(t)
	ix := realIndex(t)
	h := newTest(ix, Options{})
	req := httptest.NewRequest("GET", "/api/search?q=multipolar", nil)
	rt, params, err := router.FindRoute(req)
	if err != nil {
		t.Fatal(err)
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: rt}
	validate := func(status int, body []byte) error {
		hdr := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
		return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in, Status: status, Header: hdr, Body: io.NopCloser(bytes.NewReader(body)),
			Options: &openapi3filter.Options{IncludeResponseStatus: true},
		})
	}
	w := call(t, h, "GET", "/api/search?q=multipolar", "")
	if err := validate(w.Code, w.Body.Bytes()); err != nil {
		t.Fatalf("a real response fails: %v", err)
	}
	var res map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	hit := func(r map[string]any) map[string]any { return r["hits"].([]any)[0].(map[string]any) }
	for _, tc := range []struct {
		name   string
		change func(r map[string]any)
	}{
		{"undocumented result field", func(r map[string]any) { r["author"] = "Budi" }},
		{"undocumented hit field", func(r map[string]any) { hit(r)["summary"] = "…" }},
		{"missing snippet", func(r map[string]any) { delete(hit(r), "snippet") }},
		{"score as text", func(r map[string]any) { hit(r)["score"] = "1.5" }},
		{"undocumented facet", func(r map[string]any) { r["facets"].(map[string]any)["author"] = []any{} }},
	} {
		var r map[string]any
		_ = json.Unmarshal(w.Body.Bytes(), &r)
		tc.change(r)
		body, _ := json.Marshal(r)
		if validate(200, body) == nil {
			t.Errorf("%s: the validator accepts it", tc.name)
		}
	}
	for _, tc := range []struct {
		status int
		body   string
	}{
		{400, `{"error":{"code":"internal","message":"x"}}`},
		{400, `{"error":{"code":"bad_query"}}`},
		{400, `{"error":{"code":"bad_query","message":"x","detail":"y"}}`},
		{400, `{"message":"x"}`},
		{418, `{"error":{"code":"bad_query","message":"x"}}`},
	} {
		if validate(tc.status, []byte(tc.body)) == nil {
			t.Errorf("%d %s: the validator accepts it", tc.status, tc.body)
		}
	}
}
