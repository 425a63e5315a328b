// Package graph is Rollcall's GraphQL API for the admin app and analysts. The schema is written by entgql
// from the ent schema (ent.graphql) plus hand-written extensions; gqlgen generates the executor into
// graph/generated. Resolvers are one to three lines: the work happens in ent and in the services they call.
package graph

import (
	"github.com/99designs/gqlgen/graphql"

	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/graph/generated"
)

// Resolver is the root resolver; it holds the services the resolvers call.
type Resolver struct {
	client *ent.Client
}

// NewSchema returns the executable schema over client.
func NewSchema(client *ent.Client) graphql.ExecutableSchema {
	return generated.NewExecutableSchema(generated.Config{
		Resolvers:  &Resolver{client: client},
		Complexity: connectionComplexity(),
	})
}
