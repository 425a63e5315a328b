package oauth

import (
	"context"
	"maps"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/ent/adminaccount"
	"github.com/rollcall/rollcall/provision"
)

// Private claims of Rollcall's access tokens (see the package documentation for the whole set).
const (
	ClaimScope        = "scope"             // granted scopes, space-separated
	ClaimKind         = "kind"              // "vendor" or "admin"
	ClaimConnectionID = "connection_id"     // vendor: the connection's id, as a decimal string
	ClaimConsumerKey  = "consumer_key"      // vendor: the consumer key (also the subject)
	ClaimVersion      = "oneroster_version" // vendor: "v1p1" or "v1p2"
	ClaimSecret       = "secret_fp"         // vendor: fingerprint of the secret the token was obtained with
	ClaimRole         = "role"              // admin: sis_admin, analyst or auditor
	ClaimAPIClientID  = "api_client_id"     // admin tokens of an API client: its client id
)

// AudienceOneRoster is the audience of vendor tokens: the OneRoster API of this server.
func AudienceOneRoster(publicURL string) string { return publicURL + config.OneRosterPath }

// AudienceGraphQL is the audience of admin and API-client tokens: GraphQL and the admin API.
func AudienceGraphQL(publicURL string) string { return publicURL + config.GraphQLPath }

// CreateAccessToken picks the token's id (jti) and expiry: the configured lifetime from now, rounded so that
// expires_in reports the whole lifetime. Nothing is stored and nothing audited (tokens are too frequent);
// provision recorded last_token_at / last_used_at when it checked the secret.
func (s *storage) CreateAccessToken(ctx context.Context, req op.TokenRequest) (string, time.Time, error) {
	lifetime, err := s.tokenLifetime(ctx)
	if err != nil {
		return "", time.Time{}, err
	}
	exp := s.now().Truncate(time.Second).Add(lifetime + time.Second)
	return randomID(16), exp, nil
}

// GetPrivateClaimsFromRequest adds Rollcall's claims to an access token: those decided with the token
// request for client_credentials, and for the admin app's authorization code the account's role. The
// scope claim lists the granted scopes.
func (s *storage) GetPrivateClaimsFromRequest(ctx context.Context, req op.TokenRequest, scopes []string) (map[string]any, error) {
	var claims map[string]any
	switch r := req.(type) {
	case *tokenRequest:
		claims = maps.Clone(r.claims)
	case *authRequest:
		acct, err := s.db.AdminAccount.Query().Where(adminaccount.Username(r.GetSubject())).Only(ctx)
		if err != nil {
			return nil, oidc.ErrInvalidGrant().WithDescription("the admin account is gone").WithParent(err)
		}
		if acct.Disabled {
			return nil, oidc.ErrInvalidGrant().WithParent(provision.ErrAdminDisabled)
		}
		claims = map[string]any{ClaimKind: string(KindAdmin), ClaimRole: string(acct.Role)}
	default:
		claims = map[string]any{}
	}
	if len(req.GetScopes()) > 0 {
		claims[ClaimScope] = strings.Join(req.GetScopes(), " ")
	}
	return claims, nil
}

// GetPrivateClaimsFromScopes is not used: GetPrivateClaimsFromRequest takes precedence.
func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}
