package web_test

import (
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/oauth"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/secrets"
	"github.com/rollcall/rollcall/store/storetest"
	"github.com/rollcall/rollcall/telemetry"
	"github.com/rollcall/rollcall/web"
)

// The provider's paths reach it through web.New, and the server's own routes keep working beside them.
func TestOAuthMounted(t *testing.T) {
	db := storetest.Open(t, "sqlite3")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ts := httptest.NewUnstartedServer(nil)
	cfg := config.Config{PublicURL: "http://" + ts.Listener.Addr().String(), LogLevel: "error"}
	key := make([]byte, secrets.KeySize)
	rand.Read(key)
	sealer, err := secrets.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	prov, err := oauth.New(oauth.Options{Config: cfg, DB: db.Client, Sealer: sealer, Log: log,
		Credentials: &provision.Service{Client: db.Client, Sealer: sealer, Config: cfg}})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = web.New(web.Deps{Config: cfg, DB: db, Log: log, Metrics: telemetry.NewMetrics(),
		OAuth: prov, Verifier: prov.Verifier()}).Handler()
	ts.Start()
	defer ts.Close()

	get := func(path string) (int, map[string]any) {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, body
	}
	if code, body := get(oauth.DiscoveryPath); code != http.StatusOK || body["issuer"] != cfg.PublicURL ||
		body["token_endpoint"] != cfg.TokenURL() {
		t.Errorf("discovery: %d %v", code, body)
	}
	if code, body := get(oauth.KeysPath); code != http.StatusOK || body["keys"] == nil {
		t.Errorf("keys: %d %v", code, body)
	}
	if code, _ := get("/healthz"); code != http.StatusOK {
		t.Errorf("healthz: %d", code)
	}
	if code, _ := get("/readyz"); code != http.StatusOK {
		t.Errorf("readyz: %d", code)
	}
	resp, err := http.Post(ts.URL+config.TokenPath, "application/x-www-form-urlencoded", strings.NewReader("grant_type=client_credentials&client_id=ROLLCALL_x&client_secret=y"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("token endpoint with unknown client: %d", resp.StatusCode)
	}
}

// Without a provider the server still starts and serves its own routes.
func TestWithoutOAuth(t *testing.T) {
	db := storetest.Open(t, "sqlite3")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ts := httptest.NewServer(web.New(web.Deps{Config: config.Config{PublicURL: "http://example.test"}, DB: db, Log: log,
		Metrics: telemetry.NewMetrics()}).Handler())
	defer ts.Close()
	for path, want := range map[string]int{"/healthz": http.StatusOK, config.TokenPath: http.StatusNotFound} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
		}
	}
}
