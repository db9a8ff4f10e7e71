// Command writer is the write side of cari's load test
// (scripts/load/run.sh --with-writes): while wrk searches, it POSTs
// batches of new articles to a running server, and afterwards it checks
// that every article the server accepted can be fetched and found.
//
//	go run ./scripts/load/writer post  -server URL -corpus news.jsonl.gz -duration 30s -manifest m.json
//	go run ./scripts/load/writer check -server URL -manifest m.json
//
// post reads articles from a JSON Lines file (gzip if it ends in .gz) and
// gives each a new id (PREFIX TAG-SEQ) and a marker word at the head of
// its body: "zq", then the run's tag and the article's number spelt in
// consonants, a word no article holds and the stemmer cannot touch (no
// vowel, so no affix), so searching it finds that article and no other.
// Batches go to POST /api/articles as NDJSON with the bearer token
// ($CARI_TOKEN or -token-file), one at a time, until -duration is over,
// -max articles have been sent, the file ends, or SIGINT/SIGTERM (with
// -every, a batch starts at most that often, so a long soak spreads the
// file over its length). After
// each batch the last accepted article is searched for at once, which
// checks that writes are visible as soon as the response says so. The
// accepted articles (a record the response does not list as skipped) and
// the server's article count before the first batch go to the manifest.
//
// check fetches every article of the manifest (GET /api/articles/{id},
// whose body must hold the marker), searches its marker (the article must
// be the one hit), and compares GET /api/stats with the count before plus
// the new articles.
//
// Either exits 1 on any failure (an HTTP error, a skipped record, an
// article missing) and prints a "WRITER key=value ..." or "CHECK
// key=value ..." line that run.sh reads.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: writer post  -server URL -corpus FILE [-batch 100] [-duration 30s] [-max N] -manifest FILE
       writer check -server URL -manifest FILE [-workers 4]`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "post":
		err = postCmd(ctx, args[1:], stdout, stderr)
	case "check":
		err = checkCmd(ctx, args[1:], stdout, stderr)
	default:
		fmt.Fprintln(stderr, usage)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "writer:", err)
		return 1
	}
	return 0
}

// consonants spell the marker words: with no vowel, no Indonesian affix
// can be stripped from them.
const consonants = "bcdfghjklmnpqrstvwxz"

// spell writes n in base 20 with the consonants, in exactly width letters.
func spell(n uint64, width int) string {
	b := make([]byte, width)
	for i := width - 1; i >= 0; i-- {
		b[i] = consonants[n%uint64(len(consonants))]
		n /= uint64(len(consonants))
	}
	return string(b)
}

const (
	tagWidth = 4 // 160,000 run tags
	seqWidth = 5 // 3,200,000 articles a run
	maxTag   = 20 * 20 * 20 * 20
	maxSeq   = 20 * 20 * 20 * 20 * 20
)

// Marker is the word that finds article seq of the run tagged tag.
func Marker(tag, seq uint64) string {
	return "zq" + spell(tag, tagWidth) + spell(seq, seqWidth)
}

// Entry is one accepted article.
type Entry struct {
	ID     string `json:"id"`
	Marker string `json:"marker"`
}

// Manifest is what post hands to check.
type Manifest struct {
	Server    string  `json:"server"`
	Base      uint64  `json:"base"` // articles in the index before the first batch
	Posted    int     `json:"posted"`
	Indexed   int     `json:"indexed"`
	Updated   int     `json:"updated"`
	Unchanged int     `json:"unchanged"`
	Articles  []Entry `json:"articles"`
}

// rewrite turns one corpus line into a new article: a new id and the
// marker at the head of the body.
func rewrite(line []byte, id, marker string) ([]byte, error) {
	var a map[string]any
	if err := json.Unmarshal(line, &a); err != nil {
		return nil, err
	}
	body, _ := a["body"].(string)
	if body == "" {
		body, _ = a["text"].(string)
		delete(a, "text")
	}
	a["id"] = id
	a["body"] = marker + " " + body
	return json.Marshal(a)
}

// upsertResponse is the answer of POST /api/articles.
type upsertResponse struct {
	Indexed   int `json:"indexed"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Skipped   []struct {
		Line    int    `json:"line"`
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"skipped"`
}

// accepted returns the positions (0-based) of the n records of a batch
// that the response does not list as skipped (it numbers lines from 1).
func accepted(n int, r upsertResponse) []int {
	skipped := map[int]bool{}
	for _, s := range r.Skipped {
		skipped[s.Line] = true
	}
	var out []int
	for i := range n {
		if !skipped[i+1] {
			out = append(out, i)
		}
	}
	return out
}

type client struct {
	base  string
	token string
	http  *http.Client
}

func newClient(server, token string) *client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 16
	return &client{base: strings.TrimRight(server, "/"), token: token, http: &http.Client{Timeout: time.Minute, Transport: tr}}
}

// get decodes the JSON answer of a GET into v, or says why it cannot.
func (c *client) get(ctx context.Context, path string, v any) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return 0, err
	}
	// The token is the server's admin key, which /api/stats needs.
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	return c.do(req, v)
}

func (c *client) do(req *http.Request, v any) (int, error) {
	resp, err := c.http.Do(req)
	// A search refused by admission control (503) is asked again after
	// the Retry-After it gives, as a client should; a write is not.
	for tries := 0; err == nil && resp.StatusCode == http.StatusServiceUnavailable && req.Method == http.MethodGet && tries < 30; tries++ {
		wait := time.Second
		if s, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && s >= 0 {
			wait = min(time.Duration(s)*time.Second, wait)
		}
		resp.Body.Close()
		time.Sleep(wait)
		resp, err = c.http.Do(req.Clone(req.Context()))
	}
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, fmt.Errorf("%s %s: %s: %s", req.Method, req.URL.RequestURI(), resp.Status, bytes.TrimSpace(data))
	}
	if err := json.Unmarshal(data, v); err != nil {
		return resp.StatusCode, fmt.Errorf("%s %s: %w", req.Method, req.URL.RequestURI(), err)
	}
	return resp.StatusCode, nil
}

func (c *client) documents(ctx context.Context) (uint64, error) {
	var st struct {
		Documents uint64 `json:"documents"`
	}
	_, err := c.get(ctx, "/api/stats", &st)
	return st.Documents, err
}

// find searches a marker word and says whether id is the only hit.
func (c *client) find(ctx context.Context, marker, id string) error {
	var res struct {
		Total uint64 `json:"total"`
		Hits  []struct {
			ID string `json:"id"`
		} `json:"hits"`
	}
	if _, err := c.get(ctx, "/api/search?size=5&q="+url.QueryEscape(marker), &res); err != nil {
		return err
	}
	if res.Total != 1 || len(res.Hits) != 1 || res.Hits[0].ID != id {
		return fmt.Errorf("search %s: want only %s, got %d hits %v", marker, id, res.Total, res.Hits)
	}
	return nil
}

// fetch gets an article by id and checks that its body holds the marker.
func (c *client) fetch(ctx context.Context, id, marker string) error {
	var a struct {
		ID   string `json:"id"`
		Body string `json:"body"`
	}
	if _, err := c.get(ctx, "/api/articles/"+url.PathEscape(id), &a); err != nil {
		return err
	}
	if a.ID != id || !strings.HasPrefix(a.Body, marker+" ") {
		return fmt.Errorf("article %s: got id %q, body starting %q", id, a.ID, truncate(a.Body, 40))
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

func token(file string) (string, error) {
	if file == "" {
		t := strings.TrimSpace(os.Getenv("CARI_TOKEN"))
		if t == "" {
			return "", errors.New("no token: give -token-file or set $CARI_TOKEN")
		}
		return t, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(data)), nil
}

// lines reads a JSON Lines file, gzip-compressed if its name ends in .gz.
type lines struct {
	f  *os.File
	gz *gzip.Reader
	br *bufio.Reader
}

func openLines(name string) (*lines, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	l := &lines{f: f}
	var r io.Reader = f
	if strings.HasSuffix(name, ".gz") {
		if l.gz, err = gzip.NewReader(f); err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		r = l.gz
	}
	l.br = bufio.NewReaderSize(r, 1<<20)
	return l, nil
}

// next returns the next non-blank line, or io.EOF.
func (l *lines) next() ([]byte, error) {
	for {
		line, err := l.br.ReadBytes('\n')
		if t := bytes.TrimSpace(line); len(t) > 0 {
			return t, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func (l *lines) Close() error {
	if l.gz != nil {
		l.gz.Close()
	}
	return l.f.Close()
}

func postCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("post", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", "http://127.0.0.1:8080", "cari server")
	tokenFile := fs.String("token-file", "", "file holding the write token (default $CARI_TOKEN)")
	corpus := fs.String("corpus", "", "JSON Lines file of articles to send again under new ids (.gz allowed)")
	batch := fs.Int("batch", 100, "articles a request")
	duration := fs.Duration("duration", 30*time.Second, "stop starting batches after this long")
	limit := fs.Int("max", 0, "send at most this many articles (0: no limit)")
	prefix := fs.String("prefix", "load-", "prefix of the new ids")
	manifest := fs.String("manifest", "", "write the accepted articles here, for check")
	every := fs.Duration("every", 0, "start a batch at most this often (0: one after another)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *corpus == "" || *manifest == "" || *batch < 1 {
		return errors.New("post needs -corpus, -manifest and a positive -batch")
	}
	tok, err := token(*tokenFile)
	if err != nil {
		return err
	}
	src, err := openLines(*corpus)
	if err != nil {
		return err
	}
	defer src.Close()
	c := newClient(*server, tok)
	m := Manifest{Server: c.base}
	if m.Base, err = c.documents(ctx); err != nil {
		return err
	}
	tag := rand.Uint64N(maxTag)
	var (
		start      = time.Now()
		deadline   = start.Add(*duration)
		seq        uint64
		batches    int
		httpErrs   int
		skipped    int
		invisible  int
		firstErr   error
		took       []time.Duration
		eof        bool
		ids, marks []string
		buf        bytes.Buffer
	)
	fail := func(err error) {
		if firstErr == nil {
			firstErr = err
		}
		fmt.Fprintln(stderr, "writer:", err)
	}
	next := start
	for !eof && time.Now().Before(deadline) && ctx.Err() == nil && (*limit == 0 || m.Posted < *limit) {
		if wait := time.Until(next); wait > 0 {
			select {
			case <-ctx.Done():
				continue
			case <-time.After(wait):
			}
		}
		next = time.Now().Add(*every)
		buf.Reset()
		ids, marks = ids[:0], marks[:0]
		for len(ids) < *batch && (*limit == 0 || m.Posted+len(ids) < *limit) {
			line, err := src.next()
			if err == io.EOF {
				eof = true
				break
			}
			if err != nil {
				return err
			}
			if seq >= maxSeq {
				eof = true
				break
			}
			id := fmt.Sprintf("%s%s-%06d", *prefix, spell(tag, tagWidth), seq)
			marker := Marker(tag, seq)
			seq++
			rec, err := rewrite(line, id, marker)
			if err != nil {
				return fmt.Errorf("%s: record %d: %w", *corpus, seq, err)
			}
			buf.Write(rec)
			buf.WriteByte('\n')
			ids = append(ids, id)
			marks = append(marks, marker)
		}
		if len(ids) == 0 {
			break
		}
		// A batch once started is finished even when a signal came: the
		// background context keeps its request from being cut.
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, c.base+"/api/articles", bytes.NewReader(buf.Bytes()))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/x-ndjson")
		req.Header.Set("Authorization", "Bearer "+c.token)
		t0 := time.Now()
		var resp upsertResponse
		status, err := c.do(req, &resp)
		took = append(took, time.Since(t0))
		batches++
		m.Posted += len(ids)
		if err != nil {
			httpErrs++
			fail(fmt.Errorf("batch %d: %w", batches, err))
			if status == http.StatusUnauthorized || status == http.StatusForbidden {
				break // no later batch can do better
			}
			continue
		}
		for _, s := range resp.Skipped {
			skipped++
			fail(fmt.Errorf("batch %d: record %d (%s) skipped: %s %s", batches, s.Line, ids[min(max(s.Line, 1), len(ids))-1], s.Field, s.Message))
		}
		m.Indexed += resp.Indexed
		m.Updated += resp.Updated
		m.Unchanged += resp.Unchanged
		ok := accepted(len(ids), resp)
		for _, i := range ok {
			m.Articles = append(m.Articles, Entry{ID: ids[i], Marker: marks[i]})
		}
		if len(ok) > 0 {
			// Searchable as soon as the response has come?
			last := ok[len(ok)-1]
			if err := c.find(context.Background(), marks[last], ids[last]); err != nil {
				invisible++
				fail(fmt.Errorf("batch %d, right after its response: %w", batches, err))
			}
		}
	}
	elapsed := time.Since(start)
	f, err := os.Create(*manifest)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	if err := enc.Encode(m); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	slices.Sort(took)
	pct := func(p float64) float64 {
		if len(took) == 0 {
			return 0
		}
		return float64(took[int(p*float64(len(took)-1))].Microseconds()) / 1000
	}
	fmt.Fprintf(stdout, "WRITER batches=%d posted=%d accepted=%d indexed=%d updated=%d unchanged=%d skipped=%d http_errors=%d not_visible=%d base=%d seconds=%.1f articles_per_s=%.1f batch_p50_ms=%.1f batch_max_ms=%.1f\n",
		batches, m.Posted, len(m.Articles), m.Indexed, m.Updated, m.Unchanged, skipped, httpErrs, invisible, m.Base,
		elapsed.Seconds(), float64(len(m.Articles))/elapsed.Seconds(), pct(0.5), pct(1))
	switch {
	case firstErr != nil:
		return fmt.Errorf("%d HTTP errors, %d skipped, %d not visible at once; first: %w", httpErrs, skipped, invisible, firstErr)
	case len(m.Articles) == 0:
		return errors.New("no article was accepted")
	}
	return nil
}

func checkCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", "", "cari server (default: the one in the manifest)")
	manifest := fs.String("manifest", "", "the manifest post wrote")
	workers := fs.Int("workers", 4, "requests at once")
	tokenFile := fs.String("token-file", "", "file holding the admin key, which /api/stats needs once the server has one (default $CARI_TOKEN)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	tok := strings.TrimSpace(os.Getenv("CARI_TOKEN"))
	if *tokenFile != "" {
		var err error
		if tok, err = token(*tokenFile); err != nil {
			return err
		}
	}
	data, err := os.ReadFile(*manifest)
	if err != nil {
		return err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("%s: %w", *manifest, err)
	}
	if *server == "" {
		*server = m.Server
	}
	c := newClient(*server, tok)
	start := time.Now()
	var (
		mu       sync.Mutex
		missing  int
		notFound int
		firstErr error
		wg       sync.WaitGroup
		jobs     = make(chan Entry)
	)
	for range max(*workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for e := range jobs {
				errFetch := c.fetch(ctx, e.ID, e.Marker)
				errFind := c.find(ctx, e.Marker, e.ID)
				if errFetch == nil && errFind == nil {
					continue
				}
				mu.Lock()
				for _, err := range []error{errFetch, errFind} {
					if err != nil && firstErr == nil {
						firstErr = err
					}
				}
				if errFetch != nil {
					missing++
				}
				if errFind != nil {
					notFound++
				}
				if missing+notFound <= 10 {
					fmt.Fprintln(stderr, "check:", errors.Join(errFetch, errFind))
				}
				mu.Unlock()
			}
		}()
	}
	for _, e := range m.Articles {
		if ctx.Err() != nil {
			break
		}
		jobs <- e
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	docs, err := c.documents(ctx)
	if err != nil {
		return err
	}
	want := m.Base + uint64(m.Indexed)
	fmt.Fprintf(stdout, "CHECK articles=%d fetched=%d found_by_marker=%d documents=%d expected_documents=%d seconds=%.1f\n",
		len(m.Articles), len(m.Articles)-missing, len(m.Articles)-notFound, docs, want, time.Since(start).Seconds())
	switch {
	case firstErr != nil:
		return fmt.Errorf("%d articles not fetched, %d not found by their marker; first: %w", missing, notFound, firstErr)
	case docs != want:
		return fmt.Errorf("the index holds %d articles, not %d (%d before + %d new)", docs, want, m.Base, m.Indexed)
	case len(m.Articles) != m.Indexed+m.Updated+m.Unchanged:
		return fmt.Errorf("%d accepted articles, but the responses counted %d", len(m.Articles), m.Indexed+m.Updated+m.Unchanged)
	}
	return nil
}
