package oauth_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/auditevent"
	"github.com/rollcall/rollcall/oauth"
	"github.com/rollcall/rollcall/oneroster"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/secrets"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/telemetry"
	"github.com/rollcall/rollcall/web"
)

// clock is real time shifted by a settable offset: tokens and keys age when a test moves it forward, while
// the library's own time.Now (iat) stays close.
type clock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

func newServerKey(t *testing.T) []byte {
	t.Helper()
	k := make([]byte, secrets.KeySize)
	rand.Read(k)
	return k
}

// setup says how a test server is built; zero values are the production defaults.
type setup struct {
	key    []byte // the server key (shared by "processes" of one district)
	clock  *clock
	keys   oauth.KeyPolicy
	limits oauth.Limits
	// publicURL is the issuer; empty: the server's own listener URL. Replicas behind one load balancer
	// share it (requests still go to each replica's own listener).
	publicURL string
	// trustedProxies is -trusted-proxies (the test client connects from 127.0.0.1).
	trustedProxies string
}

// server is one Rollcall process under test: web.New with the provider mounted, plus a few protected test
// routes behind the verifier, on a real HTTP listener whose URL is the issuer.
type server struct {
	t     *testing.T
	db    *store.DB
	url   string // public URL = issuer
	base  string // where this process listens (requests go here)
	prov  *oauth.Provider
	svc   *provision.Service
	clock *clock
	http  *http.Client // follows no redirects
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func startServer(t *testing.T, db *store.DB, s setup) *server {
	t.Helper()
	if s.key == nil {
		s.key = newServerKey(t)
	}
	if s.clock == nil {
		s.clock = &clock{}
	}
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	publicURL := s.publicURL
	if publicURL == "" {
		publicURL = base
	}
	cfg := config.Config{PublicURL: publicURL, Listen: ts.Listener.Addr().String(), DataDir: t.TempDir(), LogLevel: "error",
		TrustedProxies: s.trustedProxies}
	if err := cfg.Finish(); err != nil {
		t.Fatal(err)
	}
	sealer, err := secrets.NewSealer(s.key)
	if err != nil {
		t.Fatal(err)
	}
	svc := &provision.Service{Client: db.Client, Sealer: sealer, Config: cfg, Now: s.clock.Now}
	prov, err := oauth.New(oauth.Options{
		Config: cfg, DB: db.Client, Sealer: sealer, Credentials: svc, Log: quiet,
		Now: s.clock.Now, Keys: s.keys, Limits: s.limits,
	})
	if err != nil {
		t.Fatal(err)
	}
	v := prov.Verifier()
	w := web.New(web.Deps{Config: cfg, DB: db, Log: quiet, Metrics: telemetry.NewMetrics(), OAuth: prov, Verifier: v})
	mux := http.NewServeMux()
	mux.Handle("/", w.Handler())
	mux.Handle("/test/v1p2/roster", v.RequireVendor(oneroster.V1p2, oneroster.ScopeRosterCore, oneroster.ScopeRoster)(echoPrincipal()))
	mux.Handle("/test/v1p1/roster", v.RequireVendor(oneroster.V1p1, oneroster.ScopeRosterCore, oneroster.ScopeRoster)(echoPrincipal()))
	mux.Handle("/test/v1p2/lineItems", v.RequireVendor(oneroster.V1p2, oneroster.ScopeGradebookCreatePut)(echoPrincipal()))
	mux.Handle("/test/graphql", v.RequireAdmin()(echoPrincipal()))
	mux.Handle("/test/admin", v.RequireAdmin(provision.RoleSISAdmin)(echoPrincipal()))
	ts.Config.Handler = mux
	ts.Start()
	t.Cleanup(ts.Close)
	if ts.URL != base {
		t.Fatalf("server URL %s, want %s", ts.URL, base)
	}
	return &server{
		t: t, db: db, url: publicURL, base: base, prov: prov, svc: svc, clock: s.clock,
		http: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
}

// echoPrincipal answers with the principal and actor the middleware handed on.
func echoPrincipal() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := oauth.PrincipalFrom(r.Context())
		if !ok {
			http.Error(w, "no principal", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"kind": p.Kind, "consumerKey": p.ConsumerKey, "connectionId": p.ConnectionID, "version": p.Version,
			"serviceAccount": p.ServiceAccount, "scopes": p.Scopes, "username": p.Username, "role": p.Role,
			"apiClientId": p.APIClientID, "actor": actor.From(r.Context()),
		})
	})
}

// adminCtx acts as an admin from a documentation address.
func adminCtx() context.Context {
	return audit.WithRemoteAddr(actor.With(context.Background(), actor.KindAdmin, "alice"), "192.0.2.10")
}

// connection creates a vendor connection through provision and returns its credentials.
func (s *server) connection(nc provision.NewConnection) provision.Credentials {
	s.t.Helper()
	if nc.VendorName == "" {
		nc.VendorName = "Vendor " + nc.DistrictPart
	}
	cr, err := s.svc.Create(adminCtx(), nc)
	if err != nil {
		s.t.Fatalf("creating connection %s: %v", nc.DistrictPart, err)
	}
	return cr
}

// reply is a decoded JSON response.
type reply struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (r reply) str(key string) string { s, _ := r.body[key].(string); return s }

func (s *server) do(req *http.Request) reply {
	s.t.Helper()
	resp, err := s.http.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	out := reply{status: resp.StatusCode, header: resp.Header, raw: string(b)}
	_ = json.Unmarshal(b, &out.body)
	return out
}

// tokenBasic asks the token endpoint with HTTP Basic client authentication.
func (s *server) tokenBasic(id, secret string, form url.Values) reply {
	s.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.base+config.TokenPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	return s.do(req)
}

// tokenPost asks the token endpoint with the client credentials in the form body.
func (s *server) tokenPost(form url.Values) reply {
	s.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.base+config.TokenPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return s.do(req)
}

// vendorToken gets a token with HTTP Basic and the given scopes, failing the test unless it is issued.
func (s *server) vendorToken(cr provision.Credentials, scopes ...string) string {
	s.t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}}
	if len(scopes) > 0 {
		form.Set("scope", strings.Join(scopes, " "))
	}
	r := s.tokenBasic(cr.ClientID, cr.ClientSecret, form)
	if r.status != http.StatusOK || r.str("access_token") == "" {
		s.t.Fatalf("token for %s: %d %s", cr.ClientID, r.status, r.raw)
	}
	return r.str("access_token")
}

// tryToken gets a token with HTTP Basic (safe to call from any goroutine).
func (s *server) tryToken(cr provision.Credentials) (string, error) {
	req, _ := http.NewRequest(http.MethodPost, s.base+config.TokenPath, strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(cr.ClientID), url.QueryEscape(cr.ClientSecret))
	resp, err := s.http.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("token endpoint: %d %v", resp.StatusCode, err)
	}
	return body.AccessToken, nil
}

// get calls path with a bearer token (none when token is empty).
func (s *server) get(path, token string) reply {
	s.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.base+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return s.do(req)
}

// waitStatus polls path with token until it answers want, failing after limit. It returns how long it took.
func (s *server) waitStatus(path, token string, want int, limit time.Duration) time.Duration {
	s.t.Helper()
	start := time.Now()
	for {
		r := s.get(path, token)
		if r.status == want {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			s.t.Fatalf("%s still answers %d (%s) after %s; want %d", path, r.status, r.raw, limit, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// jwtParts decodes a JWT's header and claims without verifying it.
func jwtParts(t *testing.T, tok string) (header, claims map[string]any) {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", tok)
	}
	for i, dst := range []*map[string]any{&header, &claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, dst); err != nil {
			t.Fatal(err)
		}
	}
	return header, claims
}

// auditEvents returns the events of an action, oldest first.
func auditEvents(t *testing.T, c *ent.Client, action string) []*ent.AuditEvent {
	t.Helper()
	evs, err := c.AuditEvent.Query().Where(auditevent.Action(action)).Order(auditevent.ByID()).All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// pkce returns a code verifier and its S256 challenge.
func pkce() (verifier, challenge string) {
	b := make([]byte, 32)
	rand.Read(b)
	verifier = base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

func scopeURIs(version string, names ...string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = oneroster.ScopeURI(version, n)
	}
	return out
}
