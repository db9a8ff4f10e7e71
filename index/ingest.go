package index

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// IngestReport is the outcome of ingesting inputs: counts, and every
// record that was skipped with the reason.
type IngestReport struct {
	IngestStats
	Skipped []*FieldError `json:"-"`
}

// Ingest reads every input path (files, directories, "-") and upserts the
// articles, batchSize at a time. progress, if not nil, is called after
// each record read, good or bad. Bad records are skipped and reported;
// they never stop the run or touch what is indexed.
func (ix *Index) Ingest(ctx context.Context, paths []string, batchSize int, progress func(done int)) (IngestReport, error) {
	return ix.ingest(ctx, batchSize, progress, func(h Handlers) error {
		return ReadPaths(ctx, paths, h)
	})
}

// IngestFS is Ingest for the files under root in fsys (the embedded sample
// articles, for instance).
func (ix *Index) IngestFS(ctx context.Context, fsys fs.FS, root string, progress func(done int)) (IngestReport, error) {
	return ix.ingest(ctx, 0, progress, func(h Handlers) error {
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

func (ix *Index) ingest(ctx context.Context, batchSize int, progress func(int), read func(Handlers) error) (IngestReport, error) {
	var report IngestReport
	w := ix.NewWriter(batchSize)
	done := 0
	tick := func() {
		done++
		if progress != nil {
			progress(done)
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
	})
	if err == nil {
		err = w.Flush(ctx)
	}
	report.IngestStats = w.Stats()
	return report, err
}
