package index

// Reading the top of a ranking. After the ranking, a search reads more
// about its top hits: where the phrase of the keywords stands in them
// (rerank), and the stored fields and marked fragments of the page shown.
// Both come from one pass over one snapshot of each shard (topReader):
// the term locations of the top hits are read once, for the phrase and
// for the marks, and the fragments are cut from the text of the same
// snapshot the locations were read in, so that an article updated
// meanwhile can never be marked at another version's offsets. Going
// through bleve's search for each (a search for the phrase's locations,
// then one to highlight the page) cost a third of a keyword search.

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// topReader holds one reader of each shard while a search reads its top
// hits.
type topReader struct {
	ix      *Index
	ctx     context.Context
	readers []bleveindex.IndexReader
}

// readTop opens a topReader. synonyms is the synonym map the ranking was
// searched with (bleve's presearch data), so that the marks of a query
// with synonyms find the same words as the ranking did.
func (ix *Index) readTop(ctx context.Context, synonyms search.FieldTermSynonymMap) (*topReader, error) {
	if synonyms != nil {
		ctx = context.WithValue(ctx, search.FieldTermSynonymMapKey, synonyms)
	}
	t := &topReader{ix: ix, ctx: ctx}
	for i, s := range ix.shards {
		adv, err := s.Advanced()
		if err == nil {
			var r bleveindex.IndexReader
			if r, err = adv.Reader(); err == nil {
				t.readers = append(t.readers, r)
				continue
			}
		}
		t.Close()
		return nil, fmt.Errorf("read shard %d: %w", i, err)
	}
	return t, nil
}

// Close releases the readers.
func (t *topReader) Close() {
	for _, r := range t.readers {
		r.Close()
	}
}

// locate returns, by id, the articles of ids that q matches, each with
// the locations of the terms q matched in it, and no score.
func (t *topReader) locate(q query.Query, ids []string) (map[string]*search.DocumentMatch, error) {
	byShard := make([][]string, len(t.readers))
	for _, id := range ids {
		s := t.ix.shard(id)
		byShard[s] = append(byShard[s], id)
	}
	out := make(map[string]*search.DocumentMatch, len(ids))
	for s, shardIDs := range byShard {
		if len(shardIDs) == 0 {
			continue
		}
		if err := t.locateIn(s, query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(shardIDs), q}), out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *topReader) locateIn(shard int, q query.Query, out map[string]*search.DocumentMatch) error {
	if err := t.ctx.Err(); err != nil {
		return err
	}
	r := t.readers[shard]
	s, err := q.Searcher(t.ctx, r, t.ix.mapping(), search.SearcherOptions{IncludeTermVectors: true, Score: "none"})
	if err != nil {
		return fmt.Errorf("locate terms: %w", err)
	}
	defer s.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	for {
		dm, err := s.Next(sctx)
		if err != nil {
			return fmt.Errorf("locate terms: %w", err)
		}
		if dm == nil {
			return nil
		}
		if dm.ID, err = r.ExternalID(dm.IndexInternalID); err != nil {
			return fmt.Errorf("locate terms: %w", err)
		}
		dm.Complete(nil)
		out[dm.ID] = dm
	}
}

// show returns the page's hits with the fields a hit shows and, when
// marked holds their term locations (locate), the fragments that mark
// them. The scores and sort values are the ranking's.
func (t *topReader) show(page search.DocumentMatchCollection, marked map[string]*search.DocumentMatch, highlighted bool) (search.DocumentMatchCollection, error) {
	req := &bleve.SearchRequest{Fields: storedFields()}
	var hl highlight.Highlighter
	if highlighted {
		req.Fields = append(req.Fields, FieldBody)
		req.Highlight = bleve.NewHighlightWithStyle(highlighterName)
		req.Highlight.AddField(FieldTitle)
		req.Highlight.AddField(FieldBody)
		var err error
		if hl, err = bleve.Config.Cache.HighlighterNamed(highlighterName); err != nil {
			return nil, fmt.Errorf("highlighter: %w", err)
		}
	}
	out := make(search.DocumentMatchCollection, 0, len(page))
	for _, h := range page {
		shown := &search.DocumentMatch{ID: h.ID, Score: h.Score, Sort: h.Sort}
		if m, ok := marked[h.ID]; ok {
			shown.Locations = m.Locations
		}
		if err, _ := bleve.LoadAndHighlightFields(shown, req, "", t.readers[t.ix.shard(h.ID)], hl); err != nil {
			return nil, fmt.Errorf("show %q: %w", h.ID, err)
		}
		out = append(out, shown)
	}
	return out, nil
}
