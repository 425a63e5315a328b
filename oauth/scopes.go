package oauth

import (
	"slices"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/rollcall/rollcall/oneroster"
)

// negotiateScopes decides what a vendor connection of version ("v1p1" or "v1p2") is granted, given the full
// scope URIs it may have (allowed, from provision.AllowedScopes) and what the client asked for.
//
//   - Nothing requested: everything allowed.
//   - Otherwise every requested scope is parsed with oneroster.ParseScopeURI (the http:// form of the purl
//     URIs is accepted) and matched by scope name against the allowed set of the connection's version; the
//     grant is that intersection, in the order of the allowed set, as URIs of the connection's version.
//     Requested scopes that are not allowed, or not OneRoster scopes at all, are left out.
//   - Nothing requested is allowed: an invalid_scope error whose description lists what may be requested.
//
// The result is always a subset of allowed.
func negotiateScopes(version string, allowed, requested []string) ([]string, error) {
	requested = slices.DeleteFunc(slices.Clone(requested), func(s string) bool { return strings.TrimSpace(s) == "" })
	if len(requested) == 0 {
		return slices.Clone(allowed), nil
	}
	wanted := map[string]bool{}
	for _, s := range requested {
		if _, name, ok := oneroster.ParseScopeURI(s); ok {
			wanted[oneroster.ScopeURI(version, name)] = true
		}
	}
	var granted []string
	for _, uri := range allowed {
		if wanted[uri] {
			granted = append(granted, uri)
		}
	}
	if len(granted) == 0 {
		return nil, oidc.ErrInvalidScope().WithDescription(
			"none of the requested scopes is allowed for this connection; it may request: %s", strings.Join(allowed, " "))
	}
	return granted, nil
}

// hasScope reports whether granted (full scope URIs of version) includes want, given either as a scope name
// ("roster.readonly") or as a scope URI of either version and scheme.
func hasScope(version string, granted []string, want string) bool {
	name := want
	if v, n, ok := oneroster.ParseScopeURI(want); ok {
		if v != version {
			return false
		}
		name = n
	}
	return slices.Contains(granted, oneroster.ScopeURI(version, name))
}
