package oauth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/adminaccount"
	"github.com/rollcall/rollcall/ent/apiclient"
	"github.com/rollcall/rollcall/ent/connection"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/settings"
)

// storage is the provider's op.Storage (and op.ClientCredentialsStorage) over ent. It keeps no state of its
// own beyond the key cache: clients, auth requests and keys are read from the database, so any server
// process can serve any step of any flow.
type storage struct {
	db        *ent.Client
	creds     CredentialChecker
	keys      *keyStore
	log       *slog.Logger
	now       func() time.Time
	publicURL string
	loginURL  string // sign-in page URL up to the auth request id
}

var (
	_ op.Storage                        = (*storage)(nil)
	_ op.ClientCredentialsStorage       = (*storage)(nil)
	_ op.CanGetPrivateClaimsFromRequest = (*storage)(nil)
	_ op.CanSetUserinfoFromRequest      = (*storage)(nil)
)

// tokenLifetime is the configured access-token lifetime (settings.TokenLifetime, one hour by default).
func (s *storage) tokenLifetime(ctx context.Context) (time.Duration, error) {
	st, err := settings.Load(ctx, s.db)
	if err != nil {
		return 0, fmt.Errorf("reading the token lifetime: %w", err)
	}
	if d := st.TokenLifetime(); d > 0 && d <= MaxTokenLifetime {
		return d, nil
	}
	return time.Hour, nil
}

// GetClientByClientID returns the admin app, an API client (id with the API-client prefix), or the vendor
// connection whose consumer key is id.
func (s *storage) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	if id == AdminAppClientID {
		lifetime, err := s.tokenLifetime(ctx)
		if err != nil {
			return nil, err
		}
		return adminAppClient(s.publicURL, s.loginURL, lifetime), nil
	}
	if provision.IsAPIClientID(id) {
		ac, err := s.db.APIClient.Query().Where(apiclient.ClientID(id)).WithAccount().Only(ctx)
		if ent.IsNotFound(err) {
			return nil, oidc.ErrInvalidClient().WithParent(provision.ErrUnknownClient)
		}
		if err != nil {
			return nil, err
		}
		return apiClientClient(ac), nil
	}
	conn, err := s.db.Connection.Query().Where(connection.ConsumerKey(id)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, oidc.ErrInvalidClient().WithParent(provision.ErrUnknownClient)
	}
	if err != nil {
		return nil, err
	}
	return vendorClient(conn), nil
}

// authenticate checks a confidential client's id and secret: an API client when the id has the API-client
// prefix (provision.IsAPIClientID), otherwise a vendor connection. A refusal is audited as token.denied with
// the reason (never the secret) and counted against the client's failure budget; the client always gets the
// same invalid_client answer. A failure to check (database) is logged, not audited.
func (s *storage) authenticate(ctx context.Context, clientID, secret string) (*client, error) {
	if clientID == "" || clientID == AdminAppClientID {
		return nil, s.deny(ctx, "client:"+clientID, clientID, provision.ErrUnknownClient)
	}
	if provision.IsAPIClientID(clientID) {
		ac, err := s.creds.AuthenticateAPIClient(ctx, clientID, secret)
		if err != nil {
			return nil, s.refuse(ctx, "apiclient:"+clientID, clientID, err)
		}
		if ac.Edges.Account == nil {
			if ac, err = s.db.APIClient.Query().Where(apiclient.ID(ac.ID)).WithAccount().Only(ctx); err != nil {
				return nil, err
			}
		}
		if ac.RevokedAt != nil || ac.Edges.Account.Disabled { // whatever the checker did, never a token
			return nil, s.deny(ctx, "apiclient:"+clientID, clientID, provision.ErrAPIClientRevoked)
		}
		return apiClientClient(ac), nil
	}
	conn, err := s.creds.Authenticate(ctx, clientID, secret)
	if err != nil {
		return nil, s.refuse(ctx, "connection:"+clientID, clientID, err)
	}
	if err := provision.Usable(conn, s.now()); err != nil {
		return nil, s.deny(ctx, "connection:"+clientID, clientID, err)
	}
	return vendorClient(conn), nil
}

// refuse audits a client refusal, or logs a failure to check.
func (s *storage) refuse(ctx context.Context, target, clientID string, err error) error {
	if isClientRefusal(err) {
		if errors.Is(err, provision.ErrUnknownClient) {
			target = "client:" + clientID
		}
		return s.deny(ctx, target, clientID, err)
	}
	s.log.Error("checking client credentials", "client_id", clientID, "err", err)
	return err
}

// deny records a refused client in the audit log and returns the reason.
func (s *storage) deny(ctx context.Context, target, clientID string, reason error) error {
	noteDenied(ctx)
	target, clientID = clip(target, 200), clip(clientID, 200) // client ids come from anyone
	err := audit.Record(ctx, s.db, audit.Event{
		Action: "token.denied",
		Target: target,
		Detail: map[string]any{"clientId": clientID, "reason": reason.Error()},
	})
	if err != nil {
		s.log.Error("recording a token denial", "client_id", clientID, "err", err)
	}
	return reason
}

// AuthorizeClientIDSecret checks a confidential client's credentials (code exchange, introspection,
// revocation).
func (s *storage) AuthorizeClientIDSecret(ctx context.Context, clientID, clientSecret string) error {
	_, err := s.authenticate(ctx, clientID, clientSecret)
	return err
}

// Health reports whether the database answers.
func (s *storage) Health(ctx context.Context) error {
	_, err := s.db.SigningKey.Query().Exist(ctx)
	return err
}

// SigningKey returns the key to sign with now (see keyStore).
func (s *storage) SigningKey(ctx context.Context) (op.SigningKey, error) {
	return s.keys.SigningKey(ctx)
}

// SignatureAlgorithms is RS256 only.
func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{keyAlgorithm}, nil
}

// KeySet is the JWKS: every key still inside its verification window.
func (s *storage) KeySet(ctx context.Context) ([]op.Key, error) {
	return s.keys.Published(ctx)
}

// GetKeyByIDAndClientID would serve the JWT-profile grant and private_key_jwt, which Rollcall does not offer.
func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, oidc.ErrUnauthorizedClient().WithDescription("JWT client assertions are not supported")
}

// ValidateJWTProfileScopes belongs to the JWT-profile grant, which Rollcall does not offer.
func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, oidc.ErrUnauthorizedClient().WithDescription("the JWT profile grant is not supported")
}

// SetUserinfoFromScopes is deprecated by the library; SetUserinfoFromRequest does the work.
func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest fills the admin app's ID token with the admin's name.
func (s *storage) SetUserinfoFromRequest(ctx context.Context, info *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	return s.fillUserinfo(ctx, info, req.GetSubject())
}

// SetUserinfoFromToken answers the userinfo endpoint, for admin accounts only: a subject that is a vendor
// connection's consumer key gets nothing.
func (s *storage) SetUserinfoFromToken(ctx context.Context, info *oidc.UserInfo, _, subject, _ string) error {
	return s.fillUserinfo(ctx, info, subject)
}

func (s *storage) fillUserinfo(ctx context.Context, info *oidc.UserInfo, username string) error {
	if isVendor, err := s.db.Connection.Query().Where(connection.ConsumerKey(username)).Exist(ctx); err != nil || isVendor {
		return oidc.ErrAccessDenied().WithDescription("no user information for this token")
	}
	acct, err := s.db.AdminAccount.Query().Where(adminaccount.Username(username)).Only(ctx)
	if err != nil || acct.Disabled {
		return oidc.ErrAccessDenied().WithDescription("no user information for this token")
	}
	info.Subject = acct.Username
	info.PreferredUsername = acct.Username
	info.Name = acct.DisplayName
	info.AppendClaims(ClaimRole, string(acct.Role))
	return nil
}

// SetIntrospectionFromToken answers the introspection endpoint (RFC 7662) for a token the library has
// already checked (issuer, signature, expiry): it is active while its subject may still be used. Rollcall's
// own handlers use Verifier instead, which also checks audience and scopes.
func (s *storage) SetIntrospectionFromToken(ctx context.Context, resp *oidc.IntrospectionResponse, tokenID, subject, clientID string) error {
	if conn, err := s.db.Connection.Query().Where(connection.ConsumerKey(subject)).Only(ctx); err == nil {
		if err := provision.Usable(conn, s.now()); err != nil {
			return err
		}
		resp.Subject, resp.ClientID, resp.Username = subject, subject, conn.ServiceAccount
		return nil
	}
	acct, err := s.db.AdminAccount.Query().Where(adminaccount.Username(subject)).Only(ctx)
	if err != nil || acct.Disabled {
		return oidc.ErrAccessDenied()
	}
	resp.Subject, resp.Username = subject, subject
	return nil
}

// TerminateSession has nothing to end: the sign-in page keeps no session, every authorization asks for the
// password again.
func (s *storage) TerminateSession(context.Context, string, string) error { return nil }

// RevokeToken: access tokens are self-contained JWTs that stop working when the connection, API client or
// account is revoked or disabled; single tokens cannot be revoked (RFC 7009 unsupported_token_type).
func (s *storage) RevokeToken(context.Context, string, string, string) *oidc.Error {
	return &oidc.Error{ErrorType: "unsupported_token_type", Description: "single access tokens cannot be revoked; revoke the connection or API client instead"}
}

// GetRefreshTokenInfo: Rollcall issues no refresh tokens.
func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

// TokenRequestByRefreshToken: Rollcall issues no refresh tokens.
func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, oidc.ErrInvalidGrant().WithDescription("refresh tokens are not issued")
}

// CreateAccessAndRefreshTokens: Rollcall issues no refresh tokens (no client has the refresh_token grant).
func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, oidc.ErrUnsupportedGrantType().WithDescription("refresh tokens are not issued")
}

// clip shortens s to at most n bytes.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
