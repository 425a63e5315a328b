package graph

import (
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// Limits that keep one query from costing the database too much.
const (
	// MaxComplexity bounds a query's cost: every field counts one, and a connection multiplies what it
	// selects by the page size asked for.
	MaxComplexity = 5000
)

// NewHandler returns the GraphQL HTTP handler: POST and GET transports, introspection,
// a complexity and a depth limit, and mutations wrapped in a transaction so that a failed mutation changes nothing.
func NewHandler(d Deps) http.Handler {
	srv := handler.New(NewSchema(d))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.AddTransport(transport.MultipartForm{MaxUploadSize: 256 << 20, MaxMemory: 32 << 20})
	srv.Use(extension.Introspection{})
	srv.Use(extension.FixedComplexityLimit(MaxComplexity))
	srv.Use(depthLimit{Max: MaxDepth})
	srv.AroundOperations(withVendorMemo)
	srv.Use(newTransactioner(d.Client))
	return http.TimeoutHandler(srv, 60*time.Second, `{"errors":[{"message":"query took longer than 60s"}]}`)
}
