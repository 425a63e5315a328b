package facade

import (
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/cache"
	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/oauth"
	"github.com/rollcall/rollcall/oneroster"
)

// Options are what the facade needs.
type Options struct {
	Config   config.Config
	Reader   Reader          // the query engine (CacheReader in production)
	Verifier *oauth.Verifier // token checks; the facade renders their refusals in OneRoster shapes
	DB       *ent.Client     // the schools of school-limited connections, and the settings the guidelines quote
	Log      *slog.Logger
	// MaxLimit is the largest page size served (default DefaultMaxLimit); a larger limit is refused with 400.
	MaxLimit int
	Limits   Limits
	// Extra are routes other packages serve under the OneRoster roots (the gradebook of both versions): they
	// get the same routing, token, scope and rate checks, error rendering, discovery and documentation.
	Extra []Route
	Now   func() time.Time
}

// HandlerFunc serves a route that is not a plain read (Route.Handler). It must not write anything before it
// knows it succeeds: an error it returns is rendered in the version's shape.
type HandlerFunc func(w http.ResponseWriter, r *http.Request, req *Request) error

// Request is what a route handler knows about the request beyond *http.Request.
type Request struct {
	Route     *Route
	Principal *oauth.Principal
	Viewer    cache.Viewer // what the connection may see
	Reader    Reader
	Hrefs     cache.Hrefs // the roots of GUIDRef hrefs in the version
}

// Facade serves the OneRoster REST API, its discovery page and its documentation.
type Facade struct {
	opt     Options
	routes  []Route
	verify  *oauth.Verifier
	limit   *limiter
	viewers *viewers
	log     *slog.Logger
	docs    *docs
}

// New builds the facade. Register mounts it.
func New(opt Options) *Facade {
	if opt.Log == nil {
		opt.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.MaxLimit <= 0 {
		opt.MaxLimit = DefaultMaxLimit
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Reader == nil {
		opt.Reader = noReader{}
	}
	f := &Facade{opt: opt, log: opt.Log, limit: newLimiter(opt.Limits, opt.Now), viewers: &viewers{db: opt.DB}}
	f.routes = append(Routes(), opt.Extra...)
	if opt.Verifier != nil {
		f.verify = opt.Verifier.WithRenderer(RenderAuthError)
	}
	f.docs = newDocs(f)
	return f
}

// RoutesOf returns the facade's routes (built-in and extra) of a version ("" for all), in table order.
func (f *Facade) RoutesOf(version string) []Route {
	var out []Route
	for _, r := range f.routes {
		if version == "" || r.Version == version {
			out = append(out, r)
		}
	}
	return out
}

// Register mounts every route, the discovery page and the documentation on mux. One mux pattern per path
// (so metrics are labelled by endpoint, never by sourcedId), plus its trailing-slash twin for collections;
// under each service root anything else is a 404 in the version's shape. Without a verifier nothing under
// the OneRoster roots is served (never an open roster): only the discovery page and the documentation.
func (f *Facade) Register(mux *http.ServeMux) {
	f.docs.register(mux)
	mux.Handle("GET "+config.OneRosterPath, http.HandlerFunc(f.discovery))
	mux.Handle("GET "+config.OneRosterPath+"/{$}", http.HandlerFunc(f.discovery))
	mux.Handle(config.OneRosterPath+"/", f.unknown(oneroster.V1p2))
	mux.Handle("GET "+RootV1p1, http.HandlerFunc(f.discovery))
	mux.Handle("GET "+RootV1p1+"/{$}", http.HandlerFunc(f.discovery))
	for _, root := range []string{RootRostering, RootGradebook, RootResources} {
		mux.Handle("GET "+root, http.HandlerFunc(f.discovery))
		mux.Handle("GET "+root+"/{$}", http.HandlerFunc(f.discovery))
		mux.Handle(root+"/", f.unknown(oneroster.V1p2))
	}
	mux.Handle(RootV1p1+"/", f.unknown(oneroster.V1p1))
	if f.verify == nil {
		return
	}
	byPath := map[string][]int{}
	var paths []string
	for i, r := range f.routes {
		p := r.FullPath()
		if _, ok := byPath[p]; !ok {
			paths = append(paths, p)
		}
		byPath[p] = append(byPath[p], i)
	}
	for _, p := range paths {
		h := f.dispatch(byPath[p])
		mux.Handle(p, h)
		if !strings.HasSuffix(p, "}") {
			mux.Handle(p+"/{$}", h) // collections accept a trailing slash (generated SDKs send one)
		}
	}
}

// dispatch picks the route of the request's method among those of one path.
func (f *Facade) dispatch(idx []int) http.Handler {
	byMethod := map[string]http.Handler{}
	var allowed []string
	version := f.routes[idx[0]].Version
	for _, i := range idx {
		r := &f.routes[i]
		byMethod[r.Method] = f.chain(r)
		allowed = append(allowed, r.Method)
	}
	if _, ok := byMethod["GET"]; ok {
		byMethod["HEAD"] = byMethod["GET"]
		allowed = append(allowed, "HEAD")
	}
	allowed = append(allowed, "OPTIONS")
	slices.Sort(allowed)
	allow := strings.Join(allowed, ", ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, ok := byMethod[r.Method]; ok {
			h.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Allow", allow)
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		MethodNotAllowed(r.Method, allowed).write(w, version)
	})
}

// chain is one route's handler behind its token, scope and rate checks.
func (f *Facade) chain(rt *Route) http.Handler {
	serve := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := f.serve(w, r, rt); err != nil {
			f.fail(w, r, rt.Version, err)
		}
	})
	return f.verify.RequireVendor(rt.Version, rt.Scopes...)(f.limit.middleware(rt.Version, serve))
}

// unknown answers paths under a root that are no endpoint.
func (f *Facade) unknown(version string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		UnknownPath(r.URL.Path).write(w, version)
	})
}

// fail renders a handler's error; unexpected ones are logged and become a 500.
func (f *Facade) fail(w http.ResponseWriter, r *http.Request, version string, err error) {
	e, ok := asError(readErr(err))
	if !ok {
		f.log.Error("oneroster request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	e.write(w, version)
}
