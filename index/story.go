package index

// Stories: one hit per story.
//
// Outlets copy and rewrite each other's stories, so a first page can hold
// the same story several times. At ingest each article gets a story: the
// story of the article already indexed (or earlier in the batch) whose
// body it shares most of its wording with, else its own id. Searches
// then show one hit per story, with the others of the same story on the
// first page's ranking as "+N sumber lain".
//
// Sharing wording is MinHash over shingles of storyShingle stems, with
// locality-sensitive hashing: the signature of storyBands×storyRows
// minimums is cut into storyBands bands, each hashed into a key, and two
// articles are candidates when a key is the same. An article holding a
// share J of the other's shingles shares a given band with probability
// J^storyRows, so one at least with probability 1-(1-J^rows)^bands:
// about 0.99 at J = 0.5, 0.63 at 0.2 and 0.21 at 0.1 with 24 bands of 2.
// Only a story's first article is a candidate, so that a story does not
// grow by chains of articles each like the one before into all the news
// of a day; and only articles published at most storyDays apart.
// The keys are terms of an indexed field (fieldStoryKeys), so a write
// finds the articles that share them with a term lookup, and the story
// each holds in its doc values (fieldStory).
//
// Most keys of a new article are new to the index, and looking each up in
// every segment would cost as much as writing it; a Bloom filter of the
// keys the index holds (storyFilter) answers "never seen" for most of
// them from memory, and only the rest are looked up.

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"html"
	"math/bits"
	"slices"
	"strconv"
	"time"

	"github.com/bits-and-blooms/bloom/v3"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/search"
	bleveindex "github.com/blevesearch/bleve_index_api"
	"github.com/cespare/xxhash/v2"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/analyzer"
)

const (
	// storyShingle is the words of a shingle, storyBands and storyRows
	// the shape of the signature: chosen on the labelled pairs of
	// testdata/stories (docs/stories.md), where pairs of words found
	// more of the same stories than single words or triples for the
	// same precision.
	storyShingle = 2
	storyBands   = 24
	storyRows    = 2
	// storyMinShingles is the fewest shingles a body needs for a story
	// to be told from its wording; shorter ones are stories of their own.
	storyMinShingles = 8
	// storyDays is how many days apart two articles of one story may
	// be published: of the pairs of the labelled set judged the same
	// story, 90 of 93 were at most a day apart.
	storyDays = 1
	// storyFalsePositives is the share of keys never written that the
	// filter takes for written ones, each then costing a lookup.
	storyFalsePositives = 0.01
)

// storyBandsOf are the band hashes of an analyzed body: nil when the body
// is too short to tell a story by, or its field keeps no positions.
func storyBandsOf(body document.Field) []uint64 {
	words := stemsInOrder(body)
	if len(words) < storyShingle+storyMinShingles-1 {
		return nil
	}
	// The signature's hash functions: a shingle's hash mixed with a
	// constant of each.
	sig, seeds := make([]uint64, storyBands*storyRows), make([]uint64, storyBands*storyRows)
	for i := range sig {
		sig[i] = ^uint64(0)
		seeds[i] = bits.RotateLeft64(mix64(uint64(i+1)*0x9e3779b97f4a7c15), i)
	}
	for i := 0; i+storyShingle <= len(words); i++ {
		s := words[i]
		for _, w := range words[i+1 : i+storyShingle] {
			s = mix64(s*0x9e3779b97f4a7c15 ^ w)
		}
		for j := range sig {
			if h := mix64(s*(seeds[j]|1) + mix64(seeds[j])); h < sig[j] {
				sig[j] = h
			}
		}
	}
	bands := make([]uint64, storyBands)
	for b := range bands {
		k := uint64(b + 1)
		for _, m := range sig[b*storyRows : (b+1)*storyRows] {
			k = mix64(k*0x9e3779b97f4a7c15 ^ m)
		}
		bands[b] = k
	}
	return bands
}

// storyDay is the day of publication a story key is of: days since 1970,
// 0 for an article without a date.
func storyDay(published time.Time) int64 {
	if published.IsZero() {
		return 0
	}
	return published.Unix() / 86400
}

// storyKey is the key of band hash band on day: the stories of one day
// and the days either side are the candidates (storyDays), which keeps
// apart the reports a desk writes every day from one template (gold
// prices, weather). Its term in the index is storyTerm.
func storyKey(band uint64, day int64) uint64 {
	return mix64(band ^ uint64(day)*0x9e3779b97f4a7c15)
}

func storyTerm(key uint64) string { return strconv.FormatUint(key, 36) }

// storyKeysOf are the terms an article with bands, published on day,
// is indexed under.
func storyKeysOf(bands []uint64, day int64) []string {
	keys := make([]string, len(bands))
	for i, b := range bands {
		keys[i] = storyTerm(storyKey(b, day))
	}
	return keys
}

// stemsInOrder is the hashes of the stems of an analyzed field in the
// order they stand, written forms and the stop words between left out.
func stemsInOrder(f document.Field) []uint64 {
	freqs := f.AnalyzedTokenFrequencies()
	last := 0
	for term, tf := range freqs {
		if analyzer.IsExact([]byte(term)) {
			continue
		}
		for _, l := range tf.Locations {
			last = max(last, l.Position)
		}
	}
	if last == 0 {
		return nil
	}
	at := make([]uint64, last+1)
	for term, tf := range freqs {
		if analyzer.IsExact([]byte(term)) {
			continue
		}
		h := xxhash.Sum64String(term) | 1 // never 0, which marks no stem
		for _, l := range tf.Locations {
			at[l.Position] = h
		}
	}
	return slices.DeleteFunc(at, func(h uint64) bool { return h == 0 })
}

// mix64 is SplitMix64's finalizer: every bit of the input moves half the
// bits of the output.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// storyFilter is a Bloom filter of the story keys an index holds, built
// from the shards' dictionaries on the first write that needs it and
// added to by every write after; deletes leave their keys in it, which
// costs only lookups that find nothing. When one filter holds as many
// keys as it was sized for, another twice its size takes the new ones,
// and a key is taken for written when any of them holds it: a filter
// grows without reading the dictionaries again, and its false positives
// stay under twice storyFalsePositives.
type storyFilter struct {
	filters []*bloom.BloomFilter
	size    uint // the keys the newest filter was sized for
	room    uint // of which it takes this many more
}

// storyFilterMin is the keys the first filter of an index is sized for:
// 1.2 MB, a write of a few thousand articles of a new index.
const storyFilterMin = 1 << 20

// storyFilter returns the index's filter, built if need be. Called with
// writeMu held: writes are what read and add to it.
func (ix *Index) storyFilter(readers []bleveindex.IndexReader) (*storyFilter, error) {
	if ix.stories != nil {
		return ix.stories, nil
	}
	var keys []uint64
	for s, r := range readers {
		dict, err := r.FieldDict(fieldStoryKeys)
		if err != nil {
			return nil, fmt.Errorf("story keys of shard %d: %w", s, err)
		}
		for {
			e, err := dict.Next()
			if err != nil {
				dict.Close()
				return nil, fmt.Errorf("story keys of shard %d: %w", s, err)
			}
			if e == nil {
				break
			}
			if k, err := strconv.ParseUint(e.Term, 36, 64); err == nil {
				keys = append(keys, k)
			}
		}
		if err := dict.Close(); err != nil {
			return nil, fmt.Errorf("story keys of shard %d: %w", s, err)
		}
	}
	capacity := max(uint(storyFilterMin), 2*uint(len(keys)))
	f := &storyFilter{filters: []*bloom.BloomFilter{bloom.NewWithEstimates(capacity, storyFalsePositives)}, size: capacity, room: capacity}
	for _, k := range keys {
		f.add(k)
	}
	ix.stories = f
	return f, nil
}

func (f *storyFilter) add(key uint64) {
	b := binary.LittleEndian.AppendUint64(make([]byte, 0, 8), key)
	if f.room == 0 {
		f.size *= 2
		f.filters = append(f.filters, bloom.NewWithEstimates(f.size, storyFalsePositives))
		f.room = f.size
	}
	f.filters[len(f.filters)-1].Add(b)
	f.room--
}

func (f *storyFilter) has(key uint64) bool {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], key)
	for _, bf := range f.filters {
		if bf.Test(b[:]) {
			return true
		}
	}
	return false
}

// storyAssigner gives the articles of one write their stories, reading
// the index's shards on one snapshot each.
type storyAssigner struct {
	ctx     context.Context
	readers []bleveindex.IndexReader
	values  []bleveindex.DocValueReader
	filter  *storyFilter
	// inWrite maps each key of the write's articles so far to their
	// stories: a batch of copies of one story makes one story.
	inWrite map[uint64][]string
	lookups int
}

// newStoryAssigner opens a reader of every shard. Called with writeMu
// held.
func (ix *Index) newStoryAssigner(ctx context.Context) (*storyAssigner, error) {
	a := &storyAssigner{ctx: ctx, inWrite: map[uint64][]string{}}
	for s, shard := range ix.shards {
		adv, err := shard.Advanced()
		if err != nil {
			a.Close()
			return nil, fmt.Errorf("stories: shard %d: %w", s, err)
		}
		r, err := adv.Reader()
		if err != nil {
			a.Close()
			return nil, fmt.Errorf("stories: shard %d: %w", s, err)
		}
		a.readers = append(a.readers, r)
		dv, err := r.DocValueReader([]string{fieldStory})
		if err != nil {
			a.Close()
			return nil, fmt.Errorf("stories: shard %d: %w", s, err)
		}
		a.values = append(a.values, dv)
	}
	var err error
	if a.filter, err = ix.storyFilter(a.readers); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

// Close releases the readers.
func (a *storyAssigner) Close() {
	for _, r := range a.readers {
		r.Close()
	}
}

// assign returns the story of article id with bands, published on day:
// the story sharing most bands with it, on its day or up to storyDays
// either side, the smallest id among equals, else id itself.
func (a *storyAssigner) assign(id string, bands []uint64, day int64) (string, error) {
	shared := map[string]int{}
	seen := map[string]bool{}
	for _, b := range bands {
		// A story counts once a band, on whichever day.
		clear(seen)
		for d := day - storyDays; d <= day+storyDays; d++ {
			if day == 0 && d != 0 {
				continue
			}
			k := storyKey(b, d)
			for _, s := range a.inWrite[k] {
				seen[s] = true
			}
			if !a.filter.has(k) {
				continue
			}
			a.lookups++
			if err := a.storiesHolding(storyTerm(k), id, seen); err != nil {
				return "", err
			}
		}
		for s := range seen {
			shared[s]++
		}
	}
	story := id
	best := 0
	for s, n := range shared {
		if n > best || n == best && s < story {
			story, best = s, n
		}
	}
	if story == id {
		for _, b := range bands {
			k := storyKey(b, day)
			a.inWrite[k] = append(a.inWrite[k], id)
			a.filter.add(k)
		}
	}
	return story, nil
}

// storiesHolding adds to seen the stories of the indexed articles other
// than id that hold key.
func (a *storyAssigner) storiesHolding(key, id string, seen map[string]bool) error {
	for s, r := range a.readers {
		if err := a.ctx.Err(); err != nil {
			return err
		}
		tfr, err := r.TermFieldReader(a.ctx, []byte(key), fieldStoryKeys, false, false, false)
		if err != nil {
			return fmt.Errorf("story key %s: %w", key, err)
		}
		var tf bleveindex.TermFieldDoc
		for {
			next, err := tfr.Next(&tf)
			if err != nil {
				tfr.Close()
				return fmt.Errorf("story key %s: %w", key, err)
			}
			if next == nil {
				break
			}
			ext, err := r.ExternalID(next.ID)
			if err != nil {
				tfr.Close()
				return fmt.Errorf("story key %s: %w", key, err)
			}
			if ext == id {
				continue // the article's own earlier version
			}
			story := ext
			err = a.values[s].VisitDocValues(next.ID, func(field string, term []byte) {
				if field == fieldStory {
					story = string(term)
				}
			})
			if err != nil {
				tfr.Close()
				return fmt.Errorf("story of %s: %w", ext, err)
			}
			if story == ext {
				seen[story] = true // a story's first article
			}
		}
		tfr.Close()
	}
	return nil
}

// setStory gives doc its story and story keys, in place of any it had: a
// batch that failed to write may be written again.
func setStory(doc *document.Document, story string, keys []string) {
	doc.Fields = slices.DeleteFunc(doc.Fields, func(f document.Field) bool {
		return f.Name() == fieldStory || f.Name() == fieldStoryKeys
	})
	doc.AddField(document.NewTextFieldWithIndexingOptions(fieldStory, nil, []byte(story),
		bleveindex.IndexField|bleveindex.StoreField|bleveindex.DocValues))
	for _, k := range keys {
		doc.AddField(document.NewTextFieldWithIndexingOptions(fieldStoryKeys, nil, []byte(k), bleveindex.IndexField))
	}
}

// collapse keeps the first hit of each story among hits, in order, and
// returns with them the others of each story by the first one's id. An
// article without a story (written before stories were) is a story of
// its own.
func (t *topReader) collapse(hits search.DocumentMatchCollection) (search.DocumentMatchCollection, map[string]search.DocumentMatchCollection, error) {
	stories, err := t.stories(hits)
	if err != nil {
		return nil, nil, err
	}
	first := map[string]string{} // story → the id of its first hit
	members := map[string]search.DocumentMatchCollection{}
	kept := make(search.DocumentMatchCollection, 0, len(hits))
	for _, h := range hits {
		story := cmp.Or(stories[h.ID], h.ID)
		if lead, ok := first[story]; ok {
			members[lead] = append(members[lead], h)
			continue
		}
		first[story] = h.ID
		kept = append(kept, h)
	}
	return kept, members, nil
}

// stories reads the story of each hit from its doc values.
func (t *topReader) stories(hits search.DocumentMatchCollection) (map[string]string, error) {
	out := make(map[string]string, len(hits))
	values := make([]bleveindex.DocValueReader, len(t.readers))
	for _, h := range hits {
		s := t.ix.shard(h.ID)
		r := t.readers[s]
		if values[s] == nil {
			dv, err := r.DocValueReader([]string{fieldStory})
			if err != nil {
				return nil, fmt.Errorf("stories: %w", err)
			}
			values[s] = dv
		}
		internal, err := r.InternalID(h.ID)
		if err != nil {
			return nil, fmt.Errorf("story of %q: %w", h.ID, err)
		}
		if internal == nil {
			continue // deleted since the ranking
		}
		err = values[s].VisitDocValues(internal, func(field string, term []byte) {
			if field == fieldStory {
				out[h.ID] = string(term)
			}
		})
		if err != nil {
			return nil, fmt.Errorf("story of %q: %w", h.ID, err)
		}
	}
	return out, nil
}

// related are the others of the stories of page, as Others lists them.
func (t *topReader) related(page search.DocumentMatchCollection, members map[string]search.DocumentMatchCollection) (map[string][]cari.Related, error) {
	var out map[string][]cari.Related
	for _, h := range page {
		if len(members[h.ID]) == 0 {
			continue
		}
		shown, err := t.show(members[h.ID], nil, false)
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = map[string][]cari.Related{}
		}
		for _, m := range shown {
			a := articleFromFields(m.ID, m.Fields)
			rel := cari.Related{ID: m.ID, Title: html.EscapeString(cmp.Or(a.Title, cari.LeadSentence(a.Body))), Source: a.Source, URL: a.URL}
			if !a.Published.IsZero() {
				rel.Published = a.Published.Format("2006-01-02")
			}
			out[h.ID] = append(out[h.ID], rel)
		}
	}
	return out, nil
}
