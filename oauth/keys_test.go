package oauth_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/ent/signingkey"
	"github.com/rollcall/rollcall/oauth"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/settings"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

// jwks returns the key ids the JWKS publishes.
func (s *server) jwks() []string {
	s.t.Helper()
	r := s.get(oauth.KeysPath, "")
	if r.status != http.StatusOK {
		s.t.Fatalf("jwks: %d %s", r.status, r.raw)
	}
	var kids []string
	keys, _ := r.body["keys"].([]any)
	for _, k := range keys {
		m, _ := k.(map[string]any)
		if m["alg"] != "RS256" || m["use"] != "sig" || m["kty"] != "RSA" {
			s.t.Errorf("published key %v", m)
		}
		kids = append(kids, m["kid"].(string))
	}
	return kids
}

func kidOf(t *testing.T, tok string) string {
	h, _ := jwtParts(t, tok)
	return h["kid"].(string)
}

// Rotation with overlap: after the signing period a new key signs, the old one stays published and accepted
// until every token it signed has expired (signs_until + the longest token lifetime + margin), then it is
// dropped from the JWKS and, when the next key is made, from the database.
func TestKeyRotation(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const rotate, margin = time.Hour, 10 * time.Minute
		s := startServer(t, db, setup{keys: oauth.KeyPolicy{RotateEvery: rotate, Margin: margin}})
		if _, err := settings.Update(ctx, db.Client, func(st *settings.Settings) error {
			st.TokenLifetimeSeconds = 2 * 3600
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		cr := s.connection(provision.NewConnection{DistrictPart: "rotation", Version: "1.2"})

		tok1 := s.vendorToken(cr)
		kid1 := kidOf(t, tok1)
		if got := s.jwks(); !slices.Equal(got, []string{kid1}) {
			t.Fatalf("jwks %v, want [%s]", got, kid1)
		}

		s.clock.Advance(rotate + time.Minute) // kid1 no longer signs
		tok2 := s.vendorToken(cr)
		kid2 := kidOf(t, tok2)
		if kid2 == kid1 {
			t.Fatalf("still signing with %s after its signing period", kid1)
		}
		if got := s.jwks(); !slices.Contains(got, kid1) || !slices.Contains(got, kid2) {
			t.Errorf("jwks %v, want both %s and %s", got, kid1, kid2)
		}
		for name, tok := range map[string]string{"old": tok1, "new": tok2} {
			if r := s.get("/test/v1p2/roster", tok); r.status != http.StatusOK {
				t.Errorf("%s token after rotation: %d %s", name, r.status, r.raw)
			}
		}

		// Just inside kid1's verification window it is still published...
		s.clock.Advance(oauth.MaxTokenLifetime + margin - 2*time.Minute)
		if got := s.jwks(); !slices.Contains(got, kid1) {
			t.Errorf("jwks %v dropped %s inside its verification window", got, kid1)
		}
		// ...and just after it, it is gone, and tokens it signed are refused for that reason.
		s.clock.Advance(2 * time.Minute)
		if got := s.jwks(); slices.Contains(got, kid1) || !slices.Contains(got, kid2) {
			t.Errorf("jwks %v, want %s dropped and %s kept", got, kid1, kid2)
		}
		r := s.get("/test/v1p2/roster", tok1)
		if r.status != http.StatusUnauthorized || !strings.Contains(r.str("error_description"), "signature") {
			t.Errorf("token of a dropped key: %d %s", r.status, r.raw)
		}

		// The next key's creation clears the dropped key's row.
		if kid3 := kidOf(t, s.vendorToken(cr)); kid3 == kid2 || kid3 == kid1 {
			t.Errorf("kid %s reused", kid3)
		}
		if n := db.Client.SigningKey.Query().Where(signingkey.Kid(kid1)).CountX(ctx); n != 0 {
			t.Errorf("dropped key %s still stored", kid1)
		}
	})
}

// Signing keys are stored sealed: the database holds no usable private key without the server key, and a
// process with another server key refuses to start rather than failing every token request.
func TestSigningKeysSealed(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, "sqlite3")
	s := startServer(t, db, setup{})
	if err := s.prov.EnsureSigningKey(context.Background()); err != nil {
		t.Fatal(err)
	}
	row := db.Client.SigningKey.Query().OnlyX(context.Background())
	if strings.Contains(string(row.PrivateKeyEncrypted), "PRIVATE KEY") || len(row.PublicKey) == 0 {
		t.Errorf("stored key does not look sealed")
	}
	other := startServer(t, db, setup{}) // another server key
	if err := other.prov.EnsureSigningKey(context.Background()); err == nil {
		t.Errorf("a process with another server key could sign with the stored key")
	}
}
