package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index/input"
)

// badGood are the articles indexed before any bad input is read. Every bad
// record below reuses one of their ids, so a record that was not skipped
// would show as a changed article.
const badGood = `{"id":"g1","title":"Satu","body":"Menteri pertahanan terbang ke Moskow.","published":"2023-08-14","tags":["dunia"]}
{"id":"g2","body":"Banjir merendam rumah-rumah warga.","source":"s.id"}
{"id":"g3","title":"Tiga","body":"Harga beras naik lagi."}
`

// wantReport is one message a bad input must produce.
type wantReport struct {
	file  string // base name of the file named
	line  int
	field string
	msg   string // substring of the message
}

// TestBadInputLeavesIndexUnchanged ingests good articles, then each kind of
// bad input in turn, and checks the message (file, line, field) and that
// the document count and every stored article are what they were.
// Inputs that are only warned about (duplicate ids, unknown fields) or
// accepted (byte-order mark, CRLF, other date formats) are checked too:
// the articles they add are checked and then deleted again.
func TestBadInputLeavesIndexUnchanged(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ix, err := Create(filepath.Join(dir, "index"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	goodDir := filepath.Join(dir, "good")
	writeFiles(t, goodDir, map[string]string{
		"good.jsonl": badGood,
		"berita.txt": "slawifm.com – Senin, 14 Agustus 2023 Li Shangfu terbang ke Moskow.\nParagraf kedua.\n",
	})
	r, err := ix.Ingest(ctx, input.Paths(goodDir), IngestOptions{})
	if err != nil || len(r.Skipped) > 0 || len(r.Warnings) > 0 || r.Indexed != 4 {
		t.Fatalf("good articles: %+v, skipped %v, warnings %v, %v", r.IngestStats, r.Skipped, r.Warnings, err)
	}
	ids := []string{"g1", "g2", "g3", "berita"}
	before := map[string]cari.Article{}
	for _, id := range ids {
		a, err := ix.Article(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		before[id] = *a
	}
	count, err := ix.Count()
	if err != nil {
		t.Fatal(err)
	}

	big := strings.Repeat("kata ", cari.DefaultMaxBodyBytes/5+1) // just over 1 MiB
	date := time.Date(2023, 8, 14, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		files    map[string]string
		path     string // what to ingest, under the case's directory; "" is the directory
		opts     IngestOptions
		skipped  []wantReport
		warnings []wantReport
		added    map[string]cari.Article // articles the input adds (checked, then deleted)
	}{
		{name: "broken JSON", files: map[string]string{"a.jsonl": "\n" + `{"id":"g1","body":"Diganti` + "\n"}, path: "a.jsonl",
			skipped: []wantReport{{"a.jsonl", 2, "", "broken JSON"}}},
		{name: "not a JSON object", files: map[string]string{"a.jsonl": `["g1","Diganti"]`}, path: "a.jsonl",
			skipped: []wantReport{{"a.jsonl", 1, "", "not a JSON object"}}},
		{name: "wrong type: body", files: map[string]string{"a.jsonl": `{"id":"g1","body":["Diganti"]}`}, path: "a.jsonl",
			skipped: []wantReport{{"a.jsonl", 1, "body", "want a string"}}},
		{name: "wrong type: id", files: map[string]string{"a.jsonl": `{"id":{"x":1},"body":"Diganti"}`}, path: "a.jsonl",
			skipped: []wantReport{{"a.jsonl", 1, "id", "want a string or number"}}},
		{name: "wrong type: tags", files: map[string]string{"a.jsonl": `{"id":"g1","body":"Diganti","tags":[1,2]}`}, path: "a.jsonl",
			skipped: []wantReport{{"a.jsonl", 1, "tags", "want a list of strings"}}},
		{name: "invalid UTF-8", files: map[string]string{"a.jsonl": "{\"id\":\"g1\",\"title\":\"a\xffb\",\"body\":\"Diganti\"}"}, path: "a.jsonl",
			skipped: []wantReport{{"a.jsonl", 1, "title", "not valid UTF-8"}}},
		{name: "empty body", files: map[string]string{"a.jsonl": `{"id":"g1","title":"Diganti","body":"  "}`}, path: "a.jsonl",
			skipped: []wantReport{{"a.jsonl", 1, "body", "missing or empty"}}},
		{name: "missing body", files: map[string]string{"a.jsonl": `{"id":"g1","title":"Diganti"}`}, path: "a.jsonl",
			skipped: []wantReport{{"a.jsonl", 1, "body", "missing or empty"}}},
		{name: "body over the default limit", files: map[string]string{"a.jsonl": `{"id":"g1","body":"` + big + `"}`}, path: "a.jsonl",
			skipped: []wantReport{{"a.jsonl", 1, "body", fmt.Sprintf("over the limit of %d; record skipped, not truncated", cari.DefaultMaxBodyBytes)}}},
		{name: "body over a configured limit", files: map[string]string{"a.csv": "id,body\ng2," + strings.Repeat("x", 101) + "\n"}, path: "a.csv",
			opts:    IngestOptions{MaxBodyBytes: 100},
			skipped: []wantReport{{"a.csv", 2, "body", "101 bytes, over the limit of 100"}}},
		{name: "text body over the default limit", files: map[string]string{"berita.txt": "Judul\n" + big}, path: "berita.txt",
			skipped: []wantReport{{"berita.txt", 1, "body", "over the limit"}}},
		{name: "unknown date format", files: map[string]string{"a.jsonl": `{"id":"g1","body":"Diganti","published":"14.08.2023"}`}, path: "a.jsonl",
			skipped: []wantReport{{"a.jsonl", 1, "published", "unknown date format"}}},
		{name: "DD/MM/YYYY that does not exist", files: map[string]string{"a.jsonl": `{"id":"g1","body":"Diganti","date":"31/02/2023"}`}, path: "a.jsonl",
			skipped: []wantReport{{"a.jsonl", 1, "date", "unknown date format"}}},
		{name: "Indonesian date that does not exist", files: map[string]string{"a.jsonl": `{"id":"g1","body":"Diganti","date":"31 Februari 2023"}`}, path: "a.jsonl",
			skipped: []wantReport{{"a.jsonl", 1, "date", "does not exist"}}},
		{name: "JSON array element of the wrong type", files: map[string]string{"a.json": "[\n" + `{"id":"g1","body":"Diganti","url":7}` + "\n]"}, path: "a.json",
			skipped: []wantReport{{"a.json", 2, "url", "want a string"}}},
		{name: "not a JSON array", files: map[string]string{"a.json": `{"id":"g1","body":"Diganti"}`}, path: "a.json",
			skipped: []wantReport{{"a.json", 1, "", "not a JSON array"}}},
		{name: "broken CSV", files: map[string]string{"a.csv": "id,body\ng1,Dig\"anti\n"}, path: "a.csv",
			skipped: []wantReport{{"a.csv", 2, "", "broken CSV"}}},
		{name: "CSV invalid UTF-8", files: map[string]string{"a.csv": "id,body\ng1,Dig\xffanti\n"}, path: "a.csv",
			skipped: []wantReport{{"a.csv", 2, "body", "not valid UTF-8"}}},
		{name: "CSV bad date", files: map[string]string{"a.csv": "id,body,published\ng1,Diganti,kemarin\n"}, path: "a.csv",
			skipped: []wantReport{{"a.csv", 2, "published", "unknown date format"}}},
		{name: "CSV without a body column", files: map[string]string{"a.csv": "id,title\ng1,Diganti\n"}, path: "a.csv",
			skipped: []wantReport{{"a.csv", 1, "body", "no body"}}},
		{name: "text invalid UTF-8", files: map[string]string{"berita.txt": "Judul\nDiganti \xff\n"}, path: "berita.txt",
			skipped: []wantReport{{"berita.txt", 2, "body", "not valid UTF-8"}}},
		{name: "text empty", files: map[string]string{"berita.txt": " \r\n\n"}, path: "berita.txt",
			skipped: []wantReport{{"berita.txt", 1, "body", "missing or empty"}}},
		{name: "text dateline day that does not exist", files: map[string]string{"berita.txt": "s.id – Senin, 31 Februari 2023 Diganti.\n"}, path: "berita.txt",
			skipped: []wantReport{{"berita.txt", 1, "published", "does not exist"}}},
		{name: "binary file in a walked directory", files: map[string]string{"berita.txt": "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "g.jsonl": "\x1f\x8b\x08\x00" + strings.Repeat("\x9c\xfe", 200)},
			skipped: []wantReport{{"berita.txt", 3, "", "binary file skipped: NUL byte at offset 8"}, {"g.jsonl", 0, "", "compressed data corrupt or cut short after 0 bytes"}}},
		{name: "unknown file type named", files: map[string]string{"a.pdf": "%PDF"}, path: "a.pdf",
			skipped: []wantReport{{"a.pdf", 0, "", "unknown file type"}}},

		// Accepted: the same articles again, with a byte-order mark and
		// CRLF lines, change nothing.
		{name: "byte-order mark and CRLF, JSON Lines", files: map[string]string{"a.jsonl": "\ufeff" + strings.ReplaceAll(badGood, "\n", "\r\n")}, path: "a.jsonl"},
		{name: "byte-order mark and CRLF, JSON array", files: map[string]string{"a.json": "\ufeff[" + strings.ReplaceAll(strings.TrimSpace(badGood), "\n", ",\r\n") + "]\r\n"}, path: "a.json"},
		{name: "byte-order mark and CRLF, CSV", files: map[string]string{"a.csv": "\ufeff\"id\",\"body\",\"source\"\r\ng2,Banjir merendam rumah-rumah warga.,s.id\r\n"}, path: "a.csv"},
		{name: "byte-order mark and CRLF, text", files: map[string]string{"berita.txt": "\ufeffslawifm.com – Senin, 14 Agustus 2023 Li Shangfu terbang ke Moskow.\r\nParagraf kedua.\r\n"}, path: "berita.txt"},

		// Warned about: indexed, and reported without counting as skipped.
		{name: "duplicate id within a file", files: map[string]string{"a.jsonl": `{"id":"d1","body":"Pertama."}` + "\n" + `{"id":"d2","body":"Lain."}` + "\n" + `{"id":"d1","body":"Kedua."}` + "\n"}, path: "a.jsonl",
			warnings: []wantReport{{"a.jsonl", 3, "id", `duplicate id "d1", replaces line 1`}},
			added:    map[string]cari.Article{"d1": {ID: "d1", Body: "Kedua."}, "d2": {ID: "d2", Body: "Lain."}}},
		{name: "unknown fields, reported once", files: map[string]string{"a.jsonl": `{"id":"u1","body":"Satu.","author":"A","foo":1}` + "\n" + `{"id":"u2","body":"Dua.","author":"B"}` + "\n"}, path: "a.jsonl",
			warnings: []wantReport{{"a.jsonl", 1, "author", "unknown field ignored"}, {"a.jsonl", 1, "foo", "unknown field ignored"}},
			added:    map[string]cari.Article{"u1": {ID: "u1", Body: "Satu."}, "u2": {ID: "u2", Body: "Dua."}}},
		{name: "unknown CSV column", files: map[string]string{"a.csv": "id,body,penulis\nu3,Tiga.,C\n"}, path: "a.csv",
			warnings: []wantReport{{"a.csv", 1, "penulis", "unknown field ignored"}},
			added:    map[string]cari.Article{"u3": {ID: "u3", Body: "Tiga."}}},
		{name: "dates in other formats", files: map[string]string{"a.jsonl": `{"id":"t1","body":"a","date":"14/08/2023"}` + "\n" + `{"id":"t2","body":"b","date":"14 Agustus 2023"}` + "\n" + `{"id":"t3","body":"c","date":"Mon, 14 Aug 2023 00:00:00 GMT"}` + "\n" + `{"id":"t4","body":"d","date":"Mon, 14 Aug 2023 07:00:00 +0700"}` + "\n"}, path: "a.jsonl",
			added: map[string]cari.Article{"t1": {ID: "t1", Body: "a", Published: date}, "t2": {ID: "t2", Body: "b", Published: date}, "t3": {ID: "t3", Body: "c", Published: date}, "t4": {ID: "t4", Body: "d", Published: date}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			caseDir := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_"))
			writeFiles(t, caseDir, tc.files)
			r, err := ix.Ingest(ctx, input.Paths(filepath.Join(caseDir, tc.path)), tc.opts)
			if err != nil {
				t.Fatalf("Ingest: %v", err)
			}
			checkReports(t, "skipped", r.Skipped, tc.skipped)
			checkReports(t, "warning", r.Warnings, tc.warnings)
			if len(tc.skipped) == 0 && len(tc.added) == 0 && r.Unchanged == 0 {
				t.Errorf("accepted input left nothing unchanged: %+v", r.IngestStats)
			}
			if r.Indexed != len(tc.added) {
				t.Errorf("indexed %d, want %d", r.Indexed, len(tc.added))
			}
			if n, err := ix.Count(); err != nil || n != count+uint64(len(tc.added)) {
				t.Errorf("index holds %d documents (%v), want %d", n, err, count+uint64(len(tc.added)))
			}
			for _, id := range ids {
				a, err := ix.Article(ctx, id)
				if err != nil || !reflect.DeepEqual(*a, before[id]) {
					t.Errorf("article %s changed:\n got %+v (%v)\nwant %+v", id, a, err, before[id])
				}
			}
			for id, want := range tc.added {
				a, err := ix.Article(ctx, id)
				if err != nil {
					t.Errorf("article %s: %v", id, err)
					continue
				}
				if a.Body != want.Body || !a.Published.Equal(want.Published) {
					t.Errorf("article %s: got %+v, want %+v", id, a, want)
				}
				if err := ix.Delete(ctx, id); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// checkReports checks each reported problem names the file, line and field
// it should, in its fields and in its message.
func checkReports(t *testing.T, kind string, got []*cari.FieldError, want []wantReport) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d %s, want %d: %v", len(got), kind, len(want), got)
		return
	}
	for i, w := range want {
		fe, msg := got[i], got[i].Error()
		if filepath.Base(fe.File) != w.file || fe.Line != w.line || fe.Field != w.field {
			t.Errorf("%s %q: file %s line %d field %q, want %s line %d field %q", kind, msg, fe.File, fe.Line, fe.Field, w.file, w.line, w.field)
		}
		where := w.file + ":"
		if w.line > 0 {
			where += fmt.Sprintf("%d:", w.line)
		}
		if !strings.Contains(msg, where) || (w.field != "" && !strings.Contains(msg, fmt.Sprintf("field %q", w.field))) || !strings.Contains(msg, w.msg) {
			t.Errorf("%s %q: want it to name %s, field %q and say %q", kind, msg, where, w.field, w.msg)
		}
	}
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
