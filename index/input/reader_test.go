package input

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carisearch/cari"
)

type readResult struct {
	records []Record
	bad     []*cari.FieldError
}

func readString(t testing.TB, name, content string) readResult {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	var r readResult
	err := ReadFile(context.Background(), path, Handlers{
		Emit: func(rec Record) error { r.records = append(r.records, rec); return nil },
		Bad:  func(fe *cari.FieldError) { r.bad = append(r.bad, fe) },
	})
	if err != nil {
		t.Fatalf("ReadFile: %v", err)
	}
	return r
}

func TestReadersGoodRecords(t *testing.T) {
	date := time.Date(2023, 8, 14, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, file, content string
		want                []cari.Article
	}{
		{"jsonl", "a.jsonl",
			`{"id":"x1","title":"Judul","body":"Isi berita.","source":"s.id","url":"https://s.id/1","published":"2023-08-14","tags":["politik","dunia"]}` + "\n\n" +
				`{"id": 7, "text": "Teks saja.", "date": "2023-08-14T09:30:00+07:00", "tags": "a, b"}` + "\n",
			[]cari.Article{
				{ID: "x1", Title: "Judul", Body: "Isi berita.", Source: "s.id", URL: "https://s.id/1", Published: date, Tags: []string{"politik", "dunia"}},
				{ID: "7", Body: "Teks saja.", Published: time.Date(2023, 8, 14, 2, 30, 0, 0, time.UTC), Tags: []string{"a", "b"}},
			}},
		{"ndjson with CRLF", "a.ndjson", "{\"id\":\"y\",\"body\":\"Isi.\"}\r\n",
			[]cari.Article{{ID: "y", Body: "Isi."}}},
		{"json array", "a.json", `[{"id":"j1","body":"Satu."},
 {"id":"j2","body":"Dua.","published":"2024-01-03"}]`,
			[]cari.Article{{ID: "j1", Body: "Satu."}, {ID: "j2", Body: "Dua.", Published: time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC)}}},
		{"csv", "a.csv", "id,title,text,source,date,tags\nc1,Judul CSV,\"Isi, dengan koma.\",s.id,2023-08-14,ekonomi;pasar\n",
			[]cari.Article{{ID: "c1", Title: "Judul CSV", Body: "Isi, dengan koma.", Source: "s.id", Published: date, Tags: []string{"ekonomi", "pasar"}}}},
		{"text, dateline first (the seed's form)", "menhan-ke-moskow.txt",
			"slawifm.com – Senin, 14 Agustus 2023 Menteri itu terbang ke Moskow. Ia akan berpidato.\nParagraf kedua.\n",
			[]cari.Article{{ID: "menhan-ke-moskow", Source: "slawifm.com", Published: date, Body: "Menteri itu terbang ke Moskow. Ia akan berpidato.\nParagraf kedua."}}},
		{"text, title line first", "judul.md",
			"# Judul Berita\nkabarnusantara.id — Sen, 14 Agt 2023, 10:15 WIB Kalimat pertama.\nKedua.\n",
			[]cari.Article{{ID: "judul", Title: "Judul Berita", Source: "kabarnusantara.id", Published: date, Body: "Kalimat pertama.\nKedua."}}},
		{"text, no dateline", "biasa.txt", "Judul Saja\n\nIsi tanpa dateline.\n",
			[]cari.Article{{ID: "biasa", Title: "Judul Saja", Body: "Isi tanpa dateline."}}},
		{"jsonl with a byte-order mark", "bom.jsonl", "\ufeff{\"id\":\"b1\",\"body\":\"Isi.\"}\n{\"id\":\"b2\",\"body\":\"Dua.\"}\n",
			[]cari.Article{{ID: "b1", Body: "Isi."}, {ID: "b2", Body: "Dua."}}},
		{"json array with a byte-order mark and CRLF", "bom.json", "\ufeff[\r\n{\"id\":\"j1\",\"body\":\"Satu.\"},\r\n{\"id\":\"j2\",\"body\":\"Dua.\"}\r\n]\r\n",
			[]cari.Article{{ID: "j1", Body: "Satu."}, {ID: "j2", Body: "Dua."}}},
		{"csv with a byte-order mark before a quoted header, CRLF", "bom.csv", "\ufeff\"id\",\"body\"\r\nc1,Isi satu.\r\nc2,\"Isi dua.\"\r\n",
			[]cari.Article{{ID: "c1", Body: "Isi satu."}, {ID: "c2", Body: "Isi dua."}}},
		{"text with a byte-order mark and CRLF", "bom.txt", "\ufeffslawifm.com – Senin, 14 Agustus 2023 Kalimat.\r\nParagraf kedua.\r\n",
			[]cari.Article{{ID: "bom", Source: "slawifm.com", Published: date, Body: "Kalimat.\nParagraf kedua."}}},
		{"dates in other formats", "dates.jsonl", `{"id":"d1","body":"a","published":"14/08/2023"}` + "\n" +
			`{"id":"d2","body":"b","date":"14 Agustus 2023"}` + "\n" +
			`{"id":"d3","body":"c","date":"Senin, 14 Agt 2023"}` + "\n" +
			`{"id":"d4","body":"d","date":"Mon, 14 Aug 2023 00:00:00 GMT"}` + "\n" +
			`{"id":"d5","body":"e","date":"Mon, 14 Aug 2023 07:00:00 +0700"}` + "\n",
			[]cari.Article{{ID: "d1", Body: "a", Published: date}, {ID: "d2", Body: "b", Published: date}, {ID: "d3", Body: "c", Published: date},
				{ID: "d4", Body: "d", Published: date}, {ID: "d5", Body: "e", Published: date}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := readString(t, tc.file, tc.content)
			if len(r.bad) > 0 {
				t.Fatalf("bad records: %v", r.bad)
			}
			if len(r.records) != len(tc.want) {
				t.Fatalf("got %d records, want %d", len(r.records), len(tc.want))
			}
			for i, want := range tc.want {
				got := r.records[i].Article
				if got.ID != want.ID || got.Title != want.Title || got.Body != want.Body || got.Source != want.Source ||
					got.URL != want.URL || !got.Published.Equal(want.Published) || strings.Join(got.Tags, "|") != strings.Join(want.Tags, "|") {
					t.Errorf("record %d:\n got %+v\nwant %+v", i, got, want)
				}
			}
		})
	}
}

// TestReadersBadRecords checks that each kind of bad record is skipped with
// an error naming file, line and field, and that the good records around it
// still come through.
func TestReadersBadRecords(t *testing.T) {
	good := `{"id":"ok","body":"Baik."}`
	for _, tc := range []struct {
		name, file, content string
		line                int
		field               string
		want                error  // errors.Is, if set
		message             string // substring of the message
	}{
		{"broken JSON", "a.jsonl", good + "\n{\"id\": \"x\", \"body\": \n", 2, "", nil, "broken JSON"},
		{"not an object", "a.jsonl", good + "\n[1,2]\n", 2, "", nil, "not a JSON object"},
		{"missing body", "a.jsonl", good + "\n" + `{"id":"x","title":"Tanpa isi"}` + "\n", 2, "body", cari.ErrMissing, ""},
		{"empty body", "a.jsonl", good + "\n" + `{"id":"x","body":"   "}` + "\n", 2, "body", cari.ErrMissing, ""},
		{"invalid UTF-8", "a.jsonl", good + "\n{\"id\":\"x\",\"title\":\"ab\xffcd\",\"body\":\"isi\"}\n", 2, "title", cari.ErrInvalidUTF8, ""},
		{"unknown date format", "a.jsonl", good + "\n" + `{"id":"x","body":"isi","published":"14.08.2023"}` + "\n", 2, "published", ErrBadDate, ""},
		{"wrong type", "a.jsonl", good + "\n" + `{"id":"x","body":["isi"]}` + "\n", 2, "body", nil, "want a string"},
		{"json array element", "a.json", "[\n" + good + ",\n" + `{"id":"x"}` + "\n]", 3, "body", cari.ErrMissing, ""},
		{"csv bad date", "a.csv", "id,body,published\nok,Baik.,2023-01-01\nx,isi,kemarin\n", 3, "published", ErrBadDate, ""},
		{"csv invalid UTF-8", "a.csv", "id,body\nok,Baik.\nx,\"a\xffb\"\n", 3, "body", cari.ErrInvalidUTF8, ""},
		{"csv missing body", "a.csv", "id,body\nok,Baik.\nx,\n", 3, "body", cari.ErrMissing, ""},
		{"text impossible date", "a.txt", "s.id – Senin, 31 Februari 2023 Isi.\n", 1, "published", ErrBadDate, ""},
		{"text invalid UTF-8", "a.txt", "Judul\nbaris dua \xff\n", 2, "body", cari.ErrInvalidUTF8, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := readString(t, tc.file, tc.content)
			if len(r.bad) != 1 {
				t.Fatalf("got %d bad records (%v), want 1", len(r.bad), r.bad)
			}
			fe := r.bad[0]
			msg := fe.Error()
			if !strings.HasSuffix(fe.File, tc.file) || fe.Line != tc.line || fe.Field != tc.field {
				t.Errorf("error %q: file %s line %d field %q, want %s line %d field %q", msg, fe.File, fe.Line, fe.Field, tc.file, tc.line, tc.field)
			}
			if !strings.Contains(msg, tc.file) || (tc.field != "" && !strings.Contains(msg, `"`+tc.field+`"`)) {
				t.Errorf("message %q does not name the file and field", msg)
			}
			if tc.want != nil && !errors.Is(fe, tc.want) {
				t.Errorf("error %q is not %v", msg, tc.want)
			}
			if !strings.Contains(msg, tc.message) {
				t.Errorf("message %q lacks %q", msg, tc.message)
			}
			if tc.file != "a.txt" && (len(r.records) != 1 || r.records[0].Article.ID != "ok") {
				t.Errorf("the good record was not read: %v", r.records)
			}
		})
	}
}

func TestPathsWalksDirectories(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"a.jsonl":         `{"id":"a","body":"A."}`,
		"sub/b.txt":       "Judul\nIsi B.",
		"sub/notes.pdf":   "not an article",
		".hidden/c.jsonl": `{"id":"c","body":"C."}`,
	} {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var ids []string
	var bad []*cari.FieldError
	err := Paths(dir, filepath.Join(dir, "sub", "notes.pdf")).Read(context.Background(), Handlers{
		Emit: func(r Record) error { ids = append(ids, r.Article.ID); return nil },
		Bad:  func(fe *cari.FieldError) { bad = append(bad, fe) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids, ",") != "a,b" {
		t.Errorf("read %v, want a and b (hidden directories passed over)", ids)
	}
	if len(bad) != 1 || !strings.Contains(bad[0].Error(), "unknown file type") {
		t.Errorf("an explicitly named .pdf should be reported, got %v", bad)
	}
	if err := Paths(filepath.Join(dir, "nope")).Read(context.Background(), Handlers{}); err == nil {
		t.Error("a missing path is not an error")
	}
}

func TestParseDateFormats(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"2023-08-14", "2023-08-14T00:00:00Z"},
		{"14/08/2023", "2023-08-14T00:00:00Z"},
		{"4/8/2023", "2023-08-04T00:00:00Z"},
		{"14 Agustus 2023", "2023-08-14T00:00:00Z"},
		{"1 Des 2023", "2023-12-01T00:00:00Z"},
		{"Jumat, 3 Mei 2024", "2024-05-03T00:00:00Z"},
		{"Mon, 14 Aug 2023 10:00:00 GMT", "2023-08-14T10:00:00Z"},
		{"Mon, 14 Aug 2023 10:00:00 +0700", "2023-08-14T03:00:00Z"},
	} {
		got, err := ParseDate(tc.in)
		if err != nil || got.Format(time.RFC3339) != tc.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %s", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"08/14/2023", "31/02/2023", "31 Februari 2023", "14 Smarch 2023", "kemarin", "14.08.2023", "Agustus 2023"} {
		if got, err := ParseDate(in); !errors.Is(err, ErrBadDate) {
			t.Errorf("ParseDate(%q) = %v, %v; want ErrBadDate", in, got, err)
		}
	}
	// A known form naming a day that does not exist says so.
	for _, in := range []string{"2019-02-30", "31/04/2023", "2023-13-01", "2023-02-29T10:00:00Z"} {
		if _, err := ParseDate(in); !errors.Is(err, ErrBadDate) || !strings.Contains(err.Error(), "does not exist") {
			t.Errorf("ParseDate(%q): %v, want a day that does not exist", in, err)
		}
	}
	if _, err := ParseDate("14.08.2023"); err != nil && strings.Contains(err.Error(), "does not exist") {
		t.Errorf("ParseDate(14.08.2023): %v, want an unknown format", err)
	}
}

func TestPathsSkipsBinaryFiles(t *testing.T) {
	dir := t.TempDir()
	noise := make([]byte, 4096)
	for i := range noise {
		noise[i] = byte(0x80 + i%0x40) // continuation bytes: never valid UTF-8, never NUL
	}
	for name, content := range map[string]string{
		"a.jsonl":      `{"id":"a","body":"A."}`,
		"image.txt":    "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
		"noise.jsonl":  string(noise),
		"latin1.jsonl": `{"id":"l1","body":"caf` + "\xe9" + `"}` + "\n" + `{"id":"l2","body":"Baik."}`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var ids []string
	var bad []*cari.FieldError
	err := Paths(dir).Read(context.Background(), Handlers{
		Emit: func(r Record) error { ids = append(ids, r.Article.ID); return nil },
		Bad:  func(fe *cari.FieldError) { bad = append(bad, fe) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids, ",") != "a,l2" {
		t.Errorf("read %v, want a and l2", ids)
	}
	got := map[string]string{}
	for _, fe := range bad {
		got[filepath.Base(fe.File)] = fe.Error()
	}
	if len(bad) != 3 || !strings.Contains(got["image.txt"], "binary file skipped: NUL byte") ||
		!strings.Contains(got["noise.jsonl"], "binary file skipped") || !strings.Contains(got["latin1.jsonl"], "not valid UTF-8") {
		t.Errorf("want image.txt and noise.jsonl skipped as binary and one bad record in latin1.jsonl, got %v", bad)
	}
}

func TestDeriveIDAndNormalize(t *testing.T) {
	a := cari.Article{Body: " Isi. ", URL: "https://s.id/1"}
	b := cari.Article{Body: "Isi lain.", URL: "https://s.id/1"}
	c := cari.Article{Title: "T", Body: "Isi."}
	for _, x := range []*cari.Article{&a, &b, &c} {
		if err := x.Normalize(); err != nil {
			t.Fatal(err)
		}
	}
	if a.ID != b.ID || !strings.HasPrefix(a.ID, "u-") {
		t.Errorf("same url gave ids %q and %q", a.ID, b.ID)
	}
	if !strings.HasPrefix(c.ID, "h-") || c.ID == a.ID {
		t.Errorf("content id %q", c.ID)
	}
	if a.Body != "Isi." {
		t.Errorf("body not trimmed: %q", a.Body)
	}
}

func TestLeadSentence(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Li terbang ke Moskow. Ia akan berpidato.", "Li terbang ke Moskow."},
		{"Harga naik 1.000 rupiah hari ini. Lalu turun.", "Harga naik 1.000 rupiah hari ini."},
		{"Kata dr. Budi, obat itu aman. Lanjut.", "Kata dr. Budi, obat itu aman."},
		{"Tanpa titik", "Tanpa titik"},
		{strings.Repeat("kata ", 60), strings.TrimSpace(strings.Repeat("kata ", 32)) + "…"},
	} {
		if got := cari.LeadSentence(tc.in); got != tc.want {
			t.Errorf("LeadSentence(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseDateline(t *testing.T) {
	for _, tc := range []struct {
		line, source, date, rest string
	}{
		{"slawifm.com – Senin, 14 Agustus 2023 Li Shangfu terbang.", "slawifm.com", "2023-08-14", "Li Shangfu terbang."},
		{"warta-harian.com - Selasa, 22 November 2022", "warta-harian.com", "2022-11-22", ""},
		{"KOMPAS.com—Jum'at 3 Mei 2024 | Isi", "KOMPAS.com", "2024-05-03", "Isi"},
		{"Jakarta – 1 Des 2023 pukul 09.30 WIB Berita.", "Jakarta", "2023-12-01", "Berita."},
	} {
		d, err := ParseDateline(tc.line)
		if err != nil {
			t.Errorf("ParseDateline(%q): %v", tc.line, err)
			continue
		}
		if d.Source != tc.source || d.Date.Format("2006-01-02") != tc.date || d.Rest != tc.rest {
			t.Errorf("ParseDateline(%q) = %+v", tc.line, d)
		}
	}
	for _, line := range []string{"Judul berita biasa", "Harga – 14 jenis 2023", "s.id – 14 Smarch 2023"} {
		if _, err := ParseDateline(line); err == nil {
			t.Errorf("ParseDateline(%q) accepted a line with no dateline", line)
		}
	}
}

// TestCSVNamesTheFirstBadColumn: a record with invalid UTF-8 in two
// columns is reported by the first of them, the same on every run.
func TestCSVNamesTheFirstBadColumn(t *testing.T) {
	for range 20 {
		var fields []string
		err := ReadStream(context.Background(), strings.NewReader("id,title,body,source\nx,ab\xffcd,isi,sumber\xfe\n"), "a.csv", FormatCSV, Handlers{
			Emit: func(Record) error { return nil },
			Bad:  func(fe *cari.FieldError) { fields = append(fields, fe.Field) },
		})
		if err != nil || len(fields) != 1 || fields[0] != "title" {
			t.Fatalf("bad fields %v (err %v), want title, the first bad column", fields, err)
		}
	}
}
