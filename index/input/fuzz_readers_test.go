package input

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/klauspost/compress/zstd"

	"github.com/carisearch/cari"
)

// fuzzReader reads data in format and checks what any input must give:
// no error (bad input is reported record by record, never fatal), every
// report with the file name and a line within the input, records and
// reports in input order (decoding runs in parallel; order must not
// suffer), and every record valid (checkRecord).
func fuzzReader(t *testing.T, data []byte, name string, format Format) {
	if bytes.HasPrefix(data, gzipMagic) || bytes.HasPrefix(data, zstdMagic) {
		t.Skip("compressed input: FuzzReadCompressed")
	}
	lines := 1 + bytes.Count(data, []byte{'\n'})
	last := 0
	at := func(what string, file string, line int) {
		if file != name || line < 1 || line > lines {
			t.Fatalf("%s at %s:%d; the input is %s, %d lines", what, file, line, name, lines)
		}
		if line < last {
			t.Fatalf("%s at line %d after one at line %d", what, line, last)
		}
		last = line
	}
	err := ReadStream(context.Background(), bytes.NewReader(data), name, format, Handlers{
		Emit: func(r Record) error {
			at("record", r.File, r.Line)
			return checkRecord(t, r)
		},
		Bad: func(fe *cari.FieldError) {
			if fe.Err == nil {
				t.Fatalf("report without a reason: %+v", fe)
			}
			at("skipped record", fe.File, fe.Line)
		},
		Warn: func(fe *cari.FieldError) {
			if fe.File != name || fe.Line < 1 || fe.Line > lines {
				t.Fatalf("warning at %s:%d; the input is %s, %d lines", fe.File, fe.Line, name, lines)
			}
		},
	})
	if err != nil {
		t.Fatalf("ReadStream: %v", err)
	}
}

func FuzzReadJSONArray(f *testing.F) {
	for _, s := range []string{
		`[{"id":"a","body":"isi"}]`,
		"[\n {\"id\":1,\"title\":\"t\",\"text\":\"isi\",\"date\":\"14/08/2023\",\"tags\":\"a,b\"},\n {\"body\":\"\"}\n]",
		`[{"id":"a","body":"satu"},{"id":"a","body":"dua","x":1}]`,
		`[1, "x", null, {"body": 2}]`, `[{"body":"\ud800"}]`, "[{\"body\":\"a\xffb\"}]",
		"\ufeff[{\"body\":\"bom\"}]", `[{"body":"x"},`, `{"body":"bukan larik"}`, `[`, ``,
		"[{\"published\":\"14 Agustus 2023\",\"body\":\"x\"},\r\n{\"published\":\"Mon, 14 Aug 2023 10:00:00 GMT\",\"body\":\"y\"}]",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzReader(t, data, "fuzz.json", FormatJSONArray)
	})
}

func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"id,title,body\na,Judul,Isi berita\n",
		"\ufeffid,text,date,tags,extra\n1,\"isi, dengan koma\",14/08/2023,a;b,x\n2,\"baris\nkedua\",2023-02-30,,\n",
		"title,body\r\nJudul,Isi\r\n,\r\n",
		"id,body\na,satu\na,dua\n", "id,title\na,b\n", "body\n\"tak ditutup\n", "body\na\xffb\n",
		"body,body\nx,y\n", "", "\n", "id,body,published\n1,x,kemarin\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzReader(t, data, "fuzz.csv", FormatCSV)
	})
}

// FuzzReadCompressed reads input gzip- and zstd-compressed: it gives the records and reports
// of the same input uncompressed; and bytes that only begin like gzip
// are reported, or give what they decode to, never an error or a panic.
func FuzzReadCompressed(f *testing.F) {
	for _, s := range []string{
		`{"id":"a","body":"isi"}`,
		`{"id":"a","body":"satu"}` + "\n" + `{"body":""}` + "\n" + `[1]`,
		"", "\x1f\x8b", "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		read := func(r []byte) (got []string, err error) {
			err = ReadStream(context.Background(), bytes.NewReader(r), "fuzz.jsonl.gz", FormatJSONLines, Handlers{
				Emit: func(r Record) error {
					got = append(got, fmt.Sprintf("%d %s %q", r.Line, r.Article.ID, r.Article.Body))
					return nil
				},
				Bad: func(fe *cari.FieldError) { got = append(got, fmt.Sprintf("bad %d %s", fe.Line, fe.Field)) },
			})
			return got, err
		}
		if !bytes.HasPrefix(data, gzipMagic) {
			plain, perr := read(data)
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			_, _ = zw.Write(data)
			_ = zw.Close()
			packed, zerr := read(b.Bytes())
			if (perr == nil) != (zerr == nil) || !slices.Equal(plain, packed) {
				t.Fatalf("gzip: %v (%v); plain: %v (%v)", packed, zerr, plain, perr)
			}
			enc, err := zstd.NewWriter(nil)
			if err != nil {
				t.Fatal(err)
			}
			packed, zerr = read(enc.EncodeAll(data, nil))
			enc.Close()
			if (perr == nil) != (zerr == nil) || !slices.Equal(plain, packed) {
				t.Fatalf("zstd: %v (%v); plain: %v (%v)", packed, zerr, plain, perr)
			}
		}
		for _, magic := range [][]byte{gzipMagic, zstdMagic} {
			if _, err := read(append(slices.Clone(magic), data...)); err != nil {
				t.Fatalf("bytes that begin like a compressed stream: %v; want them reported, not an error", err)
			}
		}
	})
}

func FuzzReadJSONLines(f *testing.F) {
	for _, s := range []string{
		`{"id":"a","body":"isi"}`,
		`{"id":1,"title":"t","text":"isi","date":"2023-08-14","tags":["a"]}` + "\n" + `{"body":""}`,
		`[1]`, `{"body":"\ud800"}`, "{\"body\":\"a\xffb\"}", `{"published":"2023-02-30","body":"x"}`, "\n\n\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.HasPrefix(data, gzipMagic) || bytes.HasPrefix(data, zstdMagic) {
			t.Skip("compressed input: FuzzReadCompressed")
		}
		err := ReadStream(context.Background(), bytes.NewReader(data), "fuzz.jsonl", FormatJSONLines, Handlers{
			Emit: func(r Record) error { return checkRecord(t, r) },
			Bad: func(fe *cari.FieldError) {
				if fe.File != "fuzz.jsonl" || fe.Line < 1 {
					t.Fatalf("bad record error without file and line: %v", fe)
				}
			},
		})
		if err != nil {
			t.Fatalf("ReadStream: %v", err)
		}
	})
}

func FuzzParseText(f *testing.F) {
	for _, s := range []string{
		"slawifm.com – Senin, 14 Agustus 2023 Isi.",
		"Judul\nkabarnusantara.id - 1 Jan 2024\nIsi",
		"Judul\n\nIsi", "", "\ufeff", "x – 31 Februari 2023", "# \n\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		a, err := ParseText(text)
		if err != nil {
			return
		}
		if err := a.Normalize(); err != nil {
			return
		}
		checkRecord(t, Record{Article: a})
	})
}

func checkRecord(t *testing.T, r Record) error {
	a := r.Article
	if a.ID == "" || a.Body == "" {
		t.Fatalf("record without id or body: %+v", a)
	}
	for _, s := range []string{a.ID, a.Title, a.Body, a.Source, a.URL} {
		if !utf8.ValidString(s) {
			t.Fatalf("record with invalid UTF-8: %+v", a)
		}
	}
	return nil
}
