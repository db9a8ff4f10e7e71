package analyzer

import (
	"hash/maphash"
	"sync"
)

// stemCache remembers stems. News vocabulary is Zipfian, so a few thousand
// words make up most tokens and almost every lookup is a hit. The cache is
// split into shards, each behind its own lock, so concurrent indexing
// goroutines rarely wait for each other; a shard that fills up is emptied
// rather than tracked entry by entry, which keeps the hit path to one map
// lookup and bounds memory at roughly capacity entries.
type stemCache struct {
	seed     maphash.Seed
	shards   [cacheShards]cacheShard
	perShard int
}

const cacheShards = 32

type cacheShard struct {
	mu    sync.RWMutex
	stems map[string]string
}

// DefaultCacheSize is the number of stems a Stemmer keeps by default.
const DefaultCacheSize = 1 << 18

func newStemCache(capacity int) *stemCache {
	if capacity <= 0 {
		return nil
	}
	c := &stemCache{seed: maphash.MakeSeed(), perShard: max(1, capacity/cacheShards)}
	for i := range c.shards {
		c.shards[i].stems = make(map[string]string)
	}
	return c
}

func (c *stemCache) shard(word string) *cacheShard {
	return &c.shards[maphash.String(c.seed, word)%cacheShards]
}

func (c *stemCache) get(word string) (string, bool) {
	if c == nil {
		return "", false
	}
	s := c.shard(word)
	s.mu.RLock()
	stem, ok := s.stems[word]
	s.mu.RUnlock()
	return stem, ok
}

func (c *stemCache) put(word, stem string) {
	if c == nil {
		return
	}
	s := c.shard(word)
	s.mu.Lock()
	if len(s.stems) >= c.perShard {
		clear(s.stems)
	}
	// Own the key: word may point into a larger buffer.
	s.stems[string([]byte(word))] = stem
	s.mu.Unlock()
}

func (c *stemCache) getBytes(word []byte) (string, bool) {
	if c == nil {
		return "", false
	}
	s := &c.shards[maphash.Bytes(c.seed, word)%cacheShards]
	s.mu.RLock()
	stem, ok := s.stems[string(word)]
	s.mu.RUnlock()
	return stem, ok
}
