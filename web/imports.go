package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/rollcall/rollcall/csvbundle"
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
	run, err := csvbundle.Start(r.Context(), s.deps.DB, file, header.Filename, csvbundle.Options{DryRun: r.FormValue("dryRun") == "true"})
	if errors.Is(err, csvbundle.ErrUpload) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"id": run.ID, "status": run.Status, "source": run.Source,
		"progress": fmt.Sprintf("query importRuns(where: {id: %d}) for progress, counts and errors", run.ID)})
}
