// Package oauth is Rollcall's OAuth 2 / OpenID Connect provider (zitadel/oidc v3 `op`) and the token checks
// every protected request goes through.
//
// # Endpoints (all relative to the public URL, which is also the issuer, byte for byte)
//
//	/.well-known/openid-configuration   discovery
//	/oauth/keys                          JWKS: every key that may still have signed a live token
//	/oauth/token                         token endpoint (config.TokenPath): client_credentials, authorization_code
//	/oauth/authorize                     authorization endpoint (the admin app, code + PKCE S256)
//	/oauth/authorize/callback            where the sign-in page sends the browser back to
//	/oauth/end_session                   end session (there are no server-side sessions to end)
//	/oauth/userinfo, /oauth/introspect, /oauth/revoke
//	/login                               the sign-in page of the admin app
//
// # Clients
//
//   - Vendor connections: client id = consumer key, client_credentials only, secret as HTTP Basic
//     (client_secret_basic) or in the form body (client_secret_post).
//   - API clients: client_credentials; the token carries the role of the admin account it is bound to.
//   - The admin app ("rollcall-admin"): public client, authorization code + PKCE S256.
//
// # Access tokens
//
// Signed JWTs (RS256, key id in the header) that live settings.TokenLifetime() (one hour by default). Claims:
//
//	iss        the issuer (the public URL)
//	sub        the consumer key (vendor) or the admin account's username (admin, API client)
//	aud        AudienceOneRoster(publicURL) = publicURL + "/ims/oneroster" for vendor tokens,
//	           AudienceGraphQL(publicURL) = publicURL + "/graphql" for admin and API-client tokens
//	           (the admin app's tokens also name the client id "rollcall-admin")
//	exp, iat, nbf, jti, client_id
//	scope      the granted scopes, space-separated (vendor: full OneRoster scope URIs)
//	kind       "vendor" or "admin"
//	connection_id, consumer_key, oneroster_version   (vendor tokens; connection_id is a decimal string)
//	secret_fp                                         (vendor tokens: a fingerprint of the secret used)
//	role, api_client_id                               (admin tokens; api_client_id only for API clients)
//
// Rollcall issues no refresh tokens, and single access tokens cannot be revoked: revoking (or disabling,
// or renewing) the connection, API client or account is what cuts tokens off.
//
// A token alone is never enough: Verifier also checks, against the database (cached for at most
// LivenessTTL), that the connection is still enabled, active, unexpired and holds the secret the token was
// obtained with, or that the admin account and API client are still usable, so revoking cuts off live
// tokens on every server process within seconds. Admin roles are read from the account, not the token.
//
// # Signing keys
//
// RSA 2048 keys live in the database, private halves sealed with the server key. A key signs for
// KeyPolicy.RotateEvery (30 days by default); then a new one takes over while the old one stays published
// and accepted until every token it signed has expired. Processes sharing a database agree because they all
// read the keys from it.
package oauth
