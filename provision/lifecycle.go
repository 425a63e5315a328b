package provision

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/connection"
	"github.com/rollcall/rollcall/secrets"
)

// Revoke revokes the connection with this id: the secret is deleted (hash and sealed copy), client enabled
// is unmarked, the status becomes revoked and revoked_at is set, with a connection.revoke event. From then
// on Authenticate refuses it and every token it holds fails at the next request (the API checks Usable on
// each one), and Update refuses to change it until Renew.
//
// Revoking a revoked connection changes nothing and records nothing: it returns the view and changed
// false.
func (s *Service) Revoke(ctx context.Context, id int) (v View, changed bool, err error) {
	var out *ent.Connection
	err = s.inTx(ctx, func(c *ent.Client) error {
		cur, err := load(ctx, c, id)
		if err != nil {
			return err
		}
		if cur.Status == connection.StatusRevoked {
			out = cur
			return nil
		}
		n, err := c.Connection.Update().
			Where(connection.ID(id), connection.StatusEQ(connection.StatusActive)).
			SetSecretHash("").
			ClearSecretEncrypted().
			SetEnabled(false).
			SetStatus(connection.StatusRevoked).
			SetRevokedAt(s.now()).
			Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 { // revoked concurrently
			out = cur
			return nil
		}
		changed = true
		if err := audit.Record(ctx, c, audit.Event{Action: "connection.revoke", Target: target(cur.ConsumerKey),
			Detail: map[string]any{"key": cur.ConsumerKey, "vendor": cur.VendorName}}); err != nil {
			return err
		}
		out, err = load(ctx, c, id)
		return err
	})
	if err != nil {
		return View{}, false, err
	}
	return s.view(out), changed, nil
}

// Renew reinstates the connection with this id, revoked or not (e.g. about to expire): a new secret
// replaces the old one (which stops working), the status becomes active, client enabled is marked,
// revoked_at is cleared, and the expiration date becomes expiresOn (nil: one year from today; the
// 13-month rule of Create applies). Recorded as connection.renew. It returns the new secret and the
// information to share.
func (s *Service) Renew(ctx context.Context, id int, expiresOn *time.Time) (Credentials, error) {
	if s.Sealer == nil {
		return Credentials{}, errors.New("provision: no server key to seal the secret with (Service.Sealer is nil)")
	}
	expires, err := s.expiration(expiresOn)
	if err != nil {
		return Credentials{}, err
	}
	secret := secrets.NewSecret(SecretLength)
	var out *ent.Connection
	err = s.inTx(ctx, func(c *ent.Client) error {
		cur, err := load(ctx, c, id)
		if err != nil {
			return err
		}
		err = c.Connection.UpdateOneID(id).
			SetSecretHash(secrets.HashSecret(secret)).
			SetSecretEncrypted(s.Sealer.Seal([]byte(secret), SecretAAD(cur.ConsumerKey))).
			SetStatus(connection.StatusActive).
			SetEnabled(true).
			ClearRevokedAt().
			SetExpiresAt(expires).
			Exec(ctx)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, c, audit.Event{Action: "connection.renew", Target: target(cur.ConsumerKey),
			Detail: map[string]any{
				"key":             cur.ConsumerKey,
				"vendor":          cur.VendorName,
				"previousStatus":  string(cur.Status),
				"previousEnabled": cur.Enabled,
				"previousExpires": cur.ExpiresAt.UTC().Format(time.DateOnly),
				"expires":         expires.Format(time.DateOnly),
			}}); err != nil {
			return err
		}
		out, err = load(ctx, c, id)
		return err
	})
	if err != nil {
		return Credentials{}, err
	}
	return s.credentials(out, secret), nil
}

// RevealSecret returns the connection's secret ("Show Secret Text") with the information to share, after
// recording a secret.reveal event (who, when and from where come from ctx). If the event cannot be
// recorded, the secret is not returned. A revoked connection has no secret: ErrNoSecret.
func (s *Service) RevealSecret(ctx context.Context, id int) (Credentials, error) {
	if s.Sealer == nil {
		return Credentials{}, errors.New("provision: no server key to open the secret with (Service.Sealer is nil)")
	}
	c, err := load(ctx, s.Client, id)
	if err != nil {
		return Credentials{}, err
	}
	// ent scans a NULL secret_encrypted as a pointer to an empty slice, not as nil.
	if c.Status == connection.StatusRevoked || c.SecretEncrypted == nil || len(*c.SecretEncrypted) == 0 {
		return Credentials{}, fmt.Errorf("connection %s: %w", c.ConsumerKey, ErrNoSecret)
	}
	secret, err := s.Sealer.Open(*c.SecretEncrypted, SecretAAD(c.ConsumerKey))
	if err != nil {
		return Credentials{}, fmt.Errorf("connection %s: %w", c.ConsumerKey, err)
	}
	if err := audit.Record(ctx, s.Client, audit.Event{Action: "secret.reveal", Target: target(c.ConsumerKey),
		Detail: map[string]any{"key": c.ConsumerKey, "vendor": c.VendorName}}); err != nil {
		return Credentials{}, err
	}
	return s.credentials(c, string(secret)), nil
}

// VendorContext returns a context whose writes are attributed to the connection's service account
// (vendor:svc_...), the modified-by of everything the vendor writes.
func VendorContext(ctx context.Context, c *ent.Connection) context.Context {
	return actor.With(ctx, actor.KindVendor, c.ServiceAccount)
}

// dummyHash is checked against when a client id is unknown, so that both paths do the same work.
var dummyHash = secrets.HashSecret("rollcall: no such client")

// Authenticate checks a vendor's client credentials for the token endpoint. It returns the connection when
// the client id names a connection whose secret matches (compared in constant time) and which is usable
// now (see Usable), and then records last_token_at with one UPDATE.
//
// Errors: ErrUnknownClient and ErrWrongSecret (both wrap ErrInvalidClient: answer both with the same
// invalid_client), ErrRevoked for a revoked connection whatever the secret (it has none), and after a
// matching secret ErrDisabled or ErrExpired. The connection is returned with the policy errors, for the
// caller's audit log; it is nil otherwise.
func (s *Service) Authenticate(ctx context.Context, clientID, secret string) (*ent.Connection, error) {
	c, err := s.Client.Connection.Query().Where(connection.ConsumerKey(clientID)).Only(ctx)
	if ent.IsNotFound(err) {
		secrets.SecretMatches(secret, dummyHash)
		return nil, ErrUnknownClient
	}
	if err != nil {
		return nil, err
	}
	if c.Status == connection.StatusRevoked {
		return c, ErrRevoked
	}
	if !secrets.SecretMatches(secret, c.SecretHash) {
		return nil, ErrWrongSecret
	}
	now := s.now()
	if err := Usable(c, now); err != nil {
		return c, err
	}
	// updated_at stays: obtaining a token is not a change to the connection.
	if err := s.Client.Connection.Update().Where(connection.ID(c.ID)).
		SetLastTokenAt(now).SetUpdatedAt(c.UpdatedAt).Exec(ctx); err != nil {
		return nil, err
	}
	c.LastTokenAt = &now
	return c, nil
}
