package oauth_test

import (
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/oauth"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/store/storetest"
)

func TestMain(m *testing.M) {
	slog.SetDefault(quiet) // the OAuth library logs every refused request through slog.Default()
	os.Exit(m.Run())
}

func retryAfter(t *testing.T, r reply) int {
	t.Helper()
	n, err := strconv.Atoi(r.header.Get("Retry-After"))
	if err != nil || n < 1 {
		t.Errorf("Retry-After %q, want whole seconds >= 1", r.header.Get("Retry-After"))
	}
	return n
}

// Repeated failures for one client id get 429 with Retry-After, even with the right secret then.
func TestTokenRateLimitPerClient(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, "sqlite3")
	s := startServer(t, db, setup{limits: oauth.Limits{TokenFailuresPerClient: oauth.Limit{Every: time.Minute, Burst: 3}}})
	cr := s.connection(provision.NewConnection{DistrictPart: "guessme", Version: "1.2"})
	form := url.Values{"grant_type": {"client_credentials"}}
	for i := range 3 {
		if r := s.tokenBasic(cr.ClientID, "guess-"+strconv.Itoa(i), form); r.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d %s", i, r.status, r.raw)
		}
	}
	r := s.tokenBasic(cr.ClientID, cr.ClientSecret, form)
	if r.status != http.StatusTooManyRequests || r.str("error") != "slow_down" {
		t.Fatalf("after 3 failures: %d %s, want 429", r.status, r.raw)
	}
	if n := retryAfter(t, r); n > 60 {
		t.Errorf("Retry-After %d, want at most 60", n)
	}
	// Another client is not affected.
	other := s.connection(provision.NewConnection{DistrictPart: "bystander", Version: "1.2"})
	s.vendorToken(other)
}

// Failures from one address, across client ids, also get 429.
func TestTokenRateLimitPerAddress(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, "sqlite3")
	s := startServer(t, db, setup{limits: oauth.Limits{TokenFailuresPerAddress: oauth.Limit{Every: time.Minute, Burst: 2}}})
	form := url.Values{"grant_type": {"client_credentials"}}
	for i := range 2 {
		if r := s.tokenBasic("ROLLCALL_probe"+strconv.Itoa(i), "x", form); r.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d %s", i, r.status, r.raw)
		}
	}
	r := s.tokenBasic("ROLLCALL_probe9", "x", form)
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("third client id from the same address: %d %s, want 429", r.status, r.raw)
	}
	retryAfter(t, r)
}

// Behind a trusted proxy, failures are counted per client the proxy saw, not per proxy: one prober is
// slowed down, another client behind the same proxy is not; a forged header from outside changes nothing.
func TestTokenRateLimitBehindTrustedProxy(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, "sqlite3")
	s := startServer(t, db, setup{trustedProxies: "127.0.0.0/8",
		limits: oauth.Limits{TokenFailuresPerAddress: oauth.Limit{Every: time.Minute, Burst: 2}}})
	form := url.Values{"grant_type": {"client_credentials"}}
	from := func(client, id string) reply {
		req, _ := http.NewRequest(http.MethodPost, s.base+config.TokenPath, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", client)
		req.SetBasicAuth(id, "x")
		return s.do(req)
	}
	for i := range 2 {
		if r := from("198.51.100.1", "ROLLCALL_probe"+strconv.Itoa(i)); r.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d %s", i, r.status, r.raw)
		}
	}
	if r := from("198.51.100.1", "ROLLCALL_probe9"); r.status != http.StatusTooManyRequests {
		t.Fatalf("the prober's third failure: %d, want 429", r.status)
	}
	if r := from("198.51.100.2", "ROLLCALL_other"); r.status != http.StatusUnauthorized {
		t.Fatalf("another client behind the proxy: %d, want 401 (its own budget)", r.status)
	}
}

// Repeated failed sign-ins for one username get 429 with Retry-After; the failures are audited.
func TestSignInRateLimit(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, "sqlite3")
	s := startServer(t, db, setup{limits: oauth.Limits{SignInFailuresPerUser: oauth.Limit{Every: time.Minute, Burst: 2}}})
	if _, err := s.svc.CreateAdmin(adminCtx(), "target", provision.RoleAuditor, adminPassword); err != nil {
		t.Fatal(err)
	}
	r := s.authorize(s.url+oauth.AdminCallbackPath, mustChallenge(), "x")
	id := strings.TrimPrefix(r.header.Get("Location"), s.url+oauth.LoginPath+"?authRequestID=")
	post := func(password string) reply {
		return s.follow(http.MethodPost, s.url+oauth.LoginPath, url.Values{"authRequestID": {id}, "username": {"target"}, "password": {password}})
	}
	for i := range 2 {
		if r := post("guess number " + strconv.Itoa(i)); r.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i, r.status)
		}
	}
	r = post(adminPassword)
	if r.status != http.StatusTooManyRequests || !strings.Contains(r.raw, "Too many failed sign-ins") {
		t.Fatalf("after 2 failures: %d %s", r.status, r.raw)
	}
	retryAfter(t, r)
	if n := len(auditEvents(t, db.Client, "signin.failure")); n != 2 {
		t.Errorf("%d signin.failure events, want 2", n)
	}
}
