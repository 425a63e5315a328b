package oauth

import (
	"slices"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/rollcall/rollcall/ent"
)

// AdminAppClientID is the client id of the admin app: a public client (no secret) that signs admins in with
// the authorization code flow and PKCE S256.
const AdminAppClientID = "rollcall-admin"

// AdminCallbackPath is where the admin app receives the authorization code, relative to the public URL.
const AdminCallbackPath = "/admin/callback"

// client is one OAuth client as the provider sees it (op.Client and op.HasRedirectGlobs). Which fields are
// set depends on the kind: a vendor connection or an API client (confidential, client_credentials only), or
// the admin app (public, authorization code).
type client struct {
	id              string
	authMethod      oidc.AuthMethod
	appType         op.ApplicationType
	grantTypes      []oidc.GrantType
	responseTypes   []oidc.ResponseType
	redirectURIs    []string
	redirectGlobs   []string
	logoutURIs      []string
	logoutGlobs     []string
	devMode         bool
	loginURL        string // sign-in page; the auth request id is appended
	idTokenLifetime time.Duration
	scopes          []string // extra scopes an auth request may carry (besides the OpenID ones)

	conn      *ent.Connection // vendor connection, when a vendor
	apiClient *ent.APIClient  // API client (with its account edge loaded), when one
}

// vendorClient is the client of a vendor connection: client id = consumer key, client_credentials only.
// The secret may come as HTTP Basic or in the form body: the client_credentials grant reads both.
func vendorClient(c *ent.Connection) *client {
	return &client{
		id:         c.ConsumerKey,
		authMethod: oidc.AuthMethodBasic,
		appType:    op.ApplicationTypeWeb,
		grantTypes: []oidc.GrantType{oidc.GrantTypeClientCredentials},
		conn:       c,
	}
}

// apiClient is the client of an API client: client_credentials only, tokens for GraphQL.
func apiClientClient(c *ent.APIClient) *client {
	return &client{
		id:         c.ClientID,
		authMethod: oidc.AuthMethodBasic,
		appType:    op.ApplicationTypeWeb,
		grantTypes: []oidc.GrantType{oidc.GrantTypeClientCredentials},
		apiClient:  c,
	}
}

// adminAppClient is the admin app: public (AuthMethodNone, so the library insists on PKCE), authorization
// code only, redirect URI publicURL + AdminCallbackPath. When the public URL is plain http (development),
// the client is in dev mode and also accepts loopback redirect URIs on any port (a Vite dev server).
func adminAppClient(publicURL, loginURL string, idTokenLifetime time.Duration) *client {
	c := &client{
		id:              AdminAppClientID,
		authMethod:      oidc.AuthMethodNone,
		appType:         op.ApplicationTypeUserAgent,
		grantTypes:      []oidc.GrantType{oidc.GrantTypeCode},
		responseTypes:   []oidc.ResponseType{oidc.ResponseTypeCode},
		redirectURIs:    []string{publicURL + AdminCallbackPath},
		logoutURIs:      []string{publicURL + "/admin/", publicURL + "/admin"},
		loginURL:        loginURL,
		idTokenLifetime: idTokenLifetime,
	}
	if strings.HasPrefix(publicURL, "http://") {
		c.devMode = true
		for _, host := range []string{"localhost", "127.0.0.1", "[::1]"} {
			c.redirectGlobs = append(c.redirectGlobs, "http://"+host+":*"+AdminCallbackPath, "http://"+host+AdminCallbackPath)
			c.logoutGlobs = append(c.logoutGlobs, "http://"+host+":*/admin/", "http://"+host+":*/admin")
		}
	}
	return c
}

func (c *client) GetID() string                        { return c.id }
func (c *client) RedirectURIs() []string               { return c.redirectURIs }
func (c *client) PostLogoutRedirectURIs() []string     { return c.logoutURIs }
func (c *client) RedirectURIGlobs() []string           { return c.redirectGlobs }
func (c *client) PostLogoutRedirectURIGlobs() []string { return c.logoutGlobs }
func (c *client) ApplicationType() op.ApplicationType  { return c.appType }
func (c *client) AuthMethod() oidc.AuthMethod          { return c.authMethod }
func (c *client) ResponseTypes() []oidc.ResponseType   { return c.responseTypes }
func (c *client) GrantTypes() []oidc.GrantType         { return c.grantTypes }
func (c *client) AccessTokenType() op.AccessTokenType  { return op.AccessTokenTypeJWT }
func (c *client) IDTokenLifetime() time.Duration       { return c.idTokenLifetime }
func (c *client) DevMode() bool                        { return c.devMode }
func (c *client) IDTokenUserinfoClaimsAssertion() bool { return false }
func (c *client) ClockSkew() time.Duration             { return 0 }
func (c *client) IsScopeAllowed(scope string) bool     { return slices.Contains(c.scopes, scope) }
func (c *client) LoginURL(authRequestID string) string { return c.loginURL + authRequestID }
func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
