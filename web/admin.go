package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/frontend"
)

// mountAdmin serves the admin app (frontend/dist, embedded) at config.AdminPath.
func (s *Server) mountAdmin() {
	h := AdminHandler(frontend.Dist())
	s.mux.Handle("GET "+config.AdminPath, h)
	s.mux.Handle("GET "+strings.TrimSuffix(config.AdminPath, "/"), http.RedirectHandler(config.AdminPath, http.StatusMovedPermanently))
}

// adminCSP keeps the app to its own origin: scripts and data from the server only, no CDN, no framing.
// Styles may be inline because MUI (emotion) injects <style> elements at run time.
const adminCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
	"font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; " +
	"form-action 'self'; object-src 'none'"

// AdminHandler serves the single-page app in fsys (index.html and assets/ at its root) under
// config.AdminPath:
//
//   - files that exist are served as they are; hashed files under assets/ are cached for a year;
//   - a missing file (under assets/, or any path with an extension) is a real 404, so a stale page that
//     asks for an old asset fails loudly instead of receiving HTML;
//   - every other path is a client-side route of the app and gets index.html (never cached stale);
//   - when fsys has no index.html (the binary was built without the app), every path answers 503 with a
//     page that says how to build it.
func AdminHandler(fsys fs.FS) http.Handler {
	index, err := fs.ReadFile(fsys, "index.html")
	if err != nil {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			adminHeaders(w)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(notBuiltPage))
		})
	}
	sum := sha256.Sum256(index)
	indexETag := `"` + hex.EncodeToString(sum[:8]) + `"`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		adminHeaders(w)
		name := strings.TrimPrefix(r.URL.Path, config.AdminPath)
		if name != "" && name != "index.html" && fs.ValidPath(name) {
			if st, err := fs.Stat(fsys, name); err == nil && !st.IsDir() {
				if strings.HasPrefix(name, "assets/") {
					w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				} else {
					w.Header().Set("Cache-Control", "no-cache")
				}
				http.ServeFileFS(w, r, fsys, name)
				return
			}
		}
		if strings.HasPrefix(name, "assets/") || path.Ext(name) != "" && name != "index.html" {
			w.Header().Set("Cache-Control", "no-store")
			http.Error(w, "404 not found: "+r.URL.Path+" is not part of this build of the admin app (reload the page)", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("ETag", indexETag)
		http.ServeContent(w, r, "index.html", time.Time{}, bytes.NewReader(index))
	})
}

func adminHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", adminCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	// The sign-in callback carries the authorization code in its URL: never send it on as a referrer.
	h.Set("Referrer-Policy", "no-referrer")
}

const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Admin app not built · Rollcall</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:12vh auto;padding:0 1rem;color:#1d2430}
code{background:#eef0f3;padding:.1rem .3rem;border-radius:3px}</style></head>
<body><h1>Admin app not built</h1>
<p>This Rollcall binary was built without the admin app: run <code>make frontend</code>
(it runs <code>npm ci</code> and <code>vite build</code> in <code>frontend/</code>), then build the binary again
(<code>make build</code>).</p>
<p>The OneRoster API, GraphQL and the token endpoint work without it.</p></body></html>
`
