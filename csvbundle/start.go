package csvbundle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/store"
)

// ErrUpload is returned by Start when the uploaded bundle could not be read (the client's fault: a broken or
// oversized upload).
var ErrUpload = errors.New("reading the upload")

// Start imports an uploaded bundle (a zip) in the background, for the admin API: it saves src to a temporary
// file called name (only its base name is kept), runs ImportPath on it with a context that outlives ctx but
// keeps its values (the admin as actor, the remote address), and returns the ImportRun as soon as it is
// recorded, before any work; its rows_done, status, counts and problems tell the rest. The start is audited
// (Options.Audit). The temporary file is removed when the import ends. opt.Started is Start's own.
func Start(ctx context.Context, db *store.DB, src io.Reader, name string, opt Options) (*ent.ImportRun, error) {
	dir, err := os.MkdirTemp("", "rollcall-upload")
	if err != nil {
		return nil, fmt.Errorf("storing the upload: %w", err)
	}
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "." || name == "/" || name == "" {
		name = "bundle.zip"
	}
	path := filepath.Join(dir, name)
	if err := save(src, path); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("%w: %w", ErrUpload, err)
	}
	started := make(chan *ent.ImportRun, 1)
	failed := make(chan error, 1)
	bg := context.WithoutCancel(ctx)
	opt.Audit = true
	opt.Started = func(run *ent.ImportRun) { started <- run }
	go func() {
		defer os.RemoveAll(dir)
		run, err := ImportPath(bg, db, path, opt)
		if run == nil && err != nil {
			failed <- err
		}
	}()
	select {
	case run := <-started:
		return run, nil
	case err := <-failed:
		return nil, fmt.Errorf("the import could not start: %w", err)
	}
}

func save(src io.Reader, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, src); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
