// Package graph is Rollcall's GraphQL API for the admin app and analysts. The schema is written by entgql
// from the ent schema (ent.graphql) plus hand-written extensions (admin.graphql); gqlgen generates the
// executor into graph/generated. Resolvers are one to three lines: the work happens in ent and in the
// services they call (provision for connections, settings for district settings).
package graph

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/rollcall/rollcall/cache"
	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/graph/generated"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/store"
)

// Deps are the services the resolvers call.
type Deps struct {
	Client    *ent.Client
	Provision *provision.Service // connections; its Client is replaced by the request's transaction
	Config    config.Config
	Cache     *cache.Cache // the OneRoster cache: status, refresh, and records as a connection sees them
	DB        *store.DB    // the database, for bundle imports (nil: importBundle is refused)
}

// Resolver is the root resolver.
type Resolver struct {
	client *ent.Client
	deps   Deps
}

// NewSchema returns the executable schema.
func NewSchema(d Deps) graphql.ExecutableSchema {
	return generated.NewExecutableSchema(generated.Config{
		Resolvers:  &Resolver{client: d.Client, deps: d},
		Complexity: connectionComplexity(),
	})
}

// provision returns the connections service bound to the request's transaction (mutations run in one,
// see entgql.Transactioner), so a mutation and its audit event commit together.
func (r *Resolver) provision(ctx context.Context) *provision.Service {
	svc := *r.deps.Provision
	if tx := ent.FromContext(ctx); tx != nil {
		svc.Client = tx
	}
	return &svc
}

// db returns the request's transaction client when there is one, else the root client.
func (r *Resolver) db(ctx context.Context) *ent.Client {
	if tx := ent.FromContext(ctx); tx != nil {
		return tx
	}
	return r.client
}

func (r *Resolver) now() time.Time {
	if r.deps.Provision != nil && r.deps.Provision.Now != nil {
		return r.deps.Provision.Now()
	}
	return time.Now()
}
