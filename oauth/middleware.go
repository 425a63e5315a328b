package oauth

import "net/http"

// RequireVendor is middleware for OneRoster endpoints: it lets a request through only with a vendor token
// for version ("v1p1" or "v1p2") that carries at least one of anyOfScopes (scope names such as
// oneroster.ScopeRoster, or full scope URIs; none listed: any scope of that version). Otherwise it answers
// 401 (missing, bad, expired or revoked token) or 403 (a 1.1 token on a 1.2 endpoint, a missing scope, an
// admin token), with WWW-Authenticate, rendered by the verifier's ErrorRenderer.
//
// The request reaching next carries the Principal (PrincipalFrom) and the vendor's service account as the
// actor (actor.From), so writes record it as their modified-by.
func (v *Verifier) RequireVendor(version string, anyOfScopes ...string) func(http.Handler) http.Handler {
	return v.require(func(p *Principal) *AuthError { return p.CheckVendor(version, anyOfScopes...) })
}

// RequireAdmin is middleware for GraphQL and the admin API: it lets a request through only with an admin
// token (the admin app's sign-in, or an API client) whose account currently has one of roles (none listed:
// any role). Vendor tokens get 403. The request reaching next carries the Principal and the admin as actor.
func (v *Verifier) RequireAdmin(roles ...string) func(http.Handler) http.Handler {
	return v.require(func(p *Principal) *AuthError { return p.CheckAdmin(roles...) })
}

// RequireToken is middleware that only authenticates: any valid token of this server passes, and handlers
// check kind, scopes or roles themselves with Principal.CheckVendor / CheckAdmin (rendering a refusal with
// Verifier.Refuse).
func (v *Verifier) RequireToken() func(http.Handler) http.Handler {
	return v.require(func(*Principal) *AuthError { return nil })
}

// Refuse answers a refused request: WWW-Authenticate and Cache-Control, then the body by the verifier's
// ErrorRenderer. err is usually an *AuthError; anything else is a 500.
func (v *Verifier) Refuse(w http.ResponseWriter, r *http.Request, err error) {
	v.fail(w, r, err)
}

func (v *Verifier) require(check func(*Principal) *AuthError) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p, err := v.Authenticate(r)
			if err != nil {
				v.fail(w, r, err)
				return
			}
			if ae := check(p); ae != nil {
				v.fail(w, r, ae)
				return
			}
			next.ServeHTTP(w, r.WithContext(p.Context(r.Context())))
		})
	}
}
