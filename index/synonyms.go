package index

import (
	"context"
	"fmt"
	"slices"

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

// synonymList returns the synonyms searches use: the built-in list,
// analyzed on first use, plus any added with AddSynonymFile.
func (ix *Index) synonymList() (*synonym.List, error) {
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
		ix.synonyms.Store(s)
	})
	if ix.synonymsErr != nil {
		return nil, ix.synonymsErr
	}
	return ix.synonyms.Load(), nil
}

// AddSynonymFile adds a user's synonym file (see synonym.Parse) to the
// built-in list for every later search.
func (ix *Index) AddSynonymFile(path string) error {
	base, err := ix.synonymList()
	if err != nil {
		return err
	}
	user, err := synonym.Load(path, ix.textAnalyzer())
	if err != nil {
		return err
	}
	ix.synonyms.Store(synonym.Merged(base, user))
	return nil
}

// SetSynonymFiles makes the synonyms of every later search the built-in
// list and the files at paths, read now, in place of any added before:
// what a server re-reads on SIGHUP. On an error nothing changes.
func (ix *Index) SetSynonymFiles(paths []string) error {
	if _, err := ix.synonymList(); err != nil {
		return err
	}
	list := ix.builtinSynonyms
	for _, p := range paths {
		user, err := synonym.Load(p, ix.textAnalyzer())
		if err != nil {
			return err
		}
		list = synonym.Merged(list, user)
	}
	ix.synonyms.Store(list)
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
