package graph

import (
	"context"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/connection"
)

// vendors memoizes, for one GraphQL operation, the connection of each vendor service account, so that a page
// of results asking writtenBy costs one query per vendor, not one per row.
type vendors struct {
	mu   sync.Mutex
	bySA map[string]*ent.Connection
}

type vendorsKey struct{}

// withVendorMemo gives every operation its own memo (an AroundOperations middleware).
func withVendorMemo(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	return next(context.WithValue(ctx, vendorsKey{}, &vendors{bySA: map[string]*ent.Connection{}}))
}

// writtenBy is the vendor connection whose service account is the record's modifiedBy, or nil when the
// record was last written by the district (an import, an admin, the system).
func (r *Resolver) writtenBy(ctx context.Context, modifiedBy string) (*ent.Connection, error) {
	sa, ok := strings.CutPrefix(modifiedBy, actor.KindVendor+":")
	if !ok || sa == "" {
		return nil, nil
	}
	memo, _ := ctx.Value(vendorsKey{}).(*vendors)
	if memo == nil {
		memo = &vendors{bySA: map[string]*ent.Connection{}}
	}
	memo.mu.Lock()
	defer memo.mu.Unlock()
	if c, ok := memo.bySA[sa]; ok {
		return c, nil
	}
	c, err := r.db(ctx).Connection.Query().Where(connection.ServiceAccount(sa)).Only(ctx)
	if ent.IsNotFound(err) {
		c, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	memo.bySA[sa] = c
	return c, nil
}
