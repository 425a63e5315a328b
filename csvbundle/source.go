package csvbundle

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Defaults of Limits.
const (
	DefaultMaxTotalBytes = 4 << 30 // 4 GiB uncompressed: a 100,000-student bundle is about 250 MB
	DefaultMaxFiles      = 64      // entries in a zip: a bundle has at most 22 files
)

// Limits bound what a bundle may cost to read. Zero fields take the defaults.
type Limits struct {
	MaxRecordBytes int   // one CSV record (DefaultMaxRecordBytes)
	MaxTotalBytes  int64 // all files together, uncompressed (DefaultMaxTotalBytes): refuses zip bombs
	MaxFiles       int   // entries in a zip (DefaultMaxFiles)
}

func (l Limits) withDefaults() Limits {
	if l.MaxRecordBytes <= 0 {
		l.MaxRecordBytes = DefaultMaxRecordBytes
	}
	if l.MaxTotalBytes <= 0 {
		l.MaxTotalBytes = DefaultMaxTotalBytes
	}
	if l.MaxFiles <= 0 {
		l.MaxFiles = DefaultMaxFiles
	}
	return l
}

// Source is an opened bundle: a flat set of named files (manifest.csv and the data files). Open may be called
// more than once for the same file; each call reads it from the start.
type Source interface {
	Name() string    // the bundle's file or folder name, for the import record
	Files() []string // the names of the files present, sorted
	Open(name string) (io.ReadCloser, error)
	Close() error
}

// Open opens a bundle at path: a folder, or a zip file.
func Open(path string, lim Limits) (Source, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("opening bundle: %w", err)
	}
	if fi.IsDir() {
		return OpenDir(path, lim)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening bundle: %w", err)
	}
	src, err := OpenZip(f, fi.Size(), filepath.Base(path), lim)
	if err != nil {
		f.Close()
		return nil, err
	}
	src.(*zipSource).closer = f
	return src, nil
}

// dirSource is a bundle in a folder. Only regular files directly in the folder count; the folder is opened as
// an os.Root, so that a symbolic link cannot lead outside it.
type dirSource struct {
	name  string
	root  *os.Root
	files []string
}

// OpenDir opens the bundle in folder dir.
func OpenDir(dir string, lim Limits) (Source, error) {
	lim = lim.withDefaults()
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("opening bundle folder: %w", err)
	}
	entries, err := fs.ReadDir(root.FS(), ".")
	if err != nil {
		root.Close()
		return nil, fmt.Errorf("reading bundle folder: %w", err)
	}
	s := &dirSource{name: filepath.Base(filepath.Clean(dir)), root: root}
	var total int64
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			root.Close()
			return nil, fmt.Errorf("reading bundle folder: %w", err)
		}
		total += fi.Size()
		s.files = append(s.files, e.Name())
	}
	if total > lim.MaxTotalBytes {
		root.Close()
		return nil, fmt.Errorf("the files of the bundle take %d bytes, more than the limit of %d", total, lim.MaxTotalBytes)
	}
	slices.Sort(s.files)
	return s, nil
}

func (s *dirSource) Name() string    { return s.name }
func (s *dirSource) Files() []string { return s.files }
func (s *dirSource) Close() error    { return s.root.Close() }
func (s *dirSource) Open(name string) (io.ReadCloser, error) {
	if !slices.Contains(s.files, name) {
		return nil, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	}
	return s.root.Open(name)
}

// zipSource is a bundle in a zip file.
type zipSource struct {
	name   string
	files  map[string]*zip.File
	names  []string
	closer io.Closer
}

// OpenZip opens a zipped bundle read from r (size bytes; name is for the import record). It refuses a zip
// whose entries are not plain files at the root (folders, "../" or absolute paths), names a file twice, has
// more than lim.MaxFiles entries, or would inflate to more than lim.MaxTotalBytes (a zip bomb). The sizes a
// zip declares are enforced while reading: archive/zip fails an entry that inflates past its declared size.
func OpenZip(r io.ReaderAt, size int64, name string, lim Limits) (Source, error) {
	lim = lim.withDefaults()
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%s is not a readable zip file: %v", name, err)
	}
	if len(zr.File) > lim.MaxFiles {
		return nil, fmt.Errorf("the zip has %d entries, more than the limit of %d (a bundle has at most 22 files)", len(zr.File), lim.MaxFiles)
	}
	s := &zipSource{name: name, files: map[string]*zip.File{}}
	var total uint64
	for _, f := range zr.File {
		if err := checkEntryName(f.Name); err != nil {
			return nil, err
		}
		if _, dup := s.files[f.Name]; dup {
			return nil, fmt.Errorf("zip entry %q appears twice", f.Name)
		}
		total += f.UncompressedSize64
		if total > uint64(lim.MaxTotalBytes) {
			return nil, fmt.Errorf("the zip would inflate to more than the limit of %d bytes (a zip bomb?)", lim.MaxTotalBytes)
		}
		s.files[f.Name] = f
		s.names = append(s.names, f.Name)
	}
	slices.Sort(s.names)
	return s, nil
}

// checkEntryName refuses zip entries that are not plain file names at the archive root.
func checkEntryName(n string) error {
	switch {
	case n == "":
		return errors.New("zip entry with an empty name")
	case strings.HasPrefix(n, "/") || strings.HasPrefix(n, `\`) || (len(n) > 1 && n[1] == ':'):
		return fmt.Errorf("zip entry %q has an absolute path: every file of a bundle must be at the archive root", n)
	case slices.Contains(strings.FieldsFunc(n, func(r rune) bool { return r == '/' || r == '\\' }), ".."):
		return fmt.Errorf("zip entry %q points outside the archive (path traversal): refused", n)
	case strings.ContainsAny(n, `/\`):
		return fmt.Errorf("zip entry %q is inside a folder: every file of a bundle must be at the archive root (zip the files, not their folder)", n)
	case n == "." || n == "..":
		return fmt.Errorf("zip entry %q is not a file name", n)
	}
	return nil
}

func (s *zipSource) Name() string    { return s.name }
func (s *zipSource) Files() []string { return s.names }
func (s *zipSource) Close() error {
	if s.closer != nil {
		return s.closer.Close()
	}
	return nil
}
func (s *zipSource) Open(name string) (io.ReadCloser, error) {
	f, ok := s.files[name]
	if !ok {
		return nil, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	}
	return f.Open()
}
