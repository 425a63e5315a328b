package provision_test

import (
	"context"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/secrets"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

func TestRevoke(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		cr := f.create(t, provision.NewConnection{DistrictPart: "canvas"})
		id := cr.Connection.ID
		f.clock.Set(start.Add(time.Hour))

		v, changed, err := f.svc.Revoke(f.ctx, id)
		if err != nil || !changed {
			t.Fatalf("Revoke: changed %v, %v", changed, err)
		}
		if v.Status != "revoked" || v.Enabled || v.HasSecret || v.Usable || v.RevokedAt == nil || !v.RevokedAt.Equal(start.Add(time.Hour)) {
			t.Errorf("after revoke: %+v", v)
		}
		if v.Indicators != (provision.Indicators{NotExpired: true}) {
			t.Errorf("indicators of a revoked connection %+v, want enabled and status red", v.Indicators)
		}
		row := db.Client.Connection.GetX(context.Background(), id)
		if row.SecretHash != "" || (row.SecretEncrypted != nil && len(*row.SecretEncrypted) > 0) {
			t.Error("the secret survived the revoke")
		}
		f.onlyEvent(t, "connection.revoke", "connection:ROLLCALL_canvas")

		// No token, no secret, no changes.
		if _, err := f.svc.Authenticate(f.ctx, "ROLLCALL_canvas", cr.ClientSecret); !errors.Is(err, provision.ErrRevoked) {
			t.Errorf("Authenticate after revoke: %v, want ErrRevoked", err)
		}
		if _, err := f.svc.RevealSecret(f.ctx, id); !errors.Is(err, provision.ErrNoSecret) {
			t.Errorf("RevealSecret after revoke: %v, want ErrNoSecret", err)
		}
		yes := true
		name := "New name"
		for _, ch := range []provision.Changes{{Enabled: &yes}, {VendorName: &name}} {
			if _, err := f.svc.Update(f.ctx, id, ch); !errors.Is(err, provision.ErrReadOnly) {
				t.Errorf("Update of a revoked connection: %v, want ErrReadOnly", err)
			}
		}

		// Twice is harmless and records nothing more.
		v2, changed, err := f.svc.Revoke(f.ctx, id)
		if err != nil || changed || v2.Status != "revoked" || !v2.RevokedAt.Equal(*v.RevokedAt) {
			t.Errorf("second revoke: changed %v, %v, %+v", changed, err, v2)
		}
		if n := len(f.events(t, "connection.revoke")); n != 1 {
			t.Errorf("%d revoke events, want 1", n)
		}
		if _, _, err := f.svc.Revoke(f.ctx, 424242); !errors.Is(err, provision.ErrNotFound) {
			t.Errorf("revoke of a missing connection: %v", err)
		}
		f.assertNoSecretInAudit(t, cr.ClientSecret)
	})
}

func TestRenew(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		cr := f.create(t, provision.NewConnection{DistrictPart: "canvas", ExpiresOn: date("2026-04-01")})
		id := cr.Connection.ID
		if _, _, err := f.svc.Revoke(f.ctx, id); err != nil {
			t.Fatal(err)
		}
		f.clock.Set(*date("2026-05-02"))

		// A revoked (and by now expired) record comes back with a new secret and a year.
		r1, err := f.svc.Renew(f.ctx, id, nil)
		if err != nil {
			t.Fatal(err)
		}
		v := r1.Connection
		if v.Status != "active" || !v.Enabled || !v.HasSecret || v.RevokedAt != nil || v.ExpiresOn != "2027-05-02" || !v.Usable {
			t.Errorf("after renew: %+v", v)
		}
		if v.Indicators != (provision.Indicators{Enabled: true, Active: true, NotExpired: true}) {
			t.Errorf("indicators after renew: %+v", v.Indicators)
		}
		if r1.ClientSecret == cr.ClientSecret || len(r1.ClientSecret) != provision.SecretLength || r1.ClientID != "ROLLCALL_canvas" ||
			r1.TokenURL != publicURL+"/oauth/token" {
			t.Errorf("renew share info %+v", r1.ShareInfo)
		}
		if _, err := f.svc.Authenticate(f.ctx, "ROLLCALL_canvas", cr.ClientSecret); !errors.Is(err, provision.ErrWrongSecret) {
			t.Errorf("old secret after renew: %v, want ErrWrongSecret", err)
		}
		if _, err := f.svc.Authenticate(f.ctx, "ROLLCALL_canvas", r1.ClientSecret); err != nil {
			t.Errorf("new secret after renew: %v", err)
		}
		e := f.onlyEvent(t, "connection.renew", "connection:ROLLCALL_canvas")
		if e.Detail["previousStatus"] != "revoked" || e.Detail["expires"] != "2027-05-02" {
			t.Errorf("renew event detail %v", e.Detail)
		}

		// An active record renews too (new secret, chosen date); the 13-month rule applies.
		_, err = f.svc.Renew(f.ctx, id, date("2027-06-03"))
		wantValidation(t, err, "expiresOn", "2027-06-02")
		r2, err := f.svc.Renew(f.ctx, id, date("2027-06-02"))
		if err != nil {
			t.Fatal(err)
		}
		if r2.ClientSecret == r1.ClientSecret || r2.Connection.ExpiresOn != "2027-06-02" {
			t.Errorf("second renew: %+v", r2)
		}
		if _, err := f.svc.Authenticate(f.ctx, "ROLLCALL_canvas", r1.ClientSecret); !errors.Is(err, provision.ErrWrongSecret) {
			t.Errorf("previous secret after second renew: %v", err)
		}
		got, err := f.svc.RevealSecret(f.ctx, id)
		if err != nil || got.ClientSecret != r2.ClientSecret {
			t.Errorf("reveal after renew: %v", err)
		}
		if n := len(f.events(t, "connection.renew")); n != 2 {
			t.Errorf("%d renew events, want 2", n)
		}
		f.assertNoSecretInAudit(t, cr.ClientSecret, r1.ClientSecret, r2.ClientSecret)
	})
}

func TestRevealSecret(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		cr := f.create(t, provision.NewConnection{DistrictPart: "canvas", Version: "1.1"})
		got, err := f.svc.RevealSecret(f.ctx, cr.Connection.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ShareInfo != cr.ShareInfo {
			t.Errorf("revealed %+v, created %+v", got.ShareInfo, cr.ShareInfo)
		}
		e := f.onlyEvent(t, "secret.reveal", "connection:ROLLCALL_canvas")
		if e.At.IsZero() || e.Detail["key"] != "ROLLCALL_canvas" {
			t.Errorf("reveal event %+v", e)
		}
		f.assertNoSecretInAudit(t, cr.ClientSecret)

		// A secret sealed with another server key does not open, and is not revealed.
		other := *f.svc
		key := make([]byte, secrets.KeySize)
		rand.Read(key)
		other.Sealer, _ = secrets.NewSealer(key)
		if _, err := other.RevealSecret(f.ctx, cr.Connection.ID); err == nil {
			t.Error("secret opened with another server key")
		}
		if n := len(f.events(t, "secret.reveal")); n != 1 {
			t.Errorf("%d reveal events, want 1 (the failed one records nothing)", n)
		}
	})
}

func TestAuthenticate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		cr := f.create(t, provision.NewConnection{DistrictPart: "canvas", ExpiresOn: date("2026-04-01")})
		id := cr.Connection.ID
		updatedAt := db.Client.Connection.GetX(context.Background(), id).UpdatedAt

		f.clock.Set(start.Add(2 * time.Hour))
		c, err := f.svc.Authenticate(context.Background(), "ROLLCALL_canvas", cr.ClientSecret)
		if err != nil || c.ID != id {
			t.Fatalf("Authenticate: %v", err)
		}
		row := db.Client.Connection.GetX(context.Background(), id)
		if row.LastTokenAt == nil || !row.LastTokenAt.Equal(start.Add(2*time.Hour)) {
			t.Errorf("last_token_at %v", row.LastTokenAt)
		}
		if !row.UpdatedAt.Equal(updatedAt) {
			t.Errorf("obtaining a token changed updated_at from %v to %v", updatedAt, row.UpdatedAt)
		}

		for _, tc := range []struct {
			name, id, secret string
			want             error
		}{
			{"unknown client", "ROLLCALL_nobody", cr.ClientSecret, provision.ErrUnknownClient},
			{"key in other case", "rollcall_canvas", cr.ClientSecret, provision.ErrUnknownClient},
			{"wrong secret", "ROLLCALL_canvas", wrongSecret(cr.ClientSecret), provision.ErrWrongSecret},
			{"empty secret", "ROLLCALL_canvas", "", provision.ErrWrongSecret},
		} {
			c, err := f.svc.Authenticate(context.Background(), tc.id, tc.secret)
			if !errors.Is(err, tc.want) || !errors.Is(err, provision.ErrInvalidClient) || c != nil {
				t.Errorf("%s: %v, %v; want %v (an invalid client)", tc.name, c, err, tc.want)
			}
		}

		// Disabled.
		no, yes := false, true
		if _, err := f.svc.Update(f.ctx, id, provision.Changes{Enabled: &no}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Authenticate(context.Background(), "ROLLCALL_canvas", cr.ClientSecret); !errors.Is(err, provision.ErrDisabled) {
			t.Errorf("disabled: %v, want ErrDisabled", err)
		}
		if _, err := f.svc.Authenticate(context.Background(), "ROLLCALL_canvas", "guess"); !errors.Is(err, provision.ErrWrongSecret) {
			t.Errorf("disabled, wrong secret: %v, want ErrWrongSecret", err)
		}
		if _, err := f.svc.Update(f.ctx, id, provision.Changes{Enabled: &yes}); err != nil {
			t.Fatal(err)
		}

		// Expired: the last good moment is the end of the day before the expiration date.
		f.clock.Set(time.Date(2026, 3, 31, 23, 59, 59, 0, time.UTC))
		if _, err := f.svc.Authenticate(context.Background(), "ROLLCALL_canvas", cr.ClientSecret); err != nil {
			t.Errorf("the day before expiration: %v", err)
		}
		f.clock.Set(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
		c, err = f.svc.Authenticate(context.Background(), "ROLLCALL_canvas", cr.ClientSecret)
		if !errors.Is(err, provision.ErrExpired) || c == nil || c.ID != id {
			t.Errorf("on the expiration date: %v, want ErrExpired with the connection", err)
		}
	})
}

func TestIndicatorsAndValidDays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		cr := f.create(t, provision.NewConnection{DistrictPart: "canvas", ExpiresOn: date("2026-04-09")})
		green := provision.Indicators{Enabled: true, Active: true, NotExpired: true}
		for _, tc := range []struct {
			now  time.Time
			days int
			ind  provision.Indicators
		}{
			{start, 30, green},
			{time.Date(2026, 4, 8, 0, 0, 0, 0, time.UTC), 1, green},
			{time.Date(2026, 4, 8, 23, 59, 0, 0, time.UTC), 1, green},
			{time.Date(2026, 4, 9, 0, 0, 0, 0, time.UTC), 0, provision.Indicators{Enabled: true, Active: true}},
			{time.Date(2026, 4, 9, 12, 0, 0, 0, time.UTC), 0, provision.Indicators{Enabled: true, Active: true}},
			{time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), 0, provision.Indicators{Enabled: true, Active: true}},
		} {
			f.clock.Set(tc.now)
			v, err := f.svc.Get(f.ctx, "ROLLCALL_canvas")
			if err != nil {
				t.Fatal(err)
			}
			if v.ValidDays != tc.days || v.Indicators != tc.ind || v.Usable != (tc.ind == green) {
				t.Errorf("at %s: valid days %d indicators %+v usable %v; want %d %+v", tc.now, v.ValidDays, v.Indicators, v.Usable, tc.days, tc.ind)
			}
		}
		f.clock.Set(start)
		no := false
		v, err := f.svc.Update(f.ctx, cr.Connection.ID, provision.Changes{Enabled: &no})
		if err != nil || v.Indicators != (provision.Indicators{Active: true, NotExpired: true}) {
			t.Errorf("disabled: %+v, %v", v.Indicators, err)
		}
	})
}

// wrongSecret returns s with its last character changed.
func wrongSecret(s string) string {
	last := "a"
	if s[len(s)-1] == 'a' {
		last = "b"
	}
	return s[:len(s)-1] + last
}
