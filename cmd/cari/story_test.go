package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cari search shows a story once, naming its other sources, unless
// --collapse=false.
func TestSearchCollapsesStories(t *testing.T) {
	dir := t.TempDir()
	release := "Perum Bulog menyalurkan beras cadangan pemerintah ke pasar induk Cipinang untuk menahan kenaikan harga beras medium. " +
		"Direktur Utama Bulog mengatakan stok beras di gudang mencapai dua juta ton dan cukup hingga panen raya. " +
		"Operasi pasar akan digelar serentak di tiga puluh kota mulai pekan depan."
	var lines []string
	for _, a := range []map[string]string{
		{"id": "antara-1", "title": "Bulog Salurkan Beras ke Cipinang", "body": release, "source": "antaranews.com", "published": "2024-02-05"},
		{"id": "detik-1", "title": "Harga Beras Naik, Bulog Guyur Cipinang", "body": release, "source": "detik.com", "published": "2024-02-05"},
		{"id": "tempo-1", "title": "Bulog Buka Gudang Baru di Makassar", "body": "Bulog meresmikan gudang baru berkapasitas sepuluh ribu ton di Makassar untuk memperkuat cadangan pangan kawasan timur, kata pimpinan wilayah.", "source": "tempo.co", "published": "2024-03-01"},
	} {
		data, _ := json.Marshal(a)
		lines = append(lines, string(data))
	}
	in := filepath.Join(dir, "berita.jsonl")
	if err := os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"CARI_INDEX": filepath.Join(dir, "idx")}
	if res := runCari(t, "", env, "index", in); res.code != 0 {
		t.Fatalf("index: %+v", res)
	}
	one := runCari(t, "", env, "search", "bulog")
	if one.code != 0 || strings.Count(one.stdout, " · score ") != 2 {
		t.Fatalf("collapsed search: want 2 hits: %+v", one)
	}
	if !strings.Contains(one.stdout, "+1 sumber lain: detik.com") && !strings.Contains(one.stdout, "+1 sumber lain: antaranews.com") {
		t.Errorf("collapsed search does not name the other source:\n%s", one.stdout)
	}
	all := runCari(t, "", env, "search", "--collapse=false", "bulog")
	if all.code != 0 || strings.Count(all.stdout, " · score ") != 3 || strings.Contains(all.stdout, "sumber lain") {
		t.Errorf("search --collapse=false: want every article:\n%+v", all)
	}
}
