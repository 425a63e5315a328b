// Package model holds the GraphQL types that are not ent entities.
package model

import (
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
