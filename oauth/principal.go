package oauth

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/oneroster"
)

// Kind is who a token speaks for.
type Kind string

const (
	KindVendor Kind = "vendor" // a vendor connection (OneRoster API)
	KindAdmin  Kind = "admin"  // an admin account, signed in or through an API client (GraphQL, admin API)
)

// Principal is the checked identity behind a request's bearer token. Fields of the other kind are empty.
// Everything here was verified: the token's signature, issuer, audience and expiry, and against the database
// (at most a couple of seconds ago) that the connection or account may still be used.
type Principal struct {
	Kind      Kind
	Subject   string // the token's sub: the consumer key, or the admin's username
	ClientID  string // the OAuth client the token was issued to
	TokenID   string // jti
	IssuedAt  time.Time
	ExpiresAt time.Time
	Scopes    []string // granted scopes (vendor: full OneRoster scope URIs of Version)

	// Vendor tokens.
	ConsumerKey    string
	ConnectionID   int
	ServiceAccount string          // the modified-by of everything the vendor writes (see Context)
	Version        string          // "v1p1" or "v1p2": the token works only on that version's endpoints
	Connection     *ent.Connection // the connection as last read (shared, read-only; edges not loaded)

	// Admin tokens.
	Username    string
	Role        string // the account's current role (provision.RoleSISAdmin, RoleAnalyst, RoleAuditor), read from the database
	APIClientID string // set when an API client obtained the token
}

// HasScope reports whether a vendor token carries scope, given as a name ("roster.readonly") or as a scope
// URI (either version, http or https); a URI of another version than the token's never matches.
func (p *Principal) HasScope(scope string) bool {
	return p.Kind == KindVendor && hasScope(p.Version, p.Scopes, scope)
}

// CheckVendor returns nil when p is a vendor token for version ("v1p1" or "v1p2") carrying at least one
// of anyOfScopes (none listed: any scope), and otherwise a 403 AuthError saying what is missing.
func (p *Principal) CheckVendor(version string, anyOfScopes ...string) *AuthError {
	if p.Kind != KindVendor {
		return forbidden("this endpoint is for OneRoster vendor connections; this token belongs to an admin", "")
	}
	if p.Version != version {
		return forbidden(fmt.Sprintf("this token is for OneRoster %s (%s) and this endpoint is OneRoster %s (%s): "+
			"request a token with the connection of that version", humanVersion(p.Version), p.Version, humanVersion(version), version), "")
	}
	if len(anyOfScopes) == 0 || slices.ContainsFunc(anyOfScopes, p.HasScope) {
		return nil
	}
	need := make([]string, len(anyOfScopes))
	for i, s := range anyOfScopes {
		need[i] = s
		if _, _, isURI := oneroster.ParseScopeURI(s); !isURI {
			need[i] = oneroster.ScopeURI(version, s)
		}
	}
	return forbidden("this token lacks the scope this request needs (any one of: "+strings.Join(need, ", ")+")",
		strings.Join(need, " "))
}

// CheckAdmin returns nil when p is an admin token whose account has one of roles (provision.RoleSISAdmin,
// RoleAnalyst, RoleAuditor; none listed: any role), and otherwise a 403 AuthError.
func (p *Principal) CheckAdmin(roles ...string) *AuthError {
	if p.Kind != KindAdmin {
		return forbidden("this endpoint is for admin accounts; this token belongs to a vendor connection", "")
	}
	if len(roles) == 0 || slices.Contains(roles, p.Role) {
		return nil
	}
	return forbidden(fmt.Sprintf("the %s role may not do this (allowed: %s)", p.Role, strings.Join(roles, ", ")), "")
}

// Context returns ctx carrying p (PrincipalFrom) and, for the modified-by of writes and the audit log, the
// actor: the vendor connection's service account (actor.KindVendor) or the admin's username
// (actor.KindAdmin).
func (p *Principal) Context(ctx context.Context) context.Context {
	ctx = context.WithValue(ctx, principalKey{}, p)
	if p.Kind == KindVendor {
		return actor.With(ctx, actor.KindVendor, p.ServiceAccount)
	}
	return actor.With(ctx, actor.KindAdmin, p.Username)
}

type principalKey struct{}

// PrincipalFrom returns the principal the middleware (or Principal.Context) put into ctx.
func PrincipalFrom(ctx context.Context) (*Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(*Principal)
	return p, ok && p != nil
}

func humanVersion(v string) string {
	switch v {
	case oneroster.V1p1:
		return "1.1"
	case oneroster.V1p2:
		return "1.2"
	}
	return v
}
