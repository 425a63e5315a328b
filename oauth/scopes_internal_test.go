package oauth

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/rollcall/rollcall/oneroster"
)

func TestNegotiateScopes(t *testing.T) {
	u := func(v, n string) string { return oneroster.ScopeURI(v, n) }
	allowed := []string{u("v1p2", oneroster.ScopeRosterCore), u("v1p2", oneroster.ScopeRoster), u("v1p2", oneroster.ScopeResource)}
	for _, c := range []struct {
		name      string
		requested []string
		want      []string
	}{
		{"nothing requested", nil, allowed},
		{"only blanks", []string{"", " "}, allowed},
		{"subset, allowed order", []string{u("v1p2", oneroster.ScopeResource), u("v1p2", oneroster.ScopeRosterCore)},
			[]string{allowed[0], allowed[2]}},
		{"http form", []string{strings.Replace(u("v1p2", oneroster.ScopeRoster), "https:", "http:", 1)}, []string{allowed[1]}},
		{"other version by name", []string{u("v1p1", oneroster.ScopeRoster)}, []string{allowed[1]}},
		{"mixed", []string{u("v1p2", oneroster.ScopeGradebook), "openid", u("v1p2", oneroster.ScopeRoster), u("v1p2", oneroster.ScopeRoster)},
			[]string{allowed[1]}},
	} {
		got, err := negotiateScopes("v1p2", allowed, c.requested)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%s: %v %v, want %v", c.name, got, err, c.want)
		}
	}
	_, err := negotiateScopes("v1p2", allowed, []string{u("v1p2", oneroster.ScopeGradebookDelete), "profile"})
	var oe *oidc.Error
	if !errors.As(err, &oe) || oe.ErrorType != oidc.InvalidScope || !strings.Contains(oe.Description, allowed[2]) {
		t.Errorf("nothing allowed: %v", err)
	}
}

func TestHasScope(t *testing.T) {
	granted := []string{oneroster.ScopeURI("v1p1", oneroster.ScopeRoster)}
	for want, ok := range map[string]bool{
		oneroster.ScopeRoster:                                          true,
		oneroster.ScopeURI("v1p1", oneroster.ScopeRoster):              true,
		"http://purl.imsglobal.org/spec/or/v1p1/scope/roster.readonly": true,
		oneroster.ScopeURI("v1p2", oneroster.ScopeRoster):              false,
		oneroster.ScopeRosterCore:                                      false,
	} {
		if hasScope("v1p1", granted, want) != ok {
			t.Errorf("hasScope(%q) = %v", want, !ok)
		}
	}
}
