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
// is made in a hidden directory beside dest and renamed into place once
// complete, so dest is never a half-made index; a failure leaves nothing.
func (ix *Index) Snapshot(ctx context.Context, dest string) error {
	if entries, err := os.ReadDir(dest); err == nil && len(entries) > 0 {
		return fmt.Errorf("snapshot to %s: the directory holds files; choose a new or empty one", dest)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("snapshot to %s: %w", dest, err)
	}
	target := filepath.Clean(dest)
	parent := filepath.Dir(target)
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return fmt.Errorf("snapshot to %s: %w", dest, err)
	}
	if err := ix.checkSpace(0); err != nil { // a copy takes the index's size
		return fmt.Errorf("snapshot to %s: %w", dest, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(target)+".new-")
	if err != nil {
		return fmt.Errorf("snapshot to %s: %w", dest, err)
	}
	defer os.RemoveAll(tmp) // nothing left to remove once renamed
	for i, b := range ix.shards {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("snapshot to %s: %w", dest, err)
		}
		dir := tmp
		if len(ix.shards) > 1 {
			dir = shardDir(tmp, i)
		}
		c, ok := b.(bleve.IndexCopyable)
		if !ok {
			return fmt.Errorf("snapshot to %s: shard %d cannot be copied while open", dest, i)
		}
		if err := c.CopyTo(bleve.FileSystemDirectory(dir)); err != nil {
			return fmt.Errorf("snapshot to %s: shard %d: %w", dest, i, err)
		}
	}
	if len(ix.shards) > 1 {
		if err := writeFileSync(filepath.Join(tmp, shardsFile), mustJSON(shardsMeta{Shards: len(ix.shards)})); err != nil {
			return fmt.Errorf("snapshot to %s: %w", dest, err)
		}
	}
	// An empty directory at dest is replaced: rename does so on Linux,
	// but not everywhere.
	if err := os.Remove(target); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("snapshot to %s: %w", dest, err)
	}
	if err := os.Rename(tmp, target); err != nil {
		return fmt.Errorf("snapshot to %s: %w", dest, err)
	}
	return syncDir(parent)
}
