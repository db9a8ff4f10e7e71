package index

import (
	"bufio"
	"bytes"
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
	"unicode/utf8"
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

// FormatOf picks the format for a file name by its extension; "-" is
// standard input, read as JSON Lines.
func FormatOf(name string) (Format, bool) {
	if name == "-" {
		return FormatJSONLines, true
	}
	switch strings.ToLower(filepath.Ext(name)) {
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

// Record is an article read from an input, with where it was read.
type Record struct {
	Article Article
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
type Handlers struct {
	Emit         func(Record) error
	Bad          func(*FieldError)
	Warn         func(*FieldError)
	MaxBodyBytes int
}

func (h *Handlers) maxBody() int {
	if h.MaxBodyBytes > 0 {
		return h.MaxBodyBytes
	}
	return DefaultMaxBodyBytes
}

func (h *Handlers) warn(fe *FieldError) {
	if h.Warn != nil {
		h.Warn(fe)
	}
}

// MaxLineBytes bounds one line of JSON Lines input, and a text file.
const MaxLineBytes = MaxBodyBytes + 1<<20

// binarySniffBytes is how much of a walked file is looked at to tell a
// binary file from text.
const binarySniffBytes = 8 << 10

var bom = []byte("\ufeff")

// ReadPaths reads every file named, walking directories (hidden files and
// directories, and files of no known format inside a directory, are
// passed over). A file named explicitly with no known format is reported
// through Bad.
func ReadPaths(ctx context.Context, paths []string, h Handlers) error {
	for _, p := range paths {
		if p == "-" {
			if err := ReadStream(ctx, os.Stdin, "-", FormatJSONLines, h); err != nil {
				return err
			}
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		if !info.IsDir() {
			if err := ReadFile(ctx, p, h); err != nil {
				return err
			}
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if path != p && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			if _, ok := FormatOf(path); !ok {
				return nil
			}
			if fe := sniffBinary(path); fe != nil {
				h.Bad(fe)
				return nil
			}
			return ReadFile(ctx, path, h)
		})
		if err != nil {
			return fmt.Errorf("walk %s: %w", p, err)
		}
	}
	return nil
}

// sniffBinary reports a file found by walking a directory whose first
// 8 KB hold a NUL byte or are mostly not UTF-8 (an image or an archive
// with a text extension), so it is skipped with one message instead of a
// message for every line. A few invalid bytes in text are left for the
// reader to report record by record.
func sniffBinary(path string) *FieldError {
	f, err := os.Open(path)
	if err != nil {
		return nil // ReadFile reports it
	}
	defer f.Close()
	buf := make([]byte, binarySniffBytes)
	n, _ := io.ReadFull(f, buf)
	buf = buf[:n]
	lineAt := func(off int) int { return 1 + bytes.Count(buf[:off], []byte{'\n'}) }
	if i := bytes.IndexByte(buf, 0); i >= 0 {
		return &FieldError{File: path, Line: lineAt(i), Err: fmt.Errorf("binary file skipped: NUL byte at offset %d", i)}
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
		return &FieldError{File: path, Line: lineAt(first), Err: fmt.Errorf("binary file skipped: %d of its first %d bytes are not UTF-8", invalid, len(buf))}
	}
	return nil
}

// ReadFile reads one file in the format its extension names.
func ReadFile(ctx context.Context, path string, h Handlers) error {
	format, ok := FormatOf(path)
	if !ok {
		h.Bad(&FieldError{File: path, Err: fmt.Errorf("unknown file type %q (want .jsonl, .ndjson, .json, .csv, .txt or .md)", filepath.Ext(path))})
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	return ReadStream(ctx, f, path, format, h)
}

// ReadStream reads articles in format from r; name is used in errors and,
// for text, to name the article.
func ReadStream(ctx context.Context, r io.Reader, name string, format Format, h Handlers) error {
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
func (f *fileReader) bad(fe *FieldError, line int) {
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
		f.h.warn(&FieldError{File: f.name, Line: line, Field: key, Err: errors.New("unknown field ignored (reported once a file)")})
	}
}

// deliver validates a decoded article and hands it on: a body over the
// limit is skipped, not cut, and an id read before in the same file is
// reported (the later record replaces the earlier).
func (f *fileReader) deliver(a Article, line int) error {
	if n, limit := len(strings.TrimSpace(a.Body)), f.h.maxBody(); n > limit {
		f.bad(&FieldError{Field: "body", Err: fmt.Errorf("%w: %d bytes, over the limit of %d; record skipped, not truncated", ErrTooLong, n, limit)}, line)
		return nil
	}
	if err := a.Normalize(); err != nil {
		fe, ok := err.(*FieldError)
		if !ok {
			fe = &FieldError{Err: err}
		}
		f.bad(fe, line)
		return nil
	}
	if prev, dup := f.seen[a.ID]; dup {
		f.h.warn(&FieldError{File: f.name, Line: line, Field: "id", Err: fmt.Errorf("duplicate id %q, replaces line %d", truncate(a.ID, 60), prev)})
	}
	f.seen[a.ID] = line
	return f.h.Emit(Record{Article: a, File: f.name, Line: line})
}

func readJSONLines(ctx context.Context, r io.Reader, name string, h Handlers) error {
	br := bufio.NewReaderSize(r, 64<<10)
	skipBOM(br)
	fr := newFileReader(name, &h)
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
			h.Bad(&FieldError{File: name, Line: line, Err: fmt.Errorf("line longer than %d bytes", MaxLineBytes)})
			continue
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("read %s: line %d: %w", name, line, err)
		}
		if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 {
			a, unknown, ferr := decodeJSONArticle(trimmed)
			fr.unknownFields(unknown, line)
			if ferr != nil {
				fr.bad(ferr, line)
			} else if derr := fr.deliver(a, line); derr != nil {
				return derr
			}
		}
		if err == io.EOF {
			return nil
		}
	}
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
	lineAt := func(off int64) int { return 1 + bytes.Count(data[:off], []byte{'\n'}) }
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('[') {
		h.Bad(&FieldError{File: name, Line: 1, Err: errors.New("not a JSON array of articles (use .jsonl for one object a line)")})
		return nil
	}
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
			h.Bad(&FieldError{File: name, Line: lineAt(start), Err: fmt.Errorf("broken JSON: %w; rest of file not read", err)})
			return nil
		}
		a, unknown, ferr := decodeJSONArticle(raw)
		fr.unknownFields(unknown, lineAt(start))
		if ferr != nil {
			fr.bad(ferr, lineAt(start))
			continue
		}
		if err := fr.deliver(a, lineAt(start)); err != nil {
			return err
		}
	}
	return nil
}

// decodeJSONArticle decodes one JSON object, naming the field at fault.
// encoding/json would quietly turn invalid UTF-8 into U+FFFD, so raw values
// are checked first. unknown lists the fields it ignored, sorted.
func decodeJSONArticle(data []byte) (a Article, unknown []string, fe *FieldError) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return Article{}, nil, &FieldError{Err: errors.New("not a JSON object")}
		}
		return Article{}, nil, &FieldError{Err: fmt.Errorf("broken JSON: %w", err)}
	}
	for key := range fields {
		if !knownFields[strings.ToLower(key)] {
			unknown = append(unknown, key)
		}
	}
	slices.Sort(unknown)
	for key, raw := range fields {
		if !utf8.Valid(raw) {
			return Article{}, unknown, &FieldError{Field: key, Err: ErrInvalidUTF8}
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
			return Article{}, unknown, &FieldError{Field: key, Err: err}
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
		h.Bad(&FieldError{File: name, Line: 1, Err: fmt.Errorf("no header row: %w", err)})
		return nil
	}
	columns := map[string]int{}
	var unknown []string
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
	if _, ok := columns["body"]; !ok {
		h.Bad(&FieldError{File: name, Line: 1, Field: "body", Err: errors.New("header has no body (or text) column; file not read")})
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
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				h.Bad(&FieldError{File: name, Line: pe.Line, Err: fmt.Errorf("broken CSV: %w", pe.Err)})
				continue
			}
			return fmt.Errorf("read %s: %w", name, err)
		}
		get := func(col string) string {
			if i, ok := columns[col]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		var bad *FieldError
		for col, i := range columns {
			if i < len(rec) && !utf8.ValidString(rec[i]) {
				bad = &FieldError{File: name, Line: line, Field: col, Err: ErrInvalidUTF8}
			}
		}
		if bad != nil {
			h.Bad(bad)
			continue
		}
		a := Article{ID: get("id"), Title: get("title"), Body: get("body"), Source: get("source"), URL: get("url"), Tags: splitTags(get("tags"))}
		if s := strings.TrimSpace(get("published")); s != "" {
			if a.Published, err = ParseDate(s); err != nil {
				h.Bad(&FieldError{File: name, Line: line, Field: "published", Err: err})
				continue
			}
		}
		if err := fr.deliver(a, line); err != nil {
			return err
		}
	}
}

func readText(r io.Reader, name string, h *Handlers) error {
	data, err := io.ReadAll(io.LimitReader(r, MaxLineBytes+1))
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > MaxLineBytes {
		h.Bad(&FieldError{File: name, Line: 1, Field: "body", Err: fmt.Errorf("%w: file larger than %d bytes; skipped, not truncated", ErrTooLong, MaxLineBytes)})
		return nil
	}
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:firstInvalid(data)], []byte{'\n'})
		h.Bad(&FieldError{File: name, Line: line, Field: "body", Err: ErrInvalidUTF8})
		return nil
	}
	a, err := ParseText(string(data))
	if err != nil {
		fe, ok := err.(*FieldError)
		if !ok {
			fe = &FieldError{Err: err}
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
	base := filepath.Base(path)
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
