package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/rollcall/rollcall/csvbundle"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/provision"
)

// ImportsPath is the admin API's upload endpoint for OneRoster CSV bundles.
const ImportsPath = "/admin/api/imports"

// maxUpload bounds an uploaded bundle (a 100,000-student district zips to about 80 MB).
const maxUpload = 1 << 30

// mountImports lets an admin with the SIS security role upload a bundle (multipart field "file", optional
// "dryRun=true"). It answers 202 with the import run as soon as the run is recorded; the import goes on in
// the background and its progress, counts and errors are read from GraphQL's importRuns.
func (s *Server) mountImports() {
	if s.deps.Verifier == nil {
		return
	}
	h := s.deps.Verifier.RequireAdmin(provision.RoleSISAdmin)(http.HandlerFunc(s.uploadBundle))
	s.mux.Handle("POST "+ImportsPath, h)
}

func (s *Server) uploadBundle(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	file, header, err := r.FormFile("file")
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "send the bundle as the multipart form field \"file\" (a OneRoster CSV zip, at most 1 GiB)"})
		return
	}
	defer file.Close()
	dir, err := os.MkdirTemp("", "rollcall-upload")
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "cannot store the upload: " + err.Error()})
		return
	}
	name := filepath.Base(strings.ReplaceAll(header.Filename, "\\", "/"))
	if name == "." || name == "/" || name == "" {
		name = "bundle.zip"
	}
	path := filepath.Join(dir, name)
	if err := saveUpload(file, path); err != nil {
		os.RemoveAll(dir)
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "reading the upload: " + err.Error()})
		return
	}
	started := make(chan *ent.ImportRun, 1)
	failed := make(chan error, 1)
	bg := context.WithoutCancel(r.Context()) // keeps the actor and remote address; outlives the request
	go func() {
		defer os.RemoveAll(dir)
		run, err := csvbundle.ImportPath(bg, s.deps.DB, path, csvbundle.Options{
			DryRun:  r.FormValue("dryRun") == "true",
			Started: func(run *ent.ImportRun) { started <- run },
		})
		if run == nil && err != nil {
			failed <- err
		}
	}()
	select {
	case run := <-started:
		writeJSON(w, http.StatusAccepted, map[string]any{"id": run.ID, "status": run.Status, "source": run.Source,
			"progress": fmt.Sprintf("query importRuns(where: {id: %d}) for progress, counts and errors", run.ID)})
	case err := <-failed:
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "the import could not start: " + err.Error()})
	}
}

func saveUpload(src io.Reader, path string) error {
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
