package web

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

func (s *Server) routes() {
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.Handle("GET /metrics", s.deps.Metrics.Handler())
	s.mux.HandleFunc("GET /{$}", s.home)
}

// healthz answers 200 while the process is alive: it checks nothing else, so a slow database never gets a
// healthy process restarted.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 when the server should receive traffic: the database answers within two seconds, every
// migration is applied, and the server is not shutting down. Otherwise 503 with the reason.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "shutting down"})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.deps.DB.SQL.PingContext(ctx); err != nil {
		s.deps.Log.Warn("readiness: database unreachable", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database unreachable"})
		return
	}
	pending, err := s.deps.DB.Pending(ctx)
	if err != nil || pending > 0 {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "migrations pending", "pending": pending})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// home lists what this server offers.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	base := s.deps.Config.PublicURL
	writeJSON(w, http.StatusOK, map[string]any{
		"name": "Rollcall",
		"links": map[string]string{
			"health":  base + "/healthz",
			"ready":   base + "/readyz",
			"metrics": base + "/metrics",
		},
	})
}

// writeJSON writes v as the JSON body of a response with the status code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
