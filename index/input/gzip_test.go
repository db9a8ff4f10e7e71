package input

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/carisearch/cari"
)

func zstded(t *testing.T, content string) []byte {
	t.Helper()
	zw, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer zw.Close()
	return zw.EncodeAll([]byte(content), nil)
}

func gzipped(t *testing.T, content string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(content)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestReadCompressed reads gzip- and zstd-compressed input in every way it comes:
// named .gz, found by its first bytes under another name, in a walked
// directory, and a text file named after its name without .gz; a stream
// cut short is an error naming the file, after the articles read before.
func TestReadCompressed(t *testing.T) {
	ctx := context.Background()
	jsonl := `{"id":"a","title":"Banjir","body":"Banjir merendam desa."}
{"id":"b","title":"Gempa","body":"Gempa mengguncang kota."}
`
	for _, tc := range []struct {
		name, file string
		content    []byte
		walk       bool
		ids        []string
	}{
		{"jsonl.gz", "berita.jsonl.gz", gzipped(t, jsonl), false, []string{"a", "b"}},
		{"compressed without .gz", "berita.jsonl", gzipped(t, jsonl), false, []string{"a", "b"}},
		{"csv.gz in a directory", "berita.csv.gz", gzipped(t, "id,title,body\nc,Pasar,Harga cabai naik.\n"), true, []string{"c"}},
		{"text named without .gz", "Kabar Desa.txt.gz", gzipped(t, "Kabar Desa\n\nWarga desa bergotong royong."), false, []string{"kabar-desa"}},
		{"jsonl.zst", "berita.jsonl.zst", zstded(t, jsonl), false, []string{"a", "b"}},
		{"zstd found by its first bytes, in a directory", "berita.ndjson", zstded(t, jsonl), true, []string{"a", "b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, tc.file), tc.content, 0o644); err != nil {
				t.Fatal(err)
			}
			target := filepath.Join(dir, tc.file)
			if tc.walk {
				target = dir
			}
			var ids []string
			var bad []*cari.FieldError
			err := Paths(target).Read(ctx, Handlers{
				Emit: func(r Record) error { ids = append(ids, r.Article.ID); return nil },
				Bad:  func(fe *cari.FieldError) { bad = append(bad, fe) },
			})
			if err != nil || len(bad) > 0 || strings.Join(ids, ",") != strings.Join(tc.ids, ",") {
				t.Errorf("read %s: ids %v, bad %v, err %v; want ids %v", tc.file, ids, bad, err, tc.ids)
			}
		})
	}

	cut := gzipped(t, jsonl)
	cut = cut[:len(cut)-12] // the checksum and the end of the data gone
	var ids []string
	var bad []*cari.FieldError
	err := ReadStream(ctx, bytes.NewReader(cut), "potong.jsonl.gz", FormatJSONLines, Handlers{
		Emit: func(r Record) error { ids = append(ids, r.Article.ID); return nil },
		Bad:  func(fe *cari.FieldError) { bad = append(bad, fe) },
	})
	if err != nil || len(bad) != 1 || bad[0].File != "potong.jsonl.gz" || !strings.Contains(bad[0].Error(), "cut short") {
		t.Errorf("a cut gzip stream: err %v, reports %v; want one report naming the file (read %v)", err, bad, ids)
	}
}

// TestReadCorruptZstd: a Zstandard stream cut short is reported and
// skipped from where it goes bad, after the articles before it.
func TestReadCorruptZstd(t *testing.T) {
	var b strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&b, "{\"id\":\"a%d\",\"body\":\"isi berita nomor %d yang cukup panjang untuk beberapa blok\"}\n", i, i)
	}
	packed := zstded(t, b.String())
	var ids int
	var bad []*cari.FieldError
	err := ReadStream(context.Background(), bytes.NewReader(packed[:len(packed)/2]), "potong.jsonl.zst", FormatJSONLines, Handlers{
		Emit: func(Record) error { ids++; return nil },
		Bad:  func(fe *cari.FieldError) { bad = append(bad, fe) },
	})
	if err != nil || len(bad) == 0 || !strings.Contains(bad[len(bad)-1].Error(), "cut short") || ids >= 2000 {
		t.Errorf("half a zstd stream: err %v, %d read, reports %v", err, ids, bad)
	}
}
