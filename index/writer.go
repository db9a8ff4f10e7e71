package index

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/carisearch/cari"
)

// checksum identifies an article's content, so an unchanged re-run can be
// told from an update.
func checksum(a *cari.Article) string {
	h := sha1.New()
	for _, s := range []string{a.Title, a.Body, a.Source, a.URL, a.Published.Format(time.RFC3339), strings.Join(a.Tags, "\x1f")} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:20]
}

// batch is a group of articles on its way to the index: assembled (ids
// unique, the later of two articles with one id kept), then prepared
// (looked up and analyzed, which can run while the batch before it is
// written), then committed.
type batch struct {
	articles []cari.Article
	byID     map[string]int
	// dups counts articles replaced by a later one with the same id in
	// this batch; each counts as updated by it.
	dups int

	// Set by prepare.
	gen      uint64   // ix.writeGen when existing was looked up
	sums     []string // each article's checksum
	existing map[string]storedArticle
	docs     []*document.Document // nil where the article looked unchanged
	lens     []tokenCounts
	bands    [][]uint64 // the story bands of each body (storyBandsOf)
}

func newBatch(size int) *batch {
	return &batch{articles: make([]cari.Article, 0, size), byID: make(map[string]int, size)}
}

// add queues a normalized article; an id already in the batch is replaced.
func (b *batch) add(a cari.Article) {
	if i, ok := b.byID[a.ID]; ok {
		b.articles[i] = a
		b.dups++
		return
	}
	b.byID[a.ID] = len(b.articles)
	b.articles = append(b.articles, a)
}

func (b *batch) len() int { return len(b.articles) }

func (b *batch) ids() []string {
	ids := make([]string, len(b.articles))
	for i := range b.articles {
		ids[i] = b.articles[i].ID
	}
	return ids
}

// prepare looks up the batch's articles and analyzes those that are new or
// changed, on every core. It takes no lock: commit checks the lookup again
// if anything was written in between.
func (ix *Index) prepare(ctx context.Context, b *batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b.gen = ix.writeGen.Load()
	existing, err := ix.storedState(ctx, b.ids())
	if err != nil {
		return err
	}
	b.existing = existing
	b.sums = make([]string, len(b.articles))
	var todo []*cari.Article
	var sums []string
	var at []int
	for i := range b.articles {
		a := &b.articles[i]
		b.sums[i] = checksum(a)
		if old, found := existing[a.ID]; found && old.hash == b.sums[i] {
			continue
		}
		todo = append(todo, a)
		sums = append(sums, b.sums[i])
		at = append(at, i)
	}
	docs, lens, bands, err := ix.analyzeArticles(ctx, todo, sums)
	if err != nil {
		return err
	}
	b.docs = make([]*document.Document, len(b.articles))
	b.lens = make([]tokenCounts, len(b.articles))
	b.bands = make([][]uint64, len(b.articles))
	for k, i := range at {
		b.docs[i], b.lens[i], b.bands[i] = docs[k], lens[k], bands[k]
	}
	return nil
}

// commit writes a prepared batch: the new and changed articles and the
// token totals they lead to, in one bleve batch per shard, so that each
// shard's totals on disk always agree with its articles (see bm25.go).
// The shards' batches are written in parallel: bleve builds a batch's
// segment on one core, so shards put more cores to work. Writes are
// serialized; a batch whose lookup another write may have made stale
// (the one before it in the pipeline, or an API write) is looked up again.
func (ix *Index) commit(ctx context.Context, b *batch) (cari.IngestStats, error) {
	stats := cari.IngestStats{Updated: b.dups}
	if err := ctx.Err(); err != nil {
		return cari.IngestStats{}, err
	}
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	existing := b.existing
	if ix.writeGen.Load() != b.gen {
		var err error
		if existing, err = ix.storedState(ctx, b.ids()); err != nil {
			return cari.IngestStats{}, err
		}
	}
	w := ix.newShardWrites()
	// The days of the articles written: an unchanged one keeps its story.
	var days []int64
	for i := range b.articles {
		if old, found := existing[b.articles[i].ID]; !found || old.hash != b.sums[i] {
			days = append(days, storyDay(b.articles[i].Published))
		}
	}
	stories, err := ix.newStoryAssigner(ctx, days)
	if err != nil {
		return cari.IngestStats{}, err
	}
	if err := w.add(b, existing, stories, &stats); err != nil {
		return cari.IngestStats{}, err
	}
	if w.text > 0 {
		if err := ix.checkSpace(writeCost(w.text)); err != nil {
			return cari.IngestStats{}, err
		}
	}
	if err := w.write(); err != nil {
		return cari.IngestStats{}, err
	}
	for s := range w.recount {
		if w.recount[s] {
			if err := ix.recountShard(ctx, s); err != nil {
				return stats, err
			}
		}
	}
	return stats, nil
}

// shardWrites is what commit writes to each shard: a bleve batch, the
// token totals the shard holds once it is written, and whether those must
// be recounted.
type shardWrites struct {
	ix      *Index
	batches []*bleve.Batch
	totals  []tokenCounts
	recount []bool
	text    int // of the articles written, for checkSpace
}

// newShardWrites starts an empty batch for each shard, from the shards'
// totals now.
func (ix *Index) newShardWrites() *shardWrites {
	n := len(ix.shards)
	ix.statsMu.RLock()
	totals := slices.Clone(ix.totals)
	ix.statsMu.RUnlock()
	w := &shardWrites{ix: ix, totals: totals, recount: make([]bool, n), batches: make([]*bleve.Batch, n)}
	for s := range w.batches {
		w.batches[s] = ix.shards[s].NewBatch()
	}
	return w
}

// add puts into the shards' batches the articles of b that are new or
// changed against existing, what the index holds, each with its story,
// and counts each article in stats.
func (w *shardWrites) add(b *batch, existing map[string]storedArticle, stories *storyAssigner, stats *cari.IngestStats) error {
	for i := range b.articles {
		a := &b.articles[i]
		s := w.ix.shard(a.ID)
		old, found := existing[a.ID]
		switch {
		case found && old.hash == b.sums[i]:
			stats.Unchanged++
			continue
		case found:
			stats.Updated++
			w.totals[s].add(old.lens, -1)
			w.recount[s] = w.recount[s] || !old.counted
		default:
			stats.Indexed++
		}
		if b.docs[i] == nil {
			// Looked unchanged when prepared, and was changed since by
			// an earlier write of the same id: analyze it now.
			doc, lens, bands, err := w.ix.analyzeArticle(a, b.sums[i])
			if err != nil {
				return fmt.Errorf("index %q: %w", a.ID, err)
			}
			b.docs[i], b.lens[i], b.bands[i] = doc, lens, bands
		}
		w.totals[s].add(b.lens[i], 1)
		day := storyDay(a.Published)
		setStory(b.docs[i], stories.assign(a.ID, b.bands[i], day), b.bands[i], day)
		if err := w.batches[s].IndexAdvanced(b.docs[i]); err != nil {
			return fmt.Errorf("index %q: %w", a.ID, err)
		}
		w.text += len(a.Title) + len(a.Body)
	}
	return nil
}

// write writes the shards' batches that hold anything, in parallel, each
// with its totals.
func (w *shardWrites) write() error {
	ix := w.ix
	errs := make([]error, len(w.batches))
	wrote := false
	var wg sync.WaitGroup
	for s, bb := range w.batches {
		if bb.Size() == 0 {
			continue
		}
		wrote = true
		saveTotals(bb, w.totals[s], w.recount[s])
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := ix.shards[s].Batch(bb); err != nil {
				errs[s] = fmt.Errorf("write batch of %d articles: %w", bb.Size(), err)
				return
			}
			ix.setTotals(s, w.totals[s])
		}()
	}
	wg.Wait()
	if wrote {
		// Counted once the write is over (visible to lookups, or failed
		// having perhaps changed something): a batch that read the
		// count before now looks up again (prepare, above).
		ix.writeGen.Add(1)
	}
	return errors.Join(errs...)
}

// Writer upserts articles in batches, each prepared and written before
// Add returns; Ingest overlaps the two instead. It is not safe for
// concurrent use; the Index under it is.
type Writer struct {
	ix    *Index
	size  int
	cur   *batch
	stats cari.IngestStats
}

// NewWriter returns a writer that flushes every batchSize articles
// (DefaultBatchSize when batchSize <= 0).
func (ix *Index) NewWriter(batchSize int) *Writer {
	if batchSize <= 0 {
		batchSize = cari.DefaultBatchSize
	}
	return &Writer{ix: ix, size: batchSize, cur: newBatch(batchSize)}
}

// Add queues a normalized article (see Article.Normalize) and flushes when
// the batch is full. An id added twice keeps the later article.
func (w *Writer) Add(ctx context.Context, a cari.Article) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	w.cur.add(a)
	if w.cur.len() >= w.size {
		return w.Flush(ctx)
	}
	return nil
}

// Flush writes the queued articles. Articles whose stored checksum matches
// are left alone, so re-indexing the same files costs one lookup each.
func (w *Writer) Flush(ctx context.Context) error {
	if w.cur.len() == 0 && w.cur.dups == 0 {
		return nil
	}
	b := w.cur
	w.cur = newBatch(w.size)
	if err := w.ix.prepare(ctx, b); err != nil {
		return err
	}
	stats, err := w.ix.commit(ctx, b)
	w.stats.Add(stats)
	return err
}

// Stats returns what has been flushed so far.
func (w *Writer) Stats() cari.IngestStats { return w.stats }

// storedArticle is what a write needs to know of an article already
// indexed: its checksum and its token counts.
type storedArticle struct {
	hash    string
	lens    tokenCounts
	counted bool // false for an article indexed before counts were kept
}

// storedState looks up the articles with the given ids that exist, each
// in its shard.
func (ix *Index) storedState(ctx context.Context, ids []string) (map[string]storedArticle, error) {
	byShard := make([][]string, len(ix.shards))
	for _, id := range ids {
		s := ix.shard(id)
		byShard[s] = append(byShard[s], id)
	}
	out := make(map[string]storedArticle, len(ids))
	for s, ids := range byShard {
		if len(ids) == 0 {
			continue
		}
		req := bleve.NewSearchRequestOptions(query.NewDocIDQuery(ids), len(ids), 0, false)
		req.Fields = []string{fieldHash, fieldLens}
		res, err := ix.shards[s].SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("look up existing articles: %w", err)
		}
		for _, h := range res.Hits {
			lens, ok := parseTokenCounts(stringField(h.Fields, fieldLens))
			out[h.ID] = storedArticle{hash: stringField(h.Fields, fieldHash), lens: lens, counted: ok}
		}
	}
	return out, nil
}

// Upsert writes articles at once, each normalized first; it is the API's
// path. It returns the per-record problems alongside the counts: a bad
// record is skipped, the rest are written.
//
// A write the disk cannot take is refused whole (ErrDiskFull) before any
// of its batches is written.
func (ix *Index) Upsert(ctx context.Context, articles []cari.Article) (cari.IngestStats, []*cari.FieldError, error) {
	var text int
	for i := range articles {
		text += len(articles[i].Title) + len(articles[i].Body)
	}
	if err := ix.checkSpace(writeCost(text)); err != nil {
		return cari.IngestStats{}, nil, err
	}
	w := ix.NewWriter(cari.DefaultBatchSize)
	var problems []*cari.FieldError
	for i := range articles {
		a := articles[i]
		if err := a.Normalize(); err != nil {
			fe, ok := err.(*cari.FieldError)
			if !ok {
				fe = &cari.FieldError{Err: err}
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
