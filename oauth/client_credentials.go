package oauth

import (
	"context"
	"strconv"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/secrets"
)

// tokenRequest is what a client_credentials grant asks the provider to sign (op.TokenRequest): the subject,
// audience and granted scopes, and the private claims, all decided here, before any token exists.
type tokenRequest struct {
	subject  string
	audience []string
	scopes   []string
	claims   map[string]any
}

func (t *tokenRequest) GetSubject() string    { return t.subject }
func (t *tokenRequest) GetAudience() []string { return t.audience }
func (t *tokenRequest) GetScopes() []string   { return t.scopes }

// ClientCredentials authenticates a vendor connection or API client for the client_credentials grant.
// The library turns any error into 401 invalid_client, the same answer for an unknown client, a wrong
// secret, and a disabled, revoked or expired connection; the reason goes to the audit log (token.denied).
func (s *storage) ClientCredentials(ctx context.Context, clientID, clientSecret string) (op.Client, error) {
	c, err := s.authenticate(ctx, clientID, clientSecret)
	if err != nil {
		return nil, err
	}
	if st := exchangeFrom(ctx); st != nil {
		st.client = c
	}
	return c, nil
}

// ClientCredentialsTokenRequest decides what the authenticated client gets (the library filters nothing):
//
//   - a vendor connection: the negotiated OneRoster scopes (see negotiateScopes; 400 invalid_scope when
//     nothing requested is allowed), audience AudienceOneRoster, and claims naming the connection;
//   - an API client: audience AudienceGraphQL, the admin account's username as subject and its role as a
//     claim, no scopes (a role, not scopes, decides what it may do).
func (s *storage) ClientCredentialsTokenRequest(ctx context.Context, clientID string, scopes []string) (op.TokenRequest, error) {
	var c *client
	if st := exchangeFrom(ctx); st != nil && st.client != nil && st.client.id == clientID {
		c = st.client
	} else {
		oc, err := s.GetClientByClientID(ctx, clientID)
		if err != nil {
			return nil, oidc.ErrInvalidClient().WithParent(err)
		}
		c = oc.(*client)
	}
	switch {
	case c.conn != nil:
		return s.vendorTokenRequest(c.conn, scopes)
	case c.apiClient != nil:
		return s.apiClientTokenRequest(c.apiClient)
	}
	return nil, oidc.ErrUnauthorizedClient()
}

func (s *storage) vendorTokenRequest(conn *ent.Connection, requested []string) (*tokenRequest, error) {
	if err := provision.Usable(conn, s.now()); err != nil {
		return nil, oidc.ErrInvalidClient().WithParent(err)
	}
	version := string(conn.Version)
	granted, err := negotiateScopes(version, provision.AllowedScopes(conn), requested)
	if err != nil {
		return nil, err
	}
	return &tokenRequest{
		subject:  conn.ConsumerKey,
		audience: []string{AudienceOneRoster(s.publicURL)},
		scopes:   granted,
		claims: map[string]any{
			ClaimKind:         string(KindVendor),
			ClaimConnectionID: strconv.Itoa(conn.ID),
			ClaimConsumerKey:  conn.ConsumerKey,
			ClaimVersion:      version,
			ClaimSecret:       secretFingerprint(conn.SecretHash),
		},
	}, nil
}

func (s *storage) apiClientTokenRequest(ac *ent.APIClient) (*tokenRequest, error) {
	acct := ac.Edges.Account
	if acct == nil || acct.Disabled || ac.RevokedAt != nil {
		return nil, oidc.ErrInvalidClient().WithParent(provision.ErrAPIClientRevoked)
	}
	return &tokenRequest{
		subject:  acct.Username,
		audience: []string{AudienceGraphQL(s.publicURL)},
		claims: map[string]any{
			ClaimKind:        string(KindAdmin),
			ClaimRole:        string(acct.Role),
			ClaimAPIClientID: ac.ClientID,
		},
	}, nil
}

// secretFingerprint names the secret a vendor token was obtained with, without revealing anything about it:
// a short hash of the stored secret hash. A renewal issues a new secret, so tokens obtained with the old one
// stop working at once (and a revoked connection has no secret at all).
func secretFingerprint(secretHash string) string {
	if secretHash == "" {
		return ""
	}
	return secrets.HashSecret("rollcall token binding:" + secretHash)[:16]
}
