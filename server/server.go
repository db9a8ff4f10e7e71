// Package server is cari's HTTP face: the JSON API, the search page and
// the operational endpoints, over an index it reaches only through Backend.
//
// Design note.
//
// The handler talks to a Backend interface rather than to *index.Index so
// that every status code, header and error body can be tested with a fake
// in microseconds, while one real temporary index checks that the pieces
// fit. The interface holds only what the routes call; it grows with them.
//
// Every error of the API leaves as JSON of one shape
// ({"error":{"code","message"}}), because its clients are programs and
// the search page's script, and both would otherwise have to guess
// whether a body is HTML, text or JSON. (The search page's own errors are
// the page, telling the same codes in Indonesian: page.go.) That
// includes the 404 and 405 the ServeMux produces by itself: the router asks
// the mux whether a pattern matched and, when none did, rewrites the mux's
// plain-text answer, so the status logic (404 against 405 and its Allow
// header) stays the standard library's and is not copied here.
//
// The index already decides what a bad search is (index.ErrBadRequest):
// the server parses only what the URL carries (integers, dates, lists) and
// maps errors by kind, never by message. Any 400 from /api/search carries
// the code "bad_query", whether the server or the index found the fault,
// so a client needs one branch for "the user typed something wrong"; so
// does a bad query-string parameter of the other reads (a size of
// /api/articles/{id}/similar or /api/suggest). A bad body or id is
// "bad_request".
// Unknown failures are 500 with a generic message; their detail goes to
// the log, not to whoever sent the request.
//
// Access is by bearer key, each key with a scope (keys.go): admin keys
// may do everything, search keys may read. Each route of the table says
// who may call it (access), and one guard enforces it, so the table, the
// OpenAPI document and `cari serve --help` cannot drift apart (a test
// holds the document to what the guard does). Reads are public unless
// RequireSearchKey; /api/stats and /metrics need the admin key once there
// is one, and are public on a server with none (a development server, as
// Meilisearch without a master key); writes without an admin key are
// refused to everyone (403, not 401): a server started without one must
// not be writable, and the message says how to enable writes. A key sent
// where none is needed is not looked at. The key set is swapped whole
// (SetKeys, on SIGHUP), behind an atomic pointer, so a request is judged
// by one set from start to end. The body limit is enforced
// while reading (http.MaxBytesReader), so a huge upload costs at most the
// limit, and a 413 writes nothing: records are upserted only once the
// whole body has been read.
//
// CORS is off unless origins are configured: the search page is same
// origin and needs none, and a public index API answering "*" would let
// any site read it through a visitor's browser.
//
// Logging, metrics and panic recovery live in one ServeHTTP rather than in
// a chain of middleware, so each request is measured once, with the route
// pattern the mux chose (a bounded label set, unlike raw paths). Metrics
// come from prometheus/client_golang, on a registry of the server's own.
//
// The API is described by an OpenAPI 3 document, web/openapi.json, served
// at /api/openapi.json for the people and programs that build on it. It
// is written by hand, not generated, so that it says what a client needs
// (limits, which error code each status carries) rather than what the Go
// types happen to be; the tests keep it honest by validating real
// requests and responses of every route and status against it with
// kin-openapi, with additionalProperties false on every response object,
// so a field added to a response without documenting it fails them.
//
// No state is global: metrics and options hang off the value
// New returns, so two servers in one process (or one test) do not meet.
// The embedded web files are the only package-level variable and are
// read-only.
package server

import (
	"bufio"
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"mime"
	"net/http"
	"net/url"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/gzhttp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index/input"
)

// Backend is what the handlers need from an index.
type Backend interface {
	Search(ctx context.Context, r cari.Request) (*cari.Result, error)
	Article(ctx context.Context, id string) (*cari.Article, error)
	Upsert(ctx context.Context, articles []cari.Article) (cari.IngestStats, []*cari.FieldError, error)
	Delete(ctx context.Context, id string) error
	Stats() (cari.Stats, error)
	Similar(ctx context.Context, id string, size int) (*cari.Result, error)
	Suggest(ctx context.Context, q string, size int) ([]cari.Completion, error)
	// Analyze explains how the index's own analyzer reads text.
	Analyze(ctx context.Context, text string) ([]cari.Token, error)
	// Snapshot writes a copy of the index, made while it serves, to
	// dest, a directory that does not exist yet.
	Snapshot(ctx context.Context, dest string) error
	// SetStoredSynonyms replaces the synonym list stored in the index
	// with text, in the format of a --synonyms file, source naming it
	// in errors; text that does not parse is an error wrapping
	// cari.ErrBadRequest, and changes nothing. It returns the number of
	// groups.
	SetStoredSynonyms(ctx context.Context, source, text string) (int, error)
	// StoredSynonyms is the text of the stored list, empty for none.
	StoredSynonyms() string
}

// Options configure a server. The zero value serves a read-only API with
// the defaults below.
type Options struct {
	// Token is an admin key that SetKeys keeps whatever the key set:
	// the write token from before key files. Clients send
	// "Authorization: Bearer TOKEN". With no admin key at all, POST and
	// DELETE are refused.
	Token string
	// RequireSearchKey makes reads (searches, articles, similar
	// articles, completions, analysis) need a search or admin key.
	RequireSearchKey bool
	// SnapshotDir enables POST /api/snapshots, which writes each copy of
	// the index into a new directory in it.
	SnapshotDir string
	// CORSOrigins may call the API from a browser ("https://a.example");
	// "*" allows any origin. Empty allows none.
	CORSOrigins []string
	// SearchTimeout bounds each search and lookup; 0 means
	// DefaultSearchTimeout.
	SearchTimeout time.Duration
	// MaxBodyBytes bounds a request body; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Logger receives one line per request; nil means slog.Default().
	Logger *slog.Logger
	// Searches and Writes bound the requests in flight (admission.go):
	// searches, lookups, similar articles and completions, and POST
	// and DELETE, each with a queue of its own.
	Searches, Writes Admission
}

// Defaults and limits.
const (
	DefaultSearchTimeout = 10 * time.Second
	DefaultMaxBodyBytes  = 32 << 20
	// MaxAnalyzeBytes bounds the text of /api/analyze.
	MaxAnalyzeBytes = 10000
	// MaxFilterValues bounds the source and tag values of one search.
	MaxFilterValues = 100
	// MaxSynonymsBytes bounds the body of PUT /api/settings/synonyms
	// (unless MaxBodyBytes is smaller): the built-in list, a few
	// hundred groups, is 20 KB.
	MaxSynonymsBytes = 4 << 20
)

// clientClosedRequest is logged when the client went away before the
// answer (nginx's convention; the client never sees it).
const clientClosedRequest = 499

//go:embed web
var webFiles embed.FS

// openapiFile, in web/, is the OpenAPI 3 document served at
// /api/openapi.json.
const openapiFile = "openapi.json"

// Server is the HTTP handler for the API and the search page.
type Server struct {
	b       Backend
	opts    Options
	log     *slog.Logger
	origins map[string]bool
	anyOrig bool
	mux     *http.ServeMux
	// snapshotting is held while a snapshot is made.
	snapshotting sync.Mutex
	// compressed is mux behind gzip for clients that accept it
	// (klauspost/compress's gzhttp: bodies of 1 KiB and more, types
	// worth compressing; a page of results shrinks to about 40%).
	compressed http.Handler
	metrics    *metrics
	web        fs.FS
	// pageTemplate renders the search page (page.go).
	pageTemplate *template.Template
	// openapiDoc is the OpenAPI 3 document of the API.
	openapiDoc []byte
	// searches and writes admit requests (admission.go).
	searches, writes *gate
	// keys are the keys taken now, Options.Token among them.
	keys atomic.Pointer[Keys]
}

// New returns the HTTP handler for the API and the search page, taking
// Options.Token as its only key until SetKeys gives it more.
func New(b Backend, opts Options) *Server {
	if opts.SearchTimeout <= 0 {
		opts.SearchTimeout = DefaultSearchTimeout
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	s := &Server{b: b, opts: opts, log: opts.Logger, origins: map[string]bool{}, metrics: newMetrics(b)}
	if s.log == nil {
		s.log = slog.Default()
	}
	for _, o := range opts.CORSOrigins {
		o = strings.TrimRight(strings.TrimSpace(o), "/")
		switch o {
		case "":
		case "*":
			s.anyOrig = true
		default:
			s.origins[o] = true
		}
	}
	web, err := fs.Sub(webFiles, "web")
	if err != nil {
		panic(err) // the embed directive guarantees the directory
	}
	s.web = web
	s.pageTemplate, err = parsePage(web)
	if err != nil {
		panic(err) // the template is embedded: a test parses it first
	}

	s.openapiDoc, err = fs.ReadFile(web, openapiFile)
	if err != nil {
		panic(err)
	}

	s.searches = newGate("search", searchAdmission(opts.Searches), func() { s.metrics.refused.WithLabelValues("search").Inc() })
	s.writes = newGate("write", writeAdmission(opts.Writes), func() { s.metrics.refused.WithLabelValues("write").Inc() })
	token, _ := (*Keys)(nil).with(ScopeAdmin, opts.Token, "the token") // one key cannot clash
	s.keys.Store(token)
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.Handle(rt.pattern, s.guard(rt.access, rt.handler))
	}
	s.mux = mux
	s.compressed = gzhttp.GzipHandler(mux)
	return s
}

// route is one pattern of the mux, who may call it, and its handler.
type route struct {
	pattern string
	access  access
	handler http.Handler
}

// access is who may call a route. web/openapi.json says it of each
// operation (x-cari-scope, and security for whether a key may be left
// out), and a test holds the document to what the guard does.
type access int

const (
	// accessPublic: anyone, always: health, the page's files, the
	// document.
	accessPublic access = iota
	// accessRead: anyone, or with RequireSearchKey a search or admin key.
	accessRead
	// accessPage: accessRead, refused by the page itself: a browser
	// reads the refusal as a page, in Indonesian.
	accessPage
	// accessMonitor: the admin key, or anyone while the server has no
	// admin key at all.
	accessMonitor
	// accessWrite: the admin key; with none, nobody.
	accessWrite
)

// routes lists every route; web/openapi.json documents each of them, and
// a test holds the two lists equal.
func (s *Server) routes() []route {
	return []route{
		{"GET /api/search", accessRead, s.searches.admit(s.search)},
		{"GET /api/articles/{id}", accessRead, s.searches.admit(s.article)},
		{"GET /api/articles/{id}/similar", accessRead, s.searches.admit(s.similar)},
		{"GET /api/suggest", accessRead, s.searches.admit(s.suggest)},
		{"POST /api/articles", accessWrite, s.writes.admit(s.upsert)},
		{"DELETE /api/articles/{id}", accessWrite, s.writes.admit(s.delete)},
		{"POST /api/snapshots", accessWrite, http.HandlerFunc(s.snapshot)},
		{"GET /api/analyze", accessRead, s.searches.admit(s.analyze)},
		{"GET /api/stats", accessMonitor, http.HandlerFunc(s.stats)},
		{"GET /api/settings/synonyms", accessMonitor, http.HandlerFunc(s.getSynonyms)},
		{"PUT /api/settings/synonyms", accessWrite, s.writes.admit(s.putSynonyms)},
		{"GET /api/openapi.json", accessPublic, http.HandlerFunc(s.openapi)},
		{"GET /healthz", accessPublic, http.HandlerFunc(s.healthz)},
		{"GET /readyz", accessPublic, http.HandlerFunc(s.readyz)},
		{"GET /metrics", accessMonitor, promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{})},
		{"GET /{$}", accessPage, http.HandlerFunc(s.page)},
		{"GET /static/{file}", accessPublic, http.HandlerFunc(s.static)},
	}
}

// ServeHTTP measures, logs and recovers every request around the router.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w}
	route := "unmatched"
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v)
			if !rec.wrote {
				writeError(rec, http.StatusInternalServerError, "internal", "internal error")
			}
		}
		d := time.Since(start)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		s.metrics.observe(route, r.Method, status, d)
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", status),
			slog.Duration("duration", d),
			slog.Int64("bytes", rec.bytes))
	}()
	if s.cors(rec, r) {
		route = "preflight"
		return
	}
	// When no pattern matches, the mux's plain-text 404 or 405 is
	// rewritten as a JSON error.
	h, pattern := s.mux.Handler(r)
	if pattern == "" {
		h.ServeHTTP(&muxErrorWriter{ResponseWriter: rec}, r)
		return
	}
	route = pattern
	s.compressed.ServeHTTP(rec, r)
}

// cors sets the CORS headers for an allowed origin and answers preflight
// requests; it reports whether the request has been answered.
func (s *Server) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	preflight := r.Method == http.MethodOptions && origin != "" && r.Header.Get("Access-Control-Request-Method") != ""
	if len(s.origins) == 0 && !s.anyOrig {
		if preflight {
			writeError(w, http.StatusForbidden, "cors_denied", "cross-origin requests are not allowed; start the server with the origin allowed (--cors-origin)")
			return true
		}
		return false
	}
	w.Header().Add("Vary", "Origin")
	if origin == "" {
		return false
	}
	allowed := s.anyOrig || s.origins[origin]
	if allowed {
		if s.anyOrig {
			w.Header().Set("Access-Control-Allow-Origin", "*")
		} else {
			w.Header().Set("Access-Control-Allow-Origin", origin)
		}
	}
	if !preflight {
		return false
	}
	if !allowed {
		writeError(w, http.StatusForbidden, "cors_denied", fmt.Sprintf("origin %q is not allowed", truncate(origin, 100)))
		return true
	}
	h := w.Header()
	h.Add("Vary", "Access-Control-Request-Method")
	h.Add("Vary", "Access-Control-Request-Headers")
	h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
	return true
}

// search answers GET /api/search.
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	req, err := parseSearch(r.URL.RawQuery)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_query", err.Error())
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.SearchTimeout)
	defer cancel()
	res, err := s.b.Search(ctx, req)
	if err != nil {
		s.fail(w, r, ctx, err, "bad_query")
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// maxCursorBytes bounds the after parameter: a cursor holds a few sort
// values and an id.
const maxCursorBytes = 2048

// parseSearch turns the query string of /api/search into a request,
// checking what the URL alone can tell; the index checks the rest.
func parseSearch(raw string) (cari.Request, error) {
	var req cari.Request
	v, err := url.ParseQuery(raw)
	if err != nil {
		return req, fmt.Errorf("malformed query string: %v", err)
	}
	req.Query = v.Get("q")
	req.Sort = v.Get("sort")
	req.After = v.Get("after")
	for _, p := range []struct {
		name string
		dst  *bool
	}{{"cursor", &req.Cursor}, {"recent", &req.Recent}, {"exact", &req.Exact}} {
		switch b := strings.TrimSpace(v.Get(p.name)); b {
		case "", "false", "0":
		case "true", "1":
			*p.dst = true
		default:
			return req, fmt.Errorf("%s must be true or false, not %q", p.name, truncate(b, 40))
		}
	}
	switch b := strings.TrimSpace(v.Get("dates")); b {
	case "", "true", "1":
	case "false", "0":
		req.NoDates = true
	default:
		return req, fmt.Errorf("dates must be true or false, not %q", truncate(b, 40))
	}
	// One hit per story unless asked otherwise (Request.Collapse).
	switch b := strings.TrimSpace(v.Get("collapse")); b {
	case "", "true", "1":
		req.Collapse = true
	case "false", "0":
	default:
		return req, fmt.Errorf("collapse must be true or false, not %q", truncate(b, 40))
	}
	if s := strings.TrimSpace(v.Get("half_life")); s != "" {
		days, err := strconv.Atoi(s)
		if err != nil || days < 1 || days > 36500 {
			return req, fmt.Errorf("half_life must be a number of days from 1 to 36500, not %q", truncate(s, 40))
		}
		req.HalfLife = time.Duration(days) * 24 * time.Hour
	}
	if len(req.After) > maxCursorBytes {
		return req, fmt.Errorf("after is %d bytes long, not a cursor this server made", len(req.After))
	}
	// Given, page and size are 1 or more, as /api/suggest's and
	// /api/articles/{id}/similar's size: size=0 is no request for the
	// default. page*size could overflow inside the index; no page past
	// the deepest result is valid whatever the size.
	if s := strings.TrimSpace(v.Get("page")); s != "" {
		if req.Page, err = strconv.Atoi(s); err != nil {
			return req, fmt.Errorf("page must be an integer, not %q", truncate(s, 40))
		}
		if req.Page < 1 {
			return req, fmt.Errorf("page must be 1 or more, not %d", req.Page)
		}
		if req.Page > cari.MaxResultDepth {
			return req, fmt.Errorf("page %d goes past the first %d results", req.Page, cari.MaxResultDepth)
		}
	}
	if req.Size, err = sizeParam(v, cari.MaxSize); err != nil {
		return req, err
	}
	if req.Sources, err = listParam(v, "source"); err != nil {
		return req, err
	}
	if req.Tags, err = listParam(v, "tag"); err != nil {
		return req, err
	}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &req.From}, {"to", &req.To}} {
		s := strings.TrimSpace(v.Get(p.name))
		if s == "" {
			continue
		}
		t, err := input.ParseDate(s)
		if err != nil {
			return req, fmt.Errorf("%s: %v", p.name, err)
		}
		*p.dst = t
	}
	return req, nil
}

// listParam collects a parameter that may repeat and may hold
// comma-separated values.
func listParam(v url.Values, name string) ([]string, error) {
	var out []string
	for _, s := range v[name] {
		for _, part := range strings.Split(s, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	if len(out) > MaxFilterValues {
		return nil, fmt.Errorf("at most %d %s values, not %d", MaxFilterValues, name, len(out))
	}
	return out, nil
}

// article answers GET /api/articles/{id}.
// idParam is the {id} of the path, or, for one longer than any id can
// be, a 400 that does not repeat it: a megabyte of id echoed in an error
// and a log line costs the server what it costs the client.
func idParam(w http.ResponseWriter, r *http.Request) (string, bool) {
	id := r.PathValue("id")
	if len(id) > cari.MaxIDBytes {
		writeError(w, http.StatusBadRequest, "bad_request", fmt.Sprintf("the id is %d bytes long; ids are at most %d", len(id), cari.MaxIDBytes))
		return "", false
	}
	return id, true
}

func (s *Server) article(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(w, r)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.SearchTimeout)
	defer cancel()
	a, err := s.b.Article(ctx, id)
	if err != nil {
		s.fail(w, r, ctx, err, "bad_request")
		return
	}
	writeJSON(w, http.StatusOK, a)
}

// similar answers GET /api/articles/{id}/similar: the related articles,
// in the shape of a search result.
func (s *Server) similar(w http.ResponseWriter, r *http.Request) {
	size, err := sizeParam(r.URL.Query(), cari.MaxSize)
	if err != nil {
		// A query-string parameter, as on /api/search: the same fault
		// has the same code on every read.
		writeError(w, http.StatusBadRequest, "bad_query", err.Error())
		return
	}
	id, ok := idParam(w, r)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.SearchTimeout)
	defer cancel()
	res, err := s.b.Similar(ctx, id, size)
	if err != nil {
		s.fail(w, r, ctx, err, "bad_request")
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// suggestResponse is the answer of /api/suggest.
type suggestResponse struct {
	Query       string            `json:"query"`
	Completions []cari.Completion `json:"completions"`
}

// suggest answers GET /api/suggest: completions of what is being typed.
// Its 400s carry "bad_query", like /api/search's, since q is the same
// text on its way to becoming a search.
func (s *Server) suggest(w http.ResponseWriter, r *http.Request) {
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_query", "malformed query string: "+err.Error())
		return
	}
	size, err := sizeParam(v, cari.MaxSuggestSize)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_query", err.Error())
		return
	}
	q := v.Get("q")
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.SearchTimeout)
	defer cancel()
	c, err := s.b.Suggest(ctx, q, size)
	if err != nil {
		s.fail(w, r, ctx, err, "bad_query")
		return
	}
	writeJSON(w, http.StatusOK, suggestResponse{Query: q, Completions: c})
}

// sizeParam reads an optional size from 1 to most; absent is 0, which
// the index reads as its default.
func sizeParam(v url.Values, most int) (int, error) {
	s := strings.TrimSpace(v.Get("size"))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("size must be an integer, not %q", truncate(s, 40))
	}
	if n < 1 || n > most {
		return 0, fmt.Errorf("size must be between 1 and %d, not %d", most, n)
	}
	return n, nil
}

// skipped is a record the API did not index, and why.
type skipped struct {
	Line    int    `json:"line"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

type upsertResponse struct {
	cari.IngestStats
	// Errors says that some record was skipped, so a client that reads
	// no further than the status still learns of it.
	Errors  bool      `json:"errors"`
	Skipped []skipped `json:"skipped"`
}

// refusedBody is the 400 of a write with no record that could be
// indexed: an error of the usual shape, with every record's reason.
type refusedBody struct {
	errorBody
	Skipped []skipped `json:"skipped"`
}

// upsert answers POST /api/articles: a JSON array or JSON Lines of
// articles, read whole before anything is written.
func (s *Server) upsert(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength > s.opts.MaxBodyBytes {
		writeError(w, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("request body is larger than %d bytes", s.opts.MaxBodyBytes))
		return
	}
	body := bufio.NewReader(http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes))
	first, err := firstNonSpace(body)
	if err != nil && err != io.EOF {
		s.bodyError(w, r, err)
		return
	}
	if err == io.EOF {
		writeError(w, http.StatusBadRequest, "bad_request", "request body is empty; send a JSON array of articles or one JSON object a line")
		return
	}
	format := input.FormatJSONLines
	if first == '[' {
		format = input.FormatJSONArray
	}
	var (
		articles []cari.Article
		lines    []int
		resp     = upsertResponse{Skipped: []skipped{}}
	)
	bad := func(fe *cari.FieldError) {
		msg := "invalid record"
		if fe.Err != nil {
			msg = fe.Err.Error()
		}
		resp.Skipped = append(resp.Skipped, skipped{Line: fe.Line, Field: fe.Field, Message: msg})
	}
	err = input.ReadStream(r.Context(), body, "request", format, input.Handlers{
		Emit: func(rec input.Record) error {
			articles = append(articles, rec.Article)
			lines = append(lines, rec.Line)
			return nil
		},
		Bad: bad,
	})
	if err != nil {
		s.bodyError(w, r, err)
		return
	}
	var (
		stats    cari.IngestStats
		problems []*cari.FieldError
	)
	if len(articles) > 0 {
		stats, problems, err = s.b.Upsert(r.Context(), articles)
		if err != nil {
			s.fail(w, r, r.Context(), err, "bad_request")
			return
		}
	}
	for _, fe := range problems {
		// Upsert numbers problems by position in the slice it was given;
		// the client wants the line of its own input.
		c := *fe
		if c.Line >= 1 && c.Line <= len(lines) {
			c.Line = lines[c.Line-1]
		}
		bad(&c)
	}
	sort.SliceStable(resp.Skipped, func(i, j int) bool { return resp.Skipped[i].Line < resp.Skipped[j].Line })
	resp.IngestStats = stats
	resp.Errors = len(resp.Skipped) > 0
	s.metrics.ingested.WithLabelValues("indexed").Add(float64(stats.Indexed))
	s.metrics.ingested.WithLabelValues("updated").Add(float64(stats.Updated))
	s.metrics.ingested.WithLabelValues("unchanged").Add(float64(stats.Unchanged))
	s.metrics.ingested.WithLabelValues("skipped").Add(float64(len(resp.Skipped)))
	if resp.Errors && stats.Indexed+stats.Updated+stats.Unchanged == 0 {
		var refused refusedBody
		refused.Error.Code = "no_valid_article"
		refused.Error.Message = fmt.Sprintf("no record could be indexed; %d skipped, each with its reason in skipped", len(resp.Skipped))
		refused.Skipped = resp.Skipped
		writeJSON(w, http.StatusBadRequest, refused)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// firstNonSpace returns the first byte of br that is not JSON white space,
// leaving it unread.
func firstNonSpace(br *bufio.Reader) (byte, error) {
	for {
		c, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c, br.UnreadByte()
	}
}

// bodyError answers a failure to read a request body.
func (s *Server) bodyError(w http.ResponseWriter, r *http.Request, err error) {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		writeError(w, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("request body is larger than %d bytes; nothing was indexed", tooLarge.Limit))
		return
	}
	if r.Context().Err() != nil {
		s.fail(w, r, r.Context(), err, "bad_request")
		return
	}
	writeError(w, http.StatusBadRequest, "bad_request", "cannot read the request body: "+err.Error())
}

// delete answers DELETE /api/articles/{id}.
func (s *Server) delete(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(w, r)
	if !ok {
		return
	}
	if err := s.b.Delete(r.Context(), id); err != nil {
		s.fail(w, r, r.Context(), err, "bad_request")
		return
	}
	s.metrics.ingested.WithLabelValues("deleted").Inc()
	w.WriteHeader(http.StatusNoContent)
}

// snapshotResponse is the answer of POST /api/snapshots.
type snapshotResponse struct {
	Path   string  `json:"path"`
	TookMS float64 `json:"took_ms"`
}

// snapshot answers POST /api/snapshots: a copy of the index, made while
// it serves, in a new directory of SnapshotDir named by the time. One at
// a time, beside the writes rather than in their turn: a copy of
// gigabytes would hold every write for its minutes.
func (s *Server) snapshot(w http.ResponseWriter, r *http.Request) {
	if s.opts.SnapshotDir == "" {
		writeError(w, http.StatusForbidden, "snapshots_disabled", "snapshots are disabled: start the server with --snapshot-dir DIR")
		return
	}
	if !s.snapshotting.TryLock() {
		w.Header().Set("Retry-After", "10")
		writeError(w, http.StatusServiceUnavailable, "overloaded", "a snapshot is being made; ask again once it is done")
		return
	}
	defer s.snapshotting.Unlock()
	start := time.Now()
	dest := filepath.Join(s.opts.SnapshotDir, "cari-"+start.UTC().Format("20060102T150405.000Z"))
	if err := s.b.Snapshot(r.Context(), dest); err != nil {
		s.fail(w, r, r.Context(), err, "bad_request")
		return
	}
	writeJSON(w, http.StatusCreated, snapshotResponse{Path: dest, TookMS: float64(time.Since(start).Microseconds()) / 1000})
}

// SetKeys makes keys (nil for none) the keys the server takes, with
// Options.Token as one admin key more. The set is swapped whole: a
// request in flight is judged by the set it started with. A set that
// holds the token too, or that leaves RequireSearchKey with no key at
// all, is refused and the keys in use stay.
func (s *Server) SetKeys(keys *Keys) error {
	all, err := keys.with(ScopeAdmin, s.opts.Token, "the token")
	if err != nil {
		return err
	}
	if s.opts.RequireSearchKey && all.Len() == 0 {
		return errors.New("reads need a key (RequireSearchKey), and there would be none")
	}
	s.keys.Store(all)
	return nil
}

// keyMayRead says whether the request carries a key of either scope.
func (s *Server) keyMayRead(r *http.Request) bool {
	scheme, key, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	_, ok := s.keys.Load().scopeOf(strings.TrimSpace(key))
	return ok && strings.EqualFold(scheme, "Bearer")
}

// guard lets a request through to a route if its key may call it.
func (s *Server) guard(a access, next http.Handler) http.Handler {
	if a == accessPublic || a == accessPage {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		keys := s.keys.Load()
		admins := keys.Count(ScopeAdmin)
		switch {
		case a == accessRead && !s.opts.RequireSearchKey, a == accessMonitor && admins == 0:
			next.ServeHTTP(w, r)
			return
		}
		// Refused before its body is read, a request closes its
		// connection: otherwise the server, to keep it alive, first
		// reads the body a client may never send.
		if a == accessWrite && admins == 0 {
			w.Header().Set("Connection", "close")
			writeError(w, http.StatusForbidden, "writes_disabled", "writes are disabled: start the server with an admin key (--keys-file, --token-file, --token or $CARI_TOKEN) and send it as \"Authorization: Bearer KEY\"")
			return
		}
		scheme, key, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		scope, ok := keys.scopeOf(strings.TrimSpace(key))
		if !strings.EqualFold(scheme, "Bearer") || !ok {
			need := "the admin key"
			if a == accessRead {
				need = "a search or admin key"
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="cari"`)
			w.Header().Set("Connection", "close")
			writeError(w, http.StatusUnauthorized, "unauthorized", "missing or wrong key; send \"Authorization: Bearer KEY\" with "+need)
			return
		}
		if a != accessRead && scope != ScopeAdmin {
			w.Header().Set("WWW-Authenticate", `Bearer realm="cari", error="insufficient_scope", scope="admin"`)
			w.Header().Set("Connection", "close")
			writeError(w, http.StatusForbidden, "forbidden_scope", "this needs a key of scope admin; the key sent has scope "+string(scope))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// analyze answers GET /api/analyze.
func (s *Server) analyze(w http.ResponseWriter, r *http.Request) {
	text := r.URL.Query().Get("text")
	if len(text) > MaxAnalyzeBytes {
		writeError(w, http.StatusBadRequest, "bad_request", fmt.Sprintf("text is %d bytes long, at most %d", len(text), MaxAnalyzeBytes))
		return
	}
	tokens, err := s.b.Analyze(r.Context(), text)
	if err != nil {
		s.fail(w, r, r.Context(), err, "bad_request")
		return
	}
	writeJSON(w, http.StatusOK, map[string][]cari.Token{"tokens": tokens})
}

// synonymsSource names the body of PUT /api/settings/synonyms in the
// parser's errors, where a --synonyms file has its name:
// "request body:3: ...".
const synonymsSource = "request body"

// synonymsSummary is the answer of PUT /api/settings/synonyms.
type synonymsSummary struct {
	// Groups counts the lines that gave groups.
	Groups int `json:"groups"`
	Bytes  int `json:"bytes"`
}

// putSynonyms answers PUT /api/settings/synonyms: the body, a synonym
// list in the format of a --synonyms file (whatever the Content-Type),
// replaces the list stored in the index once it parses. It is read whole
// first, so a body over the limit (413) changes nothing either.
func (s *Server) putSynonyms(w http.ResponseWriter, r *http.Request) {
	limit := min(s.opts.MaxBodyBytes, MaxSynonymsBytes)
	if r.ContentLength > limit {
		writeError(w, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("request body is larger than %d bytes; the synonyms in use stay", limit))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeError(w, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("request body is larger than %d bytes; the synonyms in use stay", tooLarge.Limit))
			return
		}
		s.bodyError(w, r, err)
		return
	}
	groups, err := s.b.SetStoredSynonyms(r.Context(), synonymsSource, string(body))
	if err != nil {
		s.fail(w, r, r.Context(), err, "bad_request")
		return
	}
	s.log.Info("stored synonyms replaced", "groups", groups, "bytes", len(body))
	writeJSON(w, http.StatusOK, synonymsSummary{Groups: groups, Bytes: len(body)})
}

// getSynonyms answers GET /api/settings/synonyms: the stored list's text
// as it was put, so that a PUT of it changes nothing.
func (s *Server) getSynonyms(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, s.b.StoredSynonyms())
}

func (s *Server) stats(w http.ResponseWriter, r *http.Request) {
	st, err := s.b.Stats()
	if err != nil {
		s.fail(w, r, r.Context(), err, "bad_request")
		return
	}
	st.Path = "" // where the index lives on disk is no business of a reader's
	writeJSON(w, http.StatusOK, st)
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if _, err := s.b.Stats(); err != nil {
		s.log.Warn("not ready", "err", err)
		writeError(w, http.StatusServiceUnavailable, "unavailable", "the index is not available")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// static serves the page's script and style sheet.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	data, err := fs.ReadFile(s.web, name)
	if err != nil || name == "index.html" || name == openapiFile {
		writeError(w, http.StatusNotFound, "not_found", "no such file")
		return
	}
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(data)
}

// openapi serves the OpenAPI 3 document of the API.
func (s *Server) openapi(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-cache")
	_, _ = w.Write(s.openapiDoc)
}

// fail answers an error from the backend: badCode for errors the client
// caused, the right status for a missing article or a deadline, and a
// generic 500 otherwise.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, ctx context.Context, err error, badCode string) {
	status, code, message := s.failure(r, ctx, err, badCode)
	writeError(w, status, code, message)
}

// failure is the status, code and message fail answers err with, logged
// as fail logs it; the search page tells the same code in its own words.
func (s *Server) failure(r *http.Request, ctx context.Context, err error, badCode string) (status int, code, message string) {
	switch {
	case errors.Is(err, cari.ErrBadRequest):
		return http.StatusBadRequest, badCode, strings.TrimPrefix(err.Error(), cari.ErrBadRequest.Error()+": ")
	case errors.Is(err, cari.ErrTooExpensive):
		return http.StatusBadRequest, "query_too_expensive", err.Error()
	case errors.Is(err, cari.ErrNotFound):
		return http.StatusNotFound, "not_found", err.Error()
	case errors.Is(err, cari.ErrDiskFull):
		// Nothing of the write was stored; searches go on.
		s.log.Warn("write refused", "method", r.Method, "path", r.URL.Path, "err", err)
		return http.StatusInsufficientStorage, "insufficient_storage", "the index's disk is full; nothing of this write was stored: " + err.Error()
	case r.Context().Err() != nil:
		s.log.Debug("client went away", "method", r.Method, "path", r.URL.Path, "err", err)
		return clientClosedRequest, "canceled", "request canceled"
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		return http.StatusGatewayTimeout, "timeout", "the request took too long; try a narrower query"
	default:
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		return http.StatusInternalServerError, "internal", "internal error"
	}
}

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	var e errorBody
	e.Error.Code, e.Error.Message = code, message
	writeJSON(w, status, e)
}

// writeJSON encodes v before writing anything, so an encoding failure can
// still become a 500. HTML is not escaped: titles and snippets carry
// <mark>, and readers of the API (and of curl's output) should see it as
// it is; the response is application/json, never rendered as HTML.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	var data []byte
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		data = []byte(`{"error":{"code":"internal","message":"internal error"}}` + "\n")
	} else {
		data = buf.Bytes()
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Del("Content-Length")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// recorder remembers the status and size of a response.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (w *recorder) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// muxErrorWriter turns the mux's own plain-text 404 and 405 into JSON
// errors and lets anything else (its redirects) through.
type muxErrorWriter struct {
	http.ResponseWriter
	swallow bool
}

func (w *muxErrorWriter) WriteHeader(code int) {
	switch code {
	case http.StatusNotFound:
		w.swallow = true
		writeError(w.ResponseWriter, code, "not_found", "no such page or endpoint")
	case http.StatusMethodNotAllowed:
		w.swallow = true
		writeError(w.ResponseWriter, code, "method_not_allowed", "method not allowed; allowed: "+w.Header().Get("Allow"))
	default:
		w.ResponseWriter.WriteHeader(code)
	}
}

func (w *muxErrorWriter) Write(b []byte) (int, error) {
	if w.swallow {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// metrics counts requests and their latency by route, method and status.
// Each server has its own registry, so two servers in one process (or one
// test) do not share counters.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	// ingested counts the articles that writes sent, by what became of
	// them: indexed, updated, unchanged, skipped (a bad record) or
	// deleted.
	ingested *prometheus.CounterVec
	// refused counts the requests answered 503 by admission control,
	// by kind: search or write.
	refused *prometheus.CounterVec
}

func newMetrics(b Backend) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cari_http_requests_total",
			Help: "HTTP requests by route, method and status code.",
		}, []string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "cari_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route and status code.",
			Buckets: []float64{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10},
		}, []string{"route", "code"}),
		ingested: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cari_ingest_articles_total",
			Help: "Articles sent by writes (POST and DELETE /api/articles), by result: indexed, updated, unchanged, skipped, deleted.",
		}, []string{"result"}),
	}
	for _, result := range []string{"indexed", "updated", "unchanged", "skipped", "deleted"} {
		m.ingested.WithLabelValues(result) // every result shows, at 0 until it happens
	}
	m.refused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cari_http_refused_total",
		Help: "Requests answered 503 because too many of their kind (search, write) were in flight and queued.",
	}, []string{"kind"})
	m.refused.WithLabelValues("search")
	m.refused.WithLabelValues("write")
	documents := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "cari_index_documents",
		Help: "Articles in the index.",
	}, func() float64 {
		st, err := b.Stats()
		if err != nil {
			return math.NaN()
		}
		return float64(st.Documents)
	})
	m.registry.MustRegister(m.requests, m.latency, m.ingested, m.refused, documents,
		// The process's memory and CPU (process_resident_memory_bytes
		// is the figure to hold to the bound in the README), and the
		// Go runtime's: the heap, the collector, and how long
		// goroutines wait for a core (go_sched_latencies_seconds),
		// where a server's tail goes when its cores are saturated.
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewGoCollector(collectors.WithGoCollectorRuntimeMetrics(
			collectors.MetricsGC, collectors.MetricsMemory, collectors.MetricsScheduler)))
	return m
}

func (m *metrics) observe(route, method string, code int, d time.Duration) {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodDelete, http.MethodOptions, http.MethodPut, http.MethodPatch:
	default:
		method = "other" // clients choose methods; labels must stay few
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(code)).Inc()
	m.latency.WithLabelValues(route, strconv.Itoa(code)).Observe(d.Seconds())
}
