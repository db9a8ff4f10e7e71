package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/analyzer"
	"github.com/carisearch/cari/index"
)

// crashChildEnv, set to 1, makes the test binary run cari with its own
// arguments instead of the tests: the crash test starts itself as a
// `cari index` process, which it can kill, without a separate build.
const crashChildEnv = "CARI_CRASH_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(crashChildEnv) == "1" {
		ctx, stop := interruptible() // as main does
		code := run(ctx, os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// The crash test's shape. $CARI_CRASH_SEED changes the seed, to explore
// or to reproduce a run; the test logs the one it used.
const (
	crashSeed    = 20240817
	crashDocs    = 3000 // articles in the last input
	crashFirst   = 2500 // articles in the first
	crashKills   = 24   // SIGKILLs, at least 20
	crashMinWait = 20 * time.Millisecond
	crashMaxWait = 400 * time.Millisecond
	crashBudget  = 60 * time.Second // no new round after this once 20 kills are done
	crashBatch   = "50"             // --batch: many commits for the kills to fall between
)

// TestCrashSafety kills `cari index` with SIGKILL at random moments and
// checks after every kill that the index opens; that each article in it is
// complete, every stored field equal to what was written for its id in the
// input of the killed run or of the run before; that a search for a word
// only that version of that article has finds it, and only it; that
// nothing else is in the index; and that cari's BM25 token totals agree
// with a recount of the articles present. Then the same command runs
// again to the end, and must write exactly what the killed run had not
// and leave every article once.
//
// It does so in rounds over one growing index: the first round indexes
// 2,500 articles into a new index; each later one changes the text of
// about a quarter of them and adds up to 25 new ones, written first in the
// input so that most kills fall among writes; one round in the middle
// starts a new index again, of two shards (--shards 2), so that the second
// half of the kills falls on a sharded index. A round kills once or, one time in two, twice
// in a row before the rerun. The last round brings the input to 3,000
// articles, and the index it leaves must have the same statistics as one
// built from them in one go.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: kills `cari index` 20+ times in about a minute; skipped with -short")
	}
	seed := uint64(crashSeed)
	if s := os.Getenv("CARI_CRASH_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("CARI_CRASH_SEED: %v", err)
		}
		seed = n
	}
	t.Logf("seed %d (set CARI_CRASH_SEED to change it)", seed)
	rng := rand.New(rand.NewPCG(seed, 0x63617269))
	start := time.Now()
	tmp := t.TempDir()
	gen := newCrashCorpus(t)

	var (
		dir     string
		shards  = 1
		indexes int
		cur     []int // the version of each article in the input, by number
		kills   int
	)
	for round := 1; ; round++ {
		last := kills >= crashKills-1 || (kills >= 19 && time.Since(start) > crashBudget)
		// prev is what the index holds before the round: each article's
		// version, nil for a new index.
		prev := cur
		switch {
		case round == 1 || round == 9:
			indexes++
			shards = indexes // the second index has two shards
			dir = filepath.Join(tmp, fmt.Sprintf("index-%d", indexes))
			prev = nil
			if cur == nil {
				cur = slices.Repeat([]int{round}, crashFirst)
			}
		default:
			cur = slices.Clone(prev)
			for i := range cur {
				if rng.IntN(4) == 0 {
					cur[i] = round
				}
			}
			add := min(25, crashDocs-len(cur))
			if last {
				add = crashDocs - len(cur)
			}
			for range add {
				cur = append(cur, round)
			}
		}
		input := filepath.Join(tmp, fmt.Sprintf("round-%d.jsonl", round))
		// The articles to write come first, so that the kills fall
		// among writes more often than among lookups of unchanged ones.
		order := rng.Perm(len(cur))
		slices.SortStableFunc(order, func(a, b int) int {
			return cmp.Compare(unchanged(prev, cur, a), unchanged(prev, cur, b))
		})
		gen.writeInput(t, input, cur, order)
		kind := "updates"
		if prev == nil {
			kind = "new index"
		}

		// Kill, once or twice, then run to the end.
		atCur := 0 // articles the index holds in their cur version
		for k := 0; k < 1 || (k < 2 && rng.IntN(2) == 0); k++ {
			wait := crashMinWait + time.Duration(rng.Int64N(int64(crashMaxWait-crashMinWait)))
			child := startCrashChild(t, dir, input, "--shards", strconv.Itoa(shards))
			if !child.killAfter(wait) {
				child.requireSuccess(t, len(cur))
				t.Logf("round %d: the run ended before the kill at %v", round, wait)
				break
			}
			kills++
			got := gen.verify(t, dir, prev, cur, false)
			atCur = got.current
			t.Logf("round %d (%s of %d shards, %d articles): SIGKILL %d after %v: the index holds %d, %d of them as in this input",
				round, kind, shards, len(cur), kills, wait.Round(time.Millisecond), got.total, got.current)
		}
		child := startCrashChild(t, dir, input, "--shards", strconv.Itoa(shards))
		_ = child.cmd.Wait()
		written, unchanged := child.requireSuccess(t, len(cur))
		got := gen.verify(t, dir, prev, cur, true)
		if got.total != len(cur) || got.current != len(cur) {
			t.Fatalf("round %d: after the rerun the index holds %d articles, %d as in the input; want %d", round, got.total, got.current, len(cur))
		}
		if unchanged < atCur || written+unchanged != len(cur) {
			t.Fatalf("round %d: the rerun wrote %d and left %d unchanged; the killed run had left %d of %d in place", round, written, unchanged, atCur, len(cur))
		}
		if last {
			break
		}
	}
	if len(cur) != crashDocs || kills < 20 {
		t.Fatalf("%d SIGKILLs, the last input had %d articles; want 20 or more, and %d", kills, len(cur), crashDocs)
	}
	gen.compareWithFreshIndex(t, dir, cur)
	t.Logf("%d SIGKILLs, %d articles at the end, in %v", kills, len(cur), time.Since(start).Round(time.Millisecond))
}

// unchanged is 1 for an article that is in prev as in cur, else 0.
func unchanged(prev, cur []int, i int) int {
	if i < len(prev) && prev[i] == cur[i] {
		return 1
	}
	return 0
}

// TestCrashWhileCreating kills `cari index` in its first milliseconds,
// at steps of 1 ms, to land in the creation of the index: bleve marks a
// directory as an index before its mapping is on disk, and a kill in
// between used to leave a directory that would neither open nor take a
// rerun. Each kill must leave no index or one that opens, and the rerun
// must complete.
func TestCrashWhileCreating(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: kills `cari index` some 50 times; skipped with -short")
	}
	tmp := t.TempDir()
	gen := newCrashCorpus(t)
	cur := slices.Repeat([]int{1}, 50)
	input := filepath.Join(tmp, "articles.jsonl")
	order := make([]int, len(cur))
	for i := range order {
		order[i] = i
	}
	gen.writeInput(t, input, cur, order)
	outcomes := map[string]int{}
	// Kill 1 ms later each time, until past the index's creation: until
	// a kill finds articles written, or two runs in a row end first.
	ended, written := 0, false
	for n, wait := 0, time.Duration(0); ended < 2 && !written && wait < 150*time.Millisecond; n, wait = n+1, wait+time.Millisecond {
		dir := filepath.Join(tmp, fmt.Sprintf("index-%d", n))
		child := startCrashChild(t, dir, input)
		if !child.killAfter(wait) {
			child.requireSuccess(t, len(cur))
			outcomes["run ended"]++
			ended++
			continue
		}
		ended = 0
		got := gen.verify(t, dir, nil, cur, false)
		stale, _ := filepath.Glob(filepath.Join(tmp, ".index-"+strconv.Itoa(n)+".new-*"))
		_, err := os.Stat(filepath.Join(dir, "index_meta.json"))
		switch {
		case len(stale) > 0:
			outcomes["while creating the index"]++
		case err != nil:
			outcomes["before creating the index"]++
		case got.total == 0:
			outcomes["before the first batch"]++
		default:
			outcomes["after the first batch"]++
			written = true
		}
		child = startCrashChild(t, dir, input)
		_ = child.cmd.Wait()
		child.requireSuccess(t, len(cur))
		if got := gen.verify(t, dir, nil, cur, true); got.current != len(cur) {
			t.Fatalf("%s: %d articles after the rerun, want %d", dir, got.current, len(cur))
		}
	}
	t.Logf("kills: %v", outcomes)
}

// crashChild is a `cari index` process.
type crashChild struct {
	cmd    *exec.Cmd
	output bytes.Buffer
}

func startCrashChild(t *testing.T, dir, input string, flags ...string) *crashChild {
	t.Helper()
	c := &crashChild{}
	args := append([]string{"index", "--index", dir, "--batch", crashBatch}, flags...)
	c.cmd = exec.Command(os.Args[0], append(args, input)...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CARI_") {
			c.cmd.Env = append(c.cmd.Env, kv)
		}
	}
	c.cmd.Env = append(c.cmd.Env, crashChildEnv+"=1")
	c.cmd.Stdout = &c.output
	c.cmd.Stderr = &c.output
	if err := c.cmd.Start(); err != nil {
		t.Fatalf("start cari index: %v", err)
	}
	return c
}

// killAfter sends SIGKILL after d unless the process ends first; it
// reports whether the kill happened.
func (c *crashChild) killAfter(d time.Duration) bool {
	done := make(chan error, 1)
	go func() { done <- c.cmd.Wait() }()
	select {
	case <-done:
		return false
	case <-time.After(d):
	}
	_ = c.cmd.Process.Kill()
	<-done
	return !c.cmd.ProcessState.Exited()
}

var indexReport = regexp.MustCompile(`(\d+) indexed, (\d+) updated, (\d+) unchanged, 0 skipped in .*; .* holds (\d+) articles`)

// requireSuccess checks that a finished run exited with 0 and that the
// index holds n articles, and returns how many it wrote and how many it
// found unchanged.
func (c *crashChild) requireSuccess(t *testing.T, n int) (written, unchanged int) {
	t.Helper()
	m := indexReport.FindStringSubmatch(c.output.String())
	if code := c.cmd.ProcessState.ExitCode(); code != 0 || m == nil {
		t.Fatalf("cari index exited with %d:\n%s", code, c.output.String())
	}
	num := func(s string) int { v, _ := strconv.Atoi(s); return v }
	if num(m[4]) != n {
		t.Fatalf("cari index: the index holds %s articles, want %d:\n%s", m[4], n, c.output.String())
	}
	return num(m[1]) + num(m[2]), num(m[3])
}

// crashCorpus makes the articles: version v of article i is a function of
// (i, v) alone, so what the index should hold can be regenerated from the
// id. Each version carries a word no other article or version has.
type crashCorpus struct {
	titleAn, bodyAn analysis.Analyzer

	mu       sync.Mutex
	articles map[[2]int]cari.Article // by (article, version)
	counts   map[[2]int][4]int64     // token counts of (article, version)
}

var (
	crashSources = []string{"kabarnusantara.id", "wartatimur.co.id", "suaraselat.com", "harianbalairung.id", "pelitakota.net", "kronikadesa.com"}
	crashTags    = []string{"politik", "ekonomi", "hukum", "pendidikan", "kesehatan", "olahraga", "lingkungan", "teknologi", "daerah", "internasional"}
	crashWords   = strings.Fields(`pemerintah menteri presiden gubernur bupati warga masyarakat desa kota provinsi
		pembangunan jalan jembatan anggaran pendapatan belanja daerah kebijakan peraturan undang-undang pengadilan
		hakim jaksa polisi penyidik tersangka banjir longsor gempa bencana pengungsi bantuan relawan kesehatan rumah
		sakit dokter perawat pasien vaksin sekolah guru murid mahasiswa universitas pendidikan kurikulum petani nelayan
		panen harga beras cabai minyak pasar pedagang ekspor impor investasi perusahaan karyawan upah buruh pajak bank
		kredit inflasi pertumbuhan ekonomi industri pabrik listrik energi tambang hutan lingkungan sungai laut pantai
		pelabuhan bandara kereta kendaraan kemacetan pemilihan partai calon kampanye suara dewan rapat sidang keputusan
		menyampaikan mengatakan menjelaskan menegaskan meminta berharap melakukan membangun memperbaiki meningkatkan
		menurunkan mengawasi melaporkan menyerahkan memberikan menerima mendapatkan pelayanan penanganan pengawasan
		pemeriksaan penyelidikan kerja sama kemitraan pertahanan keamanan perbatasan negara-negara kegiatan pelaksanaan
		program tahun bulan minggu hari pagi malam sejumlah ribuan ratusan puluhan sekitar hingga sementara selain namun
		karena sehingga yang dan di ke dari dengan untuk pada dalam itu ini akan telah sudah masih juga tersebut`)
)

func newCrashCorpus(t *testing.T) *crashCorpus {
	t.Helper()
	m, err := index.NewMapping(index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := &crashCorpus{articles: map[[2]int]cari.Article{}, counts: map[[2]int][4]int64{}}
	c.titleAn = m.AnalyzerNamed(m.AnalyzerNameForPath(index.FieldTitle))
	c.bodyAn = m.AnalyzerNamed(m.AnalyzerNameForPath(index.FieldBody))
	if c.titleAn == nil || c.bodyAn == nil {
		t.Fatal("the mapping has no analyzer for title or body")
	}
	return c
}

func crashID(i int) string { return fmt.Sprintf("krisis-%05d", i) }

// markerLetters are the digits of letters: a–z without e and j, so that
// no marker holds a pair the spelling filter folds (oe, sj, dj, tj, nj:
// zkasjab would be read as zkasyab).
const markerLetters = "abcdfghiklmnopqrstuvwxyz"

// letters writes n in base 24 with k letters.
func letters(n, k int) string {
	b := make([]byte, k)
	for j := k - 1; j >= 0; j-- {
		b[j] = markerLetters[n%len(markerLetters)]
		n /= len(markerLetters)
	}
	return string(b)
}

// marker is the word only version v of article i has.
func marker(i, v int) string { return "zk" + letters(i, 3) + letters(v, 2) }

func capitalize(w string) string { return strings.ToUpper(w[:1]) + w[1:] }

func (c *crashCorpus) article(i, v int) cari.Article {
	c.mu.Lock()
	a, ok := c.articles[[2]int{i, v}]
	c.mu.Unlock()
	if !ok {
		a = makeArticle(i, v)
		c.mu.Lock()
		c.articles[[2]int{i, v}] = a
		c.mu.Unlock()
	}
	return a
}

func makeArticle(i, v int) cari.Article {
	r := rand.New(rand.NewPCG(uint64(i), uint64(v)))
	word := func() string { return crashWords[r.IntN(len(crashWords))] }
	title := make([]string, 5+r.IntN(5))
	for j := range title {
		title[j] = capitalize(word())
	}
	var body strings.Builder
	words := 150 + r.IntN(250)
	markAt := r.IntN(words)
	for n := 0; n < words; {
		if n > 0 {
			if r.IntN(6) == 0 {
				body.WriteString("\n\n")
			} else {
				body.WriteString(" ")
			}
		}
		sentence := make([]string, 6+r.IntN(12))
		for j := range sentence {
			sentence[j] = word()
			if n+j == markAt {
				sentence[j] = marker(i, v)
			}
		}
		n += len(sentence)
		sentence[0] = capitalize(sentence[0])
		body.WriteString(strings.Join(sentence, " "))
		body.WriteString(".")
	}
	source := crashSources[r.IntN(len(crashSources))]
	var tags []string
	for range 1 + r.IntN(3) {
		if tag := crashTags[r.IntN(len(crashTags))]; !slices.Contains(tags, tag) {
			tags = append(tags, tag)
		}
	}
	return cari.Article{
		ID:        crashID(i),
		Title:     strings.Join(title, " "),
		Body:      body.String(),
		Source:    source,
		URL:       fmt.Sprintf("https://%s/berita/%s-%d", source, crashID(i), v),
		Published: time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(2000)),
		Tags:      tags,
	}
}

// tokens counts the tokens of version v of article i in each scored field
// (title, body, source, tags), as the index counts them.
func (c *crashCorpus) tokens(i, v int) [4]int64 {
	c.mu.Lock()
	n, ok := c.counts[[2]int{i, v}]
	c.mu.Unlock()
	if ok {
		return n
	}
	a := c.article(i, v)
	n = [4]int64{words(c.titleAn.Analyze([]byte(a.Title))), words(c.bodyAn.Analyze([]byte(a.Body))), 1, int64(len(a.Tags))}
	c.mu.Lock()
	c.counts[[2]int{i, v}] = n
	c.mu.Unlock()
	return n
}

// writeInput writes version versions[i] of each article i, in the order
// given, as JSON Lines.
func (c *crashCorpus) writeInput(t *testing.T, path string, versions, order []int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for _, i := range order {
		if err := enc.Encode(c.article(i, versions[i])); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// verified is what verify found in an index: how many articles, and how
// many of them in the version of the input.
type verified struct{ total, current int }

// verify opens the index in dir and checks it against the input of the
// last run, cur (version cur[i] of article i), and what the index held
// before it, prev (nil for a new index; it may have fewer articles). A run
// that was killed may have left each article as in prev, as in cur, or
// absent when prev lacks it; complete says the run ended, so the index
// must hold cur exactly. Every stored article must be complete and found
// by a search for its version's word, and the token totals must be those
// of the articles present.
func (c *crashCorpus) verify(t *testing.T, dir string, prev, cur []int, complete bool) verified {
	t.Helper()
	ctx := context.Background()
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); errors.Is(err, os.ErrNotExist) && !complete && prev == nil {
		return verified{} // killed before the index was made
	}
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatalf("the index does not open: %v", err)
	}
	defer ix.Close()

	var (
		mu       sync.Mutex
		problems []string
		got      verified
		totals   [4]int64
		stored   = make([]int, len(cur)) // the version found, -1 for none
		wg       sync.WaitGroup
	)
	fail := func(format string, args ...interface{}) {
		mu.Lock()
		problems = append(problems, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	const workers = 2
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(cur); i += workers {
				stored[i] = -1
				id := crashID(i)
				candidates := []int{cur[i]}
				if !complete && i < len(prev) && prev[i] != cur[i] {
					candidates = append(candidates, prev[i])
				}
				a, err := ix.Article(ctx, id)
				if errors.Is(err, cari.ErrNotFound) {
					if complete || i < len(prev) {
						fail("%s: missing", id)
					}
					continue
				}
				if err != nil {
					fail("%s: %v", id, err)
					continue
				}
				var diff string
				for _, v := range candidates {
					d := articleDiff(c.article(i, v), *a)
					if d == "" {
						stored[i] = v
						break
					}
					diff += fmt.Sprintf(" [version %d: %s]", v, d)
				}
				if stored[i] < 0 {
					fail("%s: the stored article is none of the versions written:%s", id, diff)
					continue
				}
				n := c.tokens(i, stored[i])
				mu.Lock()
				got.total++
				if stored[i] == cur[i] {
					got.current++
				}
				for f := range totals {
					totals[f] += n[f]
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(problems) == 0 {
		problems = c.checkSearches(ctx, ix, prev, cur, stored)
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		if len(problems) > 20 {
			problems = append(problems[:20], fmt.Sprintf("… and %d more", len(problems)-20))
		}
		t.Fatalf("%s:\n%s", dir, strings.Join(problems, "\n"))
	}
	st, err := ix.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st.Documents != uint64(got.total) {
		t.Fatalf("%s: the index counts %d articles; %d of the ids written are in it", dir, st.Documents, got.total)
	}
	for f, name := range []string{index.FieldTitle, index.FieldBody, index.FieldSource, index.FieldTags} {
		if got.total == 0 {
			break
		}
		if want := float64(totals[f]) / float64(got.total); st.AvgTokens[name] != want {
			t.Fatalf("%s: mean %s length %v tokens (a total of %.0f), a recount of the %d articles gives %v (%d)",
				dir, name, st.AvgTokens[name], st.AvgTokens[name]*float64(got.total), got.total, want, totals[f])
		}
	}
	return got
}

// checkSearches searches for the word of each version of each article:
// the version stored must be found, as that article, and no other version
// written may be. To be quick it asks for up to 100 words at once, a
// query that finds any of them, and falls back to one search a word when
// the answer is not the one expected, to name the article at fault.
func (c *crashCorpus) checkSearches(ctx context.Context, ix *index.Index, prev, cur, stored []int) []string {
	type probe struct {
		id, word string
		found    bool // whether the word must be found, as id
	}
	var probes []probe
	for i, v := range stored {
		versions := []int{cur[i]}
		if i < len(prev) && prev[i] != cur[i] {
			versions = append(versions, prev[i])
		}
		for _, w := range versions {
			probes = append(probes, probe{crashID(i), marker(i, w), w == v})
		}
	}
	var problems []string
	search := func(words []string) (map[string]bool, error) {
		// body:word is an exact term: plain words that the index does not
		// know would be matched fuzzily (typo tolerance), and the markers
		// of two versions are one edit apart.
		fielded := make([]string, len(words))
		for k, w := range words {
			fielded[k] = "body:" + w
		}
		res, err := ix.Search(ctx, cari.Request{Query: strings.Join(fielded, " "), Size: cari.MaxSize, NoHighlight: true, NoFacets: true})
		if err != nil {
			return nil, err
		}
		ids := make(map[string]bool, len(res.Hits))
		for _, h := range res.Hits {
			ids[h.ID] = true
		}
		if res.Total != uint64(len(res.Hits)) {
			return nil, fmt.Errorf("%d hits, %d returned", res.Total, len(res.Hits))
		}
		return ids, nil
	}
	for len(probes) > 0 {
		group := probes[:min(cari.MaxSize, len(probes))]
		probes = probes[len(group):]
		words := make([]string, len(group))
		want := map[string]bool{}
		for j, p := range group {
			words[j] = p.word
			if p.found {
				want[p.id] = true
			}
		}
		if ids, err := search(words); err == nil && maps.Equal(ids, want) {
			continue
		}
		for _, p := range group {
			ids, err := search([]string{p.word})
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: search %q: %v", p.id, p.word, err))
			} else if p.found && (len(ids) != 1 || !ids[p.id]) {
				problems = append(problems, fmt.Sprintf("%s: search %q finds %v", p.id, p.word, slices.Sorted(maps.Keys(ids))))
			} else if !p.found && len(ids) > 0 {
				problems = append(problems, fmt.Sprintf("%s: search %q, a word of a version not stored, finds %v", p.id, p.word, slices.Sorted(maps.Keys(ids))))
			}
		}
	}
	return problems
}

// compareWithFreshIndex checks the index's statistics against those of an
// index built in one go, in memory, from the same articles.
func (c *crashCorpus) compareWithFreshIndex(t *testing.T, dir string, versions []int) {
	t.Helper()
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	fresh, err := index.CreateTemp(index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	articles := make([]cari.Article, len(versions))
	for i, v := range versions {
		articles[i] = c.article(i, v)
	}
	if _, problems, err := fresh.Upsert(context.Background(), articles); err != nil || len(problems) > 0 {
		t.Fatalf("fresh index: %v %v", err, problems)
	}
	got, err := ix.Stats()
	if err != nil {
		t.Fatal(err)
	}
	want, err := fresh.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if got.Documents != want.Documents || fmt.Sprint(got.AvgTokens) != fmt.Sprint(want.AvgTokens) {
		t.Fatalf("after the crashes: %d articles, mean lengths %v; built in one go: %d, %v", got.Documents, got.AvgTokens, want.Documents, want.AvgTokens)
	}
}

// articleDiff names the fields in which got differs from want.
func articleDiff(want, got cari.Article) string {
	var d []string
	if want.Title != got.Title {
		d = append(d, "title")
	}
	if want.Body != got.Body {
		d = append(d, fmt.Sprintf("body (%d bytes, want %d)", len(got.Body), len(want.Body)))
	}
	if want.Source != got.Source {
		d = append(d, "source")
	}
	if want.URL != got.URL {
		d = append(d, "url")
	}
	if !want.Published.Equal(got.Published) {
		d = append(d, "published")
	}
	if !slices.Equal(want.Tags, got.Tags) {
		d = append(d, fmt.Sprintf("tags %q, want %q", got.Tags, want.Tags))
	}
	return strings.Join(d, ", ")
}

// words counts the tokens of an analyzed text that are words, not the
// written forms kept beside stems: the lengths BM25 normalizes by.
func words(toks analysis.TokenStream) int64 {
	var n int64
	for _, t := range toks {
		if !analyzer.IsExact(t.Term) {
			n++
		}
	}
	return n
}
