package main

import (
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/carisearch/cari/index/input"
)

// progressLogEvery is how often progress is logged when stderr is not a
// terminal: often enough to see a run is alive, rarely enough for a log.
const progressLogEvery = 5 * time.Second

// ingestProgress shows how indexing goes. On a terminal it is a progress
// bar of input bytes, described with the articles read and their rate:
// with a known total (files) it has an ETA, without one (a pipe) a count
// and rates only. Elsewhere (a log file, CI) it writes a plain slog line
// every interval and one at the end, since a bar's carriage returns make
// a log unreadable.
type ingestProgress struct {
	bar      *progressbar.ProgressBar
	log      *slog.Logger
	every    time.Duration
	now      func() time.Time
	start    time.Time
	last     time.Time
	records  int
	bytes    int64
	finished bool
}

// newIngestProgress reports to w; terminal chooses the bar; total is the
// input size in bytes, or -1 when unknown.
func newIngestProgress(w io.Writer, terminal bool, total int64) *ingestProgress {
	p := &ingestProgress{every: progressLogEvery, now: time.Now}
	p.start = p.now()
	p.last = p.start
	if !terminal {
		p.log = slog.New(slog.NewTextHandler(w, nil))
		return p
	}
	max := total
	if max <= 0 {
		max = -1
	}
	p.bar = progressbar.NewOptions64(max,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("indexing"),
		progressbar.OptionShowBytes(true), // MB and MB/s
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(total > 0),
		progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionThrottle(100*time.Millisecond),
		// No spinner of its own: its goroutine reads the bar unlocked (a
		// data race in progressbar v3.19.1); ours turns it on each update.
		progressbar.OptionSetSpinnerChangeInterval(0),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish(),
	)
	return p
}

// update takes the records and input bytes read so far.
func (p *ingestProgress) update(read input.Progress) {
	records, bytes := read.Records, read.Bytes
	p.records, p.bytes = records, bytes
	now := p.now()
	if p.bar != nil {
		if now.Sub(p.last) >= 100*time.Millisecond {
			p.last = now
			p.bar.Describe(fmt.Sprintf("%d articles, %.0f/s", records, rate(float64(records), now.Sub(p.start))))
			_ = p.bar.Set64(bytes)
		}
		return
	}
	if now.Sub(p.last) >= p.every {
		p.last = now
		p.logLine("indexing", now)
	}
}

// finish ends the bar, or logs the totals.
func (p *ingestProgress) finish() {
	if p.finished {
		return
	}
	p.finished = true
	if p.bar != nil {
		_ = p.bar.Finish()
		return
	}
	if p.records > 0 {
		p.logLine("read all input", p.now())
	}
}

func (p *ingestProgress) logLine(msg string, now time.Time) {
	d := now.Sub(p.start)
	mb := float64(p.bytes) / 1e6
	p.log.Info(msg,
		"articles", p.records,
		"MB", round1(mb),
		"articles_per_s", round1(rate(float64(p.records), d)),
		"MB_per_s", round1(rate(mb, d)),
		"elapsed", d.Round(time.Second).String())
}

func rate(n float64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return n / d.Seconds()
}

func round1(x float64) float64 { return float64(int64(x*10+0.5)) / 10 }
