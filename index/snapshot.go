package index

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"
)

// Snapshot writes a copy of the index to dest, a directory that must not
// exist yet (or be empty), while searches and writes go on: the backup of
// a live index, and the seed of a second server, which opens dest as an
// index of its own. Each shard is copied as it is at one moment (bleve's
// online copy of a scorch snapshot); an article lives in one shard, so
// every article is in the copy whole, as of its shard's moment. The copy
// is made beside dest and renamed into place once complete (buildBeside),
// so dest is never a half-made index; a failure leaves nothing.
func (ix *Index) Snapshot(ctx context.Context, dest string) error {
	if entries, err := os.ReadDir(dest); err == nil && len(entries) > 0 {
		return fmt.Errorf("snapshot to %s: the directory holds files; choose a new or empty one", dest)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("snapshot to %s: %w", dest, err)
	}
	if err := ix.checkSpace(0); err != nil { // a copy takes the index's size
		return fmt.Errorf("snapshot to %s: %w", dest, err)
	}
	err := buildBeside(filepath.Clean(dest), func(tmp string) error {
		for i, b := range ix.shards {
			if err := ctx.Err(); err != nil {
				return err
			}
			dir := tmp
			if len(ix.shards) > 1 {
				dir = shardDir(tmp, i)
			}
			c, ok := b.(bleve.IndexCopyable)
			if !ok {
				return fmt.Errorf("shard %d cannot be copied while open", i)
			}
			if err := c.CopyTo(bleve.FileSystemDirectory(dir)); err != nil {
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
