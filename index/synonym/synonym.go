// Package synonym expands a query by the other names of what it names.
//
// News calls one thing by several names: Tiongkok, China and
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
// Only queries of up to index.AllWordsMax words (a name counting as one)
// are expanded: what people type into a search box. A question is searched
// by its own words (see index's expandKeywords for the measurements).
package synonym

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/carisearch/cari/analyzer/lexicon"
)

// List is a parsed synonym list, analyzed for one index.
type List struct {
	// terms maps a one-term form to the one-term forms it reaches.
	terms map[string][]string
	// forms maps a form's term sequence ("amerika serikat") to the
	// forms it reaches that bleve's term synonyms cannot: several-word
	// forms, or any form when the key has several words.
	forms map[string][]synonymForm
	// named holds every form of several terms, by its term sequence.
	named map[string]synonymForm
	// longest is the most terms in a form.
	longest int
	// groups counts the lines that gave groups, for a summary.
	groups int
}

// synonymForm is one written form with its analyzed terms.
type synonymForm struct {
	text  string
	terms []string
}

func (f synonymForm) key() string { return strings.Join(f.terms, " ") }

// Parse reads a synonym list: one group a line, "a, b, c" for
// forms that are all equal, "a => b, c" for a that also finds b and c
// (not the reverse); "#" starts a comment. name is used in errors, which
// give the line. Forms are analyzed with an; a form that analyzes to
// nothing (only stop words) is an error, since it could never match.
func Parse(r io.Reader, name string, an analysis.Analyzer) (*List, error) {
	s := newList()
	if err := s.add(r, name, an, false); err != nil {
		return nil, err
	}
	return s, nil
}

// ParseLenient reads a list as Parse does, but skips the forms that
// analyze to nothing, and the groups left with one form, instead of
// failing: for a list Parse accepted when it was stored, read again by a
// build whose analyzer may drop more words (a longer stop list). Failing
// there would fail every search over a setting the user can no longer
// see as wrong.
func ParseLenient(r io.Reader, name string, an analysis.Analyzer) (*List, error) {
	s := newList()
	if err := s.add(r, name, an, true); err != nil {
		return nil, err
	}
	return s, nil
}

// Groups is the number of lines of the lists that gave groups.
func (s *List) Groups() int {
	if s == nil {
		return 0
	}
	return s.groups
}

func newList() *List {
	return &List{terms: map[string][]string{}, forms: map[string][]synonymForm{}, named: map[string]synonymForm{}}
}

// Load parses a user's synonym file.
func Load(path string, an analysis.Analyzer) (*List, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("synonyms: %w", err)
	}
	defer f.Close()
	return Parse(f, path, an)
}

// Merged is a new list of the forms of every list, in order; a nil list
// adds nothing.
func Merged(lists ...*List) *List {
	m := newList()
	for _, l := range lists {
		m.Merge(l)
	}
	return m
}

// Merge adds the groups of other (nil for none) to s.
func (s *List) Merge(other *List) {
	if other == nil {
		return
	}
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
	s.groups += other.groups
}

// add reads a list into s. lenient skips the forms that analyze to
// nothing instead of failing: the built-in list is written for the id
// analyzer, and another (bleve's standard, say, whose English stop list
// holds "as") may leave some of its forms empty.
//
// Branchy because it is the parser of one file: a case for each line shape
// and each error it names.
func (s *List) add(r io.Reader, name string, an analysis.Analyzer, lenient bool) error {
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
			s.groups++
			continue
		}
		right, err := parseForms(to, an, lenient)
		if err != nil {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
		if len(left) > 0 && len(right) > 0 {
			s.groups++
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
func (s *List) link(from, to synonymForm) {
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

// TermMap is the one-term Expansion of a query's terms in the shape
// bleve's synonym search takes, for each text field. Every term of the
// query is in it, those with no synonym with an empty list: bleve's phrase
// search, once any of its terms has synonyms, finds the positions of only
// the terms the map holds (PhraseSearcher.expandFuzzyMatches), so a phrase
// such as "laut china selatan" would otherwise never match. An empty list
// costs nothing: the term is searched alone, as without a map. A word
// typed as an acronym is searched by its written form (acronyms maps its
// stem to it), which reaches the stem's synonyms.
func (s *List) TermMap(terms []string, acronyms map[string]string, fields ...string) search.FieldTermSynonymMap {
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
	out := search.FieldTermSynonymMap{}
	for _, f := range fields {
		out[f] = m
	}
	return out
}

// Boost weighs a match of another name against one of the word
// typed, as bleve's own synonym search does.
const Boost = 0.5

// Expansion is how the words of a query reach other forms that bleve's
// term synonyms cannot.
type Expansion struct {
	// Units are the query's terms in order, a run of words that is a
	// several-word form ("amerika serikat") as one unit.
	Units []Unit
	// InNames are the terms of such runs: a word of a known name is no
	// typo.
	InNames map[string]bool
}

// unit is one word of a query, or a run of words that is a name, with
// clauses for the other forms it reaches that bleve's term synonyms
// cannot: the other forms of a run ("amerika serikat" → AS), and the
// several-word forms of a word (AS → "Amerika Serikat").
type Unit struct {
	Terms  []string
	Others []query.Query
}

// Clauses are the other-form clauses of every unit.
func (x Expansion) Clauses() []query.Query {
	var out []query.Query
	for _, u := range x.Units {
		out = append(out, u.Others...)
	}
	return out
}

// Expand finds the forms in a query's analyzed terms, longer runs of words
// first, each other form searched as inFields has it (in which fields, at
// what weight). The query's own words are searched as they are, by the
// caller: treating a run as one name that only its phrase or another form
// can match measured worse on the question sets (MRR@10 .8131 → .8047 on
// FacQA), so the run's forms are added to its words, not put in their
// place.
func (s *List) Expand(terms []string, inFields func(query.FieldableQuery) query.Query) Expansion {
	var x Expansion
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
		u := Unit{Terms: terms[i : i+n]}
		if s != nil {
			for _, f := range s.othersOf(u.Terms) {
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
				q.(query.BoostableQuery).SetBoost(Boost / float64(len(f.terms)) / float64(1+len(s.oneWordSynonyms(u.Terms))))
				u.Others = append(u.Others, inFields(q))
			}
		}
		if n > 1 {
			if x.InNames == nil {
				x.InNames = map[string]bool{}
			}
			for _, t := range u.Terms {
				x.InNames[t] = true
			}
		}
		x.Units = append(x.Units, u)
		i += n
	}
	return x
}

// OneWordCounts maps each of terms that has one-word synonyms to their
// number: what bleve's synonym search ORs with it (TermMap).
func (s *List) OneWordCounts(terms []string) map[string]int {
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
// word of a unit of one word (TermMap).
func (s *List) oneWordSynonyms(Unit []string) []string {
	if len(Unit) != 1 {
		return nil
	}
	return s.terms[Unit[0]]
}

// Reaches reports whether term has other forms.
func (s *List) Reaches(term string) bool {
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
func (s *List) othersOf(run []string) []synonymForm {
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

// Builtin parses the built-in list (lexicon.Synonyms) with an index's
// analyzer.
func Builtin(an analysis.Analyzer) (*List, error) {
	s := newList()
	if err := s.add(bytes.NewReader(lexicon.Synonyms()), lexicon.SynonymsFile, an, true); err != nil {
		return nil, err
	}
	return s, nil
}
