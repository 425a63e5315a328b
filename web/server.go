// Package web composes Rollcall's HTTP server: it mounts each part of the product (health and metrics
// here; the OneRoster facade, the OAuth 2 provider, GraphQL and the admin app as they are added) on one
// mux, wraps it in the shared middleware, and runs it with a graceful shutdown.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/cache"
	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/oauth"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/telemetry"
)

// Deps are what the server's handlers use.
type Deps struct {
	Config  config.Config
	DB      *store.DB
	Log     *slog.Logger
	Metrics *telemetry.Metrics
	// OAuth is the OAuth 2 / OpenID Connect provider (token URL, discovery, keys, admin sign-in); nil
	// mounts none of its endpoints.
	OAuth *oauth.Provider
	// Verifier checks the bearer tokens of protected routes (the OneRoster facade, GraphQL): use its
	// RequireVendor / RequireAdmin middleware. Usually OAuth.Verifier().
	Verifier *oauth.Verifier
	// Provision is the connections service GraphQL's mutations call.
	Provision *provision.Service
	// Cache is the published OneRoster cache the REST facade (and whoever reads OneRoster) serves from; nil
	// mounts the OneRoster endpoints without data (they answer 503 until a cache is given).
	Cache *cache.Cache
}

// Server is Rollcall's HTTP server.
type Server struct {
	deps     Deps
	mux      *http.ServeMux
	draining atomic.Bool
}

// New returns a server with every route mounted.
func New(d Deps) *Server {
	s := &Server{deps: d, mux: http.NewServeMux()}
	s.routes()
	s.mountOAuth()
	s.mountGraphQL()
	s.mountImports()
	s.mountFacade()
	s.mountAdmin()
	return s
}

// Handler is the whole server as an http.Handler (tests serve it with httptest).
func (s *Server) Handler() http.Handler {
	return audit.Middleware(s.deps.Config.ClientAddr.Addr, s.deps.Metrics.Instrument(recoverPanics(s.deps.Log, s.mux)))
}

// Serve answers requests on l until ctx is done, then stops accepting, reports not-ready, and gives
// in-flight requests the configured grace period to finish.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.deps.Log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.draining.Store(true)
	grace := s.deps.Config.ShutdownGrace
	if grace <= 0 {
		grace = 20 * time.Second
	}
	s.deps.Log.Info("shutting down", "grace", grace.String())
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// recoverPanics turns a handler panic into a logged 500 instead of a dropped connection.
func recoverPanics(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("handler panic", "method", r.Method, "path", r.URL.Path, "panic", v)
				writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
			}
		}()
		next.ServeHTTP(w, r)
	})
}
