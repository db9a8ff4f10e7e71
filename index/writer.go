package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// IngestStats counts what a Writer did.
type IngestStats struct {
	Indexed   int `json:"indexed"`   // new articles
	Updated   int `json:"updated"`   // articles whose id existed with other content
	Unchanged int `json:"unchanged"` // articles already indexed exactly so
}

// Total is every article the writer accepted.
func (s IngestStats) Total() int { return s.Indexed + s.Updated + s.Unchanged }

// DefaultBatchSize is how many articles a Writer sends to bleve at once.
const DefaultBatchSize = 500

// Writer upserts articles in batches. It is not safe for concurrent use;
// the Index under it is.
type Writer struct {
	ix      *Index
	size    int
	pending []Article
	byID    map[string]int
	stats   IngestStats
}

// NewWriter returns a writer that flushes every batchSize articles
// (DefaultBatchSize when batchSize <= 0).
func (ix *Index) NewWriter(batchSize int) *Writer {
	if batchSize <= 0 {
		batchSize = DefaultBatchSize
	}
	return &Writer{ix: ix, size: batchSize, byID: make(map[string]int, batchSize)}
}

// Add queues a normalized article (see Article.Normalize) and flushes when
// the batch is full. An id added twice keeps the later article.
func (w *Writer) Add(ctx context.Context, a Article) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if i, ok := w.byID[a.ID]; ok {
		// The same id twice in one input: the later article wins, and
		// the earlier counts as updated by it.
		w.pending[i] = a
		w.stats.Updated++
		return nil
	}
	w.byID[a.ID] = len(w.pending)
	w.pending = append(w.pending, a)
	if len(w.pending) >= w.size {
		return w.Flush(ctx)
	}
	return nil
}

// Flush writes the queued articles. Articles whose stored checksum matches
// are left alone, so re-indexing the same files costs one lookup each.
func (w *Writer) Flush(ctx context.Context) error {
	if len(w.pending) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	ix := w.ix
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	ids := make([]string, 0, len(w.pending))
	for id := range w.byID {
		ids = append(ids, id)
	}
	existing, err := ix.storedState(ctx, ids)
	if err != nil {
		return err
	}
	ix.statsMu.RLock()
	totals := ix.totals
	ix.statsMu.RUnlock()
	recount := false
	batch := ix.bleve.NewBatch()
	var stats IngestStats
	var toWrite []*Article
	for i := range w.pending {
		a := &w.pending[i]
		old, found := existing[a.ID]
		switch {
		case found && old.hash == a.checksum():
			stats.Unchanged++
			continue
		case found:
			stats.Updated++
			totals.add(old.lens, -1)
			recount = recount || !old.counted
		default:
			stats.Indexed++
		}
		toWrite = append(toWrite, a)
	}
	docs, lens, err := ix.analyzeArticles(toWrite)
	if err != nil {
		return err
	}
	for i, doc := range docs {
		totals.add(lens[i], 1)
		if err := batch.IndexAdvanced(doc); err != nil {
			return fmt.Errorf("index %q: %w", doc.ID(), err)
		}
	}
	if batch.Size() > 0 {
		saveTotals(batch, totals, recount)
		if err := ix.bleve.Batch(batch); err != nil {
			return fmt.Errorf("write batch of %d articles: %w", batch.Size(), err)
		}
		ix.setTotals(totals)
	}
	w.stats.Indexed += stats.Indexed
	w.stats.Updated += stats.Updated
	w.stats.Unchanged += stats.Unchanged
	w.pending = w.pending[:0]
	clear(w.byID)
	if recount {
		return ix.recountTokenTotals(ctx)
	}
	return nil
}

// Stats returns what has been flushed so far.
func (w *Writer) Stats() IngestStats { return w.stats }

// storedArticle is what a write needs to know of an article already
// indexed: its checksum and its token counts.
type storedArticle struct {
	hash    string
	lens    tokenCounts
	counted bool // false for an article indexed before counts were kept
}

// storedState looks up the articles with the given ids that exist.
func (ix *Index) storedState(ctx context.Context, ids []string) (map[string]storedArticle, error) {
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery(ids), len(ids), 0, false)
	req.Fields = []string{fieldHash, fieldLens}
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("look up existing articles: %w", err)
	}
	out := make(map[string]storedArticle, len(res.Hits))
	for _, h := range res.Hits {
		lens, ok := parseTokenCounts(stringField(h.Fields, fieldLens))
		out[h.ID] = storedArticle{hash: stringField(h.Fields, fieldHash), lens: lens, counted: ok}
	}
	return out, nil
}

// Upsert writes articles at once, each normalized first; it is the API's
// path. It returns the per-record problems alongside the counts: a bad
// record is skipped, the rest are written.
func (ix *Index) Upsert(ctx context.Context, articles []Article) (IngestStats, []*FieldError, error) {
	w := ix.NewWriter(DefaultBatchSize)
	var problems []*FieldError
	for i := range articles {
		a := articles[i]
		if err := a.Normalize(); err != nil {
			fe, ok := err.(*FieldError)
			if !ok {
				fe = &FieldError{Err: err}
			}
			fe.Line = i + 1
			problems = append(problems, fe)
			continue
		}
		if err := w.Add(ctx, a); err != nil {
			return w.Stats(), problems, err
		}
	}
	err := w.Flush(ctx)
	return w.Stats(), problems, err
}
