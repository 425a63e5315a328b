package csvbundle

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Sink receives the files of an exported bundle, one after the other.
type Sink interface {
	// Create starts the next file; its writer is valid until the next Create or Close.
	Create(name string) (io.Writer, error)
	// Close finishes the bundle; after a failed export call Abort instead.
	Close() error
	// Abort discards what was written.
	Abort()
}

// zipEpoch is the modification time of every zip entry, so that the same data always gives the same bytes.
var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// ZipSink writes a zip bundle to w; entries are deflated and dated zipEpoch.
func ZipSink(w io.Writer) Sink { return &zipSink{zw: zip.NewWriter(w)} }

type zipSink struct{ zw *zip.Writer }

func (s *zipSink) Create(name string) (io.Writer, error) {
	return s.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipEpoch})
}
func (s *zipSink) Close() error { return s.zw.Close() }
func (s *zipSink) Abort()       {}

// pathSink writes a bundle to a folder, or (for a path ending in .zip) to a zip file. It writes into a
// temporary sibling and renames it into place at Close, so that a failed export leaves nothing behind and a
// reader never sees half a bundle.
type pathSink struct {
	path, tmp string
	zip       bool
	f         *os.File // the zip file, or the folder's current file
	zs        Sink
}

// PathSink returns a Sink for path: a zip file when path ends in .zip, else a folder. The path must not exist
// yet, or be an empty folder (folder exports) or a file (zip exports, which replace it).
func PathSink(path string) (Sink, error) {
	s := &pathSink{path: filepath.Clean(path), zip: strings.EqualFold(filepath.Ext(path), ".zip")}
	dir := filepath.Dir(s.path)
	if fi, err := os.Stat(s.path); err == nil {
		if fi.IsDir() == s.zip {
			return nil, fmt.Errorf("%s exists and is not a %s", path, map[bool]string{true: "zip file", false: "folder"}[s.zip])
		}
		if fi.IsDir() {
			entries, err := os.ReadDir(s.path)
			if err != nil {
				return nil, err
			}
			if len(entries) > 0 {
				return nil, fmt.Errorf("folder %s is not empty: export into a new or empty folder", path)
			}
		}
	}
	var err error
	if s.zip {
		s.f, err = os.CreateTemp(dir, ".rollcall-export-*.zip")
		if err == nil {
			s.tmp = s.f.Name()
			s.zs = ZipSink(s.f)
		}
	} else {
		s.tmp, err = os.MkdirTemp(dir, ".rollcall-export-*")
	}
	if err != nil {
		return nil, fmt.Errorf("creating the export: %w", err)
	}
	return s, nil
}

func (s *pathSink) Create(name string) (io.Writer, error) {
	if s.zip {
		return s.zs.Create(name)
	}
	if err := s.closeFile(); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(s.tmp, name), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	s.f = f
	return f, nil
}

func (s *pathSink) closeFile() error {
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	return err
}

func (s *pathSink) Close() error {
	var err error
	if s.zip {
		err = errors.Join(s.zs.Close(), s.f.Sync())
	}
	if err = errors.Join(err, s.closeFile()); err != nil {
		s.Abort()
		return err
	}
	if !s.zip {
		os.Remove(s.path) // an empty folder, checked by PathSink
	}
	if err := os.Rename(s.tmp, s.path); err != nil {
		s.Abort()
		return fmt.Errorf("moving the export into place: %w", err)
	}
	return nil
}

func (s *pathSink) Abort() {
	s.closeFile()
	os.RemoveAll(s.tmp)
}
