package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/carisearch/cari/analyzer"
	"github.com/carisearch/cari/index"
	"github.com/carisearch/cari/server"
)

// env is the world a command runs in; tests give it buffers.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

// isTerminal reports whether w is a terminal, for progress bars and colour.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// exitError carries an exit code for a failure already reported.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func run(ctx context.Context, args []string, e env) int {
	root := newRootCmd(e)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	var exit exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.code
	}
	fmt.Fprintf(e.stderr, "cari: %v\n", err)
	var refused *server.APIError
	if errors.As(err, &refused) && (refused.Code == "unauthorized" || refused.Code == "forbidden_scope") {
		// The CLI asks a server with the key in $CARI_TOKEN (held.go).
		fmt.Fprintln(e.stderr, "cari: set $CARI_TOKEN to a key of that server's: an admin key for stats and writes, a search key for reads")
	}
	return 1
}

// options are the flags every command shares.
type options struct {
	env
	index     string
	lexicons  []string
	protected []string
	synonyms  []string
}

func newRootCmd(e env) *cobra.Command {
	o := &options{env: e}
	root := &cobra.Command{
		Use:   "cari",
		Short: "search Indonesian news articles",
		Long: `cari indexes Indonesian news articles and searches them with an analyzer
that understands Indonesian: it normalizes text, resolves reduplication
(negara-negara), drops stop words and stems affixed words to their root
(menyerang, serangan → serang), so a search finds every form of a word.

An index is one directory. Every command takes --index DIR; the default is
$CARI_INDEX, else ./cari-index.`,
		Example: `  cari index testdata/articles
  cari search multipolar
  cari serve --demo`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(debug.ReadBuildInfo()),
	}
	root.SetVersionTemplate("cari {{.Version}}\n")
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	defaultIndex := e.getenv("CARI_INDEX")
	if defaultIndex == "" {
		defaultIndex = "cari-index"
	}
	var lexicons []string
	if v := e.getenv("CARI_LEXICON"); v != "" {
		lexicons = filepath.SplitList(v)
	}
	root.PersistentFlags().StringVar(&o.index, "index", defaultIndex, "index directory ($CARI_INDEX)")
	root.AddCommand(
		newIndexCmd(o),
		newSearchCmd(o),
		newSimilarCmd(o),
		newSuggestCmd(o),
		newServeCmd(o),
		newAnalyzeCmd(o),
		newStatsCmd(o),
		newSnapshotCmd(o),
		newStemCmd(o),
		newEvalCmd(o),
	)
	var synonyms []string
	if v := e.getenv("CARI_SYNONYMS"); v != "" {
		synonyms = filepath.SplitList(v)
	}
	for _, c := range root.Commands() {
		if c.Annotations["synonyms"] == "yes" {
			c.Flags().StringSliceVar(&o.synonyms, "synonyms", synonyms, "synonym file added to the built-in list: lines \"a, b, c\" or \"a => b\" ($CARI_SYNONYMS)")
		}
		if c.Annotations["lexicon"] == "yes" {
			c.Flags().StringSliceVar(&o.lexicons, "lexicon", lexicons, "extra root word list: one word a line, or a hunspell .dic ($CARI_LEXICON, "+string(filepath.ListSeparator)+"-separated)")
			c.Flags().StringSliceVar(&o.protected, "protected", nil, "list of words never to stem, one a line")
		}
	}
	return root
}

// stemmer builds the stemmer the flags ask for.
func (o *options) stemmer() (*analyzer.Stemmer, error) {
	return analyzer.NewStemmer(analyzer.StemmerOptions{Lexicons: o.lexicons, Protected: o.protected})
}

// takesLexicon marks a command as taking --lexicon and --protected.
func takesLexicon() map[string]string { return map[string]string{"lexicon": "yes"} }

// takesSynonyms marks a command as taking --synonyms.
func takesSynonyms() map[string]string { return map[string]string{"synonyms": "yes"} }

// addSynonyms loads the --synonyms files into an open index.
func (o *options) addSynonyms(ix *index.Index) error {
	for _, path := range o.synonyms {
		if err := ix.AddSynonymFile(path); err != nil {
			return err
		}
	}
	return nil
}

// highlight turns the API's <mark> HTML into terminal text: bold on a
// terminal, «guillemets» elsewhere.
func highlight(s string, tty bool) string {
	open, close := "«", "»"
	if tty {
		open, close = "\x1b[1m", "\x1b[0m"
	}
	r := strings.NewReplacer("<mark>", open, "</mark>", close, "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&quot;", `"`)
	return r.Replace(s)
}

// printJSON writes v as indented JSON. HTML is left unescaped: titles and
// snippets carry <mark>, which a reader of the output should see as it is.
func printJSON(w io.Writer, v interface{}) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// plural is n and noun, in the plural unless n is one: "1 article",
// "9 articles".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// version names the build: the module's version when installed from a
// tag (go install …@v1.2.0), else the commit it was built from, with
// "+dirty" when the tree had changes, and the Go release.
func version(info *debug.BuildInfo, ok bool) string {
	if !ok {
		return "(unknown build)"
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
		settings := map[string]string{}
		for _, s := range info.Settings {
			settings[s.Key] = s.Value
		}
		if rev := settings["vcs.revision"]; rev != "" {
			v += " " + rev[:min(12, len(rev))]
			if settings["vcs.modified"] == "true" {
				v += "+dirty"
			}
		}
	}
	return v + " " + info.GoVersion
}
