package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/carisearch/cari/index/input"
)

// TestProgressLogLines checks the plain progress of a non-terminal: one
// line per interval with articles, MB and both rates, none in between,
// and a last line with the totals.
func TestProgressLogLines(t *testing.T) {
	var out bytes.Buffer
	p := newIngestProgress(&out, false, 50e6)
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p.now = func() time.Time { return clock }
	p.start, p.last = clock, clock

	clock = clock.Add(2 * time.Second)
	p.update(input.Progress{Records: 4000, Bytes: 8e6})
	if out.Len() != 0 {
		t.Fatalf("a line before the interval: %q", out.String())
	}
	clock = clock.Add(3 * time.Second) // 5 s in
	p.update(input.Progress{Records: 10000, Bytes: 20e6})
	clock = clock.Add(time.Second)
	p.update(input.Progress{Records: 11000, Bytes: 22e6})
	clock = clock.Add(4 * time.Second) // 10 s in
	p.update(input.Progress{Records: 20000, Bytes: 40e6})
	clock = clock.Add(time.Second)
	p.update(input.Progress{Records: 25000, Bytes: 50e6})
	p.finish()
	p.finish() // once only

	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{
		`msg=indexing articles=10000 MB=20 articles_per_s=2000 MB_per_s=4 elapsed=5s`,
		`msg=indexing articles=20000 MB=40 articles_per_s=2000 MB_per_s=4 elapsed=10s`,
		`msg="read all input" articles=25000 MB=50 articles_per_s=2272.7 MB_per_s=4.5 elapsed=11s`,
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), out.String())
	}
	for i, w := range want {
		if !strings.Contains(lines[i], "level=INFO "+w) {
			t.Errorf("line %d:\n got %s\nwant …%s", i+1, lines[i], w)
		}
	}
}

// TestProgressBar checks the terminal form: a bar that names the articles
// and their rate, shows MB and MB/s, and an ETA only when the input size
// is known.
func TestProgressBar(t *testing.T) {
	for _, tc := range []struct {
		name  string
		total int64
		eta   bool
	}{{"files", 50e6, true}, {"pipe", -1, false}} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			p := newIngestProgress(&out, true, tc.total)
			start := time.Now()
			clock := start
			p.now = func() time.Time { return clock }
			p.start, p.last = start, start
			for i := 1; i <= 5; i++ {
				clock = start.Add(time.Duration(i) * time.Second)
				time.Sleep(110 * time.Millisecond) // past the bar's own throttle
				p.update(input.Progress{Records: i * 1000, Bytes: int64(i) * 2e6})
			}
			text := out.String()
			if !regexp.MustCompile(`5000 articles, 1000/s`).MatchString(text) {
				t.Errorf("no article count and rate in %q", text)
			}
			if !regexp.MustCompile(`\d+(\.\d+)? MB/s`).MatchString(text) {
				t.Errorf("no MB/s in %q", text)
			}
			// The bar's ETA reads [elapsed:left].
			if hasETA := regexp.MustCompile(`\[\d+s:\d+s\]`).MatchString(text); hasETA != tc.eta {
				t.Errorf("ETA shown: %v, want %v, in %q", hasETA, tc.eta, text)
			}
			p.finish()
		})
	}
}
