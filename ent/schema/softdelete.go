package schema

import (
	"context"
	"fmt"

	"entgo.io/ent"

	gen "github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/oneroster"
)

type hardDeleteKey struct{}

// AllowHardDelete returns a context in which deletes really remove rows. Only maintenance code (purging old
// tombstones, tests resetting a database) uses it; everything else keeps the soft delete.
func AllowHardDelete(ctx context.Context) context.Context {
	return context.WithValue(ctx, hardDeleteKey{}, true)
}

// softDelete turns every delete of a OneRoster record into an update that marks it tobedeleted, so that the
// row stays as a tombstone that delta syncs can see. The update goes through the client again, so the record
// hook stamps dateLastModified and modifiedBy as for any other change.
func softDelete(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		if !m.Op().Is(ent.OpDelete|ent.OpDeleteOne) || ctx.Value(hardDeleteKey{}) != nil {
			return next.Mutate(ctx, m)
		}
		mx, ok := m.(interface {
			SetOp(ent.Op)
			Client() *gen.Client
		})
		if !ok {
			return nil, fmt.Errorf("soft delete: unexpected mutation type %T", m)
		}
		op := ent.OpUpdate
		if m.Op().Is(ent.OpDeleteOne) {
			op = ent.OpUpdateOne
		}
		mx.SetOp(op)
		if err := m.SetField("status", oneroster.StatusToBeDeleted); err != nil {
			return nil, err
		}
		v, err := mx.Client().Mutate(ctx, m)
		if err != nil {
			return nil, err
		}
		if op == ent.OpUpdateOne {
			return 1, nil // a DeleteOne reports how many rows it affected
		}
		return v, nil
	})
}
