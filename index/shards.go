package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// Shards. An index of N > 1 shards is a directory holding shardsFile,
// which records N, and N scorch indexes, shard-000 … shard-(N-1); an
// article lives in the shard its id hashes to (shardOf), and searches go
// through a bleve.IndexAlias over all of them, so that each shard is
// searched on a core of its own and written by a bleve batch of its own,
// in parallel. A 1-shard index is one scorch index at the path, as before
// shards existed, so indexes made then open unchanged.
//
// Results must not depend on the shard count. bleve's BM25 takes the
// document count and average field lengths from the statistics a search
// brings (cari sums the shards' true token totals, bm25.go), but a term's
// document frequency, the other half of its idf, from the shard it
// searches: a word in 30 of 90 articles would weigh as one in 10 of 90 on
// each of three shards. So shards are scorch indexes of a type of cari's
// own (globalDFIndexType), identical on disk to scorch but whose readers
// report, during a cari search, the document frequency of a term over all
// shards, and expands fuzzy, prefix and pattern queries to the terms of
// all shards (globalDFReader). With it, scores are those of one index
// holding every article.

// shardsFile, in a sharded index's directory, records the shard count.
const shardsFile = "cari-shards.json"

// globalDFIndexType is the bleve index type of a shard.
const globalDFIndexType = "cari-scorch"

// MaxShards bounds --shards: past the cores of any one machine, more
// shards only add files and merge work.
const MaxShards = 64

type shardsMeta struct {
	Shards int `json:"shards"`
}

func shardDir(root string, i int) string {
	return filepath.Join(root, fmt.Sprintf("shard-%03d", i))
}

// shardOf routes an id to a shard: FNV-1a of the id, modulo the count.
// It is part of the on-disk format: changing it would lose articles.
func shardOf(id string, n int) int {
	if n <= 1 {
		return 0
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(id))
	return int(h.Sum32() % uint32(n))
}

// isIndexDir reports whether dir holds a cari index, sharded or not.
func isIndexDir(dir string) bool {
	for _, name := range []string{"index_meta.json", shardsFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
}

// readShardCount returns the shard count recorded in dir, or 0 when dir
// is not a sharded index.
func readShardCount(dir string) (int, error) {
	data, err := os.ReadFile(filepath.Join(dir, shardsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var meta shardsMeta
	if err := json.Unmarshal(data, &meta); err != nil {
		return 0, fmt.Errorf("%s: %w", shardsFile, err)
	}
	if meta.Shards < 2 || meta.Shards > MaxShards {
		return 0, fmt.Errorf("%s: %d shards, want 2 to %d", shardsFile, meta.Shards, MaxShards)
	}
	return meta.Shards, nil
}

// openShards opens the n shards under dir, closing those opened when one
// fails.
func openShards(dir string, n int) ([]bleve.Index, error) {
	shards := make([]bleve.Index, 0, n)
	for i := range n {
		b, err := bleve.OpenUsing(shardDir(dir, i), runtimeConfig())
		if err != nil {
			closeAll(shards)
			return nil, fmt.Errorf("shard %d: %w", i, lockError(err, dir))
		}
		shards = append(shards, b)
	}
	if n > 1 {
		if err := linkShards(shards); err != nil {
			closeAll(shards)
			return nil, err
		}
	}
	return shards, nil
}

func closeAll(shards []bleve.Index) {
	for _, b := range shards {
		_ = b.Close()
	}
}

// makeShards builds an empty n-shard index in dir, which must be new; the
// shard count is written last, once every shard is on disk.
func makeShards(dir string, m mapping.IndexMapping, n int) error {
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	for i := range n {
		b, err := bleve.NewUsing(shardDir(dir, i), m, globalDFIndexType, bleve.Config.DefaultKVStore, runtimeConfig())
		if err != nil {
			return fmt.Errorf("shard %d: %w", i, err)
		}
		if err := b.Close(); err != nil {
			return fmt.Errorf("shard %d: %w", i, err)
		}
	}
	return writeFileSync(filepath.Join(dir, shardsFile), mustJSON(shardsMeta{Shards: n}))
}

// writeFileSync writes a file and flushes it to disk.
func writeFileSync(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// newSearchView is what searches run on: the one shard itself, or an
// alias over all of them.
func newSearchView(shards []bleve.Index) bleve.Index {
	if len(shards) == 1 {
		return shards[0]
	}
	return bleve.NewIndexAlias(shards...)
}

func init() {
	// Registered once per process, as bleve registers its own types.
	if err := registry.RegisterIndexType(globalDFIndexType, newGlobalDFScorch); err != nil {
		panic(err)
	}
}

// linkShards tells each shard of a sharded index about the others, so
// that its readers can count what all of them hold.
func linkShards(shards []bleve.Index) error {
	var all []*globalDFScorch
	for i, b := range shards {
		adv, err := b.Advanced()
		if err != nil {
			return fmt.Errorf("shard %d: %w", i, err)
		}
		g, ok := adv.(*globalDFScorch)
		if !ok {
			return fmt.Errorf("shard %d: %w: an index of type %T, want %s", i, ErrNotCariIndex, adv, globalDFIndexType)
		}
		all = append(all, g)
	}
	for _, g := range all {
		g.mu.Lock()
		g.others = nil
		for _, o := range all {
			if o != g {
				g.others = append(g.others, o.Scorch)
			}
		}
		g.mu.Unlock()
	}
	return nil
}

// globalDFScorch is a scorch index whose readers see, where scoring and
// query expansion need it, the terms of its sibling shards too.
type globalDFScorch struct {
	*scorch.Scorch
	mu     sync.Mutex
	others []*scorch.Scorch // the other shards, once linkShards ran
}

func newGlobalDFScorch(storeName string, config map[string]interface{}, q *bleveindex.AnalysisQueue) (bleveindex.Index, error) {
	i, err := scorch.NewScorch(storeName, config, q)
	if err != nil {
		return nil, err
	}
	s, ok := i.(*scorch.Scorch)
	if !ok {
		return nil, fmt.Errorf("scorch made a %T", i)
	}
	return &globalDFScorch{Scorch: s}, nil
}

func (g *globalDFScorch) Reader() (bleveindex.IndexReader, error) {
	r, err := g.Scorch.Reader()
	if err != nil {
		return nil, err
	}
	g.mu.Lock()
	others := g.others
	g.mu.Unlock()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok || len(others) == 0 {
		return r, nil
	}
	return &globalDFReader{IndexSnapshot: snap, others: others}, nil
}

// globalDFReader is a shard's snapshot that answers as if it held the
// terms of every shard: a term's document count (the df of its idf) is
// that of all shards, and the terms a fuzzy, prefix, wildcard or regular
// expression query expands to are those of all shards (bleve multiplies
// such a query's score by the share of its terms a document matches, so
// the term list must not depend on the shard). Snapshots of the other
// shards are taken the first time they are needed, and released on Close.
type globalDFReader struct {
	*scorch.IndexSnapshot
	others []*scorch.Scorch

	once    sync.Once
	openErr error
	readers []bleveindex.IndexReader
}

func (r *globalDFReader) siblings() ([]bleveindex.IndexReader, error) {
	r.once.Do(func() {
		for _, o := range r.others {
			sr, err := o.Reader()
			if err != nil {
				r.openErr = err
				return
			}
			r.readers = append(r.readers, sr)
		}
	})
	return r.readers, r.openErr
}

func (r *globalDFReader) Close() error {
	err := r.IndexSnapshot.Close()
	for _, sr := range r.readers {
		err = errors.Join(err, sr.Close())
	}
	return err
}

func (r *globalDFReader) TermFieldReader(ctx context.Context, term []byte, field string, includeFreq, includeNorm, includeTermVectors bool) (bleveindex.TermFieldReader, error) {
	tfr, err := r.IndexSnapshot.TermFieldReader(ctx, term, field, includeFreq, includeNorm, includeTermVectors)
	if err != nil || !includeFreq {
		return tfr, err // no scoring, no need of the others' counts
	}
	others, err := r.siblings()
	if err != nil {
		_ = tfr.Close()
		return nil, err
	}
	n := tfr.Count()
	for _, o := range others {
		otfr, err := o.TermFieldReader(ctx, term, field, false, false, false)
		if err != nil {
			_ = tfr.Close()
			return nil, err
		}
		n += otfr.Count()
		_ = otfr.Close()
	}
	return countedTermReader{TermFieldReader: tfr, count: n}, nil
}

// countedTermReader reports the document count of all shards.
type countedTermReader struct {
	bleveindex.TermFieldReader
	count uint64
}

func (c countedTermReader) Count() uint64 { return c.count }

// union gathers the entries of one dictionary query over this shard and
// the others, in term order, counts summed.
func (r *globalDFReader) union(ask func(bleveindex.IndexReader) (bleveindex.FieldDict, error)) (bleveindex.FieldDict, error) {
	others, err := r.siblings()
	if err != nil {
		return nil, err
	}
	entries := map[string]bleveindex.DictEntry{}
	for _, reader := range append([]bleveindex.IndexReader{r.IndexSnapshot}, others...) {
		d, err := ask(reader)
		if err != nil {
			return nil, err
		}
		for {
			e, err := d.Next()
			if err != nil {
				_ = d.Close()
				return nil, err
			}
			if e == nil {
				break
			}
			prev, seen := entries[e.Term]
			if seen {
				e.Count += prev.Count
			}
			entries[e.Term] = *e
		}
		if err := d.Close(); err != nil {
			return nil, err
		}
	}
	out := &listDict{entries: make([]bleveindex.DictEntry, 0, len(entries))}
	for _, e := range entries {
		out.entries = append(out.entries, e)
	}
	slices.SortFunc(out.entries, func(a, b bleveindex.DictEntry) int { return strings.Compare(a.Term, b.Term) })
	return out, nil
}

// listDict is a dictionary held in memory.
type listDict struct {
	entries []bleveindex.DictEntry
	next    int
}

func (d *listDict) Next() (*bleveindex.DictEntry, error) {
	if d.next >= len(d.entries) {
		return nil, nil
	}
	d.next++
	return &d.entries[d.next-1], nil
}

func (d *listDict) Close() error { return nil }

func (d *listDict) BytesRead() uint64 { return 0 }

func (d *listDict) Cardinality() int { return len(d.entries) }

func (r *globalDFReader) FieldDictRange(field string, start, end []byte) (bleveindex.FieldDict, error) {
	return r.union(func(x bleveindex.IndexReader) (bleveindex.FieldDict, error) {
		return x.FieldDictRange(field, start, end)
	})
}

func (r *globalDFReader) FieldDictPrefix(field string, prefix []byte) (bleveindex.FieldDict, error) {
	return r.union(func(x bleveindex.IndexReader) (bleveindex.FieldDict, error) { return x.FieldDictPrefix(field, prefix) })
}

func (r *globalDFReader) FieldDictRegexp(field, regex string) (bleveindex.FieldDict, error) {
	return r.union(func(x bleveindex.IndexReader) (bleveindex.FieldDict, error) {
		return x.(bleveindex.IndexReaderRegexp).FieldDictRegexp(field, regex)
	})
}

func (r *globalDFReader) FieldDictRegexpAutomaton(field, regex string) (bleveindex.FieldDict, bleveindex.RegexAutomaton, error) {
	own, a, err := r.IndexSnapshot.FieldDictRegexpAutomaton(field, regex)
	if err != nil {
		return nil, nil, err
	}
	_ = own.Close() // the automaton is what is wanted of it
	d, err := r.FieldDictRegexp(field, regex)
	return d, a, err
}

func (r *globalDFReader) FieldDictFuzzy(field, term string, fuzziness int, prefix string) (bleveindex.FieldDict, error) {
	return r.union(func(x bleveindex.IndexReader) (bleveindex.FieldDict, error) {
		return x.(bleveindex.IndexReaderFuzzy).FieldDictFuzzy(field, term, fuzziness, prefix)
	})
}

func (r *globalDFReader) FieldDictFuzzyAutomaton(field, term string, fuzziness int, prefix string) (bleveindex.FieldDict, bleveindex.FuzzyAutomaton, error) {
	own, a, err := r.IndexSnapshot.FieldDictFuzzyAutomaton(field, term, fuzziness, prefix)
	if err != nil {
		return nil, nil, err
	}
	_ = own.Close() // the automaton is what is wanted of it
	d, err := r.FieldDictFuzzy(field, term, fuzziness, prefix)
	return d, a, err
}

// orderTies puts hits of equal score in id order. bleve leaves them in the
// order of its internal document numbers, which depend on how segments
// were merged and on the shard count, so the same articles could change
// places from one index of them to another. Scores count as equal when
// they agree to about 10 significant digits (tieKey): bleve sums a
// document's term scores in an order that also varies with the segments,
// so the same score can differ in its last bits. Hits past the page are
// not seen: a tie across the page's end is still bleve's order.
func orderTies(hits search.DocumentMatchCollection) {
	sort.SliceStable(hits, func(i, j int) bool {
		if ki, kj := tieKey(hits[i].Score), tieKey(hits[j].Score); ki != kj {
			return ki > kj
		}
		return hits[i].ID < hits[j].ID
	})
}

// tieKey drops the last 20 of a score's 52 mantissa bits (a relative
// difference of 2e-10), far above the rounding of a sum and far below
// any difference of relevance.
func tieKey(score float64) float64 {
	if math.IsNaN(score) || math.IsInf(score, 0) {
		return score
	}
	return math.Float64frombits(math.Float64bits(score) &^ (1<<20 - 1))
}
