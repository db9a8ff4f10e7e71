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
// minimums is cut into storyBands bands, each hashed with the day of
// publication into a key, and two articles are candidates when a key is
// the same. An article holding a share J of the other's shingles shares
// a given band with probability J^storyRows, so one at least with
// probability 1-(1-J^rows)^bands: about 0.99 at J = 0.5, 0.63 at 0.2
// and 0.21 at 0.1 with 24 bands of 2. Only a story's first article is a
// candidate, so that a story does not grow by chains of articles each
// like the one before into all the news of a day; and only articles
// published at most storyDays apart.
//
// The keys are not terms of the index: as terms, a million articles
// would add 17 million terms of one posting each, and writing and
// merging them cost a quarter of an ingest. A story's first article
// keeps its bands as a stored field (fieldStoryBands) and its day as a
// term (fieldStoryDay); a write reads the first articles of the days
// its articles need into memory (storyCache), once for as long as the
// days stay among the storyCacheDays last used: news arrives, and is
// archived, a few days at a time.

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"html"
	"math/bits"
	"slices"
	"strconv"
	"time"

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
)

// storyBandsOf are the band hashes of an analyzed body: nil when the body
// is too short to tell a story by, or its field keeps no positions.
func storyBandsOf(body document.Field) []uint64 {
	words := stemsInOrder(body)
	if len(words) < storyShingle+storyMinShingles-1 {
		return nil
	}
	// The signature's hash functions: a shingle's hash times a constant
	// of each plus another, mixed. (XOR with a constant, then mixed, made
	// neighbouring functions anti-correlated: a cut copy shared 20 of 48
	// minimums with its original but never two of one band.)
	n := storyBands * storyRows
	sig, mul, add := make([]uint64, n), make([]uint64, n), make([]uint64, n)
	for i := range sig {
		sig[i] = ^uint64(0)
		seed := bits.RotateLeft64(mix64(uint64(i+1)*0x9e3779b97f4a7c15), i)
		mul[i], add[i] = seed|1, mix64(seed)
	}
	for i := 0; i+storyShingle <= len(words); i++ {
		s := words[i]
		for _, w := range words[i+1 : i+storyShingle] {
			s = mix64(s*0x9e3779b97f4a7c15 ^ w)
		}
		for j := range sig {
			if h := mix64(s*mul[j] + add[j]); h < sig[j] {
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
// prices, weather).
func storyKey(band uint64, day int64) uint64 {
	return mix64(band ^ uint64(day)*0x9e3779b97f4a7c15)
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

// storyCacheDays is how many days of first articles a write keeps in
// memory: about 1,000 articles of 24 keys a day on a busy archive, 1 MB.
// storyReadDays is the most days not in memory one write reads: a write
// of articles from across the years (an archive written out of date
// order) reads none, and its articles find their stories among the
// write's own articles and the days in memory. Otherwise every batch
// would read most of the index.
const (
	storyCacheDays = 64
	storyReadDays  = 32
)

// storyCache holds, for each day read (readStoryDays), the first
// articles of its stories by key. Read and written with writeMu held.
type storyCache struct {
	days map[int64]map[uint64][]string
	used []int64 // the days in days, least recently used first
}

// keep marks the days of need used, and forgets the least recently used
// others past storyCacheDays: a write needing more days than that keeps
// them all until the next.
func (c *storyCache) keep(need map[int64]int) {
	c.used = slices.DeleteFunc(c.used, func(d int64) bool { return need[d] > 0 })
	kept := 0
	for d := range need {
		if _, ok := c.days[d]; ok {
			c.used = append(c.used, d)
			kept++
		}
	}
	for len(c.used) > max(storyCacheDays, kept) {
		delete(c.days, c.used[0])
		c.used = c.used[1:]
	}
}

// storyAssigner gives the articles of one write their stories.
type storyAssigner struct {
	cache *storyCache
	// inWrite maps the keys of the write's first articles of stories to
	// their ids, for the days the cache does not hold.
	inWrite map[uint64][]string
}

// newStoryAssigner reads into the index's cache the first articles of
// the days the write's articles need: each one's day and the days either
// side, unless more than storyReadDays are missing. Called with writeMu
// held.
func (ix *Index) newStoryAssigner(ctx context.Context, days []int64) (*storyAssigner, error) {
	if ix.stories == nil {
		ix.stories = &storyCache{days: map[int64]map[uint64][]string{}}
	}
	c := ix.stories
	need := map[int64]int{} // day → the articles that need it
	for _, day := range days {
		for d := day - storyDays; d <= day+storyDays; d++ {
			need[d]++
		}
	}
	var missing []int64
	for d := range need {
		if _, ok := c.days[d]; !ok {
			missing = append(missing, d)
		}
	}
	if len(missing) > storyReadDays {
		// Out of date order: what would be read is all over the index,
		// and its pages would stay in memory (a million articles took
		// 850 MB of mapped files by 400,000).
		missing = nil
	}
	if len(missing) > 0 {
		if err := ix.readStoryDays(ctx, missing); err != nil {
			for _, d := range missing {
				delete(c.days, d) // read again by the next write
			}
			return nil, err
		}
	}
	c.keep(need)
	return &storyAssigner{cache: c, inWrite: map[uint64][]string{}}, nil
}

// readStoryDays reads the first articles of stories of days from every
// shard into the cache.
func (ix *Index) readStoryDays(ctx context.Context, days []int64) error {
	for _, d := range days {
		ix.stories.days[d] = map[uint64][]string{}
	}
	for s, shard := range ix.shards {
		adv, err := shard.Advanced()
		if err != nil {
			return fmt.Errorf("stories: shard %d: %w", s, err)
		}
		r, err := adv.Reader()
		if err != nil {
			return fmt.Errorf("stories: shard %d: %w", s, err)
		}
		err = ix.readStoryDaysOf(ctx, r, days)
		r.Close()
		if err != nil {
			return fmt.Errorf("stories: shard %d: %w", s, err)
		}
	}
	return nil
}

func (ix *Index) readStoryDaysOf(ctx context.Context, r bleveindex.IndexReader, days []int64) error {
	var tf bleveindex.TermFieldDoc
	for _, day := range days {
		tfr, err := r.TermFieldReader(ctx, []byte(strconv.FormatInt(day, 10)), fieldStoryDay, false, false, false)
		if err != nil {
			return err
		}
		for {
			next, err := tfr.Next(&tf)
			if err != nil || next == nil {
				tfr.Close()
				if err != nil {
					return err
				}
				break
			}
			id, err := r.ExternalID(next.ID)
			if err != nil {
				tfr.Close()
				return err
			}
			doc, err := r.Document(id)
			if err != nil {
				tfr.Close()
				return fmt.Errorf("story of %s: %w", id, err)
			}
			doc.VisitFields(func(f bleveindex.Field) {
				if f.Name() != fieldStoryBands {
					return
				}
				for _, b := range decodeBands(f.Value()) {
					k := storyKey(b, day)
					ix.stories.days[day][k] = append(ix.stories.days[day][k], id)
				}
			})
		}
	}
	return nil
}

// assign returns the story of article id with bands, published on day:
// the story sharing most bands with it, on its day or up to storyDays
// either side, the smallest id among equals, else id itself.
func (a *storyAssigner) assign(id string, bands []uint64, day int64) string {
	shared := map[string]int{}
	seen := map[string]bool{}
	for _, b := range bands {
		// A story counts once a band, on whichever day.
		clear(seen)
		for d := day - storyDays; d <= day+storyDays; d++ {
			k := storyKey(b, d)
			for _, ids := range [][]string{a.cache.days[d][k], a.inWrite[k]} {
				for _, s := range ids {
					if s != id { // not the article's own earlier version
						seen[s] = true
					}
				}
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
		keys, cached := a.cache.days[day]
		for _, b := range bands {
			k := storyKey(b, day)
			if cached {
				if !slices.Contains(keys[k], id) {
					keys[k] = append(keys[k], id)
				}
			} else {
				a.inWrite[k] = append(a.inWrite[k], id)
			}
		}
	}
	return story
}

// setStory gives doc its story, and a story's first article its bands
// and day, in place of any it had: a batch that failed to write may be
// written again.
func setStory(doc *document.Document, story string, bands []uint64, day int64) {
	doc.Fields = slices.DeleteFunc(doc.Fields, func(f document.Field) bool {
		n := f.Name()
		return n == fieldStory || n == fieldStoryDay || n == fieldStoryBands
	})
	// Doc values kept an article at a time and uncompressed, as the
	// facets' (plainDocValuesField): a collapsed page reads the story of
	// each of its top hits, and decoding a compressed chunk of 1,024
	// for each was a third of the cost of presenting a page.
	doc.AddField(document.NewTextFieldWithIndexingOptions(fieldStory, nil, []byte(story),
		bleveindex.IndexField|bleveindex.StoreField|bleveindex.DocValues|bleveindex.SkipDVCompression|bleveindex.SkipDVChunking))
	if story != doc.ID() || len(bands) == 0 {
		return
	}
	doc.AddField(document.NewTextFieldWithIndexingOptions(fieldStoryDay, nil, []byte(strconv.FormatInt(day, 10)), bleveindex.IndexField))
	doc.AddField(document.NewTextFieldWithIndexingOptions(fieldStoryBands, nil, encodeBands(bands), bleveindex.StoreField))
}

// encodeBands writes bands as text, for a stored field.
func encodeBands(bands []uint64) []byte {
	raw := make([]byte, 0, 8*len(bands))
	for _, b := range bands {
		raw = binary.LittleEndian.AppendUint64(raw, b)
	}
	return base64.RawStdEncoding.AppendEncode(nil, raw)
}

// decodeBands reads what encodeBands wrote; anything else is no bands.
func decodeBands(text []byte) []uint64 {
	raw, err := base64.RawStdEncoding.AppendDecode(nil, text)
	if err != nil || len(raw)%8 != 0 {
		return nil
	}
	bands := make([]uint64, len(raw)/8)
	for i := range bands {
		bands[i] = binary.LittleEndian.Uint64(raw[8*i:])
	}
	return bands
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
