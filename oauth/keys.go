package oauth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/signingkey"
	"github.com/rollcall/rollcall/secrets"
)

// MaxTokenLifetime is the longest access-token lifetime settings.Validate allows (24 hours). A key stays
// published and accepted this long, plus KeyPolicy.Margin, after it stops signing, so every token it signed
// expires before the key is dropped, whatever the lifetime setting was.
const MaxTokenLifetime = 24 * time.Hour

// keyAlgorithm is the only signature algorithm the provider uses and accepts.
const keyAlgorithm = jose.RS256

// KeyPolicy says how long a signing key signs and how keys are cached. Zero fields take the defaults.
type KeyPolicy struct {
	RotateEvery time.Duration // how long a key signs new tokens (default 30 days)
	Margin      time.Duration // extra verification time for clock skew between processes (default 10 minutes)
	CacheFor    time.Duration // how long keys read from the database are reused (default 1 minute)
}

func (p KeyPolicy) withDefaults() KeyPolicy {
	if p.RotateEvery <= 0 {
		p.RotateEvery = 30 * 24 * time.Hour
	}
	if p.Margin <= 0 {
		p.Margin = 10 * time.Minute
	}
	if p.CacheFor <= 0 {
		p.CacheFor = time.Minute
	}
	return p
}

// keyRow is one signing key as read from the database: the public half parsed, the private half still sealed
// (and kept only while the key may sign).
type keyRow struct {
	kid           string
	public        *rsa.PublicKey
	sealed        []byte
	createdAt     time.Time
	signsUntil    time.Time
	verifiesUntil time.Time
}

// keyStore reads, creates and caches the signing keys kept in the database. Decisions about which key is
// valid use the injected clock; cache freshness uses the real one, so a test clock never freezes the cache.
// Safe for concurrent use; several processes on one database agree because the database is the only truth:
// a process creates a key only when it sees none that may sign, and if two processes race, both keys are
// valid and both are published.
type keyStore struct {
	db     *ent.Client
	sealer *secrets.Sealer
	policy KeyPolicy
	now    func() time.Time
	log    *slog.Logger

	mu       sync.Mutex
	keys     []*keyRow // newest first
	loadedAt time.Time // real time of the last read
	lastMiss time.Time // real time of the last read caused by an unknown key id
	signer   *signingKey
}

func newKeyStore(db *ent.Client, sealer *secrets.Sealer, policy KeyPolicy, now func() time.Time, log *slog.Logger) *keyStore {
	return &keyStore{db: db, sealer: sealer, policy: policy.withDefaults(), now: now, log: log}
}

// signingKey is the private key the provider signs with (op.SigningKey).
type signingKey struct {
	kid string
	key *rsa.PrivateKey
}

func (s *signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return keyAlgorithm }
func (s *signingKey) Key() any                                    { return s.key }
func (s *signingKey) ID() string                                  { return s.kid }

// publishedKey is a public key of the JWKS (op.Key).
type publishedKey struct{ row *keyRow }

func (k publishedKey) ID() string                         { return k.row.kid }
func (k publishedKey) Algorithm() jose.SignatureAlgorithm { return keyAlgorithm }
func (k publishedKey) Use() string                        { return oidc.KeyUseSignature }
func (k publishedKey) Key() any                           { return k.row.public }

// SigningKey returns the key new tokens are signed with: the newest key whose signing period covers now,
// creating one when there is none.
func (k *keyStore) SigningKey(ctx context.Context) (*signingKey, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.refreshIfStale(ctx); err != nil {
		return nil, err
	}
	now := k.now()
	row := k.currentLocked(now)
	if row == nil { // maybe another process made one since we last looked
		if err := k.reload(ctx); err != nil {
			return nil, err
		}
		row = k.currentLocked(now)
	}
	if row == nil {
		var err error
		if row, err = k.create(ctx, now); err != nil {
			return nil, err
		}
	}
	if k.signer == nil || k.signer.kid != row.kid {
		der, err := k.sealer.Open(row.sealed, keyAAD(row.kid))
		if err != nil {
			return nil, fmt.Errorf("signing key %s: %w", row.kid, err)
		}
		priv, err := x509.ParsePKCS8PrivateKey(der)
		if err != nil {
			return nil, fmt.Errorf("signing key %s: %w", row.kid, err)
		}
		rsaKey, ok := priv.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("signing key %s is not an RSA key", row.kid)
		}
		k.signer = &signingKey{kid: row.kid, key: rsaKey}
	}
	return k.signer, nil
}

// Published returns the keys a verifier must accept at now: every key not past its verification window.
func (k *keyStore) Published(ctx context.Context) ([]op.Key, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.refreshIfStale(ctx); err != nil {
		return nil, err
	}
	now := k.now()
	var out []op.Key
	for _, row := range k.keys {
		if now.Before(row.verifiesUntil) {
			out = append(out, publishedKey{row})
		}
	}
	return out, nil
}

// VerifySignature implements oidc.KeySet: it checks the JWS against the key named by its key id, reading
// the keys again (at most once a second) when the id is unknown, so a key another process just created is
// found at once.
func (k *keyStore) VerifySignature(ctx context.Context, jws *jose.JSONWebSignature) ([]byte, error) {
	kid, alg := oidc.GetKeyIDAndAlg(jws)
	if alg != string(keyAlgorithm) {
		return nil, fmt.Errorf("signature algorithm %q is not accepted", alg)
	}
	row, err := k.verificationKey(ctx, kid)
	if err != nil {
		return nil, err
	}
	return jws.Verify(row.public)
}

var errUnknownKey = errors.New("the token was signed with a key this server does not know or no longer trusts")

func (k *keyStore) verificationKey(ctx context.Context, kid string) (*keyRow, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.refreshIfStale(ctx); err != nil {
		return nil, err
	}
	find := func() *keyRow {
		now := k.now()
		for _, row := range k.keys {
			if row.kid == kid && now.Before(row.verifiesUntil) {
				return row
			}
		}
		return nil
	}
	if row := find(); row != nil {
		return row, nil
	}
	if time.Since(k.lastMiss) < time.Second {
		return nil, errUnknownKey
	}
	k.lastMiss = time.Now()
	if err := k.reload(ctx); err != nil {
		return nil, err
	}
	if row := find(); row != nil {
		return row, nil
	}
	return nil, errUnknownKey
}

// currentLocked is the newest key that may sign at now, or nil.
func (k *keyStore) currentLocked(now time.Time) *keyRow {
	for _, row := range k.keys { // newest first
		if !row.createdAt.After(now) && now.Before(row.signsUntil) && row.sealed != nil {
			return row
		}
	}
	return nil
}

func (k *keyStore) refreshIfStale(ctx context.Context) error {
	if k.loadedAt.IsZero() || time.Since(k.loadedAt) >= k.policy.CacheFor {
		return k.reload(ctx)
	}
	return nil
}

// reload reads every key still inside its verification window.
func (k *keyStore) reload(ctx context.Context) error {
	now := k.now()
	rows, err := k.db.SigningKey.Query().Where(signingkey.VerifiesUntilGT(now)).All(ctx)
	if err != nil {
		return &storeError{fmt.Errorf("reading signing keys: %w", err)}
	}
	keys := make([]*keyRow, 0, len(rows))
	for _, r := range rows {
		pub, err := x509.ParsePKIXPublicKey(r.PublicKey)
		if err != nil {
			k.log.Error("signing key with an unreadable public key ignored", "kid", r.Kid, "err", err)
			continue
		}
		rsaPub, ok := pub.(*rsa.PublicKey)
		if !ok || r.Algorithm != string(keyAlgorithm) {
			k.log.Error("signing key of an unsupported type ignored", "kid", r.Kid, "algorithm", r.Algorithm)
			continue
		}
		row := &keyRow{kid: r.Kid, public: rsaPub, createdAt: r.CreatedAt, signsUntil: r.SignsUntil, verifiesUntil: r.VerifiesUntil}
		if now.Before(r.SignsUntil) {
			row.sealed = r.PrivateKeyEncrypted
		}
		keys = append(keys, row)
	}
	slices.SortFunc(keys, func(a, b *keyRow) int {
		if c := b.createdAt.Compare(a.createdAt); c != 0 {
			return c
		}
		return compareStrings(b.kid, a.kid)
	})
	k.keys, k.loadedAt = keys, time.Now()
	return nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// create makes a new RSA 2048 key that signs from now for the rotation period, stores it (private half
// sealed with the server key), drops keys past their verification window, and reads the keys again.
func (k *keyStore) create(ctx context.Context, now time.Time) (*keyRow, error) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	privDER, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, err
	}
	pubDER, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		return nil, err
	}
	kid := randomID(16)
	signsUntil := now.Add(k.policy.RotateEvery)
	verifiesUntil := signsUntil.Add(MaxTokenLifetime + k.policy.Margin)
	err = k.db.SigningKey.Create().
		SetKid(kid).
		SetAlgorithm(string(keyAlgorithm)).
		SetPrivateKeyEncrypted(k.sealer.Seal(privDER, keyAAD(kid))).
		SetPublicKey(pubDER).
		SetCreatedAt(now).
		SetSignsUntil(signsUntil).
		SetVerifiesUntil(verifiesUntil).
		Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("storing a new signing key: %w", err)
	}
	k.log.Info("created a signing key", "kid", kid, "signs_until", signsUntil, "verifies_until", verifiesUntil)
	if n, err := k.db.SigningKey.Delete().Where(signingkey.VerifiesUntilLTE(now)).Exec(ctx); err != nil {
		k.log.Warn("dropping expired signing keys", "err", err)
	} else if n > 0 {
		k.log.Info("dropped expired signing keys", "count", n)
	}
	if err := k.reload(ctx); err != nil {
		return nil, err
	}
	for _, row := range k.keys {
		if row.kid == kid {
			return row, nil
		}
	}
	return nil, fmt.Errorf("signing key %s vanished after it was stored", kid)
}

// storeError marks a failure to read the database (as opposed to a key that does not verify).
type storeError struct{ err error }

func (e *storeError) Error() string { return e.err.Error() }
func (e *storeError) Unwrap() error { return e.err }

// keyAAD binds a sealed private key to its key id.
func keyAAD(kid string) string { return "signing-key:" + kid }

// randomID returns n random bytes, base64url-encoded without padding.
func randomID(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
