package main

// pool: the documents to grade. It takes the top -depth documents of each
// query from every run, drops those the qrels already grade, shuffles the
// rest per query (so no grader can tell which engine, or which rank, brought
// a document in) and writes grading packets: plain text a blind grader reads
// top to bottom, split into -parts files of about equal size with each
// query's documents kept together.
//
// A packet shows the query, its need, and per document its id, title, lead
// and up to three sentences holding a query word (or a word sharing its
// first five letters, so that a misspelt query still shows where the
// intended word occurs).

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

type poolItem struct {
	qid, doc string
}

func pool(corpus, queriesPath, needsPath, qrelsPath string, runs []string, depth, parts int, seed uint64, out string) error {
	queries, err := readQueries(queriesPath)
	if err != nil {
		return err
	}
	needs, err := readNeeds(needsPath)
	if err != nil {
		return err
	}
	graded := map[string]map[string]bool{}
	if qrelsPath != "" {
		graded, err = readGraded(qrelsPath)
		if err != nil {
			return err
		}
	}
	toGrade := map[string]map[string]bool{}
	for _, rp := range runs {
		run, err := readRun(rp)
		if err != nil {
			return err
		}
		for qid, docs := range run {
			for i, d := range docs {
				if i >= depth {
					break
				}
				if graded[qid][d] {
					continue
				}
				if toGrade[qid] == nil {
					toGrade[qid] = map[string]bool{}
				}
				toGrade[qid][d] = true
			}
		}
	}
	wanted := map[string]bool{}
	for _, ds := range toGrade {
		for d := range ds {
			wanted[d] = true
		}
	}
	articles := map[string]*Article{}
	err = eachArticle(corpus, func(a *Article) error {
		if wanted[a.ID] {
			articles[a.ID] = a
		}
		return nil
	})
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	total := 0
	type block struct {
		q    Query
		docs []string
	}
	var blocks []block
	for _, q := range queries {
		ds := sortedKeys(toGrade[q.ID])
		if len(ds) == 0 {
			continue
		}
		if needs[q.ID] == "" {
			return fmt.Errorf("%s: no need for query %s", needsPath, q.ID)
		}
		rng.Shuffle(len(ds), func(i, j int) { ds[i], ds[j] = ds[j], ds[i] })
		for _, d := range ds {
			if articles[d] == nil {
				return fmt.Errorf("%s: no article %s (query %s)", corpus, d, q.ID)
			}
		}
		blocks = append(blocks, block{q, ds})
		total += len(ds)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	per := (total + parts - 1) / parts
	part, inPart := 1, 0
	var w *bufio.Writer
	var f *os.File
	open := func() error {
		if f != nil {
			if err := w.Flush(); err != nil {
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
		}
		var err error
		f, err = os.Create(filepath.Join(out, fmt.Sprintf("part%02d.txt", part)))
		if err != nil {
			return err
		}
		w = bufio.NewWriter(f)
		return nil
	}
	if err := open(); err != nil {
		return err
	}
	for _, b := range blocks {
		if inPart > 0 && inPart+len(b.docs)/2 > per && part < parts {
			part++
			inPart = 0
			if err := open(); err != nil {
				return err
			}
		}
		fmt.Fprintf(w, "==================== QUERY %s: %s\nNEED: %s\n\n", b.q.ID, b.q.Text, needs[b.q.ID])
		for _, d := range b.docs {
			a := articles[d]
			fmt.Fprintf(w, "--- DOC %s (query %s)\nTITLE: %s\nLEAD: %s\n", d, b.q.ID, oneLine(a.Title), clip(oneLine(a.Body), 400))
			for _, s := range passages(a.Body, b.q.Text, 3) {
				fmt.Fprintf(w, "PASSAGE: %s\n", clip(s, 300))
			}
			fmt.Fprintln(w)
		}
		inPart += len(b.docs)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "pool: %d documents to grade over %d queries in %d parts under %s\n", total, len(blocks), part, out)
	return nil
}

// readNeeds reads qid<TAB>need lines.
func readNeeds(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	needs := map[string]string{}
	for n, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		qid, need, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("%s:%d: want qid<TAB>need", path, n+1)
		}
		needs[qid] = need
	}
	return needs, nil
}

// readGraded gives every (query, document) the qrels hold, whatever the grade.
func readGraded(path string) (map[string]map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	g := map[string]map[string]bool{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		fs := strings.Fields(sc.Text())
		if len(fs) == 0 {
			continue
		}
		if len(fs) != 4 {
			return nil, fmt.Errorf("%s:%d: want qid 0 docid grade", path, n)
		}
		if g[fs[0]] == nil {
			g[fs[0]] = map[string]bool{}
		}
		g[fs[0]][fs[2]] = true
	}
	return g, sc.Err()
}

// passages gives up to max sentences of body holding a query word, or a
// word sharing its first five letters, in body order.
func passages(body, query string, max int) []string {
	var keys []string
	for _, w := range words(query) {
		if utf8.RuneCountInString(w) > 5 {
			w = string([]rune(w)[:5])
		}
		keys = append(keys, w)
	}
	var found []string
	for _, s := range sentences(body) {
		for _, w := range words(s) {
			if hasAnyPrefix(w, keys) {
				found = append(found, oneLine(s))
				break
			}
		}
		if len(found) == max {
			break
		}
	}
	return found
}

func hasAnyPrefix(w string, keys []string) bool {
	for _, k := range keys {
		if strings.HasPrefix(w, k) {
			return true
		}
	}
	return false
}

func sentences(text string) []string {
	var out []string
	start := 0
	for i, r := range text {
		if r == '\n' || ((r == '.' || r == '?' || r == '!') && i+1 < len(text) && text[i+1] == ' ') {
			if s := strings.TrimSpace(text[start : i+1]); s != "" {
				out = append(out, s)
			}
			start = i + 1
		}
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
