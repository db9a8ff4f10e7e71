// Command lexicon prints the reports the root lexicon of cari's stemmer
// (analyzer/lexicon) is curated from; see usage below.
package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/carisearch/cari/analyzer"
	"github.com/carisearch/cari/analyzer/lexicon"
	"github.com/carisearch/cari/index/input"
)

const usage = `NAME
    lexicon - reports for curating the root lexicon of cari's stemmer

SYNOPSIS
    go run ./scripts/lexicon audit [-lexicon FILE]... [-builtin=false] [-o FILE]
    go run ./scripts/lexicon coverage [-corpus FILE] [-lexicon FILE]...
                                      [-protected FILE]... [-top N] [-o FILE]

DESCRIPTION
    The stemmer accepts an analysis only when it ends in a root of its
    lexicon (analyzer/lexicon/roots.txt, embedded in the binary). A root
    missing leaves its derived words unstemmed; a derived form listed as a
    root keeps its words from their real root; and of two roots that a
    prefix makes look alike, the rarer may take the other's words. These
    reports find such entries for a person to judge; they change nothing.
    Run them from the repository root: go run builds with the lists as
    they are in the working tree.

COMMANDS
    audit
        Lists the roots that look derived, and the pairs of roots a prefix
        cannot tell apart:

            derived?   ROOT  OTHER   an affix analysis reads ROOT as OTHER
                                     (kecepatan as cepat, berangkat as
                                     angkat): a derived form to remove, or
                                     a lexicalized word to keep
            collision  ROOT  OTHER   meN-/peN- or ber-/ter-/per- give both
                                     the same forms (alah/kalah: mengalah;
                                     nanti/tanti: menanti; asa/rasa:
                                     berasa), so the stemmer picks one of
                                     them for every such word

        The roots audited are the embedded lexicon and the -lexicon lists,
        without the protected words.

    coverage
        Stems every word token of a corpus (stop words, numbers and words
        with digits left out) and lists the words whose stem is not a known
        root, most frequent first:

            WORD  COUNT  STEM

        where STEM is what the stemmer made of WORD: WORD itself, or WORD
        without a prefix whose form is unambiguous. The top of the list is
        what to add to the lexicon (or to protected.txt, for an acronym or
        a name); the share of tokens that end in a known root goes to
        standard error, and analyzer's TestLexiconCoverage holds it above
        a floor.

OPTIONS
    -builtin=false
        audit: leave out the embedded lexicon, to audit the -lexicon lists
        alone.
    -corpus FILE
        coverage: the articles, one JSON object a line with "title" and
        "body" (gzip or plain); default ../shared/corpus/news.jsonl.gz.
    -lexicon FILE
        A root list added to the embedded lexicon, as with cari --lexicon:
        one word a line or a hunspell .dic file. May be repeated.
    -o FILE
        Write the report to FILE instead of standard output.
    -protected FILE
        coverage: a list of words never stemmed, as with cari --protected.
        May be repeated.
    -top N
        coverage: list only the N most frequent words; 0, the default,
        lists them all.

EXIT STATUS
    0 when the report is written, 1 when a file cannot be read or
    written, 2 on a usage error.

EXAMPLES
    go run ./scripts/lexicon audit -o /tmp/audit.tsv
    go run ./scripts/lexicon audit -builtin=false -lexicon /usr/share/hunspell/id_ID.dic
    go run ./scripts/lexicon coverage -top 200
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// errUsage marks a usage error, already reported with the usage text.
var errUsage = errors.New("usage")

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "audit":
		err = auditCmd(args[1:], stdout, stderr)
	case "coverage":
		err = coverageCmd(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "lexicon: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	default:
		fmt.Fprintln(stderr, "lexicon:", err)
		return 1
	}
}

// files is a flag that may be given more than once.
type files []string

func (f *files) String() string     { return strings.Join(*f, ",") }
func (f *files) Set(v string) error { *f = append(*f, v); return nil }

// newFlags returns a flag set that prints nothing itself: parse reports
// its errors, with the usage.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parse parses args; the help asked for goes to stdout, an error and the
// usage to stderr.
func parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, usage)
		return err
	case err != nil:
		fmt.Fprintf(stderr, "lexicon %s: %v\n\n%s", fs.Name(), err, usage)
		return errUsage
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "lexicon %s: unexpected argument %q\n\n%s", fs.Name(), fs.Arg(0), usage)
		return errUsage
	}
	return nil
}

func auditCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("audit")
	var lexicons files
	fs.Var(&lexicons, "lexicon", "root list to add (repeatable)")
	builtin := fs.Bool("builtin", true, "audit the embedded lexicon")
	out := fs.String("o", "", "write the report to this file")
	if err := parse(fs, args, stdout, stderr); err != nil {
		return err
	}
	var roots []string
	if *builtin {
		roots = append(roots, lexicon.Roots()...)
	}
	for _, path := range lexicons {
		words, err := lexicon.LoadWordList(path)
		if err != nil {
			return fmt.Errorf("lexicon: %w", err)
		}
		roots = append(roots, words...)
	}
	if len(roots) == 0 {
		return errors.New("no roots to audit: -builtin=false needs a -lexicon list")
	}
	lines := audit(roots)
	if err := writeReport(*out, stdout, lines); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%d lines\n", len(lines))
	return nil
}

// audit returns the report lines of audit for roots, sorted.
func audit(roots []string) []string {
	set := make(map[string]bool, len(roots))
	unique := make([]string, 0, len(roots))
	for _, r := range roots {
		if !set[r] {
			set[r] = true
			unique = append(unique, r)
		}
	}
	// Protected words stay out: the question is what the roots alone make
	// of each other.
	s := analyzer.NewStemmerFromWords(unique, nil, -1)
	var lines []string
	for _, w := range unique {
		if r, ok := s.Derivation(w); ok {
			lines = append(lines, "derived?\t"+w+"\t"+r)
		}
		for _, other := range lookalikes(w) {
			if set[other] {
				lines = append(lines, "collision\t"+w+"\t"+other)
			}
		}
	}
	sort.Strings(lines)
	return lines
}

// lookalikes returns the roots whose prefixed forms are those of w: a
// nasal prefix swallows the k of kalah (mengalah, like alah), the t of
// tanti (menanti, like nanti), the p of pakan (memakan, like makan) and
// the s of sanyi (menyanyi, like nyanyi); ber-, ter- and per- before a
// vowel-initial root look like be-, te-, pe- before one in r (berasa:
// asa or rasa).
func lookalikes(w string) []string {
	switch {
	case isVowel(w[0]):
		return []string{"k" + w, "r" + w}
	case len(w) > 1 && w[0] == 'n' && isVowel(w[1]):
		return []string{"t" + w[1:]}
	case len(w) > 1 && w[0] == 'm' && isVowel(w[1]):
		return []string{"p" + w[1:]}
	case strings.HasPrefix(w, "ny"):
		return []string{"s" + w[2:]}
	}
	return nil
}

func isVowel(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }

func coverageCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("coverage")
	corpus := fs.String("corpus", "../shared/corpus/news.jsonl.gz", "the articles, JSON Lines (gzip or plain)")
	var lexicons, protected files
	fs.Var(&lexicons, "lexicon", "root list to add (repeatable)")
	fs.Var(&protected, "protected", "list of words never stemmed (repeatable)")
	top := fs.Int("top", 0, "list only the N most frequent words (0: all)")
	out := fs.String("o", "", "write the report to this file")
	if err := parse(fs, args, stdout, stderr); err != nil {
		return err
	}
	if *top < 0 {
		fmt.Fprintf(stderr, "lexicon coverage: -top %d: want 0 or more\n\n%s", *top, usage)
		return errUsage
	}
	s, err := analyzer.NewStemmer(analyzer.StemmerOptions{Lexicons: lexicons, Protected: protected})
	if err != nil {
		return fmt.Errorf("stemmer: %w", err)
	}
	var readErr error
	cov, err := s.Coverage(func(yield func([]byte) bool) {
		readErr = input.EachText(context.Background(), input.Paths(*corpus), yield)
	})
	if readErr != nil {
		return readErr
	}
	if err != nil {
		return fmt.Errorf("coverage: %w", err)
	}
	missed := cov.Missed
	if *top > 0 && len(missed) > *top {
		missed = missed[:*top]
	}
	lines := make([]string, len(missed))
	for i, m := range missed {
		lines[i] = fmt.Sprintf("%s\t%d\t%s", m.Word, m.Count, m.Stem)
	}
	if err := writeReport(*out, stdout, lines); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "tokens ending in a known root: %d/%d = %.1f%%; %d distinct words without one\n",
		cov.Known, cov.Tokens, 100*cov.Share(), len(cov.Missed))
	return nil
}

// writeReport writes lines to the file path, or to stdout when path is "".
func writeReport(path string, stdout io.Writer, lines []string) (err error) {
	w := stdout
	if path != "" {
		f, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		defer func() {
			if cerr := f.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("report: %w", cerr)
			}
		}()
		w = f
	}
	bw := bufio.NewWriter(w)
	for _, l := range lines {
		bw.WriteString(l)
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("report %s: %w", cmp.Or(path, "to standard output"), err)
	}
	return nil
}
