package index

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// IngestReport is the outcome of ingesting inputs: counts, every record
// (or file) that was skipped with the reason, and warnings about records
// that were indexed but deserve a look (an id repeated within a file, the
// last record winning; fields that were ignored). A skip means something
// was not indexed; a warning does not.
type IngestReport struct {
	IngestStats
	Skipped  []*FieldError `json:"-"`
	Warnings []*FieldError `json:"-"`
}

// IngestOptions tune Ingest; the zero value is the defaults.
type IngestOptions struct {
	BatchSize    int            // articles written at once; 0 means DefaultBatchSize
	MaxBodyBytes int            // longest body indexed; 0 means DefaultMaxBodyBytes
	Progress     func(done int) // called after each record read, good or bad
}

// Ingest reads every input path (files, directories, "-") and upserts the
// articles, batchSize at a time. progress, if not nil, is called after
// each record read, good or bad. Bad records are skipped and reported;
// they never stop the run or touch what is indexed.
func (ix *Index) Ingest(ctx context.Context, paths []string, batchSize int, progress func(done int)) (IngestReport, error) {
	return ix.IngestWithOptions(ctx, paths, IngestOptions{BatchSize: batchSize, Progress: progress})
}

// IngestWithOptions is Ingest with every option, the body limit among them.
func (ix *Index) IngestWithOptions(ctx context.Context, paths []string, opts IngestOptions) (IngestReport, error) {
	return ix.ingest(ctx, opts, func(h Handlers) error {
		return ReadPaths(ctx, paths, h)
	})
}

// IngestFS is Ingest for the files under root in fsys (the embedded sample
// articles, for instance).
func (ix *Index) IngestFS(ctx context.Context, fsys fs.FS, root string, progress func(done int)) (IngestReport, error) {
	return ix.ingest(ctx, IngestOptions{Progress: progress}, func(h Handlers) error {
		return fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			format, ok := FormatOf(p)
			if d.IsDir() || !ok || strings.HasPrefix(path.Base(p), ".") {
				return nil
			}
			f, err := fsys.Open(p)
			if err != nil {
				return fmt.Errorf("read %s: %w", p, err)
			}
			defer f.Close()
			return ReadStream(ctx, f, p, format, h)
		})
	})
}

func (ix *Index) ingest(ctx context.Context, opts IngestOptions, read func(Handlers) error) (IngestReport, error) {
	var report IngestReport
	w := ix.NewWriter(opts.BatchSize)
	done := 0
	tick := func() {
		done++
		if opts.Progress != nil {
			opts.Progress(done)
		}
	}
	err := read(Handlers{
		Emit: func(r Record) error {
			tick()
			return w.Add(ctx, r.Article)
		},
		Bad: func(fe *FieldError) {
			tick()
			report.Skipped = append(report.Skipped, fe)
		},
		Warn: func(fe *FieldError) {
			report.Warnings = append(report.Warnings, fe)
		},
		MaxBodyBytes: opts.MaxBodyBytes,
	})
	if err == nil {
		err = w.Flush(ctx)
	}
	report.IngestStats = w.Stats()
	return report, err
}
