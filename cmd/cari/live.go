package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index"
	"github.com/carisearch/cari/server"
)

// liveIndex is the index a server answers from, which a reload replaces
// while the server runs (cari index --rebuild, then SIGHUP). Every request
// holds a read lock for as long as it uses the index, and a reload takes
// the write lock only to swap the pointer: requests in flight finish on the
// old index before it is closed, and requests that arrive meanwhile wait
// for the swap instead of failing.
type liveIndex struct {
	mu sync.RWMutex
	ix *index.Index
	// prepare readies an index before it is served (synonyms,
	// autocomplete).
	prepare func(*index.Index) error
}

var _ server.Backend = (*liveIndex)(nil)

func (l *liveIndex) Search(ctx context.Context, r cari.Request) (*cari.Result, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.ix.Search(ctx, r)
}

func (l *liveIndex) Article(ctx context.Context, id string) (*cari.Article, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.ix.Article(ctx, id)
}

func (l *liveIndex) Upsert(ctx context.Context, articles []cari.Article) (cari.IngestStats, []*cari.FieldError, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.ix.Upsert(ctx, articles)
}

func (l *liveIndex) Delete(ctx context.Context, id string) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.ix.Delete(ctx, id)
}

func (l *liveIndex) Similar(ctx context.Context, id string, size int) (*cari.Result, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.ix.Similar(ctx, id, size)
}

func (l *liveIndex) Suggest(ctx context.Context, q string, size int) ([]cari.Completion, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.ix.Suggest(ctx, q, size)
}

func (l *liveIndex) Analyze(ctx context.Context, text string) ([]cari.Token, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.ix.Analyze(ctx, text)
}

// Snapshot copies the index served; a reload waits for it to finish.
func (l *liveIndex) Snapshot(ctx context.Context, dest string) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.ix.Snapshot(ctx, dest)
}

// SetStoredSynonyms stores the synonyms in the index served; a reload
// waits for it, and the index it opens reads them (see reload).
func (l *liveIndex) SetStoredSynonyms(ctx context.Context, source, text string) (int, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.ix.SetStoredSynonyms(ctx, source, text)
}

func (l *liveIndex) StoredSynonyms() string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.ix.StoredSynonyms()
}

func (l *liveIndex) Stats() (cari.Stats, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.ix.Stats()
}

func (l *liveIndex) current() *index.Index {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.ix
}

// close closes the index being served.
func (l *liveIndex) close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ix.Close()
}

// reload opens the index now at path (the one a rebuild swapped in), makes
// it the one served, closes the old one once no request uses it, and
// removes the old one's directory if a rebuild set it aside. It returns
// the article count of the index now served.
func (l *liveIndex) reload(path string) (uint64, error) {
	next, err := index.Open(path)
	if errors.Is(err, index.ErrLocked) {
		return 0, fmt.Errorf("reload %s: this server already serves the index there; rebuild it first (cari index --rebuild): %w", path, err)
	}
	if err != nil {
		return 0, fmt.Errorf("reload: %w", err)
	}
	if l.prepare != nil {
		if err := l.prepare(next); err != nil {
			_ = next.Close()
			return 0, fmt.Errorf("reload: %w", err)
		}
	}
	// The index a rebuild made while this server held the old one could
	// not read the old one's stored synonyms (index.Rebuild); they are
	// carried here, under the write lock, so that a PUT cannot land on
	// the old index between the copy and the swap.
	l.mu.Lock()
	old := l.ix
	if err := next.CarryStoredSynonyms(old.StoredSynonyms()); err != nil {
		l.mu.Unlock()
		_ = next.Close()
		return 0, fmt.Errorf("reload: %w", err)
	}
	l.ix = next
	l.mu.Unlock()
	if err := old.Close(); err != nil {
		return 0, fmt.Errorf("reload: close the old index: %w", err)
	}
	if dir := index.OldDir(path); dir != "" {
		if _, err := os.Stat(dir); err == nil {
			if err := os.RemoveAll(dir); err != nil {
				return 0, fmt.Errorf("reload: remove the old index: %w", err)
			}
		} else if !errors.Is(err, fs.ErrNotExist) {
			return 0, fmt.Errorf("reload: %w", err)
		}
	}
	return next.Count()
}
