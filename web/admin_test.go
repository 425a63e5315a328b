package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"entgo.io/ent/dialect"

	"github.com/rollcall/rollcall/frontend"
	"github.com/rollcall/rollcall/store/storetest"
	"github.com/rollcall/rollcall/web"
)

func serveAdmin(t *testing.T, h http.Handler, path string, header ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, r *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var builtApp = fstest.MapFS{
	".gitkeep":                {Data: nil},
	"index.html":              {Data: []byte(`<!doctype html><div id="root"></div><script type="module" src="/admin/assets/index-abc123.js"></script>`)},
	"assets/index-abc123.js":  {Data: []byte(`console.log("app")`)},
	"assets/index-abc123.css": {Data: []byte(`body{}`)},
}

func TestAdminServesIndexForAppRoutes(t *testing.T) {
	h := web.AdminHandler(builtApp)
	for _, path := range []string{"/admin/", "/admin/connections", "/admin/connections/12/show", "/admin/callback", "/admin/index.html"} {
		r := serveAdmin(t, h, path+"?code=abc&state=xyz")
		b := body(t, r)
		if r.StatusCode != 200 || !strings.Contains(b, `<div id="root">`) {
			t.Errorf("%s: %d %q, want index.html", path, r.StatusCode, b)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("%s: Content-Type %q", path, ct)
		}
		if cc := r.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("%s: Cache-Control %q, want no-cache so a new build is picked up", path, cc)
		}
		if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: Content-Security-Policy %q", path, csp)
		}
		if rp := r.Header.Get("Referrer-Policy"); rp != "no-referrer" {
			t.Errorf("%s: Referrer-Policy %q: the callback URL carries the authorization code", path, rp)
		}
	}
}

func TestAdminIndexRevalidates(t *testing.T) {
	h := web.AdminHandler(builtApp)
	etag := serveAdmin(t, h, "/admin/").Header.Get("ETag")
	if etag == "" {
		t.Fatal("index.html has no ETag")
	}
	if r := serveAdmin(t, h, "/admin/users", "If-None-Match", etag); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match with the current ETag: %d, want 304", r.StatusCode)
	}
}

func TestAdminServesAssetsWithLongCaching(t *testing.T) {
	h := web.AdminHandler(builtApp)
	r := serveAdmin(t, h, "/admin/assets/index-abc123.js")
	if b := body(t, r); r.StatusCode != 200 || b != `console.log("app")` {
		t.Fatalf("asset: %d %q", r.StatusCode, b)
	}
	if ct := r.Header.Get("Content-Type"); !strings.Contains(ct, "javascript") {
		t.Errorf("asset Content-Type %q", ct)
	}
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("asset Cache-Control %q, want a long immutable cache for hashed files", cc)
	}
	if r := serveAdmin(t, h, "/admin/assets/index-abc123.css"); !strings.HasPrefix(r.Header.Get("Content-Type"), "text/css") {
		t.Errorf("css Content-Type %q", r.Header.Get("Content-Type"))
	}
}

func TestAdminMissingAssetIsA404(t *testing.T) {
	h := web.AdminHandler(builtApp)
	for _, path := range []string{"/admin/assets/index-old999.js", "/admin/assets/", "/admin/favicon.ico", "/admin/connections/app.js"} {
		r := serveAdmin(t, h, path)
		if b := body(t, r); r.StatusCode != 404 || strings.Contains(b, `<div id="root">`) {
			t.Errorf("%s: %d %q, want a real 404 (not index.html)", path, r.StatusCode, b)
		}
	}
}

func TestAdminNotBuiltSaysHowToBuild(t *testing.T) {
	h := web.AdminHandler(fstest.MapFS{".gitkeep": {Data: nil}})
	for _, path := range []string{"/admin/", "/admin/connections", "/admin/assets/index.js"} {
		r := serveAdmin(t, h, path)
		b := body(t, r)
		if r.StatusCode != http.StatusServiceUnavailable || !strings.Contains(b, "make frontend") {
			t.Errorf("%s without a build: %d %q, want 503 naming `make frontend`", path, r.StatusCode, b)
		}
	}
}

// The real server mounts the embedded app (built or not) at /admin/ and sends /admin there.
func TestAdminMountedOnTheServer(t *testing.T) {
	s := startTestServer(t, storetest.Open(t, dialect.SQLite))
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(s.URL + "/admin")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/admin/" {
		t.Errorf("/admin: %d Location %q, want 301 to /admin/", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, err = http.Get(s.URL + "/admin/connections")
	if err != nil {
		t.Fatal(err)
	}
	b := body(t, resp)
	resp.Body.Close()
	switch {
	case frontend.Built() && (resp.StatusCode != 200 || !strings.Contains(b, `id="root"`)):
		t.Errorf("/admin/connections with the app built: %d %.200q", resp.StatusCode, b)
	case !frontend.Built() && (resp.StatusCode != 503 || !strings.Contains(b, "make frontend")):
		t.Errorf("/admin/connections without a build: %d %.200q", resp.StatusCode, b)
	}
}
