package index

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// Snapshot writes a copy of the index to dest, a directory that must not
// exist yet (or be empty), while searches and writes go on: the backup of
// a live index, and the seed of a second server, which opens dest as an
// index of its own. The copy is of one moment: every shard's scorch
// snapshot is taken while no write is under way (writeMu), so it holds
// exactly the writes acknowledged before that moment, on every shard
// alike, and none begun after it. The files are then copied from those
// snapshots while writes go on (bleve's online copy). The copy is made
// beside dest and renamed into place once complete (buildBeside), so dest
// is never a half-made index; a failure leaves nothing.
func (ix *Index) Snapshot(ctx context.Context, dest string) error {
	if entries, err := os.ReadDir(dest); err == nil && len(entries) > 0 {
		return fmt.Errorf("snapshot to %s: the directory holds files; choose a new or empty one", dest)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("snapshot to %s: %w", dest, err)
	}
	if err := ix.checkSpace(0); err != nil { // a copy takes the index's size
		return fmt.Errorf("snapshot to %s: %w", dest, err)
	}
	readers, err := ix.copyReaders()
	if err != nil {
		return fmt.Errorf("snapshot to %s: %w", dest, err)
	}
	defer func() {
		for _, r := range readers {
			_ = r.CloseCopyReader()
		}
	}()
	err = buildBeside(filepath.Clean(dest), func(tmp string) error {
		for i, r := range readers {
			if err := ctx.Err(); err != nil {
				return err
			}
			dir := tmp
			if len(ix.shards) > 1 {
				dir = shardDir(tmp, i)
			}
			to := bleve.FileSystemDirectory(dir)
			if err := r.CopyTo(to); err != nil {
				return fmt.Errorf("shard %d: %w", i, err)
			}
			// The mapping and index type, which bleve's own CopyTo
			// copies beside the data.
			if err := copyMeta(ix.shardPath(i), to); err != nil {
				return fmt.Errorf("shard %d: %w", i, err)
			}
		}
		if len(ix.shards) > 1 {
			return writeFileSync(filepath.Join(tmp, shardsFile), mustJSON(shardsMeta{Shards: len(ix.shards)}))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("snapshot to %s: %w", dest, err)
	}
	return nil
}

// copyReaders takes a copy reader of every shard at one moment, between
// writes.
func (ix *Index) copyReaders() ([]bleveindex.CopyReader, error) {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	var readers []bleveindex.CopyReader
	for i, b := range ix.shards {
		adv, err := b.Advanced()
		var c bleveindex.CopyIndex
		if err == nil {
			var ok bool
			if c, ok = adv.(bleveindex.CopyIndex); !ok {
				err = fmt.Errorf("an index of type %T cannot be copied while open", adv)
			}
		}
		var r bleveindex.CopyReader
		if err == nil {
			if r = c.CopyReader(); r == nil {
				err = errors.New("no copy reader")
			}
		}
		if err != nil {
			for _, r := range readers {
				_ = r.CloseCopyReader()
			}
			return nil, fmt.Errorf("shard %d: %w", i, err)
		}
		readers = append(readers, r)
	}
	return readers, nil
}

// shardPath is the directory of shard i's bleve index.
func (ix *Index) shardPath(i int) string {
	if len(ix.shards) == 1 {
		return ix.path
	}
	return shardDir(ix.path, i)
}

// copyMeta copies the index_meta.json of the bleve index in dir to d.
func copyMeta(dir string, d bleveindex.Directory) (err error) {
	meta, err := os.ReadFile(filepath.Join(dir, "index_meta.json"))
	if err != nil {
		return err
	}
	w, err := d.GetWriter("index_meta.json")
	if err != nil {
		return err
	}
	defer func() {
		if cerr := w.Close(); err == nil {
			err = cerr
		}
	}()
	_, err = w.Write(meta)
	return err
}
