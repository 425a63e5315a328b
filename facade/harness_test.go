package facade_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rollcall/rollcall/cache"
	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/demo"
	"github.com/rollcall/rollcall/facade"
	"github.com/rollcall/rollcall/oauth"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/secrets"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
	"github.com/rollcall/rollcall/telemetry"
	"github.com/rollcall/rollcall/web"
)

// env is the whole server (web.New with its real OAuth provider) over a real database holding the demo
// district (300 students, seed 1), published by a real cache refresh.
type env struct {
	URL     string
	Handler http.Handler // the server's whole handler, for calling it without the network
	DB      *store.DB
	Svc     *provision.Service
	Cache   *cache.Cache
	Cfg     config.Config
	ctx     context.Context
}

// newEnv starts a server on a fresh database of the dialect. prepare, if set, changes the live data before
// the first refresh. The per-connection rate limit is off (tests make hundreds of requests a second) unless
// the test set facade.EnvRate itself.
func newEnv(t testing.TB, dialect string, prepare ...func(ctx context.Context, db *store.DB)) *env {
	t.Helper()
	ctx := context.Background()
	if _, set := os.LookupEnv(facade.EnvRate); !set {
		setenv(t, facade.EnvRate, "off")
	}
	db := storetest.Open(t, dialect)
	if _, err := demo.Generate(ctx, db, demo.Options{Students: 300, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	for _, p := range prepare {
		p(ctx, db)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	c := cache.New(db, cache.Options{})
	if _, err := c.Refresh(ctx, "test"); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(nil)
	cfg := config.Config{PublicURL: "http://" + ts.Listener.Addr().String(), LogLevel: "error"}
	key := make([]byte, secrets.KeySize)
	rand.Read(key)
	sealer, err := secrets.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	svc := &provision.Service{Client: db.Client, Sealer: sealer, Config: cfg}
	prov, err := oauth.New(oauth.Options{Config: cfg, DB: db.Client, Sealer: sealer, Log: log, Credentials: svc})
	if err != nil {
		t.Fatal(err)
	}
	h := web.New(web.Deps{Config: cfg, DB: db, Log: log, Metrics: telemetry.NewMetrics(),
		OAuth: prov, Verifier: prov.Verifier(), Provision: svc, Cache: c}).Handler()
	ts.Config.Handler = h
	ts.Start()
	t.Cleanup(ts.Close)
	return &env{URL: ts.URL, Handler: h, DB: db, Svc: svc, Cache: c, Cfg: cfg, ctx: ctx}
}

var seq atomic.Int64

// conn is a vendor connection with its credentials.
type conn struct {
	ID          int
	Key, Secret string
	Version     string
	env         *env
	cachedTok   string
}

// connect creates a connection (version "1.1" or "1.2"; every school unless schools are given; with
// demographics) and returns it.
func (e *env) connect(t testing.TB, version string, schools ...string) *conn {
	t.Helper()
	part := "t" + strconv.Itoa(int(seq.Add(1)))
	cr, err := e.Svc.Create(e.ctx, provision.NewConnection{VendorName: "Test LMS " + part, DistrictPart: part,
		Version: version, Demographics: true, SchoolSourcedIDs: schools})
	if err != nil {
		t.Fatal(err)
	}
	v := "v1p2"
	if version == "1.1" {
		v = "v1p1"
	}
	return &conn{ID: cr.Connection.ID, Key: cr.ClientID, Secret: cr.ClientSecret, Version: v, env: e}
}

// token gets a client-credentials access token from the real token endpoint (scope: what is allowed).
func (c *conn) token(t testing.TB) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}}
	req, _ := http.NewRequest("POST", c.env.URL+config.TokenPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(c.Key), url.QueryEscape(c.Secret))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != 200 || body.AccessToken == "" {
		t.Fatalf("token for %s: HTTP %d, %v", c.Key, resp.StatusCode, err)
	}
	return body.AccessToken
}

// tok is a token of the connection, obtained once.
func (c *conn) tok(t testing.TB) string {
	if c.cachedTok == "" {
		c.cachedTok = c.token(t)
	}
	return c.cachedTok
}

// response is a finished HTTP exchange.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a generic value.
func (r *response) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %.300s", err, r.Body)
	}
	return m
}

// Total is X-Total-Count.
func (r *response) Total(t testing.TB) int {
	t.Helper()
	n, err := strconv.Atoi(r.Header.Get("X-Total-Count"))
	if err != nil {
		t.Fatalf("X-Total-Count %q", r.Header.Get("X-Total-Count"))
	}
	return n
}

// Records are the records of a collection body under key.
func (r *response) Records(t testing.TB, key string) []map[string]any {
	t.Helper()
	var m map[string][]map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("collection body: %v: %.300s", err, r.Body)
	}
	recs, ok := m[key]
	if !ok {
		t.Fatalf("no %q in the body: %.300s", key, r.Body)
	}
	return recs
}

// get sends a GET with a bearer token ("" for none). path is relative to the server (or an absolute URL).
func (e *env) get(t testing.TB, token, path string) *response {
	t.Helper()
	return e.do(t, "GET", token, path, nil)
}

func (e *env) do(t testing.TB, method, token, path string, hdr http.Header) *response {
	t.Helper()
	return e.request(t, method, token, path, nil, hdr)
}

// request sends a request with an optional body.
func (e *env) request(t testing.TB, method, token, path string, body io.Reader, hdr http.Header) *response {
	t.Helper()
	u := path
	if !strings.HasPrefix(u, "http") {
		u = e.URL + path
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, path, err)
	}
	return &response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// must fails the test unless the response has the status.
func (r *response) must(t testing.TB, status int, what string) *response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: HTTP %d, want %d: %.500s", what, r.Status, status, r.Body)
	}
	return r
}

// q URL-encodes a query parameter value the way careful clients do (spaces as %20).
func q(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

// setenv sets an environment variable for the test (testing.F and testing.T both have Setenv).
func setenv(t testing.TB, k, v string) {
	t.(interface{ Setenv(k, v string) }).Setenv(k, v)
}
