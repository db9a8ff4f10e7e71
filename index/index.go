package index

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index/synonym"
)

// Index is an open cari index: one bleve (scorch) index directory, or N
// of them behind an alias (shards.go). It is safe for concurrent searches
// and writes within one process; a directory can be open in one process
// at a time.
type Index struct {
	shards []bleve.Index // an article is in shards[shardOf(id, len(shards))]
	bleve  bleve.Index   // what searches run on: the one shard, or an alias
	path   string

	// writeMu serializes writes, so that each batch adjusts the token
	// totals from the state the previous one left.
	writeMu sync.Mutex
	// writeGen counts the batches written, so that a batch looked up
	// before taking writeMu knows whether its lookup may be stale.
	writeGen atomic.Uint64
	// stories holds the first articles of stories of the days writes
	// read last, read and written with writeMu held (story.go).
	stories *storyCache
	statsMu sync.RWMutex
	totals  []tokenCounts // each shard's true token totals of scoredFields (bm25.go)

	tempDir string // removed on Close (CreateTemp)

	// minFree is the free space a write must leave (disk.go).
	minFree atomic.Uint64

	// synonyms is what searches use: the built-in list, parsed on
	// first use, merged with the user's lists (synonyms.go).
	synonymsOnce sync.Once
	synonymsErr  error
	synonyms     atomic.Pointer[synonym.List]
	// builtinSynonyms is the built-in list, set once with synonymsOnce.
	builtinSynonyms *synonym.List
	// synonymsMu serializes the changes of the user's lists, each of
	// which merges all of them again into synonyms.
	synonymsMu sync.Mutex
	// fileSynonyms are the lists of the --synonyms files.
	fileSynonyms *synonym.List
	// storedSynonyms is the list stored in the index (storedSynonymsKey),
	// storedSynonymsText its text as given, storedSynonymsErr why it
	// could not be read, which searches report until a new list replaces
	// it.
	storedSynonyms     *synonym.List
	storedSynonymsText string
	storedSynonymsErr  error

	// opened is when the index was opened: its holder record's identity
	// (holder.go).
	opened time.Time

	// completions caches the completions of the shortest prefixes
	// (suggest.go).
	completions completionCache

	// sources maps the codes of source names in facet values back to
	// the names (facets.go).
	sources sourceNames

	// sampleAbove is the number of matches above which a ranking reads
	// a sample (sample.go): 0 for SampleAbove, negative for never.
	sampleAbove atomic.Int64

	// dateSpans caches the days of the oldest and newest articles, for
	// the dates of queries (when.go).
	dateSpans dateSpanCache
}

// ErrLocked is returned when another process holds the index open.
var ErrLocked = errors.New("index is in use by another process")

// ErrNoIndex is returned by Open for a directory that holds no index.
var ErrNoIndex = errors.New("no index here")

// ErrNotCariIndex is returned for a directory that holds something else:
// files that are no index, or a bleve index with another mapping. cari
// refuses it and changes nothing in it.
var ErrNotCariIndex = errors.New("not a cari index")

// lockWait is how long opening waits for another process to let go.
const lockWait = 2 * time.Second

func runtimeConfig() map[string]interface{} {
	// Read by scorch onto its default merge plan (as JSON: the plan
	// itself holds functions).
	merging := map[string]interface{}{"MaxSegmentSize": SegmentMaxDocs}
	return map[string]interface{}{"bolt_timeout": lockWait.String(), "scorchMergePlanOptions": merging}
}

// SegmentMaxDocs is the most articles scorch merges into one segment.
// A ranking that reads a sample of its matches (sample.go) skips whole
// stretches of a segment for free, but must step through every posting
// on the way within one; so a large archive is kept in segments of at
// most this many articles, and a small one (the 25,401 of the news
// corpus) in one.
const SegmentMaxDocs = 1 << 16

// Open opens an existing index, sharded or not.
func Open(path string) (*Index, error) {
	n, err := readShardCount(path)
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	var shards []bleve.Index
	switch {
	case n > 1:
		if shards, err = openShards(path, n); err != nil {
			return nil, fmt.Errorf("open index %s: %w", path, err)
		}
	default:
		if _, err := os.Stat(filepath.Join(path, "index_meta.json")); err != nil {
			return nil, fmt.Errorf("open index %s: %w (create one with `cari index`)", path, ErrNoIndex)
		}
		b, err := bleve.OpenUsing(path, runtimeConfig())
		if err != nil {
			return nil, fmt.Errorf("open index %s: %w", path, lockError(err, path))
		}
		shards = []bleve.Index{b}
	}
	for _, b := range shards {
		if !isCariMapping(b.Mapping()) {
			closeAll(shards)
			return nil, fmt.Errorf("open index %s: %w: it is a bleve index with another mapping", path, ErrNotCariIndex)
		}
	}
	ix := newIndex(shards, path)
	if err := ix.loadTokenTotals(context.Background()); err != nil {
		closeAll(shards)
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	if err := ix.loadStoredSynonyms(); err != nil {
		closeAll(shards)
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	return ix, nil
}

func newIndex(shards []bleve.Index, path string) *Index {
	ix := &Index{shards: shards, bleve: newSearchView(shards), path: path, totals: make([]tokenCounts, len(shards))}
	ix.minFree.Store(DefaultMinFree)
	ix.opened = time.Now().UTC()
	ix.recordHolder("")
	return ix
}

// isCariMapping reports whether a bleve mapping is one NewMapping made.
func isCariMapping(m mapping.IndexMapping) bool {
	impl, ok := m.(*mapping.IndexMappingImpl)
	if !ok || impl.DefaultMapping == nil {
		return false
	}
	for _, f := range []string{FieldBody, fieldHash} {
		if _, ok := impl.DefaultMapping.Properties[f]; !ok {
			return false
		}
	}
	return true
}

// Create makes a new index at path, which must not exist or be an empty
// directory: cari never writes into a directory that holds other files.
// opts.Shards > 1 makes a sharded index.
func Create(path string, opts Options) (*Index, error) {
	if opts.Shards < 0 || opts.Shards > MaxShards {
		return nil, fmt.Errorf("create index %s: %d shards, want 1 to %d", path, opts.Shards, MaxShards)
	}
	if entries, err := os.ReadDir(path); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("create index %s: %w: the directory holds other files; choose a new or empty directory", path, ErrNotCariIndex)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		if info, serr := os.Stat(path); serr == nil && !info.IsDir() {
			return nil, fmt.Errorf("create index %s: %w: it is a file", path, ErrNotCariIndex)
		}
		return nil, fmt.Errorf("create index %s: %w", path, err)
	}
	m, err := NewMapping(opts)
	if err != nil {
		return nil, err
	}
	shards, err := createBleve(path, m, max(opts.Shards, 1))
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", path, lockError(err, path))
	}
	return newIndex(shards, path), nil
}

// createBleve makes a new bleve index at path so that a crash cannot leave
// a broken one. bleve writes index_meta.json, which marks a directory as
// an index, before the mapping, without which the index does not open: a
// process killed in between (a window of a few milliseconds) would leave a
// directory that neither opens nor can be created again. So the index is
// made in a hidden directory beside path and renamed into place once it
// is on disk; a crash leaves no index (at worst a stale .NAME.new-*
// directory) or a complete empty one. A directory at path that cannot be
// replaced (one with files in it, or a mount point) gets the index made in
// it directly, as bleve does. A sharded index is made the same way, its
// shard count written last (makeShards).
func createBleve(path string, m mapping.IndexMapping, shards int) ([]bleve.Index, error) {
	target, err := filepath.EvalSymlinks(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		target = filepath.Clean(path)
	case err != nil:
		return nil, err
	default:
		if entries, err := os.ReadDir(target); err != nil || len(entries) > 0 {
			return createBleveInPlace(path, m, shards)
		}
	}
	err = buildBeside(target, func(tmp string) error { return writeEmptyBleve(tmp, m, shards) })
	if errors.Is(err, errNotBeside) {
		return createBleveInPlace(path, m, shards)
	}
	if err != nil {
		return nil, err
	}
	return openCreatedBleve(target, shards)
}

// errNotBeside is buildBeside's error when target's directory takes no
// hidden directory beside it, or target cannot be replaced (a mount
// point).
var errNotBeside = errors.New("cannot build beside the target")

// buildBeside fills a hidden directory beside target (.NAME.new-*) with
// fill, then renames it to target, replacing an empty directory there,
// and syncs the parent: target is never a half-made index, and a failure
// or a crash leaves at worst the hidden directory.
func buildBeside(target string, fill func(tmp string) error) error {
	parent := filepath.Dir(target)
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(target)+".new-")
	if err != nil {
		return fmt.Errorf("%w: %v", errNotBeside, err)
	}
	defer os.RemoveAll(tmp) // nothing left to remove once renamed
	if err := fill(tmp); err != nil {
		return err
	}
	// An empty directory at target is removed first: rename replaces one
	// on Linux, but not everywhere.
	if err := os.Remove(target); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: %v", errNotBeside, err)
	}
	if err := os.Rename(tmp, target); err != nil {
		return err
	}
	return syncDir(parent)
}

// createBleveInPlace makes the new index in path itself, as bleve does,
// and opens it.
func createBleveInPlace(path string, m mapping.IndexMapping, shards int) ([]bleve.Index, error) {
	if shards > 1 {
		if err := makeShards(path, m, shards); err != nil {
			return nil, err
		}
		return openShards(path, shards)
	}
	b, err := bleve.NewUsing(path, m, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, runtimeConfig())
	if err != nil {
		return nil, err
	}
	return []bleve.Index{b}, nil
}

// writeEmptyBleve makes an empty index in dir and closes it.
func writeEmptyBleve(dir string, m mapping.IndexMapping, shards int) error {
	if shards > 1 {
		return makeShards(dir, m, shards)
	}
	b, err := bleve.NewUsing(dir, m, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, runtimeConfig())
	if err != nil {
		return err
	}
	return b.Close()
}

// openCreatedBleve opens the index createBleve made at target.
func openCreatedBleve(target string, shards int) ([]bleve.Index, error) {
	if shards > 1 {
		return openShards(target, shards)
	}
	b, err := bleve.OpenUsing(target, runtimeConfig())
	if err != nil {
		return nil, err
	}
	return []bleve.Index{b}, nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// OpenOrCreate opens the index at path, creating it with opts when the
// directory holds none. Options only apply to a new index.
func OpenOrCreate(path string, opts Options) (ix *Index, created bool, err error) {
	if isIndexDir(path) {
		ix, err := Open(path)
		return ix, false, err
	}
	ix, err = Create(path, opts)
	return ix, err == nil, err
}

// CreateTemp makes an index in a new temporary directory that Close
// removes, for tests, demos and evaluation runs. It is the same scorch
// engine as a real index (bleve's memory-only index is another one, without
// the dictionary lookups typo tolerance needs), so what is measured on it
// holds for real indexes.
func CreateTemp(opts Options) (*Index, error) {
	dir, err := os.MkdirTemp("", "cari-index-")
	if err != nil {
		return nil, fmt.Errorf("create temporary index: %w", err)
	}
	ix, err := Create(filepath.Join(dir, "index"), opts)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	ix.tempDir = dir
	return ix, nil
}

// Close releases the index.
func (ix *Index) Close() error {
	ix.releaseHolder()
	var err error
	for _, b := range ix.shards {
		err = errors.Join(err, b.Close())
	}
	if err != nil {
		return fmt.Errorf("close index %s: %w", ix.path, err)
	}
	if ix.tempDir != "" {
		if err := os.RemoveAll(ix.tempDir); err != nil {
			return fmt.Errorf("remove temporary index: %w", err)
		}
	}
	return nil
}

// mapping is the index's bleve mapping.
func (ix *Index) mapping() mapping.IndexMapping { return ix.shards[0].Mapping() }

// Shards is the number of shards (1 for an index that is not sharded).
func (ix *Index) Shards() int { return len(ix.shards) }

// shard is the shard that holds (or would hold) the article with id.
func (ix *Index) shard(id string) int { return shardOf(id, len(ix.shards)) }

// Path is the index directory.
func (ix *Index) Path() string { return ix.path }

// Count returns the number of articles, in all shards.
func (ix *Index) Count() (uint64, error) {
	var total uint64
	for i, b := range ix.shards {
		n, err := b.DocCount()
		if err != nil {
			return 0, fmt.Errorf("count documents of shard %d: %w", i, err)
		}
		total += n
	}
	return total, nil
}

// Article returns the stored article with the given id.
func (ix *Index) Article(ctx context.Context, id string) (*cari.Article, error) {
	req := bleve.NewSearchRequest(query.NewDocIDQuery([]string{id}))
	req.Fields = []string{"*"}
	res, err := ix.shards[ix.shard(id)].SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("get article %q: %w", id, err)
	}
	if len(res.Hits) == 0 {
		return nil, fmt.Errorf("article %q: %w", id, cari.ErrNotFound)
	}
	a := articleFromFields(res.Hits[0].ID, res.Hits[0].Fields)
	a.Body = stringField(res.Hits[0].Fields, FieldBody)
	return &a, nil
}

// Delete removes the article with the given id. Deleting an id that is not
// there returns ErrNotFound.
func (ix *Index) Delete(ctx context.Context, id string) error {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	existing, err := ix.storedState(ctx, []string{id})
	if err != nil {
		return err
	}
	old, ok := existing[id]
	if !ok {
		return fmt.Errorf("article %q: %w", id, cari.ErrNotFound)
	}
	if err := ix.checkSpace(0); err != nil {
		return fmt.Errorf("delete %q: %w", id, err)
	}
	s := ix.shard(id)
	ix.statsMu.RLock()
	totals := ix.totals[s]
	ix.statsMu.RUnlock()
	totals.add(old.lens, -1)
	batch := ix.shards[s].NewBatch()
	batch.Delete(id)
	saveTotals(batch, totals, !old.counted)
	err = ix.shards[s].Batch(batch)
	ix.writeGen.Add(1) // after the write: see commit
	if err != nil {
		return fmt.Errorf("delete %q: %w", id, err)
	}
	ix.setTotals(s, totals)
	if !old.counted {
		return ix.recountTokenTotals(ctx)
	}
	return nil
}

// setTotals records shard s's token totals.
func (ix *Index) setTotals(s int, t tokenCounts) {
	ix.statsMu.Lock()
	ix.totals[s] = t
	ix.statsMu.Unlock()
}

// sumTotals is the token totals of all shards.
func (ix *Index) sumTotals() tokenCounts {
	var sum tokenCounts
	ix.statsMu.RLock()
	for _, t := range ix.totals {
		sum.add(t, 1)
	}
	ix.statsMu.RUnlock()
	return sum
}

func articleFromFields(id string, fields map[string]interface{}) cari.Article {
	a := cari.Article{
		ID:     id,
		Title:  stringField(fields, FieldTitle),
		Source: stringField(fields, FieldSource),
		URL:    stringField(fields, FieldURL),
	}
	if s := stringField(fields, FieldPublished); s != "" {
		a.Published, _ = time.Parse(time.RFC3339, s)
	}
	switch t := fields[FieldTags].(type) {
	case string:
		a.Tags = []string{t}
	case []interface{}:
		for _, v := range t {
			if s, ok := v.(string); ok {
				a.Tags = append(a.Tags, s)
			}
		}
	}
	return a
}

func stringField(fields map[string]interface{}, name string) string {
	s, _ := fields[name].(string)
	return s
}

// Stats returns the document count, fields and size on disk.
//
// Branchy because it gathers figures from every shard and the directory,
// each read with its own error.
func (ix *Index) Stats() (cari.Stats, error) {
	n, err := ix.Count()
	if err != nil {
		return cari.Stats{}, err
	}
	seen := map[string]bool{}
	var kept []string
	for i, b := range ix.shards {
		fields, err := b.Fields()
		if err != nil {
			return cari.Stats{}, fmt.Errorf("list fields of shard %d: %w", i, err)
		}
		for _, f := range fields {
			if !seen[f] && !strings.HasPrefix(f, "_") && f != fieldHash && f != fieldLens && f != fieldYear && f != fieldMonth {
				seen[f] = true
				kept = append(kept, f)
			}
		}
	}
	sort.Strings(kept)
	st := cari.Stats{Path: ix.path, Documents: n, Shards: len(ix.shards), Fields: kept, Analyzer: ix.mapping().AnalyzerNameForPath(FieldBody), AvgTokens: map[string]float64{}}
	totals := ix.sumTotals()
	for i, f := range scoredFields {
		if n > 0 {
			st.AvgTokens[f] = float64(totals[i]) / float64(n)
		}
	}
	if ix.path != "" {
		err := filepath.WalkDir(ix.path, func(_ string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() {
				info, err := d.Info()
				if err != nil {
					return err
				}
				st.SizeBytes += info.Size()
			}
			return nil
		})
		if err != nil {
			return cari.Stats{}, fmt.Errorf("size of %s: %w", ix.path, err)
		}
	}
	return st, nil
}
