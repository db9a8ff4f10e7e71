package index

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index/input"
)

// IngestOptions tune Ingest; the zero value is the defaults.
type IngestOptions struct {
	BatchSize    int // articles written at once; 0 means cari.DefaultBatchSize
	MaxBodyBytes int // longest body indexed; 0 means cari.DefaultMaxBodyBytes
	// Progress, if set, is called after each record read, good or bad,
	// with the records and input bytes read so far, for progress bars
	// that show a rate and an ETA (against src.Size()).
	Progress func(input.Progress)
}

// Ingest reads every input of src and upserts the articles. Bad records
// are skipped and reported; they never stop the run or touch what is
// indexed. It is the one way files reach an index.
//
// Three stages run at once: this goroutine reads (readers decode and
// validate on every core, see input's orderedMap) and assembles batches;
// one goroutine prepares them (looks up what is stored and analyzes what
// is new or changed, on every core); one commits them to bleve in input
// order, each with its token totals. So analysis of a batch overlaps the
// writing of the one before it, which bleve does on one core (per shard).
// At most two batches are held analyzed: the one being written and the
// next. The first error of any stage cancels the others and is returned;
// the counts are those of the batches committed before it.
//
// Long because its three stages share the batch channels, the cancellation
// and the counts, and their shutdown (close, wait, take the cause) reads
// in order only in one place.
func (ix *Index) Ingest(ctx context.Context, src input.Source, opts IngestOptions) (cari.IngestReport, error) {
	var report cari.IngestReport
	size := opts.BatchSize
	if size <= 0 {
		size = cari.DefaultBatchSize
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	// A batch waits to be prepared as raw articles; once analyzed (ten
	// times the memory) it is handed over only when the writer takes it.
	toPrepare := make(chan *batch, 1)
	toCommit := make(chan *batch)
	var stats cari.IngestStats
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		defer close(toCommit)
		for b := range toPrepare {
			if err := ix.prepare(ctx, b); err != nil {
				cancel(err)
				return
			}
			select {
			case toCommit <- b:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		for b := range toCommit {
			s, err := ix.commit(ctx, b)
			stats.Add(s)
			if err != nil {
				cancel(err)
				return
			}
		}
	}()

	cur := newBatch(size)
	send := func() error {
		b := cur
		cur = newBatch(size)
		select {
		case toPrepare <- b:
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	done := 0
	var read64 atomic.Int64
	tick := func() {
		done++
		if opts.Progress != nil {
			opts.Progress(input.Progress{Records: done, Bytes: read64.Load()})
		}
	}
	err := src.Read(ctx, input.Handlers{
		Emit: func(r input.Record) error {
			tick()
			cur.add(r.Article)
			if cur.len() >= size {
				return send()
			}
			return nil
		},
		Bad: func(fe *cari.FieldError) {
			tick()
			report.Skipped = append(report.Skipped, fe)
		},
		Warn: func(fe *cari.FieldError) {
			report.Warnings = append(report.Warnings, fe)
		},
		MaxBodyBytes: opts.MaxBodyBytes,
		BytesRead:    &read64,
	})
	if err == nil && cur.len() > 0 {
		err = send()
	}
	close(toPrepare)
	wg.Wait()
	// A stage that failed stopped the reader with a cancellation; its
	// own error says what went wrong.
	if cause := context.Cause(ctx); cause != nil && (err == nil || errors.Is(err, context.Canceled)) {
		err = cause
	}
	report.IngestStats = stats
	if err == nil && stats.Indexed+stats.Updated >= CompactMin {
		if n, cerr := ix.Count(); cerr == nil && uint64(stats.Indexed+stats.Updated)*CompactShare >= n {
			if cerr := ix.Compact(ctx); cerr != nil {
				err = fmt.Errorf("%w: %w", ErrNotMerged, cerr)
			}
		}
	}
	return report, err
}

// A run that writes at least CompactMin articles and at least
// 1/CompactShare of the index merges the index's segments into one at the
// end (Compact). A search reads every segment's dictionary and postings
// for each of its words; on the 25,401 articles of the news corpus, left
// in the 7 segments bleve's merger settles on, the latency benchmark's
// median was about a quarter higher than on one segment.
//
// A merge given up (for space, or canceled) leaves every article written:
// Ingest says so with ErrNotMerged.
const (
	CompactMin   = 1000
	CompactShare = 10
)

// ErrNotMerged is the error of an Ingest that wrote every article but
// whose final merge was given up: the index is whole, its searches
// slower until a later run merges it.
var ErrNotMerged = errors.New("the final merge of the index was given up")

// Compact merges each shard's segments into one, waiting until it is
// done. Searches keep running meanwhile, on the segments they started on.
//
// A merge writes the merged segment before it removes the old ones: it
// is not begun unless the filesystem has the index's size free beyond
// MinFree, and it is given up (ErrDiskFull) should free space fall below
// half of MinFree while it runs, since scorch retries a merge that fails
// for space for good. An index whose merge was given up is complete, in
// several segments; the caller should close it.
func (ix *Index) Compact(ctx context.Context) error {
	if err := ix.checkSpace(0); err != nil { // it counts the merge
		return fmt.Errorf("compact: %w", err)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	if reserve := ix.minFree.Load(); reserve > 0 && ix.tempDir == "" {
		go ix.watchSpace(ctx, reserve/2, cancel)
	}
	errs := make([]error, len(ix.shards))
	var wg sync.WaitGroup
	for i, b := range ix.shards {
		wg.Add(1)
		go func() { // each shard on a core of its own
			defer wg.Done()
			if err := compactShard(ctx, b); err != nil {
				errs[i] = fmt.Errorf("compact shard %d: %w", i, err)
			}
		}()
	}
	wg.Wait()
	if err := context.Cause(ctx); errors.Is(err, cari.ErrDiskFull) {
		return fmt.Errorf("compact: %w", err)
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return ctx.Err()
}

// watchSpace cancels ctx with ErrDiskFull once less than low bytes are
// free on the index's filesystem.
func (ix *Index) watchSpace(ctx context.Context, low uint64, cancel context.CancelCauseFunc) {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if free, ok := freeBytes(ix.path); ok && free < low {
				cancel(fmt.Errorf("%w: %d bytes left while merging", cari.ErrDiskFull, free))
				return
			}
		}
	}
}

// compactPlan merges a shard into as few segments as SegmentMaxDocs
// allows: scorch's plan of one segment, its size capped.
func compactPlan() *mergeplan.MergePlanOptions {
	o := mergeplan.SingleSegmentMergePlanOptions
	o.MaxSegmentSize, o.FloorSegmentSize = SegmentMaxDocs, SegmentMaxDocs
	return &o
}

func compactShard(ctx context.Context, b bleve.Index) error {
	adv, err := b.Advanced()
	if err != nil {
		return err
	}
	var s *scorch.Scorch
	switch v := adv.(type) {
	case *scorch.Scorch:
		s = v
	case *globalDFScorch: // a shard of several
		s = v.Scorch
	default:
		return nil
	}
	// A force merge merges the segments on disk: first let scorch write
	// out and merge what it holds in memory.
	if err := settle(ctx, s); err != nil {
		return err
	}
	// ForceMerge waits for the merger, which retries a failed merge
	// for good: wait for it only while ctx lasts.
	merged := make(chan error, 1)
	go func() { merged <- s.ForceMerge(ctx, compactPlan()) }()
	select {
	case err := <-merged:
		if err != nil {
			return err
		}
	case <-ctx.Done():
		return context.Cause(ctx)
	}
	waitForOldFiles(ctx, s)
	return nil
}

// settle waits until scorch has persisted and merged every batch written:
// its background work is done. scorch's own flag for that compares the
// epochs persisted and merged with the root's as its introducer last
// counted it, which is 0 on an index opened and not written since; the
// persister then stores the loaded epoch, and the flag says busy until
// the next write (waiting on it hung a Compact of a reopened index for
// good). Such an index has nothing in memory to wait for.
func settle(ctx context.Context, s *scorch.Scorch) error {
	for {
		st := s.StatsMap()
		if active, ok := st["index_bgthreads_active"].(bool); ok && !active {
			return nil
		}
		if introduced, _ := st["CurRootEpoch"].(uint64); introduced == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// waitForOldFiles waits, for up to oldFilesWait, until scorch has removed
// the segment files a merge replaced, which it does in the background: a
// process that exits first leaves the index up to twice its size on disk
// until it is next opened. scorch removes a file only when no search
// reads it any more and it next looks, so the wait may end first.
func waitForOldFiles(ctx context.Context, s *scorch.Scorch) {
	for deadline := time.Now().Add(oldFilesWait); time.Now().Before(deadline) && ctx.Err() == nil; {
		st := s.StatsMap()
		files, _ := st["num_files_on_disk"].(uint64)
		segments, _ := st["num_root_filesegments"].(uint64)
		if files <= segments+1 { // and the root.bolt file
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

const oldFilesWait = 5 * time.Second
