package index

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/analyzer"
	"github.com/carisearch/cari/index/synonym"
)

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

// The synonyms of a search are the built-in list and two lists of the
// user's, merged: every group of each holds (a merge only adds links, so
// no list can contradict another, and none has to win):
//
//   - the --synonyms files (AddSynonymFile, SetSynonymFiles), which belong
//     to the process: read at start and on SIGHUP, gone when it ends;
//   - the stored list (SetStoredSynonyms, PUT /api/settings/synonyms),
//     which belongs to the index: kept in its internal storage, so every
//     process that opens it, a server after a restart or `cari search`,
//     searches with it.
//
// Each is replaced only by its own way in: a PUT replaces the stored list
// and leaves the files' groups, SIGHUP reads the files again and leaves
// the stored list. An operator who manages synonyms through the API alone
// gives no --synonyms; one who keeps them in files under version control
// need never PUT. Letting one replace the other would make a list in force
// depend on which came last, a restart or a PUT.

// storedSynonymsKey is where the stored list's text lives, in the internal
// storage of the first shard (every shard has the same analyzer).
var storedSynonymsKey = []byte("cari:synonyms")

// storedSynonymsName names the stored list in the errors of a list read
// back from the index.
const storedSynonymsName = "the synonyms stored in the index"

// loadStoredSynonyms reads the stored list's text, to be parsed with the
// built-in list on first use (it needs the analyzer, and a command that
// never searches should not pay for it).
func (ix *Index) loadStoredSynonyms() error {
	data, err := ix.shards[0].GetInternal(storedSynonymsKey)
	if err != nil {
		return fmt.Errorf("read the stored synonyms: %w", err)
	}
	ix.storedSynonymsText = string(data)
	return nil
}

// builtinList returns the built-in list, parsed on first use, and then
// puts the synonyms of searches together for the first time.
func (ix *Index) builtinList() (*synonym.List, error) {
	ix.synonymsOnce.Do(func() {
		an := ix.textAnalyzer()
		if an == nil {
			ix.synonymsErr = fmt.Errorf("synonyms: the index has no analyzer for %s", FieldBody)
			return
		}
		s, err := synonym.Builtin(an)
		if err != nil {
			ix.synonymsErr = err
			return
		}
		ix.builtinSynonyms = s
		ix.synonymsMu.Lock()
		defer ix.synonymsMu.Unlock()
		if ix.storedSynonymsText != "" {
			// Leniently: the list was valid when stored, and only a
			// later build's analyzer could find fault with it.
			ix.storedSynonyms, ix.storedSynonymsErr = synonym.ParseLenient(strings.NewReader(ix.storedSynonymsText), storedSynonymsName, an)
		}
		ix.mergeSynonyms()
	})
	return ix.builtinSynonyms, ix.synonymsErr
}

// mergeSynonyms makes the synonyms of every later search the built-in list
// and the user's; with synonymsMu held. While the stored list cannot be
// read, searches fail with its error rather than search without it, as
// they would without a --synonyms file that cannot be read.
func (ix *Index) mergeSynonyms() {
	if ix.storedSynonymsErr != nil {
		ix.synonyms.Store(nil)
		return
	}
	ix.synonyms.Store(synonym.Merged(ix.builtinSynonyms, ix.fileSynonyms, ix.storedSynonyms))
}

// synonymList returns the synonyms searches use.
func (ix *Index) synonymList() (*synonym.List, error) {
	if _, err := ix.builtinList(); err != nil {
		return nil, err
	}
	if s := ix.synonyms.Load(); s != nil {
		return s, nil
	}
	ix.synonymsMu.Lock()
	defer ix.synonymsMu.Unlock()
	if ix.storedSynonymsErr != nil {
		return nil, fmt.Errorf("%w; replace them (PUT /api/settings/synonyms)", ix.storedSynonymsErr)
	}
	return ix.synonyms.Load(), nil
}

// AddSynonymFile adds a user's synonym file (see synonym.Parse) to the
// lists of every later search.
func (ix *Index) AddSynonymFile(path string) error {
	if _, err := ix.builtinList(); err != nil {
		return err
	}
	user, err := synonym.Load(path, ix.textAnalyzer())
	if err != nil {
		return err
	}
	ix.synonymsMu.Lock()
	defer ix.synonymsMu.Unlock()
	ix.fileSynonyms = synonym.Merged(ix.fileSynonyms, user)
	ix.mergeSynonyms()
	return nil
}

// SetSynonymFiles makes the files at paths, read now, the synonym files of
// every later search, in place of any added before: what a server re-reads
// on SIGHUP. The stored list stays. On an error nothing changes.
func (ix *Index) SetSynonymFiles(paths []string) error {
	if _, err := ix.builtinList(); err != nil {
		return err
	}
	var files *synonym.List
	for _, p := range paths {
		user, err := synonym.Load(p, ix.textAnalyzer())
		if err != nil {
			return err
		}
		files = synonym.Merged(files, user)
	}
	ix.synonymsMu.Lock()
	defer ix.synonymsMu.Unlock()
	ix.fileSynonyms = files
	ix.mergeSynonyms()
	return nil
}

// SetStoredSynonyms parses text, a synonym list in the format of a
// --synonyms file, and makes it the index's stored list in place of the
// one before: saved in the index, then used by every later search. source
// names the text in errors ("request body:3: ..."). A list that does not
// parse is an error wrapping cari.ErrBadRequest, and nothing changes; so
// does a failed write. Empty text (or only comments) leaves no stored list.
// It returns the number of groups the list holds.
func (ix *Index) SetStoredSynonyms(ctx context.Context, source, text string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if _, err := ix.builtinList(); err != nil {
		return 0, err
	}
	list, err := synonym.Parse(strings.NewReader(text), source, ix.textAnalyzer())
	if err != nil {
		return 0, fmt.Errorf("%w: %w", cari.ErrBadRequest, err)
	}
	if err := ix.checkSpace(uint64(len(text))); err != nil {
		return 0, fmt.Errorf("store synonyms: %w", err)
	}
	ix.synonymsMu.Lock()
	defer ix.synonymsMu.Unlock()
	// One internal write is one scorch batch, on disk once it returns:
	// the old text or the new, never half of it.
	if text == "" {
		err = ix.shards[0].DeleteInternal(storedSynonymsKey)
	} else {
		err = ix.shards[0].SetInternal(storedSynonymsKey, []byte(text))
	}
	if err != nil {
		return 0, fmt.Errorf("store synonyms: %w", err)
	}
	ix.storedSynonyms, ix.storedSynonymsText, ix.storedSynonymsErr = list, text, nil
	ix.mergeSynonyms()
	return list.Groups(), nil
}

// CarryStoredSynonyms makes text, the stored list of the index this one
// replaces (a rebuild), this index's stored list, unless it has one: a
// rebuild makes the articles anew, not the settings. It is parsed
// leniently, as a stored list read back is, since the index it was checked
// with may have had another analyzer.
func (ix *Index) CarryStoredSynonyms(text string) error {
	if text == "" {
		return nil
	}
	if _, err := ix.builtinList(); err != nil {
		return err
	}
	list, err := synonym.ParseLenient(strings.NewReader(text), storedSynonymsName, ix.textAnalyzer())
	if err != nil {
		return fmt.Errorf("carry the stored synonyms: %w", err)
	}
	ix.synonymsMu.Lock()
	defer ix.synonymsMu.Unlock()
	if ix.storedSynonymsText != "" {
		return nil
	}
	if err := ix.shards[0].SetInternal(storedSynonymsKey, []byte(text)); err != nil {
		return fmt.Errorf("carry the stored synonyms: %w", err)
	}
	ix.storedSynonyms, ix.storedSynonymsText, ix.storedSynonymsErr = list, text, nil
	ix.mergeSynonyms()
	return nil
}

// storedSynonymsAt is the stored list of the index at path, for a rebuild
// to carry over; empty when there is none, and when the index cannot be
// opened: a server that holds it carries the list itself when it switches
// (cari serve's reload), and an index that does not open has no list to
// read.
func storedSynonymsAt(path string) string {
	if !isIndexDir(path) {
		return ""
	}
	ix, err := Open(path)
	if err != nil {
		return ""
	}
	defer func() { _ = ix.Close() }()
	return ix.StoredSynonyms()
}

// StoredSynonyms is the text of the stored list, as it was given to
// SetStoredSynonyms; empty when there is none.
func (ix *Index) StoredSynonyms() string {
	ix.synonymsMu.Lock()
	defer ix.synonymsMu.Unlock()
	return ix.storedSynonymsText
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
