package web_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/cache"
	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/oauth"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/secrets"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/telemetry"
	"github.com/rollcall/rollcall/web"
)

// testServer is the whole HTTP server over a real database, with its real OAuth provider.
type testServer struct {
	URL string
	DB  *store.DB
	Svc *provision.Service
}

// withCache gives the test server a real OneRoster cache over its database.
func withCache(d *web.Deps) { d.Cache = cache.New(d.DB, cache.Options{Logger: d.Log}) }

func startTestServer(t *testing.T, db *store.DB, opts ...func(*web.Deps)) *testServer {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
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
	deps := web.Deps{Config: cfg, DB: db, Log: log, Metrics: telemetry.NewMetrics(),
		OAuth: prov, Verifier: prov.Verifier(), Provision: svc}
	for _, o := range opts {
		o(&deps)
	}
	ts.Config.Handler = web.New(deps).Handler()
	ts.Start()
	t.Cleanup(ts.Close)
	return &testServer{URL: ts.URL, DB: db, Svc: svc}
}

// token gets a client-credentials access token from the real token endpoint.
func (s *testServer) token(t *testing.T, clientID, secret string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}}
	req, _ := http.NewRequest("POST", s.URL+config.TokenPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(secret))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != 200 || body.AccessToken == "" {
		t.Fatalf("token for %s: HTTP %d, %v", clientID, resp.StatusCode, err)
	}
	return body.AccessToken
}

// analystToken creates an analyst account with an API client and returns a token for it.
func (s *testServer) analystToken(t *testing.T, role string) string {
	t.Helper()
	ctx := context.Background()
	if _, err := s.Svc.CreateAdmin(ctx, "ana_"+role, role, "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	creds, err := s.Svc.CreateAPIClient(ctx, "ana_"+role, "notebook")
	if err != nil {
		t.Fatal(err)
	}
	return s.token(t, creds.ClientID, creds.ClientSecret)
}
