package oauth_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/oauth"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

const adminPassword = "correct horse battery staple"

// authorize starts the admin app's sign-in and returns the sign-in page URL the provider redirected to.
func (s *server) authorize(redirectURI, challenge, state string) reply {
	s.t.Helper()
	q := url.Values{
		"client_id": {oauth.AdminAppClientID}, "redirect_uri": {redirectURI}, "response_type": {"code"},
		"scope": {"openid profile"}, "state": {state},
	}
	if challenge != "" {
		q.Set("code_challenge", challenge)
		q.Set("code_challenge_method", "S256")
	}
	req, _ := http.NewRequest(http.MethodGet, s.base+oauth.AuthorizePath+"?"+q.Encode(), nil)
	return s.do(req)
}

// follow requests an absolute URL the server handed out (on this process's listener).
func (s *server) follow(method, location string, form url.Values) reply {
	s.t.Helper()
	u := strings.Replace(location, s.url, s.base, 1)
	var req *http.Request
	if form != nil {
		req, _ = http.NewRequest(method, u, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req, _ = http.NewRequest(method, u, nil)
	}
	return s.do(req)
}

// signIn runs authorize → sign-in page → POST credentials → callback and returns the redirect to the admin
// app (with code and state).
func (s *server) signIn(redirectURI, challenge, username, password string) *url.URL {
	s.t.Helper()
	r := s.authorize(redirectURI, challenge, "st4te")
	loc := r.header.Get("Location")
	if r.status != http.StatusFound || !strings.HasPrefix(loc, s.url+oauth.LoginPath+"?authRequestID=") {
		s.t.Fatalf("authorize: %d %q %s", r.status, loc, r.raw)
	}
	page := s.follow(http.MethodGet, loc, nil)
	if page.status != http.StatusOK || !strings.Contains(page.raw, `<form method="post"`) {
		s.t.Fatalf("sign-in page: %d %s", page.status, page.raw)
	}
	id := strings.TrimPrefix(loc, s.url+oauth.LoginPath+"?authRequestID=")
	r = s.follow(http.MethodPost, s.url+oauth.LoginPath, url.Values{"authRequestID": {id}, "username": {username}, "password": {password}})
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), s.url+oauth.CallbackPath) {
		s.t.Fatalf("sign-in POST: %d %q %s", r.status, r.header.Get("Location"), r.raw)
	}
	r = s.follow(http.MethodGet, r.header.Get("Location"), nil)
	back, err := url.Parse(r.header.Get("Location"))
	if r.status != http.StatusFound || err != nil || back.Query().Get("code") == "" {
		s.t.Fatalf("callback: %d %q %s", r.status, r.header.Get("Location"), r.raw)
	}
	if back.Query().Get("state") != "st4te" {
		s.t.Errorf("state %q", back.Query().Get("state"))
	}
	return back
}

func (s *server) exchange(code, redirectURI, verifier string) reply {
	s.t.Helper()
	return s.tokenPost(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI},
		"client_id": {oauth.AdminAppClientID}, "code_verifier": {verifier}})
}

// The admin app end to end: authorization code + PKCE through the server's sign-in page, on both databases.
func TestAdminSignIn(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := startServer(t, db, setup{})
		if _, err := s.svc.CreateAdmin(adminCtx(), "ana", provision.RoleAnalyst, adminPassword); err != nil {
			t.Fatal(err)
		}
		callback := s.url + oauth.AdminCallbackPath

		// A wrong password: 401 on the page, audited with username and address, never the password.
		r := s.authorize(callback, mustChallenge(), "x")
		id := strings.TrimPrefix(r.header.Get("Location"), s.url+oauth.LoginPath+"?authRequestID=")
		r = s.follow(http.MethodPost, s.url+oauth.LoginPath, url.Values{"authRequestID": {id}, "username": {"ana"}, "password": {"not it at all"}})
		if r.status != http.StatusUnauthorized || !strings.Contains(r.raw, "Wrong username or password") {
			t.Errorf("wrong password: %d %s", r.status, r.raw)
		}
		fails := auditEvents(t, db.Client, "signin.failure")
		if len(fails) != 1 || fails[0].Detail["username"] != "ana" || fails[0].RemoteAddr == "" ||
			strings.Contains(strings.Join(detailStrings(fails[0].Detail), " "), "not it at all") {
			t.Errorf("signin.failure events %+v", fails)
		}

		// The whole flow.
		verifier, challenge := pkce()
		back := s.signIn(callback, challenge, "ana", adminPassword)
		code := back.Query().Get("code")
		if ok := auditEvents(t, db.Client, "signin.success"); len(ok) != 1 || ok[0].Detail["username"] != "ana" ||
			ok[0].Actor != "admin:ana" || ok[0].RemoteAddr == "" {
			t.Errorf("signin.success events %+v", ok)
		}
		tr := s.exchange(code, callback, verifier)
		if tr.status != http.StatusOK || tr.str("token_type") != "Bearer" || tr.str("id_token") == "" {
			t.Fatalf("code exchange: %d %s", tr.status, tr.raw)
		}
		_, claims := jwtParts(t, tr.str("access_token"))
		aud, _ := claims["aud"].([]any)
		if claims["sub"] != "ana" || claims["role"] != "analyst" || claims["kind"] != "admin" ||
			!slices.Contains(aud, any(oauth.AudienceGraphQL(s.url))) {
			t.Errorf("admin token claims %v", claims)
		}
		_, idClaims := jwtParts(t, tr.str("id_token"))
		if idAud, _ := idClaims["aud"].([]any); !slices.Contains(idAud, any(oauth.AdminAppClientID)) {
			t.Errorf("id token aud %v", idClaims["aud"])
		}

		// The ID token is not an access token.
		if g := s.get("/test/graphql", tr.str("id_token")); g.status != http.StatusUnauthorized {
			t.Errorf("ID token used as access token: %d %s", g.status, g.raw)
		}

		// The code works once.
		if again := s.exchange(code, callback, verifier); again.status != http.StatusBadRequest || again.str("error") != "invalid_grant" {
			t.Errorf("code reuse: %d %s", again.status, again.raw)
		}

		// The admin token opens GraphQL by role, and not the OneRoster API.
		tok := tr.str("access_token")
		if g := s.get("/test/graphql", tok); g.status != http.StatusOK || g.str("role") != "analyst" || g.str("actor") != "admin:ana" {
			t.Errorf("graphql with analyst token: %d %s", g.status, g.raw)
		}
		if g := s.get("/test/admin", tok); g.status != http.StatusForbidden {
			t.Errorf("sis_admin-only route with analyst token: %d %s", g.status, g.raw)
		}
		if g := s.get("/test/v1p2/roster", tok); g.status != http.StatusForbidden {
			t.Errorf("OneRoster with admin token: %d %s", g.status, g.raw)
		}

		// A wrong PKCE verifier is refused (and burns the code).
		verifier2, challenge2 := pkce()
		code2 := s.signIn(callback, challenge2, "ana", adminPassword).Query().Get("code")
		if bad := s.exchange(code2, callback, verifier); bad.status != http.StatusBadRequest || bad.str("error") != "invalid_grant" {
			t.Errorf("wrong verifier: %d %s", bad.status, bad.raw)
		}
		if late := s.exchange(code2, callback, verifier2); late.status != http.StatusBadRequest {
			t.Errorf("code after a failed exchange: %d %s", late.status, late.raw)
		}

		// Disabling the account cuts its live token off.
		if err := s.svc.DisableAdmin(adminCtx(), "ana"); err != nil {
			t.Fatal(err)
		}
		s.waitStatus("/test/graphql", tok, http.StatusUnauthorized, 5*time.Second)
	})
}

// What the authorization endpoint refuses: PKCE missing, an unregistered redirect URI. In dev mode (http
// public URL) a loopback redirect URI on any port is accepted.
func TestAuthorizeChecks(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, "sqlite3")
	s := startServer(t, db, setup{})
	if r := s.authorize("https://evil.example/admin/callback", mustChallenge(), "x"); r.status == http.StatusFound {
		t.Errorf("foreign redirect URI redirected to %q", r.header.Get("Location"))
	}
	r := s.authorize(s.url+oauth.AdminCallbackPath, "", "x")
	if loc, _ := url.Parse(r.header.Get("Location")); r.status != http.StatusFound || loc.Query().Get("error") != "invalid_request" {
		t.Errorf("no PKCE: %d %q", r.status, r.header.Get("Location"))
	}
	r = s.authorize("http://127.0.0.1:5173"+oauth.AdminCallbackPath, mustChallenge(), "x")
	if r.status != http.StatusFound || !strings.Contains(r.header.Get("Location"), oauth.LoginPath) {
		t.Errorf("loopback redirect URI in dev mode: %d %q %s", r.status, r.header.Get("Location"), r.raw)
	}
	if p := s.get(oauth.LoginPath+"?authRequestID=nope", ""); p.status != http.StatusBadRequest ||
		strings.Contains(p.raw, "<form") {
		t.Errorf("sign-in page for an unknown request: %d", p.status)
	}
	// End session (no server-side session to end) sends the browser back to the admin app.
	q := url.Values{"client_id": {oauth.AdminAppClientID}, "post_logout_redirect_uri": {s.url + "/admin/"}}
	if e := s.get(oauth.EndSessionPath+"?"+q.Encode(), ""); e.status != http.StatusFound || e.header.Get("Location") != s.url+"/admin/" {
		t.Errorf("end session: %d %q %s", e.status, e.header.Get("Location"), e.raw)
	}
	d := s.get(oauth.DiscoveryPath, "")
	if d.str("issuer") != s.url || d.str("token_endpoint") != s.url+config.TokenPath || d.str("jwks_uri") != s.url+oauth.KeysPath {
		t.Errorf("discovery %s", d.raw)
	}
}

// API clients: client credentials for GraphQL, carrying the account's role; revoking cuts tokens off.
func TestAPIClientToken(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := startServer(t, db, setup{})
		if _, err := s.svc.CreateAdmin(adminCtx(), "boss", provision.RoleSISAdmin, adminPassword); err != nil {
			t.Fatal(err)
		}
		ac, err := s.svc.CreateAPIClient(adminCtx(), "boss", "nightly report")
		if err != nil {
			t.Fatal(err)
		}
		r := s.tokenPost(url.Values{"grant_type": {"client_credentials"}, "client_id": {ac.ClientID}, "client_secret": {ac.ClientSecret}})
		if r.status != http.StatusOK {
			t.Fatalf("API client token: %d %s", r.status, r.raw)
		}
		tok := r.str("access_token")
		_, claims := jwtParts(t, tok)
		if claims["role"] != provision.RoleSISAdmin || claims["api_client_id"] != ac.ClientID || claims["sub"] != "boss" {
			t.Errorf("claims %v", claims)
		}
		if g := s.get("/test/admin", tok); g.status != http.StatusOK || g.str("apiClientId") != ac.ClientID {
			t.Errorf("admin route: %d %s", g.status, g.raw)
		}
		if g := s.get("/test/v1p2/roster", tok); g.status != http.StatusForbidden {
			t.Errorf("OneRoster route with an API client token: %d", g.status)
		}
		if _, _, err := s.svc.RevokeAPIClient(adminCtx(), ac.ClientID); err != nil {
			t.Fatal(err)
		}
		s.waitStatus("/test/admin", tok, http.StatusUnauthorized, 5*time.Second)
		r = s.tokenBasic(ac.ClientID, ac.ClientSecret, url.Values{"grant_type": {"client_credentials"}})
		if r.status != http.StatusUnauthorized {
			t.Errorf("revoked API client got: %d %s", r.status, r.raw)
		}
	})
}

func mustChallenge() string { _, c := pkce(); return c }

func detailStrings(d map[string]any) []string {
	var out []string
	for _, v := range d {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
