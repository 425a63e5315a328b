// Package actor carries who is acting through a request's context, so that every write records its author
// ("modified by") without callers passing it around. An actor is written as kind:name, for example
// "admin:alice", "import:42", "vendor:ROLLCALL_canvas" or "system".
package actor

import (
	"context"
	"fmt"
)

// Kinds of actors.
const (
	KindAdmin  = "admin"  // a district admin signed in to the admin app or GraphQL
	KindImport = "import" // a CSV bundle import, by import id
	KindVendor = "vendor" // a vendor connection's service account
	KindSystem = "system" // the server itself: demo generator, migrations, scheduled jobs
)

// System is the actor used when nobody else is named.
const System = KindSystem

type key struct{}

// With returns a context whose writes are attributed to kind:name.
func With(ctx context.Context, kind, name string) context.Context {
	return context.WithValue(ctx, key{}, fmt.Sprintf("%s:%s", kind, name))
}

// From returns the actor of ctx, or System when none was set.
func From(ctx context.Context) string {
	if a, ok := ctx.Value(key{}).(string); ok && a != "" {
		return a
	}
	return System
}
