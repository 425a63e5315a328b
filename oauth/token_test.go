package oauth_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/ent/connection"
	"github.com/rollcall/rollcall/oauth"
	"github.com/rollcall/rollcall/oneroster"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

// The main vendor flow, on both databases: both client authentication methods, refusals, the token
// response, the JWT's claims, a protected request, and what is (not) audited.
func TestVendorTokenFlow(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := startServer(t, db, setup{})
		cr := s.connection(provision.NewConnection{DistrictPart: "canvas", Version: "1.2", Partner: true,
			Types: []string{provision.TypeRoster, provision.TypeGradebook}})
		conn := db.Client.Connection.Query().Where(connection.ConsumerKey(cr.ClientID)).OnlyX(context.Background())
		allowed := provision.AllowedScopes(conn)

		// client_secret_basic, no scope: everything allowed.
		r := s.tokenBasic(cr.ClientID, cr.ClientSecret, url.Values{"grant_type": {"client_credentials"}})
		if r.status != http.StatusOK {
			t.Fatalf("basic: %d %s", r.status, r.raw)
		}
		if r.str("token_type") != "Bearer" {
			t.Errorf("token_type %q, want exactly Bearer", r.str("token_type"))
		}
		if exp, _ := r.body["expires_in"].(float64); exp != 3600 {
			t.Errorf("expires_in %v, want 3600", r.body["expires_in"])
		}
		if got := strings.Fields(r.str("scope")); !slices.Equal(got, allowed) {
			t.Errorf("scope %v, want everything allowed %v", got, allowed)
		}
		if cc := r.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q", cc)
		}

		// client_secret_post.
		r = s.tokenPost(url.Values{"grant_type": {"client_credentials"}, "client_id": {cr.ClientID}, "client_secret": {cr.ClientSecret}})
		if r.status != http.StatusOK || r.str("access_token") == "" {
			t.Fatalf("post: %d %s", r.status, r.raw)
		}

		// The JWT.
		header, claims := jwtParts(t, r.str("access_token"))
		if header["alg"] != "RS256" || header["kid"] == "" {
			t.Errorf("header %v", header)
		}
		aud, _ := claims["aud"].([]any)
		wantClaims := map[string]any{
			"iss": s.url, "sub": cr.ClientID, "client_id": cr.ClientID, "kind": "vendor",
			"consumer_key": cr.ClientID, "connection_id": strconv.Itoa(conn.ID), "oneroster_version": "v1p2",
			"scope": strings.Join(allowed, " "),
		}
		for k, want := range wantClaims {
			if claims[k] != want {
				t.Errorf("claim %s = %v, want %v", k, claims[k], want)
			}
		}
		if len(aud) != 1 || aud[0] != oauth.AudienceOneRoster(s.url) {
			t.Errorf("aud %v, want [%s]", claims["aud"], oauth.AudienceOneRoster(s.url))
		}
		iat, _ := claims["iat"].(float64)
		exp, _ := claims["exp"].(float64)
		if d := exp - iat; d < 3595 || d > 3605 || claims["jti"] == "" {
			t.Errorf("exp-iat %v, jti %v", d, claims["jti"])
		}

		// A protected request with it.
		pr := s.get("/test/v1p2/roster", r.str("access_token"))
		if pr.status != http.StatusOK {
			t.Fatalf("protected: %d %s", pr.status, pr.raw)
		}
		if pr.str("actor") != "vendor:"+conn.ServiceAccount || pr.str("consumerKey") != cr.ClientID || pr.str("version") != "v1p2" {
			t.Errorf("principal %v", pr.body)
		}

		// Refusals: wrong secret (both methods), unknown client: the same 401 invalid_client.
		for name, r := range map[string]reply{
			"basic wrong secret": s.tokenBasic(cr.ClientID, "wrong-secret-123", url.Values{"grant_type": {"client_credentials"}}),
			"post wrong secret": s.tokenPost(url.Values{"grant_type": {"client_credentials"}, "client_id": {cr.ClientID},
				"client_secret": {"wrong-secret-456"}}),
			"unknown client": s.tokenBasic("ROLLCALL_nobody", "x", url.Values{"grant_type": {"client_credentials"}}),
		} {
			if r.status != http.StatusUnauthorized || r.str("error") != "invalid_client" {
				t.Errorf("%s: %d %s, want 401 invalid_client", name, r.status, r.raw)
			}
		}

		// Audit: a denial per refusal, with the reason and never the secret; nothing for issued tokens.
		denied := auditEvents(t, db.Client, "token.denied")
		if len(denied) != 3 {
			t.Fatalf("token.denied events: %d, want 3", len(denied))
		}
		for _, ev := range denied {
			if ev.Detail["reason"] == "" || ev.RemoteAddr == "" {
				t.Errorf("denial without reason or address: %+v", ev)
			}
			for _, v := range ev.Detail {
				if s, _ := v.(string); strings.Contains(s, "wrong-secret") {
					t.Errorf("the audit log contains the presented secret: %v", ev.Detail)
				}
			}
		}
		if denied[0].Target != "connection:"+cr.ClientID {
			t.Errorf("target %q", denied[0].Target)
		}
		if n := len(auditEvents(t, db.Client, "token.issued")) + len(auditEvents(t, db.Client, "token.create")); n != 0 {
			t.Errorf("%d audit events for issued tokens", n)
		}
		conn = db.Client.Connection.GetX(context.Background(), conn.ID)
		if conn.LastTokenAt == nil || time.Since(*conn.LastTokenAt) > time.Minute {
			t.Errorf("last_token_at %v", conn.LastTokenAt)
		}

		// The other routes still work.
		if h := s.get("/healthz", ""); h.status != http.StatusOK {
			t.Errorf("healthz %d", h.status)
		}
	})
}

func TestScopeNegotiation(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := startServer(t, db, setup{})
		roster := s.connection(provision.NewConnection{DistrictPart: "roster12", Version: "1.2"})
		grant := func(scopes ...string) reply {
			return s.tokenBasic(roster.ClientID, roster.ClientSecret,
				url.Values{"grant_type": {"client_credentials"}, "scope": {strings.Join(scopes, " ")}})
		}
		v12 := func(n string) string { return oneroster.ScopeURI(oneroster.V1p2, n) }

		// Mixed allowed and disallowed, http:// form included: the intersection, and scope says so.
		r := grant(v12(oneroster.ScopeRoster), v12(oneroster.ScopeGradebook),
			strings.Replace(v12(oneroster.ScopeRosterCore), "https://", "http://", 1), "openid")
		want := scopeURIs(oneroster.V1p2, oneroster.ScopeRosterCore, oneroster.ScopeRoster)
		if r.status != http.StatusOK || !slices.Equal(strings.Fields(r.str("scope")), want) {
			t.Fatalf("mixed: %d %s, want scope %v", r.status, r.raw, want)
		}
		_, claims := jwtParts(t, r.str("access_token"))
		if claims["scope"] != strings.Join(want, " ") {
			t.Errorf("token scope %v", claims["scope"])
		}

		// A 1.1 URI of an allowed scope name is matched by name and granted in the connection's version.
		r = grant(oneroster.ScopeURI(oneroster.V1p1, oneroster.ScopeRoster))
		if r.status != http.StatusOK || r.str("scope") != v12(oneroster.ScopeRoster) {
			t.Errorf("v1p1 URI on a 1.2 connection: %d %s", r.status, r.raw)
		}

		// Nothing requested is allowed: 400 invalid_scope, saying what may be requested.
		r = grant(v12(oneroster.ScopeGradebookCreatePut), v12(oneroster.ScopeRosterDemographics))
		if r.status != http.StatusBadRequest || r.str("error") != "invalid_scope" ||
			!strings.Contains(r.str("error_description"), v12(oneroster.ScopeRoster)) {
			t.Errorf("nothing allowed: %d %s", r.status, r.raw)
		}

		// The roster-only token cannot write grades; it can read the roster.
		tok := s.vendorToken(roster)
		if g := s.get("/test/v1p2/lineItems", tok); g.status != http.StatusForbidden ||
			!strings.Contains(g.header.Get("WWW-Authenticate"), `error="insufficient_scope"`) {
			t.Errorf("roster-only token on a gradebook write: %d %s %q", g.status, g.raw, g.header.Get("WWW-Authenticate"))
		}
		if g := s.get("/test/v1p2/roster", tok); g.status != http.StatusOK {
			t.Errorf("roster read: %d %s", g.status, g.raw)
		}
	})
}

// A 1.1 token on a 1.2 endpoint (and the reverse) is a valid token that may not do this: 403.
func TestVersionMismatch(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := startServer(t, db, setup{})
		v11 := s.vendorToken(s.connection(provision.NewConnection{DistrictPart: "old11", Version: "1.1"}))
		v12 := s.vendorToken(s.connection(provision.NewConnection{DistrictPart: "new12", Version: "1.2"}))
		for _, c := range []struct {
			path, token string
			want        int
		}{
			{"/test/v1p2/roster", v11, http.StatusForbidden},
			{"/test/v1p1/roster", v12, http.StatusForbidden},
			{"/test/v1p1/roster", v11, http.StatusOK},
			{"/test/v1p2/roster", v12, http.StatusOK},
			{"/test/graphql", v12, http.StatusForbidden}, // vendor tokens never reach GraphQL
		} {
			r := s.get(c.path, c.token)
			if r.status != c.want {
				t.Errorf("%s: %d %s, want %d", c.path, r.status, r.raw, c.want)
			}
			if c.want == http.StatusForbidden && !strings.HasPrefix(r.header.Get("WWW-Authenticate"), `Bearer realm="Rollcall"`) {
				t.Errorf("%s: WWW-Authenticate %q", c.path, r.header.Get("WWW-Authenticate"))
			}
		}
	})
}

// Expired, disabled and revoked connections get no token: the same 401 as a wrong secret, and an audited
// reason. A live token stops working once its connection is disabled.
func TestRefusedConnections(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := startServer(t, db, setup{})
		expired := s.connection(provision.NewConnection{DistrictPart: "expired", Version: "1.2"})
		disabled := s.connection(provision.NewConnection{DistrictPart: "disabled", Version: "1.2"})
		revoked := s.connection(provision.NewConnection{DistrictPart: "revoked", Version: "1.1"})

		liveDisabled := s.vendorToken(disabled)
		db.Client.Connection.Update().Where(connection.ConsumerKey(expired.ClientID)).
			SetExpiresAt(time.Now().Add(-time.Hour)).ExecX(ctx)
		db.Client.Connection.Update().Where(connection.ConsumerKey(disabled.ClientID)).SetEnabled(false).ExecX(ctx)
		if _, _, err := s.svc.Revoke(adminCtx(), revoked.Connection.ID); err != nil {
			t.Fatal(err)
		}

		for _, cr := range []provision.Credentials{expired, disabled, revoked} {
			r := s.tokenBasic(cr.ClientID, cr.ClientSecret, url.Values{"grant_type": {"client_credentials"}})
			if r.status != http.StatusUnauthorized || r.str("error") != "invalid_client" {
				t.Errorf("%s: %d %s, want 401 invalid_client", cr.ClientID, r.status, r.raw)
			}
		}
		reasons := map[string]string{}
		for _, ev := range auditEvents(t, db.Client, "token.denied") {
			reasons[ev.Target], _ = ev.Detail["reason"].(string)
		}
		for key, want := range map[string]error{expired.ClientID: provision.ErrExpired,
			disabled.ClientID: provision.ErrDisabled, revoked.ClientID: provision.ErrRevoked} {
			if reasons["connection:"+key] != want.Error() {
				t.Errorf("audited reason for %s: %q, want %q", key, reasons["connection:"+key], want)
			}
		}

		r := s.get("/test/v1p2/roster", liveDisabled)
		if r.status != http.StatusUnauthorized || !strings.Contains(r.header.Get("WWW-Authenticate"), `error="invalid_token"`) {
			t.Errorf("token of a disabled connection: %d %s %q", r.status, r.raw, r.header.Get("WWW-Authenticate"))
		}
	})
}

// Missing, malformed, foreign and expired tokens: 401 with the Bearer challenge.
func TestBadTokens(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		key := newServerKey(t)
		s := startServer(t, db, setup{key: key})
		other := startServer(t, db, setup{key: key}) // same keys and database, another issuer (its own URL)
		cr := s.connection(provision.NewConnection{DistrictPart: "lms", Version: "1.2"})
		good := s.vendorToken(cr)
		foreign := other.vendorToken(cr)
		parts := strings.Split(good, ".")
		tampered := parts[0] + "." + strings.TrimRight(parts[1], "A") + "B." + parts[2]

		for name, auth := range map[string]string{
			"missing":   "",
			"garbage":   "Bearer not-a-token",
			"scheme":    "Basic " + good,
			"tampered":  "Bearer " + tampered,
			"foreign":   "Bearer " + foreign,
			"two parts": "Bearer " + parts[0] + "." + parts[1],
		} {
			req, _ := http.NewRequest(http.MethodGet, s.base+"/test/v1p2/roster", nil)
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			r := s.do(req)
			ch := r.header.Get("WWW-Authenticate")
			if r.status != http.StatusUnauthorized || !strings.HasPrefix(ch, `Bearer realm="Rollcall", error="invalid_token", error_description="`) {
				t.Errorf("%s: %d %s, challenge %q", name, r.status, r.raw, ch)
			}
			if r.str("error") != "invalid_token" {
				t.Errorf("%s: body %s", name, r.raw)
			}
		}

		if r := s.get("/test/v1p2/roster", good); r.status != http.StatusOK {
			t.Fatalf("good token: %d %s", r.status, r.raw)
		}
		s.clock.Advance(time.Hour + 2*time.Second)
		r := s.get("/test/v1p2/roster", good)
		if r.status != http.StatusUnauthorized || !strings.Contains(r.header.Get("WWW-Authenticate"), "expired") {
			t.Errorf("expired token: %d %s %q", r.status, r.raw, r.header.Get("WWW-Authenticate"))
		}
	})
}
