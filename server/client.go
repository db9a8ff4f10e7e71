package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index/input"
)

// Client writes to a running cari server through its API, for indexing
// while the server holds the index (a bleve index is open in one process
// at a time).
//
// Design note. Ingest reads input with the same readers as local
// indexing (input.Source), so a record the reader rejects is reported
// exactly as `cari index` reports it, and sends the good ones as JSON
// Lines, one article a line. The server numbers its per-record errors by
// line of the request body; the client keeps, for each batch, the file
// and line each article came from, so every error names the input file
// and line, never a position in a batch. A batch is also cut before its
// body reaches MaxBatchBytes, so large articles cannot make the server
// refuse a whole batch as too large.
type Client struct {
	// BaseURL is the server's address, such as "http://127.0.0.1:8080".
	BaseURL string
	// Token is the key every request carries, when set: the admin key
	// for writes and /api/stats, or a search key for searches on a
	// server that requires one.
	Token string
	// HTTP sends the requests; nil means http.DefaultClient.
	HTTP *http.Client
	// MaxBatchBytes bounds one request body of Ingest; 0 means
	// DefaultMaxBatchBytes. Keep it under the server's body limit.
	MaxBatchBytes int
}

// DefaultMaxBatchBytes leaves room under the server's default body limit.
const DefaultMaxBatchBytes = DefaultMaxBodyBytes / 2

// UpsertResult is the answer to POST /api/articles: counts, and each
// record the server skipped.
type UpsertResult struct {
	cari.IngestStats
	Errors  bool            `json:"errors"`
	Skipped []SkippedRecord `json:"skipped"`
}

// SkippedRecord is a record the server did not index. Line is the record's
// line in the request body (for JSON Lines, its position, from 1).
type SkippedRecord struct {
	Line    int    `json:"line"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// The server's own type must keep the shape clients decode.
var _ = SkippedRecord(skipped{})

// APIError is an error answer of the server.
type APIError struct {
	Method, URL string
	Status      int
	// Code and Message come from the server's JSON error body; Message is
	// the start of the body when it is not JSON.
	Code, Message string
	body          []byte
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d %s", e.Method, e.URL, e.Status, http.StatusText(e.Status))
	if e.Code != "" {
		b.WriteString(" (" + e.Code + ")")
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	return b.String()
}

// Upsert sends articles to the server, which indexes them (an upsert by
// id) before it answers. Nothing is sent when articles is empty.
func (c *Client) Upsert(ctx context.Context, articles []cari.Article) (UpsertResult, error) {
	if len(articles) == 0 {
		return UpsertResult{Skipped: []SkippedRecord{}}, nil
	}
	var body bytes.Buffer
	for i := range articles {
		if err := encodeLine(&body, &articles[i]); err != nil {
			return UpsertResult{}, err
		}
	}
	return c.post(ctx, body.Bytes())
}

// Stats returns the server's GET /api/stats.
func (c *Client) Stats(ctx context.Context) (cari.Stats, error) {
	var st cari.Stats
	err := c.do(ctx, http.MethodGet, "/api/stats", "", nil, &st)
	return st, err
}

// Snapshot asks the server for a copy of its index (POST /api/snapshots),
// which it makes under its --snapshot-dir; it returns the copy's path.
func (c *Client) Snapshot(ctx context.Context) (string, error) {
	var res snapshotResponse
	if err := c.do(ctx, http.MethodPost, "/api/snapshots", "", nil, &res); err != nil {
		return "", err
	}
	return res.Path, nil
}

// Search runs r on the server (GET /api/search). The API has no
// parameters for Plain, NoFacets and NoHighlight: a request that needs
// Plain, or a half-life that is not a whole number of days, is refused
// rather than run otherwise; facets and marks come back whatever the two
// others say.
func (c *Client) Search(ctx context.Context, r cari.Request) (*cari.Result, error) {
	v, err := searchParams(r)
	if err != nil {
		return nil, err
	}
	var res cari.Result
	if err := c.do(ctx, http.MethodGet, "/api/search?"+v.Encode(), "", nil, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// Similar returns the articles related to article id
// (GET /api/articles/{id}/similar); size 0 is the server's default.
func (c *Client) Similar(ctx context.Context, id string, size int) (*cari.Result, error) {
	v := url.Values{}
	if size != 0 {
		v.Set("size", strconv.Itoa(size))
	}
	var res cari.Result
	if err := c.do(ctx, http.MethodGet, "/api/articles/"+url.PathEscape(id)+"/similar?"+v.Encode(), "", nil, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// Suggest returns the completions of q (GET /api/suggest); size 0 is the
// server's default.
func (c *Client) Suggest(ctx context.Context, q string, size int) ([]cari.Completion, error) {
	v := url.Values{"q": {q}}
	if size != 0 {
		v.Set("size", strconv.Itoa(size))
	}
	var res struct {
		Completions []cari.Completion `json:"completions"`
	}
	if err := c.do(ctx, http.MethodGet, "/api/suggest?"+v.Encode(), "", nil, &res); err != nil {
		return nil, err
	}
	return res.Completions, nil
}

// searchParams is the query string of GET /api/search for r, the inverse
// of parseSearch.
func searchParams(r cari.Request) (url.Values, error) {
	const day = 24 * time.Hour
	if r.Plain {
		return nil, fmt.Errorf("the API searches the query's syntax; it cannot search %q as plain words", r.Query)
	}
	if !r.Now.IsZero() {
		return nil, fmt.Errorf("the API counts relative dates from the server's own day; it takes no now (%s)", r.Now.Format(time.DateOnly))
	}
	if r.HalfLife%day != 0 {
		return nil, fmt.Errorf("the API takes a half-life in whole days, not %s", r.HalfLife)
	}
	v := url.Values{}
	set := func(name, value string, ok bool) {
		if ok {
			v.Set(name, value)
		}
	}
	set("q", r.Query, r.Query != "")
	set("page", strconv.Itoa(r.Page), r.Page != 0)
	set("size", strconv.Itoa(r.Size), r.Size != 0)
	set("sort", r.Sort, r.Sort != "")
	set("recent", "true", r.Recent)
	set("exact", "true", r.Exact)
	set("dates", "false", r.NoDates)
	set("collapse", "false", !r.Collapse)
	set("half_life", strconv.Itoa(int(r.HalfLife/day)), r.HalfLife != 0)
	set("cursor", "true", r.Cursor)
	set("after", r.After, r.After != "")
	if len(r.Sources) > 0 {
		v["source"] = r.Sources
	}
	if len(r.Tags) > 0 {
		v["tag"] = r.Tags
	}
	set("from", r.From.Format(time.RFC3339), !r.From.IsZero())
	set("to", r.To.Format(time.RFC3339), !r.To.IsZero())
	return v, nil
}

// Ingest reads src as an index's Ingest does (input.Paths for files,
// directories and "-" for standard input) and sends the good records to
// the server, batch articles a request (0 means cari.DefaultBatchSize).
// progress, if not nil, is called after each record read, good or bad,
// with the records and input bytes read so far.
//
// Records the reader rejects and records the server rejects are both in
// the report's Skipped, in input order, each with its input file and line.
// An error (the server unreachable, refusing the token, a read failure)
// stops the run; the report then counts what the server accepted before.
func (c *Client) Ingest(ctx context.Context, src input.Source, batch int, progress func(input.Progress)) (cari.IngestReport, error) {
	if _, err := c.endpoint(""); err != nil {
		return cari.IngestReport{}, err // before reading anything
	}
	if batch <= 0 {
		batch = cari.DefaultBatchSize
	}
	maxBytes := c.MaxBatchBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBatchBytes
	}
	type problem struct {
		seq int
		fe  *cari.FieldError
	}
	type origin struct {
		seq  int
		file string
		line int
	}
	var (
		report   cari.IngestReport
		problems []problem
		body     bytes.Buffer
		sent     []origin // where each article of body came from
		done     int
		read     atomic.Int64
	)
	tick := func() {
		done++
		if progress != nil {
			progress(input.Progress{Records: done, Bytes: read.Load()})
		}
	}
	flush := func() error {
		if len(sent) == 0 {
			return nil
		}
		res, err := c.post(ctx, body.Bytes())
		if err != nil {
			return err
		}
		report.Indexed += res.Indexed
		report.Updated += res.Updated
		report.Unchanged += res.Unchanged
		for _, s := range res.Skipped {
			fe := &cari.FieldError{Line: s.Line, Field: s.Field, Err: errors.New(s.Message)}
			seq := done
			if s.Line >= 1 && s.Line <= len(sent) {
				o := sent[s.Line-1]
				fe.File, fe.Line, seq = o.file, o.line, o.seq
			} else {
				fe.Err = fmt.Errorf("server: record %d of a batch: %s", s.Line, s.Message)
				fe.Line = 0
			}
			problems = append(problems, problem{seq, fe})
		}
		body.Reset()
		sent = sent[:0]
		return nil
	}
	err := src.Read(ctx, input.Handlers{
		Emit: func(r input.Record) error {
			tick()
			before := body.Len()
			if err := encodeLine(&body, &r.Article); err != nil {
				return err
			}
			if len(sent) > 0 && body.Len() > maxBytes {
				// Send what came before this article; it opens the next batch.
				line := append([]byte(nil), body.Bytes()[before:]...)
				body.Truncate(before)
				if err := flush(); err != nil {
					return err
				}
				body.Write(line)
			}
			sent = append(sent, origin{seq: done, file: r.File, line: r.Line})
			if len(sent) >= batch {
				return flush()
			}
			return nil
		},
		Bad: func(fe *cari.FieldError) {
			tick()
			problems = append(problems, problem{done, fe})
		},
		BytesRead: &read,
	})
	if err == nil {
		err = flush()
	}
	sort.SliceStable(problems, func(i, j int) bool { return problems[i].seq < problems[j].seq })
	for _, p := range problems {
		report.Skipped = append(report.Skipped, p.fe)
	}
	return report, err
}

// encodeLine appends a as one line of JSON.
func encodeLine(buf *bytes.Buffer, a *cari.Article) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(a); err != nil {
		return fmt.Errorf("encode article %q: %w", a.ID, err)
	}
	return nil
}

// post sends a JSON Lines body to POST /api/articles.
func (c *Client) post(ctx context.Context, body []byte) (UpsertResult, error) {
	var res UpsertResult
	err := c.do(ctx, http.MethodPost, "/api/articles", "application/x-ndjson", body, &res)
	// A batch of which nothing could be indexed is a 400 that lists
	// every record's reason: for the run, records skipped like others.
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Code == "no_valid_article" {
		res = UpsertResult{}
		if jerr := json.Unmarshal(apiErr.body, &res); jerr == nil {
			res.Errors = true
			return res, nil
		}
	}
	return res, err
}

// do makes one request and decodes a 2xx JSON answer into out.
func (c *Client) do(ctx context.Context, method, path, contentType string, body []byte, out any) error {
	endpoint, err := c.endpoint(path)
	if err != nil {
		return err
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, endpoint, rd)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, endpoint, err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		// *url.Error repeats the method and URL; say them once.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("%s %s: %w", method, endpoint, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("%s %s: read the answer: %w", method, endpoint, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := &APIError{Method: method, URL: endpoint, Status: resp.StatusCode, body: data}
		var eb errorBody
		if json.Unmarshal(data, &eb) == nil && eb.Error.Message != "" {
			e.Code, e.Message = eb.Error.Code, eb.Error.Message
		} else {
			e.Message = truncate(strings.TrimSpace(string(data)), 200)
		}
		return e
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s %s: unexpected answer (%d): %w", method, endpoint, resp.StatusCode, err)
	}
	return nil
}

// endpoint joins BaseURL and path, refusing a base that is not an
// http(s) URL.
func (c *Client) endpoint(path string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(c.BaseURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("server URL %q: want http://HOST:PORT or https://HOST", c.BaseURL)
	}
	return strings.TrimRight(u.String(), "/") + path, nil
}
