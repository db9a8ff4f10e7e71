package index

// Disk space. bleve and zapx do not survive a full disk: a batch that
// runs out of space fails, and a snapshot goroutine of scorch may then
// panic (assignment to entry in nil map, in zapx's inverted index
// cache), taking the process down, while a merge that runs out of space
// is retried for good. So cari never lets them run out: a write first
// checks that the index's filesystem keeps MinFree free beyond what the
// write adds, and is refused with ErrDiskFull otherwise, before bleve
// sees it; the final merge (Compact) is skipped where it may not fit,
// and stopped when space falls below MinFree while it runs. An operator
// knows this as Elasticsearch's flood-stage watermark. Another process
// filling the same disk between the check and the write can still reach
// bleve: the reserve is what keeps that window small.

import (
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/dustin/go-humanize"

	"github.com/carisearch/cari"
)

// DefaultMinFree is the free space a write must leave by default: room
// for scorch to persist and merge the segments already written, which
// it does in the background after a write is acknowledged.
const DefaultMinFree = 256 << 20

// SetMinFree sets the free space, in bytes, a write must leave on the
// index's filesystem (DefaultMinFree until set); 0 checks nothing.
func (ix *Index) SetMinFree(bytes uint64) { ix.minFree.Store(bytes) }

// MinFree is the free space a write must leave.
func (ix *Index) MinFree() uint64 { return ix.minFree.Load() }

// checkSpace returns ErrDiskFull when writing adding bytes would leave
// less free than a merge of the whole index needs, the index's size,
// and MinFree besides. scorch merges segments in the background after a
// write is acknowledged, writing each merged segment before it removes
// the ones merged, up to the whole index at once: with less room, a
// filled disk made it lose an acknowledged delete in a test
// (TestFullDiskRefusesWrites) before the index's size was counted. A
// filesystem that cannot say passes.
func (ix *Index) checkSpace(adding uint64) error {
	reserve := ix.minFree.Load()
	if reserve == 0 || ix.tempDir != "" {
		return nil
	}
	free, ok := freeBytes(ix.path)
	if !ok || free >= reserve+adding {
		size := diskUsage(ix.path)
		if !ok || free >= reserve+adding+size {
			return nil
		}
		return fmt.Errorf("%w: %s free; a write of %s must leave room to merge the index (%s) and %s more (--min-free)", cari.ErrDiskFull,
			humanize.IBytes(free), humanize.IBytes(adding), humanize.IBytes(size), humanize.IBytes(reserve))
	}
	return fmt.Errorf("%w: %s free; a write of %s must leave %s and room to merge the index (--min-free)", cari.ErrDiskFull,
		humanize.IBytes(free), humanize.IBytes(adding), humanize.IBytes(reserve))
}

// writeCost is what a batch of articles of textBytes may take on disk
// before scorch merges it: the stored text, the postings, the term
// vectors and the doc values, about three times the text on the news
// corpus (52 MB of JSON became a 112 MB index), with room to spare.
func writeCost(textBytes int) uint64 { return 4 * uint64(textBytes) }

// diskUsage is the bytes the files under path take.
func diskUsage(path string) uint64 {
	var total uint64
	_ = filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				total += uint64(info.Size())
			}
		}
		return nil
	})
	return total
}

// ParseBytes reads a size such as "256MiB", "1GB" or "0" (for
// --min-free).
func ParseBytes(s string) (uint64, error) {
	n, err := humanize.ParseBytes(s)
	if err != nil {
		return 0, fmt.Errorf("size %q: want a number of bytes such as 256MiB or 1GB", s)
	}
	return n, nil
}

// FormatBytes writes a size as ParseBytes reads it ("256 MiB").
func FormatBytes(n uint64) string { return humanize.IBytes(n) }
