package main

// The known-item set: queries made from titles, searched over bodies.
//
// A reader remembers a few telling words of an article's headline and
// looks for it. The article is the one relevant document. To keep the
// words from matching the title itself, the passages are the bodies only.
//
//   - passages.jsonl: every corpus article that has a title, without it.
//   - queries: n articles sampled (seeded) among those with a title and on
//     the gap-free list (articles whose body has no words glued together
//     or dropped by the crawl). For each, k is drawn uniformly from
//     {2, 3, 4}; the query is the k content words of the title with the
//     highest IDF over the corpus bodies (lowest document frequency; ties
//     go to the earlier word), kept in title order, lower-cased. A title
//     with fewer than k content words gives all of them when it has at
//     least 2, and is skipped (the next sampled article takes its place)
//     otherwise.
//   - content words: pieces of the lower-cased title split on anything
//     that is not a letter or a digit, at least 3 characters, not all
//     digits, not in bleve's Indonesian stop list; each counted once.
//   - split: "k<number of words>" and "-all" when every word occurs in the
//     target's body as a whole word (same splitting), "-missing" when not.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/id"
)

type passage struct {
	ID     string `json:"id"`
	Body   string `json:"body"`
	Date   string `json:"date,omitempty"`
	Source string `json:"source,omitempty"`
	URL    string `json:"url,omitempty"`
}

type kiArticle struct {
	id, title string
	body      map[string]bool // the body's words
}

func knownItem(corpus, gapfree string, n int, seed uint64, out string) error {
	stop := analysis.NewTokenMap()
	if err := stop.LoadBytes(id.IndonesianStopWords); err != nil {
		return err
	}
	gap, err := readIDs(gapfree)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	pf, err := os.Create(filepath.Join(out, "passages.jsonl"))
	if err != nil {
		return err
	}
	pw := bufio.NewWriter(pf)
	enc := json.NewEncoder(pw)
	enc.SetEscapeHTML(false)

	df := map[string]int{} // document frequency over bodies
	var cands []kiArticle  // titled, gap-free, in corpus order
	docs, passages := 0, 0
	err = eachArticle(corpus, func(a *Article) error {
		docs++
		bw := map[string]bool{}
		for _, w := range words(a.Body) {
			if !bw[w] {
				bw[w] = true
				df[w]++
			}
		}
		if strings.TrimSpace(a.Title) == "" {
			return nil
		}
		passages++
		if gap[a.ID] {
			cands = append(cands, kiArticle{a.ID, a.Title, bw})
		}
		return enc.Encode(passage{a.ID, a.Body, a.Date, a.Source, a.URL})
	})
	if err == nil {
		err = pw.Flush()
	}
	if err == nil {
		err = pf.Close()
	} else {
		pf.Close()
	}
	if err != nil {
		return err
	}

	rng := rand.New(rand.NewPCG(seed, 0x6b6e6f776e))
	rng.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })

	var qb, rb strings.Builder
	splits := map[string]int{}
	made := 0
	for _, c := range cands {
		if made == n {
			break
		}
		k := 2 + rng.IntN(3)
		cw := contentWords(c.title, stop)
		if len(cw) < 2 {
			continue
		}
		k = min(k, len(cw))
		q := topIDF(cw, df, k)
		split := fmt.Sprintf("k%d-all", k)
		for _, w := range q {
			if !c.body[w] {
				split = fmt.Sprintf("k%d-missing", k)
				break
			}
		}
		made++
		qid := fmt.Sprintf("ki%04d", made)
		splits[split]++
		fmt.Fprintf(&qb, "%s\t%s\t%s\n", qid, split, strings.Join(q, " "))
		fmt.Fprintf(&rb, "%s 0 %s 1\n", qid, c.id)
	}
	if made < n {
		fmt.Fprintf(os.Stderr, "knownitem: only %d usable articles for %d queries\n", made, n)
	}
	if err := os.WriteFile(filepath.Join(out, "queries.tsv"), []byte(qb.String()), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "qrels.txt"), []byte(rb.String()), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "knownitem: %d articles, %d passages, %d candidates, %d queries\n", docs, passages, len(cands), made)
	for _, s := range sortedKeys(splits) {
		fmt.Fprintf(os.Stderr, "  %-10s %d\n", s, splits[s])
	}
	return nil
}

// contentWords lists a title's content words, each once, in title order.
func contentWords(title string, stop analysis.TokenMap) []string {
	var cw []string
	seen := map[string]bool{}
	for _, w := range words(title) {
		if utf8.RuneCountInString(w) < 3 || allDigits(w) || stop[w] || seen[w] {
			continue
		}
		seen[w] = true
		cw = append(cw, w)
	}
	return cw
}

// topIDF keeps the k words of cw with the lowest document frequency (the
// earlier word on a tie), in their order in cw.
func topIDF(cw []string, df map[string]int, k int) []string {
	keep := make([]bool, len(cw))
	for range k {
		best := -1
		for i, w := range cw {
			if !keep[i] && (best < 0 || df[w] < df[cw[best]]) {
				best = i
			}
		}
		keep[best] = true
	}
	var q []string
	for i, w := range cw {
		if keep[i] {
			q = append(q, w)
		}
	}
	return q
}

func allDigits(w string) bool {
	for _, r := range w {
		if !unicode.IsNumber(r) {
			return false
		}
	}
	return true
}

func readIDs(path string) (map[string]bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, l := range strings.Fields(string(data)) {
		ids[l] = true
	}
	return ids, nil
}
