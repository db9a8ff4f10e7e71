package analyzer

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/carisearch/cari/analyzer/lexicon"
)

// ruleRoots is a small lexicon of our own, so the rules are tested apart
// from the shipped word list.
var ruleRoots = strings.Fields(`serang mitra negara selaras berita menteri tulis pukul kirim bom
kurang teman langkah tani rumah ekonomi bijak didik kata terima nanti tanam makan pakai ambil
tahu jadi laku perlu kuat baik tahan hati nyata sama ajar hasil libat daya pimpin perintah cat
nyanyi guna hadap akhir ubah rambut asal kerja serta masuk dapat lestari punya usaha buku sehat
kena ketua tua juang gali ungsi tarik tari tar mulai mula beri member babi nilai nila panggil
tiru sebut anak besar peran per layan dengar final ideal getar lembut nganga siapa allah`)

func TestStemmerRules(t *testing.T) {
	s := NewStemmerFromWords(ruleRoots, []string{"pemilu"}, 0)
	for _, tc := range []struct{ word, want string }{
		// meN- allomorphs restore the dropped consonant.
		{"menyerang", "serang"}, {"menulis", "tulis"}, {"memukul", "pukul"},
		{"mengirim", "kirim"}, {"mengebom", "bom"}, {"mengecat", "cat"},
		{"menerima", "terima"}, {"menanti", "nanti"}, {"menanam", "tanam"},
		{"memakan", "makan"}, {"memakai", "pakai"}, {"mengambil", "ambil"},
		{"menyanyi", "nyanyi"}, {"menggunakan", "guna"}, {"menghadapi", "hadap"},
		{"melangkah", "langkah"}, {"mendengar", "dengar"},
		// Suffixes, confixes and stacked prefixes.
		{"serangan", "serang"}, {"kemitraan", "mitra"}, {"menyelaraskan", "selaras"},
		{"dikurangi", "kurang"}, {"ditemani", "teman"}, {"pertanian", "tani"},
		{"perumahan", "rumah"}, {"perekonomian", "ekonomi"}, {"kebijakan", "bijak"},
		{"pendidikan", "didik"}, {"mengatakan", "kata"}, {"mengetahui", "tahu"},
		{"diketahui", "tahu"}, {"menjadi", "jadi"}, {"dilakukan", "laku"},
		{"diperlukan", "perlu"}, {"memperkuat", "kuat"}, {"memperbaiki", "baik"},
		{"mempertahankan", "tahan"}, {"memperhatikan", "hati"}, {"menyatakan", "nyata"},
		{"mempelajari", "ajar"}, {"belajar", "ajar"}, {"keberhasilan", "hasil"},
		{"keterlibatan", "libat"}, {"pemberdayaan", "daya"}, {"kepemimpinannya", "pimpin"},
		{"pemerintahan", "perintah"}, {"berakhir", "akhir"}, {"berubah", "ubah"},
		{"berambut", "rambut"}, {"bekerja", "kerja"}, {"beserta", "serta"},
		{"pemasukan", "masuk"}, {"memasukkan", "masuk"}, {"penarikan", "tarik"},
		{"pelestarian", "lestari"}, {"mempunyai", "punya"}, {"pengusaha", "usaha"},
		{"kesehatan", "sehat"}, {"mengenai", "kena"}, {"perjuangan", "juang"},
		{"pelayanan", "layan"}, {"pelayan", "layan"}, {"pemeran", "peran"},
		// Prefix before suffix where the confix says so.
		{"dimulai", "mulai"}, {"memberi", "beri"}, {"menari", "tari"}, {"dinilai", "nilai"},
		// Particles, possessives, proclitics.
		{"bukunya", "buku"}, {"bukulah", "buku"}, {"kupukul", "pukul"},
		// Reduplication.
		{"negara-negara", "negara"}, {"bersama-sama", "sama"}, {"memanggil-manggil", "panggil"},
		{"meniru-niru", "tiru"}, {"anak-anaknya", "anak"}, {"sebesar-besarnya", "besar"},
		{"allah-lah", "allah"},
		// Roots, protected words and unknown words stay.
		{"berita", "berita"}, {"menteri", "menteri"}, {"ketua", "ketua"}, {"pemilu", "pemilu"},
		{"multipolar", "multipolar"}, {"kenya", "kenya"}, {"dimas", "dimas"},
		{"2023", "2023"}, {"ab", "ab"}, {"", ""}, {"señor", "señor"},
		// An unknown word stays whole.
		{"zorbanya", "zorbanya"},
		// Rare affixes, only onto a known root.
		{"finalisasi", "final"}, {"idealisme", "ideal"}, {"gemetar", "getar"},
		{"kinerja", "kerja"}, {"lelembut", "lembut"}, {"menganga", "nganga"},
		// Several words on one line are stemmed one by one.
		{"siapakah memberdayakan", "siapa daya"},
	} {
		if got := s.Stem(tc.word); got != tc.want {
			t.Errorf("Stem(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
}

func TestShippedStemmer(t *testing.T) {
	s, err := NewStemmer(StemmerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The examples the project is judged by, on the embedded lexicon.
	for _, tc := range []struct{ word, want string }{
		{"menyerang", "serang"}, {"kemitraan", "mitra"}, {"negara-negara", "negara"},
		{"menyelaraskan", "selaras"}, {"berita", "berita"}, {"menteri", "menteri"},
		{"multipolar", "multipolar"}, {"dikurangi", "kurang"}, {"ditemani", "teman"},
		{"melangkah", "langkah"}, {"menulis", "tulis"}, {"memukul", "pukul"},
		{"mengirim", "kirim"}, {"mengebom", "bom"},
	} {
		if got := s.Stem(tc.word); got != tc.want {
			t.Errorf("Stem(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
	if len(lexicon.Roots()) < 5000 {
		t.Errorf("embedded lexicon has %d roots; the word list did not load", len(lexicon.Roots()))
	}
}

func TestUserLexicon(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "akar.txt")
	dic := filepath.Join(dir, "id_ID.dic")
	protected := filepath.Join(dir, "lindungi.txt")
	for path, text := range map[string]string{
		plain:     "# kata dasar tambahan\nzorbak\n\nKLUWAK\n",
		dic:       "3\nqirbat/MN\nsuatu kata\nxenon/S\n",
		protected: "penzorbak\n",
	} {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := NewStemmer(StemmerOptions{Lexicons: []string{plain, dic}, Protected: []string{protected}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ word, want string }{
		{"menzorbak", "zorbak"}, {"dikluwakkan", "kluwak"}, {"mengqirbat", "qirbat"},
		{"penzorbak", "penzorbak"},
	} {
		if got := s.Stem(tc.word); got != tc.want {
			t.Errorf("Stem(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
	if _, err := NewStemmer(StemmerOptions{Lexicons: []string{filepath.Join(dir, "missing.txt")}}); err == nil || !strings.Contains(err.Error(), "missing.txt") {
		t.Errorf("missing lexicon: got error %v, want one naming the file", err)
	}
}

// TestDerivation: Derivation reads a root as derived from another root,
// by a confix or a rare affix, and never as itself.
func TestDerivation(t *testing.T) {
	s := NewStemmerFromWords([]string{"tulis", "menulis", "kerja", "kinerja", "berita", "kemitraan", "mitra"}, nil, 0)
	for _, tc := range []struct {
		word, root string
		ok         bool
	}{
		{"menulis", "tulis", true}, {"kinerja", "kerja", true}, {"kemitraan", "mitra", true},
		{"tulis", "", false}, {"berita", "", false}, {"zorbak", "", false},
	} {
		if root, ok := s.Derivation(tc.word); root != tc.root || ok != tc.ok {
			t.Errorf("Derivation(%q) = %q, %v; want %q, %v", tc.word, root, ok, tc.root, tc.ok)
		}
	}
}

func TestStemCacheConcurrentAndBounded(t *testing.T) {
	s := NewStemmerFromWords(ruleRoots, nil, 64)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				w := fmt.Sprintf("menyerang%d", i%300)
				_ = s.Stem(w)
				if got := s.Stem("menyerang"); got != "serang" {
					t.Errorf("Stem(menyerang) = %q under concurrency", got)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	total := 0
	for i := range s.cache.shards {
		total += len(s.cache.shards[i].stems)
	}
	if limit := cacheShards * s.cache.perShard; total > limit {
		t.Errorf("cache holds %d stems, more than its bound of %d", total, limit)
	}
}
