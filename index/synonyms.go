package index

// Synonyms. News calls one thing by several names: Tiongkok, China and
// RRT; AS and Amerika Serikat; KPK and Komisi Pemberantasan Korupsi. A
// search for one name should find the others.
//
// Expansion happens at query time, so a synonym list can change without
// reindexing, and statistics count only articles (bleve's synonym
// definitions, indexed as documents, would count as articles). Each form
// is analyzed like the index's text, so "Perserikatan Bangsa-Bangsa" is
// the term sequence [serikat bangsa]. Two mechanisms share the work:
//
//   - A one-term form reaches the other one-term forms of its group
//     through bleve's own synonym search: a map of the query's terms rides
//     in the request as search.SynonymPreSearchDataKey, and bleve's term
//     searcher adds each synonym at half the weight of the word typed.
//     This works in every query, plain or syntax, in any text field.
//   - bleve drops forms of more than one word, so those are added here as
//     clauses when the query is built: a run of words that is a
//     several-word form gets its group's other forms ("Amerika Serikat" →
//     AS), and a word gets its group's several-word forms (all their words)
//     ("KPK" → "Komisi Pemberantasan Korupsi"), at the same half weight.
//
// Only queries of up to AllWordsMax words (a name counting as one) are
// expanded: what people type into a search box. A question is searched by
// its own words (see buildQuery for the measurements).

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/analyzer"
	"github.com/carisearch/cari/analyzer/lexicon"
)

// Synonyms is a parsed synonym list, analyzed for one index.
type Synonyms struct {
	// terms maps a one-term form to the one-term forms it reaches.
	terms map[string][]string
	// forms maps a form's term sequence ("amerika serikat") to the
	// forms it reaches that bleve's term expansion cannot: several-word
	// forms, or any form when the key has several words.
	forms map[string][]synonymForm
	// named holds every form of several terms, by its term sequence.
	named map[string]synonymForm
	// longest is the most terms in a form.
	longest int
}

// synonymForm is one written form with its analyzed terms.
type synonymForm struct {
	text  string
	terms []string
}

func (f synonymForm) key() string { return strings.Join(f.terms, " ") }

// ParseSynonyms reads a synonym list: one group a line, "a, b, c" for
// forms that are all equal, "a => b, c" for a that also finds b and c
// (not the reverse); "#" starts a comment. name is used in errors, which
// give the line. Forms are analyzed with an; a form that analyzes to
// nothing (only stop words) is an error, since it could never match.
func ParseSynonyms(r io.Reader, name string, an analysis.Analyzer) (*Synonyms, error) {
	s := newSynonyms()
	if err := s.add(r, name, an, false); err != nil {
		return nil, err
	}
	return s, nil
}

func newSynonyms() *Synonyms {
	return &Synonyms{terms: map[string][]string{}, forms: map[string][]synonymForm{}, named: map[string]synonymForm{}}
}

// LoadSynonymFile parses a user's synonym file.
func LoadSynonymFile(path string, an analysis.Analyzer) (*Synonyms, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("synonyms: %w", err)
	}
	defer f.Close()
	return ParseSynonyms(f, path, an)
}

// Merge adds the groups of other to s.
func (s *Synonyms) Merge(other *Synonyms) {
	for k, v := range other.terms {
		s.terms[k] = appendNew(s.terms[k], v...)
	}
	for k, v := range other.forms {
		for _, f := range v {
			s.forms[k] = appendForm(s.forms[k], f)
		}
	}
	for k, v := range other.named {
		s.named[k] = v
	}
	s.longest = max(s.longest, other.longest)
}

// add reads a list into s. lenient skips the forms that analyze to
// nothing instead of failing: the built-in list is written for the id
// analyzer, and another (bleve's standard, say, whose English stop list
// holds "as") may leave some of its forms empty.
func (s *Synonyms) add(r io.Reader, name string, an analysis.Analyzer, lenient bool) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		from, to, oneWay := strings.Cut(text, "=>")
		if oneWay && strings.Contains(to, "=>") {
			return fmt.Errorf("%s:%d: more than one \"=>\"", name, line)
		}
		left, err := parseForms(from, an, lenient)
		if err != nil {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
		if !oneWay {
			if len(left) < 2 && lenient {
				continue
			}
			if len(left) < 2 {
				return fmt.Errorf("%s:%d: a group needs at least two forms separated by commas, or \"a => b\"", name, line)
			}
			for i, f := range left {
				for j, g := range left {
					if i != j {
						s.link(f, g)
					}
				}
			}
			continue
		}
		right, err := parseForms(to, an, lenient)
		if err != nil {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
		for _, f := range left {
			for _, g := range right {
				s.link(f, g)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s:%d: %w", name, line+1, err)
	}
	return nil
}

// link records that a query for from also finds to.
func (s *Synonyms) link(from, to synonymForm) {
	if from.key() == to.key() {
		return
	}
	s.longest = max(s.longest, len(from.terms))
	if len(from.terms) > 1 {
		s.named[from.key()] = from
	}
	if len(from.terms) == 1 && len(to.terms) == 1 {
		s.terms[from.terms[0]] = appendNew(s.terms[from.terms[0]], to.terms[0])
		return
	}
	s.forms[from.key()] = appendForm(s.forms[from.key()], to)
}

func appendForm(list []synonymForm, f synonymForm) []synonymForm {
	for _, have := range list {
		if have.key() == f.key() {
			return list
		}
	}
	return append(list, f)
}

func parseForms(list string, an analysis.Analyzer, lenient bool) ([]synonymForm, error) {
	var out []synonymForm
	for _, text := range strings.Split(list, ",") {
		text = strings.TrimSpace(text)
		if text == "" {
			return nil, fmt.Errorf("an empty form (two commas, or a comma at an end)")
		}
		var terms []string
		for _, t := range an.Analyze([]byte(text)) {
			terms = append(terms, string(t.Term))
		}
		if len(terms) == 0 && lenient {
			continue
		}
		if len(terms) == 0 {
			return nil, fmt.Errorf("%q is only stop words and can never match", text)
		}
		out = append(out, synonymForm{text: text, terms: terms})
	}
	return out, nil
}

func appendNew(list []string, values ...string) []string {
	for _, v := range values {
		found := false
		for _, have := range list {
			if have == v {
				found = true
				break
			}
		}
		if !found {
			list = append(list, v)
		}
	}
	return list
}

// termMap is the one-term expansion of a query's terms in the shape
// bleve's synonym search takes, for each text field. Every term of the
// query is in it, those with no synonym with an empty list: bleve's phrase
// search, once any of its terms has synonyms, finds the positions of only
// the terms the map holds (PhraseSearcher.expandFuzzyMatches), so a phrase
// such as "laut china selatan" would otherwise never match. An empty list
// costs nothing: the term is searched alone, as without a map. A word
// typed as an acronym is searched by its written form (acronyms maps its
// stem to it), which reaches the stem's synonyms.
func (s *Synonyms) termMap(terms []string, acronyms map[string]string) search.FieldTermSynonymMap {
	if s == nil || len(s.terms) == 0 {
		return nil
	}
	m := make(map[string][]string, len(terms))
	any := false
	for _, t := range terms {
		m[t] = s.terms[t]
		if len(m[t]) > 0 {
			any = true
		} else {
			m[t] = []string{}
		}
		if w, ok := acronyms[t]; ok {
			m[w] = m[t]
		}
	}
	if !any {
		return nil
	}
	return search.FieldTermSynonymMap{FieldTitle: m, FieldBody: m}
}

// SynonymBoost weighs a match of another name against one of the word
// typed, as bleve's own synonym search does.
const SynonymBoost = 0.5

// expansion is how the words of a query reach other forms that bleve's
// term synonyms cannot.
type expansion struct {
	// units are the query's terms in order, a run of words that is a
	// several-word form ("amerika serikat") as one unit.
	units []unit
	// inNames are the terms of such runs: a word of a known name is no
	// typo.
	inNames map[string]bool
}

// unit is one word of a query, or a run of words that is a name, with
// clauses for the other forms it reaches that bleve's term synonyms
// cannot: the other forms of a run ("amerika serikat" → AS), and the
// several-word forms of a word (AS → "Amerika Serikat").
type unit struct {
	terms  []string
	others []query.Query
}

// clauses are the other-form clauses of every unit.
func (x expansion) clauses() []query.Query {
	var out []query.Query
	for _, u := range x.units {
		out = append(out, u.others...)
	}
	return out
}

// expand finds the forms in a query's analyzed terms, longer runs of
// words first. The query's own words are searched as they are, by the
// caller: treating a run as one name that only its phrase or another form
// can match measured worse on the question sets (MRR@10 .8131 → .8047 on
// FacQA), so the run's forms are added to its words, not put in their
// place.
func (s *Synonyms) expand(terms []string) expansion {
	var x expansion
	seen := map[string]bool{}
	for i := 0; i < len(terms); {
		n := 1
		if s != nil {
			for n = min(s.longest, len(terms)-i); n > 1; n-- {
				if _, ok := s.named[strings.Join(terms[i:i+n], " ")]; ok {
					break
				}
			}
			n = max(n, 1)
		}
		u := unit{terms: terms[i : i+n]}
		if s != nil {
			for _, f := range s.othersOf(u.terms) {
				if seen[f.key()] {
					continue
				}
				seen[f.key()] = true
				q := formQuery(f)
				// A form of several words scores the sum of its
				// words; shared out, it weighs about one word. And
				// bleve searches a word with its one-word synonyms
				// as a disjunction, which scales the score of an
				// article holding the word alone by one over their
				// number (NewSynonymSearcher): scaled alike, an
				// article with only "Negeri Tirai Bambu" never
				// outscores one with Tiongkok.
				q.(query.BoostableQuery).SetBoost(SynonymBoost / float64(len(f.terms)) / float64(1+len(s.oneWordSynonyms(u.terms))))
				u.others = append(u.others, overTextFields(q))
			}
		}
		if n > 1 {
			if x.inNames == nil {
				x.inNames = map[string]bool{}
			}
			for _, t := range u.terms {
				x.inNames[t] = true
			}
		}
		x.units = append(x.units, u)
		i += n
	}
	return x
}

// oneWordCounts maps each of terms that has one-word synonyms to their
// number: what bleve's synonym search ORs with it (termMap).
func (s *Synonyms) oneWordCounts(terms []string) map[string]int {
	if s == nil {
		return nil
	}
	var out map[string]int
	for _, t := range terms {
		if n := len(s.terms[t]); n > 0 {
			if out == nil {
				out = map[string]int{}
			}
			out[t] = n
		}
	}
	return out
}

// oneWordSynonyms are the synonyms bleve's synonym search adds to the
// word of a unit of one word (termMap).
func (s *Synonyms) oneWordSynonyms(unit []string) []string {
	if len(unit) != 1 {
		return nil
	}
	return s.terms[unit[0]]
}

// reaches reports whether term has other forms.
func (s *Synonyms) reaches(term string) bool {
	return s != nil && (len(s.terms[term]) > 0 || len(s.forms[term]) > 0)
}

// othersOf is the forms a run of terms reaches that its own words and
// bleve's one-word synonyms do not already find. A form is left out that
// shares a word with the run ("Republik Indonesia" for "Indonesia",
// "Jakarta" for "DKI Jakarta"), that holds a one-word form the run
// reaches ("Republik Indonesia" for "RI", which reaches "Indonesia"; "DPR
// RI" for "Dewan Perwakilan Rakyat", which reaches "DPR"), or that holds
// every word of a shorter form kept ("Komisi Pemberantasan Tindak Pidana
// Korupsi" beside "Komisi Pemberantasan Korupsi"): each finds no article
// the others do not, and would only favour the articles that use it, at
// the cost of another search of common words.
func (s *Synonyms) othersOf(run []string) []synonymForm {
	forms := slices.Clone(s.forms[strings.Join(run, " ")])
	slices.SortStableFunc(forms, func(a, b synonymForm) int { return len(a.terms) - len(b.terms) })
	reached := map[string]bool{}
	if len(run) == 1 {
		for _, t := range s.terms[run[0]] {
			reached[t] = true
		}
	}
	for _, f := range forms {
		if len(f.terms) == 1 {
			reached[f.terms[0]] = true
		}
	}
	var kept []synonymForm
	for _, f := range forms {
		if sharesTerm(f.terms, run) {
			continue
		}
		if len(f.terms) > 1 {
			if slices.ContainsFunc(f.terms, func(t string) bool { return reached[t] }) ||
				slices.ContainsFunc(kept, func(k synonymForm) bool { return len(k.terms) > 1 && containsAll(f.terms, k.terms) }) {
				continue
			}
		}
		kept = append(kept, f)
	}
	return kept
}

// containsAll reports whether every term of b is in a.
func containsAll(a, b []string) bool {
	for _, t := range b {
		if !slices.Contains(a, t) {
			return false
		}
	}
	return true
}

func sharesTerm(a, b []string) bool {
	for _, t := range a {
		if slices.Contains(b, t) {
			return true
		}
	}
	return false
}

// formQuery matches a form: its term as analyzed (analyzing it again
// could stem a stem), or all the words of its text. Not as a phrase: the
// words of a name seldom stand apart, and a phrase reads the positions of
// every article holding them all (on the corpus, "kpk", which reaches
// "Komisi Pemberantasan Korupsi", took 9.5 ms with a phrase and 7.3 ms
// without).
func formQuery(f synonymForm) query.FieldableQuery {
	if len(f.terms) == 1 {
		return query.NewTermQuery(f.terms[0])
	}
	q := query.NewMatchQuery(f.text)
	q.SetOperator(query.MatchQueryOperatorAnd)
	return q
}

// builtinSynonymsFor parses the built-in list with an index's analyzer.
func builtinSynonymsFor(an analysis.Analyzer) (*Synonyms, error) {
	s := newSynonyms()
	if err := s.add(bytes.NewReader(lexicon.Synonyms()), lexicon.SynonymsFile, an, true); err != nil {
		return nil, err
	}
	return s, nil
}

// textAnalyzer is the analyzer of the body field, which synonym forms and
// query words go through.
//
// Written forms kept beside stems are left out: what a query's words,
// synonyms and typos are matched and counted by is their stems, and the
// written forms only reweigh (writtenForms).
func (ix *Index) textAnalyzer() analysis.Analyzer {
	an := ix.rawTextAnalyzer()
	if an == nil {
		return nil
	}
	return stemsOnly{an}
}

// rawTextAnalyzer is the analyzer of the index's body field.
func (ix *Index) rawTextAnalyzer() analysis.Analyzer {
	m := ix.mapping()
	return m.AnalyzerNamed(m.AnalyzerNameForPath(FieldBody))
}

// stemsOnly is an analyzer without the written forms another keeps beside
// stems.
type stemsOnly struct{ analysis.Analyzer }

func (s stemsOnly) Analyze(text []byte) analysis.TokenStream {
	toks := s.Analyzer.Analyze(text)
	return slices.DeleteFunc(toks, func(t *analysis.Token) bool { return analyzer.IsExact(t.Term) })
}

// synonymList returns the synonyms searches use: the built-in list,
// analyzed on first use, plus any added with AddSynonymFile.
func (ix *Index) synonymList() (*Synonyms, error) {
	ix.synonymsOnce.Do(func() {
		an := ix.textAnalyzer()
		if an == nil {
			ix.synonymsErr = fmt.Errorf("synonyms: the index has no analyzer for %s", FieldBody)
			return
		}
		s, err := builtinSynonymsFor(an)
		if err != nil {
			ix.synonymsErr = err
			return
		}
		ix.synonyms.Store(s)
	})
	if ix.synonymsErr != nil {
		return nil, ix.synonymsErr
	}
	return ix.synonyms.Load(), nil
}

// AddSynonymFile adds a user's synonym file (see ParseSynonyms) to the
// built-in list for every later search.
func (ix *Index) AddSynonymFile(path string) error {
	base, err := ix.synonymList()
	if err != nil {
		return err
	}
	user, err := LoadSynonymFile(path, ix.textAnalyzer())
	if err != nil {
		return err
	}
	merged := newSynonyms()
	merged.Merge(base)
	merged.Merge(user)
	ix.synonyms.Store(merged)
	return nil
}

// Analyze explains how the index reads text: the tokens of its body
// analyzer, the one its articles were analyzed with (analyzer.Explain).
func (ix *Index) Analyze(ctx context.Context, text string) ([]cari.Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	an := ix.rawTextAnalyzer()
	if an == nil {
		return nil, fmt.Errorf("analyze: the index has no analyzer %q", ix.mapping().AnalyzerNameForPath(FieldBody))
	}
	return analyzer.Explain(an, text)
}
