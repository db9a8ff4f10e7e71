package input

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/carisearch/cari"
)

// Source is a set of inputs: the files and directories named on a command
// line (Paths) or those under a directory of any file system (FS), such as
// the embedded sample articles. Every way of indexing reads through one:
// an index's Ingest, a server's client, the evaluation (which wraps one to
// change what it reads).
type Source interface {
	// Read reads every input into h, in order.
	Read(ctx context.Context, h Handlers) error
	// Size is the number of bytes Read will read, or -1 when it cannot
	// be known (standard input from a pipe), so that a progress bar
	// shows a rate but no ETA.
	Size() int64
}

// Paths is a Source of files, directories and "-" (standard input, read
// as JSON Lines). A file named with no known format is reported through
// Bad; inside a directory such files are passed over (see walk).
func Paths(paths ...string) Source { return pathSource(paths) }

// FS is a Source of the files under root in fsys, walked as a directory
// named in Paths is.
func FS(fsys fs.FS, root string) Source { return fsSource{fsys, root} }

type pathSource []string

type fsSource struct {
	fsys fs.FS
	root string
}

// Progress is how far a read has come: the records read, good or bad, and
// the input bytes read (uncompressed, as the readers see them; a reader
// may read ahead of the records it has handed on).
type Progress struct {
	Records int
	Bytes   int64
}

func (s fsSource) Read(ctx context.Context, h Handlers) error {
	return readDir(ctx, s.fsys, s.root, func(p string) string { return p }, h)
}

func (s fsSource) Size() int64 {
	total, ok := walkedSize(s.fsys, s.root)
	if !ok {
		return -1
	}
	return total
}

func (s pathSource) Read(ctx context.Context, h Handlers) error {
	for _, p := range s {
		if p == "-" {
			if err := ReadStream(ctx, os.Stdin, "-", FormatJSONLines, h); err != nil {
				return err
			}
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		if !info.IsDir() {
			if err := ReadFile(ctx, p, h); err != nil {
				return err
			}
			continue
		}
		named := func(rel string) string { return filepath.Join(p, filepath.FromSlash(rel)) }
		if err := readDir(ctx, os.DirFS(p), ".", named, h); err != nil {
			return err
		}
	}
	return nil
}

// Size is the sizes of the files named and of those a walk of the
// directories named would read, and of standard input when it is a
// regular file.
func (s pathSource) Size() int64 {
	var total int64
	for _, p := range s {
		var info os.FileInfo
		var err error
		if p == "-" {
			info, err = os.Stdin.Stat()
			if err != nil || !info.Mode().IsRegular() {
				return -1
			}
		} else if info, err = os.Stat(p); err != nil {
			continue // Read reports it
		}
		if !info.IsDir() {
			total += info.Size()
			continue
		}
		n, ok := walkedSize(os.DirFS(p), ".")
		if !ok {
			return -1
		}
		total += n
	}
	return total
}

// walkedSize is the bytes of the files a walk of dir in fsys reads, and
// whether the walk could be made.
func walkedSize(fsys fs.FS, dir string) (int64, bool) {
	var total int64
	err := walk(fsys, dir, func(_ string, d fs.DirEntry) error {
		if info, err := d.Info(); err == nil {
			total += info.Size()
		}
		return nil
	})
	return total, err == nil
}

// readDir reads the files a walk of dir in fsys finds, naming each in
// records and errors by name(path in fsys). Entries that are no regular
// file and files that look binary are reported through Bad and passed
// over.
func readDir(ctx context.Context, fsys fs.FS, dir string, name func(string) string, h Handlers) error {
	err := walk(fsys, dir, func(p string, d fs.DirEntry) error {
		path := name(p)
		if fe := irregular(fsys, p, path, d); fe != nil {
			h.Bad(fe)
			return nil
		}
		if fe := sniffBinary(fsys, p, path); fe != nil {
			h.Bad(fe)
			return nil
		}
		format, _ := FormatOf(p)
		f, err := fsys.Open(p)
		if err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
		defer f.Close()
		return ReadStream(ctx, f, path, format, h)
	})
	if err != nil {
		return fmt.Errorf("walk %s: %w", name(dir), err)
	}
	return nil
}

// walk is the one walk of a directory every Source makes, reading and
// sizing alike: it calls visit for each file of a known format under dir,
// in lexical order, passing over hidden files and directories (".git",
// an editor's ".swp") and files of other formats.
func walk(fsys fs.FS, dir string, visit func(p string, d fs.DirEntry) error) error {
	return fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if _, ok := FormatOf(p); !ok {
			return nil
		}
		return visit(p, d)
	})
}

// EachText calls fn with the title and body of every good record of src,
// in order, until fn returns false; bad records are passed over. It is for
// tools that count words over a corpus (the lexicon's coverage report).
func EachText(ctx context.Context, src Source, fn func(text []byte) bool) error {
	enough := errors.New("enough records")
	err := src.Read(ctx, Handlers{
		Emit: func(r Record) error {
			if !fn([]byte(r.Article.Title + "\n" + r.Article.Body)) {
				return enough
			}
			return nil
		},
		Bad: func(*cari.FieldError) {},
	})
	if errors.Is(err, enough) {
		return nil
	}
	return err
}
