package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
)

// Article is one line of a corpus file (JSON Lines, optionally gzipped).
type Article struct {
	ID     string `json:"id"`
	Title  string `json:"title,omitempty"`
	Body   string `json:"body"`
	Date   string `json:"date,omitempty"`
	Source string `json:"source,omitempty"`
	URL    string `json:"url,omitempty"`
}

// openMaybeGzip opens path, decompressing it when its name ends in .gz or
// it starts with gzip's magic bytes.
func openMaybeGzip(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(f, 1<<20)
	magic, _ := br.Peek(2)
	if strings.HasSuffix(path, ".gz") || bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return struct {
			io.Reader
			io.Closer
		}{zr, f}, nil
	}
	return struct {
		io.Reader
		io.Closer
	}{br, f}, nil
}

// eachArticle calls fn for every article of the corpus, in file order.
func eachArticle(path string, fn func(*Article) error) error {
	r, err := openMaybeGzip(path)
	if err != nil {
		return err
	}
	defer r.Close()
	dec := json.NewDecoder(r)
	for n := 1; ; n++ {
		var a Article
		if err := dec.Decode(&a); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("%s: article %d: %w", path, n, err)
		}
		if a.ID == "" {
			return fmt.Errorf("%s: article %d has no id", path, n)
		}
		if err := fn(&a); err != nil {
			return err
		}
	}
}

// Query is one line of a query file: qid<TAB>split<TAB>text.
type Query struct {
	ID, Split, Text string
}

func readQueries(path string) ([]Query, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var qs []Query
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.SplitN(line, "\t", 3)
		if len(f) != 3 {
			return nil, fmt.Errorf("%s:%d: want qid<TAB>split<TAB>query", path, i+1)
		}
		qs = append(qs, Query{ID: f[0], Split: f[1], Text: f[2]})
	}
	return qs, nil
}

// Hit is one ranked result.
type Hit struct {
	DocID string
	Score float64
}

// runWriter writes a TREC run file: "qid Q0 docid rank score system".
type runWriter struct {
	w      *bufio.Writer
	f      *os.File
	system string
}

func createRun(path, system string) (*runWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &runWriter{w: bufio.NewWriter(f), f: f, system: system}, nil
}

func (rw *runWriter) write(qid string, hits []Hit) {
	for i, h := range hits {
		fmt.Fprintf(rw.w, "%s Q0 %s %d %.6f %s\n", qid, h.DocID, i+1, h.Score, rw.system)
	}
}

func (rw *runWriter) close() error {
	if err := rw.w.Flush(); err != nil {
		rw.f.Close()
		return err
	}
	return rw.f.Close()
}

// words splits text on anything that is not a letter or a digit and
// lower-cases the pieces: the words of unicode61 (fts5) and of the
// known-item generator.
func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	})
}

// mustNotExist refuses to build an index over an existing path.
func mustNotExist(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return fmt.Errorf("%s already exists; remove it first", dir)
	}
	return nil
}
