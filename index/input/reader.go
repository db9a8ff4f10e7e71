package input

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/klauspost/compress/zstd"

	"github.com/carisearch/cari"
)

// Format is an input format.
type Format string

// The input formats.
const (
	FormatJSONLines Format = "jsonl"
	FormatJSONArray Format = "json"
	FormatCSV       Format = "csv"
	FormatText      Format = "text"
)

// FormatOf picks the format for a file name by its extension, under a
// ".gz" or ".zst" of a compressed file ("news.jsonl.gz" is JSON Lines); "-" is
// standard input, read as JSON Lines. Compression itself is found by
// content (ReadStream).
func FormatOf(name string) (Format, bool) {
	if name == "-" {
		return FormatJSONLines, true
	}
	switch strings.ToLower(filepath.Ext(withoutGzipExt(name))) {
	case ".jsonl", ".ndjson":
		return FormatJSONLines, true
	case ".json":
		return FormatJSONArray, true
	case ".csv":
		return FormatCSV, true
	case ".txt", ".md":
		return FormatText, true
	}
	return "", false
}

// withoutGzipExt is name less a ".gz" or ".zst" extension.
func withoutGzipExt(name string) string {
	if ext := filepath.Ext(name); strings.EqualFold(ext, ".gz") || strings.EqualFold(ext, ".zst") {
		return strings.TrimSuffix(name, ext)
	}
	return name
}

// gzipMagic begins every gzip stream (RFC 1952), zstdMagic every
// Zstandard frame (RFC 8878).
var (
	gzipMagic = []byte{0x1f, 0x8b}
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// Record is an article read from an input, with where it was read.
type Record struct {
	Article cari.Article
	File    string
	Line    int
}

// Handlers receive what a reader finds: Emit each good record (an error
// from it stops the read), Bad each record (or file) that was skipped,
// and Warn what was read but deserves a look: an id repeated within one
// file (the last record wins) and JSON fields or CSV columns that are
// ignored (each named once a file). A warning never means a record was
// lost; Warn may be nil.
//
// MaxBodyBytes is the largest body accepted; a record with a longer body
// is skipped and reported, never truncated. 0 means DefaultMaxBodyBytes;
// Normalize's MaxBodyBytes is the ceiling whatever is set here.
//
// BytesRead, if set, counts the bytes read from every input (a reader may
// read ahead of the records it has handed on).
type Handlers struct {
	Emit         func(Record) error
	Bad          func(*cari.FieldError)
	Warn         func(*cari.FieldError)
	MaxBodyBytes int
	BytesRead    *atomic.Int64
}

// countingReader adds what it reads to n.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	c.n.Add(int64(k))
	return k, err
}

func (h *Handlers) maxBody() int {
	if h.MaxBodyBytes > 0 {
		return h.MaxBodyBytes
	}
	return cari.DefaultMaxBodyBytes
}

func (h *Handlers) warn(fe *cari.FieldError) {
	if h.Warn != nil {
		h.Warn(fe)
	}
}

// MaxLineBytes bounds one line of JSON Lines input, and a text file.
const MaxLineBytes = cari.MaxBodyBytes + 1<<20

// binarySniffBytes is how much of a walked file is looked at to tell a
// binary file from text.
const binarySniffBytes = 8 << 10

var bom = []byte("\ufeff")

// irregular reports the entry p of a walked directory fsys (named path in
// messages) that is no file to read: a link to nothing, or a named pipe,
// socket or device, which would block the walk or never end. A link to a file is read as the file. (A
// pipe named on the command line is read: that is what it is for.)
func irregular(fsys fs.FS, p, path string, d fs.DirEntry) *cari.FieldError {
	if d.Type().IsRegular() {
		return nil
	}
	info, err := fs.Stat(fsys, p) // follows a link
	switch {
	case err != nil && d.Type()&fs.ModeSymlink != 0:
		return &cari.FieldError{File: path, Err: fmt.Errorf("link to nothing skipped: %w", err)}
	case err != nil:
		return &cari.FieldError{File: path, Err: fmt.Errorf("skipped: %w", err)}
	case info.Mode().IsRegular():
		return nil
	case info.IsDir():
		return &cari.FieldError{File: path, Err: errors.New("link to a directory skipped (links are not walked)")}
	}
	return &cari.FieldError{File: path, Err: fmt.Errorf("not a regular file (%s), skipped", info.Mode().Type())}
}

// sniffBinary reports the file p of a walked directory fsys (named path in
// messages) whose first 8 KB hold a NUL byte or are mostly not UTF-8 (an
// image or an archive with a text extension), so it is skipped with one
// message instead of a message for every line. A few invalid bytes in text are left for the
// reader to report record by record.
func sniffBinary(fsys fs.FS, p, path string) *cari.FieldError {
	f, err := fsys.Open(p)
	if err != nil {
		return nil // the read reports it
	}
	defer f.Close()
	buf := make([]byte, binarySniffBytes)
	n, _ := io.ReadFull(f, buf)
	buf = buf[:n]
	if bytes.HasPrefix(buf, gzipMagic) || bytes.HasPrefix(buf, zstdMagic) {
		return nil // compressed: ReadStream decompresses it
	}
	lineAt := func(off int) int { return 1 + bytes.Count(buf[:off], []byte{'\n'}) }
	if i := bytes.IndexByte(buf, 0); i >= 0 {
		return &cari.FieldError{File: path, Line: lineAt(i), Err: fmt.Errorf("binary file skipped: NUL byte at offset %d", i)}
	}
	invalid, first := 0, -1
	for i := 0; i < len(buf); {
		r, size := utf8.DecodeRune(buf[i:])
		if r == utf8.RuneError && size == 1 && !(len(buf) == binarySniffBytes && len(buf)-i < utf8.UTFMax && !utf8.FullRune(buf[i:])) {
			invalid++
			if first < 0 {
				first = i
			}
		}
		i += size
	}
	if invalid > 0 && invalid*10 > len(buf) {
		return &cari.FieldError{File: path, Line: lineAt(first), Err: fmt.Errorf("binary file skipped: %d of its first %d bytes are not UTF-8", invalid, len(buf))}
	}
	return nil
}

// ReadFile reads one file in the format its extension names.
func ReadFile(ctx context.Context, path string, h Handlers) error {
	format, ok := FormatOf(path)
	if !ok {
		h.Bad(&cari.FieldError{File: path, Err: fmt.Errorf("unknown file type %q (want .jsonl, .ndjson, .json, .csv, .txt or .md, each maybe .gz or .zst)", filepath.Ext(path))})
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	return ReadStream(ctx, f, path, format, h)
}

// ReadStream reads articles in format from r, which may be gzip or
// Zstandard compressed (found by its first bytes, whatever its name); name is used
// in errors and, for text, to name the article.
func ReadStream(ctx context.Context, r io.Reader, name string, format Format, h Handlers) error {
	if h.BytesRead != nil {
		r = countingReader{r: r, n: h.BytesRead} // bytes as stored: what progress is measured in
	}
	br := bufio.NewReader(r)
	r = br
	var unpacked io.Reader
	if magic, _ := br.Peek(len(zstdMagic)); bytes.HasPrefix(magic, gzipMagic) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			h.Bad(&cari.FieldError{File: name, Err: fmt.Errorf("compressed file skipped: %w", err)})
			return nil
		}
		defer zr.Close()
		unpacked = zr
	} else if bytes.Equal(magic, zstdMagic) {
		// One decoder goroutine: files are read one at a time, and
		// decoding is a small part of indexing.
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxZstdWindow))
		if err != nil {
			h.Bad(&cari.FieldError{File: name, Err: fmt.Errorf("compressed file skipped: %w", err)})
			return nil
		}
		defer zr.Close()
		unpacked = zr
	}
	if unpacked != nil {
		cut := &cutShort{r: unpacked}
		r = cut
		// Corrupt or cut-short data ends the file where it goes bad:
		// the articles before it are read, the rest is reported.
		defer func() {
			if cut.err != nil {
				h.Bad(&cari.FieldError{File: name, Err: fmt.Errorf("compressed data corrupt or cut short after %d bytes, the rest skipped: %w", cut.n, cut.err)})
			}
		}()
	}
	switch format {
	case FormatJSONLines:
		return readJSONLines(ctx, r, name, h)
	case FormatJSONArray:
		return readJSONArray(ctx, r, name, h)
	case FormatCSV:
		return readCSV(ctx, r, name, h)
	case FormatText:
		return readText(r, name, &h)
	}
	return fmt.Errorf("read %s: unknown format %q", name, format)
}

// maxZstdWindow bounds the memory a Zstandard stream may ask of its
// decoder, so that a crafted file cannot claim gigabytes.
const maxZstdWindow = 256 << 20

// cutShort reads r until it fails, and then ends as if r had ended,
// keeping the failure.
type cutShort struct {
	r   io.Reader
	n   int64
	err error
}

func (c *cutShort) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, io.EOF
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if err != nil && err != io.EOF {
		c.err = err
		err = io.EOF
	}
	return n, err
}

// fileReader is what a reader keeps across the records of one file.
type fileReader struct {
	name    string
	h       *Handlers
	seen    map[string]int  // id → line it was last read on
	unknown map[string]bool // unknown fields already reported
}

func newFileReader(name string, h *Handlers) *fileReader {
	return &fileReader{name: name, h: h, seen: map[string]int{}, unknown: map[string]bool{}}
}

// bad reports a skipped record.
func (f *fileReader) bad(fe *cari.FieldError, line int) {
	fe.File, fe.Line = f.name, line
	f.h.Bad(fe)
}

// unknownFields warns, once a file, of each field that is ignored.
func (f *fileReader) unknownFields(fields []string, line int) {
	for _, key := range fields {
		if f.unknown[key] {
			continue
		}
		f.unknown[key] = true
		f.h.warn(&cari.FieldError{File: f.name, Line: line, Field: key, Err: errors.New("unknown field ignored (reported once a file)")})
	}
}

// deliver validates a decoded article and hands it on (see validate and
// accept).
func (f *fileReader) deliver(a cari.Article, line int) error {
	if fe := validate(&a, f.h.maxBody()); fe != nil {
		f.bad(fe, line)
		return nil
	}
	return f.accept(a, line)
}

// validate checks a decoded article and normalizes it: a body over the
// limit is refused, not cut. It touches nothing shared, so decode workers
// run it in parallel.
func validate(a *cari.Article, maxBody int) *cari.FieldError {
	if n := len(strings.TrimSpace(a.Body)); n > maxBody {
		return &cari.FieldError{Field: "body", Err: fmt.Errorf("%w: %d bytes, over the limit of %d; record skipped, not truncated", cari.ErrTooLong, n, maxBody)}
	}
	if err := a.Normalize(); err != nil {
		fe, ok := err.(*cari.FieldError)
		if !ok {
			fe = &cari.FieldError{Err: err}
		}
		return fe
	}
	return nil
}

// accept hands on a valid article; an id read before in the same file is
// reported (the later record replaces the earlier).
func (f *fileReader) accept(a cari.Article, line int) error {
	if prev, dup := f.seen[a.ID]; dup {
		f.h.warn(&cari.FieldError{File: f.name, Line: line, Field: "id", Err: fmt.Errorf("duplicate id %q, replaces line %d", truncate(a.ID, 60), prev)})
	}
	f.seen[a.ID] = line
	return f.h.Emit(Record{Article: a, File: f.name, Line: line})
}

// rawRecord is one record's bytes and where it starts; tooLong marks a
// line that was not kept.
type rawRecord struct {
	data    []byte
	line    int
	tooLong bool
}

// decoded is a rawRecord decoded and validated: an article, or the error
// that skips it, and the fields it had that cari ignores.
type decoded struct {
	article cari.Article
	line    int
	unknown []string
	err     *cari.FieldError
}

// decodeRecord decodes and validates one JSON object; decode workers run
// it in parallel.
func decodeRecord(r rawRecord, maxBody int) decoded {
	if r.tooLong {
		return decoded{line: r.line, err: &cari.FieldError{Err: fmt.Errorf("line longer than %d bytes", MaxLineBytes)}}
	}
	a, unknown, fe := decodeJSONArticle(r.data)
	if fe == nil {
		fe = validate(&a, maxBody)
	}
	return decoded{article: a, line: r.line, unknown: unknown, err: fe}
}

// take reports what decodeRecord found, in input order.
func (f *fileReader) take(d decoded) error {
	f.unknownFields(d.unknown, d.line)
	if d.err != nil {
		f.bad(d.err, d.line)
		return nil
	}
	return f.accept(d.article, d.line)
}

// readJSONLines splits the input into lines here and decodes and
// validates them on every core (orderedMap), reporting in input order.
func readJSONLines(ctx context.Context, r io.Reader, name string, h Handlers) error {
	br := bufio.NewReaderSize(r, 64<<10)
	skipBOM(br)
	fr := newFileReader(name, &h)
	maxBody := h.maxBody()
	produce := func(ctx context.Context, emit func(rawRecord) error) error {
		line := 0
		for {
			if err := ctx.Err(); err != nil {
				return err
			}
			data, err := readLine(br)
			if len(data) > 0 || err == nil {
				line++
			}
			if errors.Is(err, errLineTooLong) {
				if eerr := emit(rawRecord{line: line, tooLong: true}); eerr != nil {
					return eerr
				}
				continue
			}
			if err != nil && err != io.EOF {
				return fmt.Errorf("read %s: line %d: %w", name, line, err)
			}
			if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 {
				if eerr := emit(rawRecord{data: trimmed, line: line}); eerr != nil {
					return eerr
				}
			}
			if err == io.EOF {
				return nil
			}
		}
	}
	return orderedMap(ctx, produce, func(r rawRecord) decoded { return decodeRecord(r, maxBody) }, fr.take)
}

var errLineTooLong = errors.New("line too long")

// skipBOM drops a UTF-8 byte-order mark at the start of br.
func skipBOM(br *bufio.Reader) {
	if b, err := br.Peek(len(bom)); err == nil && bytes.Equal(b, bom) {
		_, _ = br.Discard(len(bom))
	}
}

// readLine reads one line without its newline, refusing to hold more than
// MaxLineBytes of it in memory (the rest of a long line is discarded).
func readLine(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf)+len(chunk) > MaxLineBytes {
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = br.ReadSlice('\n')
			}
			if err != nil && err != io.EOF {
				return nil, err
			}
			return nil, errLineTooLong
		}
		buf = append(buf, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimRight(buf, "\r\n"), err
	}
}

func readJSONArray(ctx context.Context, r io.Reader, name string, h Handlers) error {
	data, err := io.ReadAll(io.LimitReader(r, 1<<30))
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	data = bytes.TrimPrefix(data, bom)
	fr := newFileReader(name, &h)
	dec := json.NewDecoder(bytes.NewReader(data))
	// Offsets only grow, so lines are counted from the last one asked
	// for, not from the start each time.
	lastOff, lastLine := int64(0), 1
	lineAt := func(off int64) int {
		if off < lastOff {
			return 1 + bytes.Count(data[:off], []byte{'\n'})
		}
		lastLine += bytes.Count(data[lastOff:off], []byte{'\n'})
		lastOff = off
		return lastLine
	}
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('[') {
		h.Bad(&cari.FieldError{File: name, Line: 1, Err: errors.New("not a JSON array of articles (use .jsonl for one object a line)")})
		return nil
	}
	// A broken element ends the file; it is reported after the elements
	// before it, in order.
	var broken *cari.FieldError
	produce := func(ctx context.Context, emit func(rawRecord) error) error {
		for dec.More() {
			if err := ctx.Err(); err != nil {
				return err
			}
			start := dec.InputOffset()
			for start < int64(len(data)) && strings.IndexByte(" \t\r\n,", data[start]) >= 0 {
				start++
			}
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				broken = &cari.FieldError{File: name, Line: lineAt(start), Err: fmt.Errorf("broken JSON: %w; rest of file not read", err)}
				return nil
			}
			if err := emit(rawRecord{data: raw, line: lineAt(start)}); err != nil {
				return err
			}
		}
		return nil
	}
	maxBody := h.maxBody()
	if err := orderedMap(ctx, produce, func(r rawRecord) decoded { return decodeRecord(r, maxBody) }, fr.take); err != nil {
		return err
	}
	if broken != nil {
		h.Bad(broken)
	}
	return nil
}

// decodeJSONArticle decodes one JSON object, naming the field at fault.
// encoding/json would quietly turn invalid UTF-8 into U+FFFD, so raw values
// are checked first. unknown lists the fields it ignored, sorted.
//
// Branchy because it has a case for each field of the JSON object, each
// with its own check.
func decodeJSONArticle(data []byte) (a cari.Article, unknown []string, fe *cari.FieldError) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return cari.Article{}, nil, &cari.FieldError{Err: errors.New("not a JSON object")}
		}
		return cari.Article{}, nil, &cari.FieldError{Err: fmt.Errorf("broken JSON: %w", err)}
	}
	for key := range fields {
		if !knownFields[strings.ToLower(key)] {
			unknown = append(unknown, key)
		}
	}
	slices.Sort(unknown)
	for key, raw := range fields {
		if !utf8.Valid(raw) {
			return cari.Article{}, unknown, &cari.FieldError{Field: key, Err: cari.ErrInvalidUTF8}
		}
		var err error
		switch strings.ToLower(key) {
		case "id":
			a.ID, err = jsonID(raw)
		case "title":
			err = jsonString(raw, &a.Title)
		case "body", "text", "content":
			if a.Body == "" {
				err = jsonString(raw, &a.Body)
			}
		case "source":
			err = jsonString(raw, &a.Source)
		case "url":
			err = jsonString(raw, &a.URL)
		case "published", "date":
			var s string
			if err = jsonString(raw, &s); err == nil && s != "" {
				a.Published, err = ParseDate(s)
			}
		case "tags":
			a.Tags, err = jsonTags(raw)
		}
		if err != nil {
			return cari.Article{}, unknown, &cari.FieldError{Field: key, Err: err}
		}
	}
	return a, unknown, nil
}

// knownFields are the JSON fields and CSV columns an article is read from.
var knownFields = map[string]bool{
	"id": true, "title": true, "body": true, "text": true, "content": true,
	"source": true, "url": true, "published": true, "date": true, "tags": true,
}

func jsonString(raw json.RawMessage, dst *string) error {
	if string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return fmt.Errorf("want a string, got %s", truncate(string(raw), 30))
	}
	return nil
}

func jsonID(raw json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		return n.String(), nil
	}
	return "", fmt.Errorf("want a string or number, got %s", truncate(string(raw), 30))
}

func jsonTags(raw json.RawMessage) ([]string, error) {
	var list []string
	if err := json.Unmarshal(raw, &list); err == nil {
		return list, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return splitTags(s), nil
	}
	return nil, fmt.Errorf("want a list of strings, got %s", truncate(string(raw), 30))
}

func splitTags(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '|' })
}

func readCSV(ctx context.Context, r io.Reader, name string, h Handlers) error {
	br := bufio.NewReader(r)
	skipBOM(br)
	fr := newFileReader(name, &h)
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = false
	header, err := cr.Read()
	if err != nil {
		h.Bad(&cari.FieldError{File: name, Line: 1, Err: fmt.Errorf("no header row: %w", err)})
		return nil
	}
	columns, unknown := csvColumns(header)
	if _, ok := columns["body"]; !ok {
		h.Bad(&cari.FieldError{File: name, Line: 1, Field: "body", Err: errors.New("header has no body (or text) column; file not read")})
		return nil
	}
	fr.unknownFields(unknown, 1)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				h.Bad(&cari.FieldError{File: name, Line: pe.StartLine, Err: fmt.Errorf("broken CSV: %w", pe.Err)})
				continue
			}
			return fmt.Errorf("read %s: %w", name, err)
		}
		// Only now: FieldPos panics after a record that failed to parse
		// (an unclosed quote), which FuzzReadCSV found.
		line, _ := cr.FieldPos(0)
		a, bad := csvArticle(columns, rec, name, line)
		if bad != nil {
			h.Bad(bad)
			continue
		}
		if err := fr.deliver(a, line); err != nil {
			return err
		}
	}
}

// csvColumns maps each field of an article to its column in header, the
// first where several are the field, and lists the columns that are no
// field (unknown).
func csvColumns(header []string) (columns map[string]int, unknown []string) {
	columns = map[string]int{}
	for i, col := range header {
		col = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(col, "\ufeff")))
		if !knownFields[col] {
			unknown = append(unknown, col)
		}
		switch col {
		case "text", "content":
			col = "body"
		case "date":
			col = "published"
		}
		if _, seen := columns[col]; !seen {
			columns[col] = i
		}
	}
	return columns, unknown
}

// csvArticle is the article of rec, the record at line of the CSV file
// name with columns (csvColumns), or the error it is skipped for.
func csvArticle(columns map[string]int, rec []string, name string, line int) (cari.Article, *cari.FieldError) {
	get := func(col string) string {
		if i, ok := columns[col]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	// The first bad column of the record names the field, so the same
	// input always gets the same message.
	badCol, badAt := "", len(rec)
	for col, i := range columns {
		if i < badAt && !utf8.ValidString(rec[i]) {
			badCol, badAt = col, i
		}
	}
	if badCol != "" {
		return cari.Article{}, &cari.FieldError{File: name, Line: line, Field: badCol, Err: cari.ErrInvalidUTF8}
	}
	a := cari.Article{ID: get("id"), Title: get("title"), Body: get("body"), Source: get("source"), URL: get("url"), Tags: splitTags(get("tags"))}
	if s := strings.TrimSpace(get("published")); s != "" {
		var err error
		if a.Published, err = ParseDate(s); err != nil {
			return cari.Article{}, &cari.FieldError{File: name, Line: line, Field: "published", Err: err}
		}
	}
	return a, nil
}

func readText(r io.Reader, name string, h *Handlers) error {
	data, err := io.ReadAll(io.LimitReader(r, MaxLineBytes+1))
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > MaxLineBytes {
		h.Bad(&cari.FieldError{File: name, Line: 1, Field: "body", Err: fmt.Errorf("%w: file larger than %d bytes; skipped, not truncated", cari.ErrTooLong, MaxLineBytes)})
		return nil
	}
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:firstInvalid(data)], []byte{'\n'})
		h.Bad(&cari.FieldError{File: name, Line: line, Field: "body", Err: cari.ErrInvalidUTF8})
		return nil
	}
	a, err := ParseText(string(data))
	if err != nil {
		fe, ok := err.(*cari.FieldError)
		if !ok {
			fe = &cari.FieldError{Err: err}
		}
		fe.File, fe.Line = name, 1
		h.Bad(fe)
		return nil
	}
	if name != "-" {
		a.ID = textID(name)
	}
	return newFileReader(name, h).deliver(a, 1)
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// textID names a text file's article after the file, so that editing the
// file and indexing it again updates the article instead of adding one.
func textID(path string) string {
	base := filepath.Base(withoutGzipExt(path))
	base = strings.TrimSuffix(base, filepath.Ext(base))
	var b strings.Builder
	for _, r := range strings.ToLower(base) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		default:
			if r > utf8.RuneSelf {
				b.WriteRune(r)
			}
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return b.String()
}
