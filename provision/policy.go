// Package provision is the Provisioning tool's back end: vendor connections (create, update, revoke, renew,
// reveal the secret), admin accounts and API clients. It is the one place that decides what a connection
// may do; the OAuth provider and the OneRoster facade ask it rather than deciding for themselves.
package provision

import (
	"errors"
	"slices"
	"time"

	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/connection"
	"github.com/rollcall/rollcall/oneroster"
)

// Connection types.
const (
	TypeRoster     = "roster"
	TypeGradebook  = "gradebook"
	TypeAssessment = "assessment"
)

// Reasons a connection cannot be used, as errors callers can match.
var (
	ErrDisabled = errors.New("the connection is disabled")
	ErrRevoked  = errors.New("the connection is revoked")
	ErrExpired  = errors.New("the connection's credentials have expired")
)

// Usable reports whether the connection may obtain and use tokens at now: enabled, active, and before its
// expiration date (a connection expiring today is already expired, as the indicators show).
func Usable(c *ent.Connection, now time.Time) error {
	switch {
	case c.Status == connection.StatusRevoked:
		return ErrRevoked
	case !c.Enabled:
		return ErrDisabled
	case !now.Before(c.ExpiresAt):
		return ErrExpired
	}
	return nil
}

// AllowedScopes returns the full scope URIs the connection may be granted: roster reads for everyone
// (demographics only with demographics access), gradebook reads and writes for partners with the Gradebook
// Sync type, assessment scopes (1.2 only) for partners with Assessment Sync.
func AllowedScopes(c *ent.Connection) []string {
	v := string(c.Version)
	defined := oneroster.ScopesV1p2
	if v == oneroster.V1p1 {
		defined = oneroster.ScopesV1p1
	}
	names := []string{oneroster.ScopeRosterCore, oneroster.ScopeRoster, oneroster.ScopeResourceCore, oneroster.ScopeResource}
	if c.Demographics {
		names = append(names, oneroster.ScopeRosterDemographics)
	}
	if c.Partner && slices.Contains(c.Types, TypeGradebook) {
		names = append(names, oneroster.ScopeGradebookCore, oneroster.ScopeGradebook, oneroster.ScopeGradebookCreatePut,
			oneroster.ScopeGradebookCreatePost, oneroster.ScopeGradebookDelete)
	}
	if c.Partner && slices.Contains(c.Types, TypeAssessment) {
		names = append(names, oneroster.ScopeAssessment, oneroster.ScopeAssessmentCreatePut, oneroster.ScopeAssessmentDelete)
	}
	var out []string
	for _, n := range names {
		if slices.Contains(defined, n) {
			out = append(out, oneroster.ScopeURI(v, n))
		}
	}
	return out
}

// Indicators are the three colored status indicators of the connections list (true is green).
type Indicators struct {
	Enabled    bool `json:"enabled"`    // client enabled, and not revoked
	Active     bool `json:"active"`     // status Active
	NotExpired bool `json:"notExpired"` // expiration date after today
}

// StatusIndicators computes the indicators of c at now.
func StatusIndicators(c *ent.Connection, now time.Time) Indicators {
	return Indicators{
		Enabled:    c.Enabled && c.Status == connection.StatusActive,
		Active:     c.Status == connection.StatusActive,
		NotExpired: now.Before(c.ExpiresAt),
	}
}

// ValidDays is the number of whole days from today (UTC) to the expiration date; 0 once expired.
func ValidDays(c *ent.Connection, now time.Time) int {
	today := now.UTC().Truncate(24 * time.Hour)
	d := int(c.ExpiresAt.UTC().Sub(today).Hours() / 24)
	return max(d, 0)
}
