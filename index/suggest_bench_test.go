package index

import (
	"context"
	"slices"
	"testing"
	"time"
)

// BenchmarkSuggest measures autocomplete over the news corpus (skipped
// when ../shared is absent), with the index and helpers of the latency
// benchmark:
//
//	go test -run XXX -bench Suggest -benchtime 20x -cpu 1 ./index
//
// Each op completes the whole mix of suggestPrefixes once, as typed
// (default size); p50-ms and p99-ms are per request. Completions read
// the index's dictionaries: there is nothing to build first.
func BenchmarkSuggest(b *testing.B) {
	li := corpusIndex(b)
	ctx := context.Background()
	var empty []string
	for _, q := range suggestPrefixes {
		c, err := li.ix.Suggest(ctx, q, 0)
		if err != nil {
			b.Fatalf("suggest %q: %v", q, err)
		}
		if len(c) == 0 {
			empty = append(empty, q)
		}
	}
	if len(empty) > 0 {
		b.Logf("no completions for %q", empty)
	}
	durations := make([]time.Duration, 0, 64*len(suggestPrefixes))
	b.ReportAllocs()
	for b.Loop() {
		for _, q := range suggestPrefixes {
			t := time.Now()
			if _, err := li.ix.Suggest(ctx, q, 0); err != nil {
				b.Fatalf("suggest %q: %v", q, err)
			}
			durations = append(durations, time.Since(t))
		}
	}
	b.StopTimer()
	slices.Sort(durations)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(percentile(durations, 0.50)), "p50-ms")
	b.ReportMetric(ms(percentile(durations, 0.99)), "p99-ms")
	b.ReportMetric(ms(durations[len(durations)-1]), "max-ms")
}

// suggestPrefixes are what a search box sees while people type: the
// starts of single words (short and long, root and affixed forms) and of
// the last word after others.
var suggestPrefixes = []string{
	"k", "b", "p", "s", "m",
	"ko", "ba", "pe", "ja", "ti",
	"kor", "ban", "gem", "pap", "jok", "kpk", "bpj", "sah",
	"multip", "korup", "habib", "presid", "pemil", "narko", "jakar",
	"pertah", "pendid", "kebak", "pemerin", "penyelu", "kesehat", "menyer", "diseran",
	"kerja sa", "harga be", "ibu ko", "banjir jak", "timnas ind", "revisi uu k",
	"kebakaran hutan r", "calon pimpinan kpk te", "amerika ser", "liga cha",
}
