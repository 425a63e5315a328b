package oauth

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/adminaccount"
	"github.com/rollcall/rollcall/ent/apiclient"
	"github.com/rollcall/rollcall/provision"
)

// LivenessTTL is the longest a verifier trusts what it last read about a connection, account or API client:
// a revoked or disabled one stops working on every server process at most this long after the change.
const LivenessTTL = 2 * time.Second

// clockLeeway tolerates clocks of server processes that disagree a little (iat/nbf in the future).
const clockLeeway = time.Minute

// Verifier checks the bearer tokens of protected requests: signature (keys from the database), issuer,
// expiry, audience, and that the connection (enabled, active, unexpired, secret not renewed since the
// token was issued) or the admin account and API client may still be used, read from the database with a cache of
// at most LivenessTTL. Scopes and roles are checked by Principal.CheckVendor / CheckAdmin, or by the
// middleware RequireVendor / RequireAdmin. Safe for concurrent use; copies made by WithRenderer share the
// caches.
type Verifier struct {
	core   *verifierCore
	render ErrorRenderer
}

type verifierCore struct {
	issuer       string
	audOneRoster string
	audGraphQL   string
	keys         *keyStore
	db           *ent.Client
	now          func() time.Time
	log          *slog.Logger

	conns      *ttlCache[int, *ent.Connection]
	accounts   *ttlCache[string, *ent.AdminAccount]
	apiClients *ttlCache[string, *ent.APIClient]
}

func newVerifier(issuer string, keys *keyStore, db *ent.Client, now func() time.Time, log *slog.Logger) *Verifier {
	return &Verifier{render: RenderJSON, core: &verifierCore{
		issuer:       issuer,
		audOneRoster: AudienceOneRoster(issuer),
		audGraphQL:   AudienceGraphQL(issuer),
		keys:         keys,
		db:           db,
		now:          now,
		log:          log,
		conns:        newTTLCache[int, *ent.Connection](LivenessTTL),
		accounts:     newTTLCache[string, *ent.AdminAccount](LivenessTTL),
		apiClients:   newTTLCache[string, *ent.APIClient](LivenessTTL),
	}}
}

// WithRenderer returns a verifier that renders refusals with render (sharing keys and caches with v).
func (v *Verifier) WithRenderer(render ErrorRenderer) *Verifier {
	return &Verifier{core: v.core, render: render}
}

// Authenticate checks the request's "Authorization: Bearer" token. The error is always an *AuthError:
// 401 invalid_token for a missing, malformed, expired or revoked token, 500 when the check itself failed.
func (v *Verifier) Authenticate(r *http.Request) (*Principal, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, unauthorized("the request has no access token: send Authorization: Bearer <token>", nil)
	}
	scheme, token, ok := strings.Cut(h, " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, unauthorized("the Authorization header must be: Bearer <token>", nil)
	}
	return v.AuthenticateToken(r.Context(), token)
}

// AuthenticateToken checks a raw access token (see Authenticate).
func (v *Verifier) AuthenticateToken(ctx context.Context, raw string) (*Principal, error) {
	c := v.core
	claims := new(oidc.AccessTokenClaims)
	payload, err := oidc.ParseToken(raw, claims)
	if err != nil {
		return nil, unauthorized("the access token is malformed", err)
	}
	if claims.Issuer != c.issuer {
		return nil, unauthorized("the access token was not issued by this server", nil)
	}
	if err := oidc.CheckSignature(ctx, raw, payload, claims, []string{string(keyAlgorithm)}, c.keys); err != nil {
		var se *storeError
		if errors.As(err, &se) {
			return nil, serverError(err)
		}
		return nil, unauthorized("the access token's signature does not verify", err)
	}
	now := c.now()
	if !now.Before(claims.GetExpiration()) {
		return nil, unauthorized("the access token has expired", nil)
	}
	if nbf := claims.NotBefore.AsTime(); !nbf.IsZero() && nbf.After(now.Add(clockLeeway)) {
		return nil, unauthorized("the access token is not valid yet", nil)
	}
	p := &Principal{
		Subject:   claims.Subject,
		ClientID:  claims.ClientID,
		TokenID:   claims.JWTID,
		IssuedAt:  claims.GetIssuedAt(),
		ExpiresAt: claims.GetExpiration(),
		Scopes:    claims.Scopes,
	}
	kind, _ := claims.Claims[ClaimKind].(string)
	switch {
	case kind == string(KindVendor) && slices.Contains(claims.Audience, c.audOneRoster):
		p.Kind = KindVendor
		return p, v.checkVendor(ctx, p, claims, now)
	case kind == string(KindAdmin) && slices.Contains(claims.Audience, c.audGraphQL):
		p.Kind = KindAdmin
		return p, v.checkAdmin(ctx, p, claims)
	}
	return nil, unauthorized("the access token is not meant for this API", nil)
}

// checkVendor completes a vendor principal from the connection as it is now: usable (enabled, active,
// unexpired), same consumer key and version, and still holding the secret the token was obtained with (a
// renewal cuts off tokens obtained before it). The granted scopes are narrowed to what the connection
// allows now, so taking a type or demographics away takes effect at once.
func (v *Verifier) checkVendor(ctx context.Context, p *Principal, claims *oidc.AccessTokenClaims, now time.Time) error {
	idText, _ := claims.Claims[ClaimConnectionID].(string)
	id, err := strconv.Atoi(idText)
	if err != nil {
		return unauthorized("the access token names no connection", nil)
	}
	conn, err := v.core.conns.get(id, func() (*ent.Connection, error) {
		return v.core.db.Connection.Get(ctx, id)
	})
	if ent.IsNotFound(err) {
		return unauthorized("the connection of this token no longer exists", nil)
	}
	if err != nil {
		return serverError(err)
	}
	key, _ := claims.Claims[ClaimConsumerKey].(string)
	version, _ := claims.Claims[ClaimVersion].(string)
	switch {
	case conn.ConsumerKey != key || conn.ConsumerKey != p.Subject:
		return unauthorized("the access token does not match its connection", nil)
	case string(conn.Version) != version:
		return unauthorized("the connection's OneRoster version changed; request a new token", nil)
	}
	if err := provision.Usable(conn, now); err != nil {
		return unauthorized(err.Error(), err)
	}
	if fp, _ := claims.Claims[ClaimSecret].(string); fp == "" || fp != secretFingerprint(conn.SecretHash) {
		return unauthorized("the connection's secret was renewed since this token was issued; request a new token", nil)
	}
	allowed := provision.AllowedScopes(conn)
	p.Scopes = slices.DeleteFunc(slices.Clone(p.Scopes), func(s string) bool { return !slices.Contains(allowed, s) })
	p.ConsumerKey, p.ConnectionID, p.ServiceAccount, p.Version, p.Connection =
		conn.ConsumerKey, conn.ID, conn.ServiceAccount, version, conn
	return nil
}

// checkAdmin completes an admin principal from the account (and API client) as they are now; the role is
// the account's current one.
func (v *Verifier) checkAdmin(ctx context.Context, p *Principal, claims *oidc.AccessTokenClaims) error {
	c := v.core
	acct, err := c.accounts.get(p.Subject, func() (*ent.AdminAccount, error) {
		return c.db.AdminAccount.Query().Where(adminaccount.Username(p.Subject)).Only(ctx)
	})
	if ent.IsNotFound(err) {
		return unauthorized("the admin account of this token no longer exists", nil)
	}
	if err != nil {
		return serverError(err)
	}
	if acct.Disabled {
		return unauthorized("the admin account is disabled", nil)
	}
	if clientID, _ := claims.Claims[ClaimAPIClientID].(string); clientID != "" {
		ac, err := c.apiClients.get(clientID, func() (*ent.APIClient, error) {
			return c.db.APIClient.Query().Where(apiclient.ClientID(clientID)).Only(ctx)
		})
		if ent.IsNotFound(err) {
			return unauthorized("the API client of this token no longer exists", nil)
		}
		if err != nil {
			return serverError(err)
		}
		if ac.RevokedAt != nil || ac.AccountID != acct.ID {
			return unauthorized("the API client of this token is revoked", nil)
		}
		p.APIClientID = clientID
	}
	p.Username, p.Role = acct.Username, string(acct.Role)
	return nil
}

// fail sets the challenge headers and renders the refusal; server errors are logged.
func (v *Verifier) fail(w http.ResponseWriter, r *http.Request, err error) {
	ae, ok := AsAuthError(err)
	if !ok {
		ae = serverError(err)
	}
	if ae.Status >= 500 {
		v.core.log.Error("checking an access token", "path", r.URL.Path, "err", err)
	}
	ae.SetHeaders(w)
	v.render(w, r, ae)
}
