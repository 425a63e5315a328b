// Package model holds the GraphQL types that are not ent entities.
package model

import (
	"time"

	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/provision"
)

// ConnectionCredentials is a connection with its share information and secret.
type ConnectionCredentials struct {
	provision.ShareInfo
	Connection *ent.Connection
}

// Me is the signed-in admin.
type Me struct {
	Username string
	Role     string
}

// CacheStatus is what GraphQL shows about the OneRoster cache.
type CacheStatus struct {
	Current, Running, LastFailure *ent.CacheGeneration
	Paused                        bool
	NextScheduledAt               *time.Time
}

// OneRosterView is one record as a connection gets it from the OneRoster API.
type OneRosterView struct {
	Connection *ent.Connection
	Version    string
	Path       string
	Visible    bool
	Record     map[string]any
	Reason     *string
}
