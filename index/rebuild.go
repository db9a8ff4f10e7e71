package index

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ShardCount is the number of shards of the index at path: 1 for an index
// that is not sharded, 0 when there is no index.
func ShardCount(path string) (int, error) {
	n, err := readShardCount(path)
	if err != nil || n > 0 {
		return n, err
	}
	if isIndexDir(path) {
		return 1, nil
	}
	return 0, nil
}

// RebuildResult says where a rebuild left the index it replaced.
type RebuildResult struct {
	// OldKept is the directory the replaced index was moved to when a
	// running server still held it open (OldDir); empty when it was
	// removed, or there was none.
	OldKept string
	// Removed are the leftovers of earlier rebuilds that were killed
	// midway (hidden .NAME.rebuild-* directories no process holds),
	// removed before this one began.
	Removed []string
}

// OldDir is where Rebuild moves the index it replaces at path while a
// server may still hold it: a hidden sibling, .NAME.old.
func OldDir(path string) string {
	clean := filepath.Clean(path)
	return filepath.Join(filepath.Dir(clean), "."+filepath.Base(clean)+".old")
}

// Rebuild makes a new index with opts in a hidden directory beside path,
// lets fill write into it, and swaps it in for the index at path in one
// atomic rename exchange, so that path holds the old index or the new one
// and never a half-built one; a fill that fails (or a crash) leaves the
// old index untouched and at worst a stale .NAME.rebuild-* directory. The
// old index is then removed, unless a process (a running server) still
// holds it: it is kept in OldDir(path) for that process to remove once it
// has switched (see the server's reload). path may also hold nothing yet.
// The old index's stored synonyms are carried to the new one, when the old
// one can be opened; a server that holds it carries them on its reload.
func Rebuild(ctx context.Context, path string, opts Options, fill func(*Index) error) (RebuildResult, error) {
	var res RebuildResult
	path = filepath.Clean(path)
	if err := checkReplaceable(path); err != nil {
		return res, err
	}
	old := OldDir(path)
	if err := removeOldDir(old); err != nil {
		return res, err
	}
	parent := filepath.Dir(path)
	tmp, removed, err := makeRebuildDir(path, parent)
	res.Removed = removed
	if err != nil {
		return res, err
	}
	swapped := false
	defer func() {
		if !swapped {
			_ = os.RemoveAll(tmp)
		}
	}()
	synonyms := storedSynonymsAt(path)
	err = fillNew(ctx, tmp, opts, func(ix *Index) error {
		if err := ix.CarryStoredSynonyms(synonyms); err != nil {
			return err
		}
		return fill(ix)
	})
	if err != nil {
		return res, err
	}
	// Whether a server holds the old index is known before the swap; a
	// server that starts in between opens the new one.
	held := isIndexDir(path) && inUse(path)
	if err := syncDir(tmp); err != nil {
		return res, err
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(tmp, path); err != nil {
			return res, err
		}
		swapped = true
		return res, syncDir(parent)
	}
	if err := exchange(tmp, path); err != nil {
		return res, fmt.Errorf("swap in the new index: %w", err)
	}
	swapped = true
	res.OldKept, err = retireOld(tmp, old, parent, held)
	return res, err
}

// checkReplaceable refuses a path that holds files but no cari index.
func checkReplaceable(path string) error {
	if entries, err := os.ReadDir(path); err == nil && len(entries) > 0 && !isIndexDir(path) {
		return fmt.Errorf("%w: %s holds other files; rebuild replaces only a cari index", ErrNotCariIndex, path)
	}
	return nil
}

// removeOldDir removes old, an OldDir, unless a process still holds it.
func removeOldDir(old string) error {
	if _, err := os.Stat(old); err != nil {
		return nil
	}
	// Left by an earlier rebuild whose server has not switched yet
	// (it would lose its index) or that crashed (then it is free).
	if inUse(old) {
		return fmt.Errorf("%s, the index an earlier rebuild replaced, is still in use: send the server that holds it SIGHUP first", old)
	}
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("remove %s: %w", old, err)
	}
	return nil
}

// makeRebuildDir makes the hidden directory in parent the new index of
// path is built in, having removed the stale ones (removed) of earlier
// rebuilds.
func makeRebuildDir(path, parent string) (tmp string, removed []string, err error) {
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", nil, err
	}
	prefix := "." + filepath.Base(path) + ".rebuild-"
	removed, err = removeStaleRebuilds(parent, prefix)
	if err != nil {
		return "", removed, err
	}
	tmp, err = os.MkdirTemp(parent, prefix)
	if err != nil {
		return "", removed, err
	}
	if info, err := os.Stat(path); err == nil {
		_ = os.Chmod(tmp, info.Mode().Perm()) // the new index is readable by whom the old one was
	}
	return tmp, removed, nil
}

// fillNew creates the new index in tmp with opts and lets fill write into
// it.
func fillNew(ctx context.Context, tmp string, opts Options, fill func(*Index) error) error {
	ix, err := Create(tmp, opts)
	if err != nil {
		return err
	}
	if err := fill(ix); err != nil {
		_ = ix.Close()
		return err
	}
	if err := ix.Close(); err != nil {
		return err
	}
	return ctx.Err()
}

// retireOld moves the old index, in tmp once swapped out, to old, and
// removes it unless a process holds it (held); it returns old when kept.
func retireOld(tmp, old, parent string, held bool) (string, error) {
	// tmp now holds the old index.
	if err := os.Rename(tmp, old); err != nil {
		return "", fmt.Errorf("set the old index aside: %w", err)
	}
	if err := syncDir(parent); err != nil {
		return "", err
	}
	if held {
		return old, nil
	}
	if err := os.RemoveAll(old); err != nil {
		return "", fmt.Errorf("remove the old index: %w", err)
	}
	return "", nil
}

// exchange swaps two directories atomically where the system can (Linux's
// renameat2 with RENAME_EXCHANGE); elsewhere b is moved aside and a put in
// its place, leaving a moment in which b's path holds nothing (never a
// partial index).
func exchange(a, b string) error {
	err := renameExchange(a, b)
	if err == nil || !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	aside := b + ".swap"
	if err := os.Rename(b, aside); err != nil {
		return err
	}
	if err := os.Rename(a, b); err != nil {
		_ = os.Rename(aside, b)
		return err
	}
	return os.Rename(aside, a)
}

// removeStaleRebuilds removes the directories in parent named prefix…
// that no process holds open: what rebuilds killed midway left. One a
// running rebuild holds is left to it.
func removeStaleRebuilds(parent, prefix string) ([]string, error) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		dir := filepath.Join(parent, e.Name())
		if inUse(dir) {
			continue
		}
		if err := os.RemoveAll(dir); err != nil {
			return removed, fmt.Errorf("remove %s, left by an earlier rebuild: %w", dir, err)
		}
		removed = append(removed, dir)
	}
	return removed, nil
}

// inUse reports whether another process holds the index at dir open: one
// that cannot be opened for the lock.
func inUse(dir string) bool {
	ix, err := Open(dir)
	if err != nil {
		return errors.Is(err, ErrLocked)
	}
	_ = ix.Close()
	return false
}
