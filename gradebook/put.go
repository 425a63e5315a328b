package gradebook

import (
	"context"
	"net/http"

	"entgo.io/ent/dialect/sql"

	"github.com/rollcall/rollcall/cache"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/facade"
	"github.com/rollcall/rollcall/oneroster"
)

// writer is one parsed record of a request body on its way into the live tables.
type writer interface {
	sid() string
	// refs checks the records the body names against what the connection sees (before the transaction).
	refs(c check) error
	// save creates the record (created true) or replaces it, inside the transaction; p is what the
	// connection saw of the record before the transaction (a live record it does not see may not be replaced).
	save(ctx context.Context, t *txn, p prior) (created bool, err error)
}

// parseWriter reads a PUT body of the entity into its writer.
func parseWriter(e entity, body []byte, id string, v12 bool) (writer, error) {
	switch e.coll {
	case cache.Categories:
		in, err := parseOne(body, e.single, id, v12, parseCategory)
		return wrap(in, err, func(x *categoryIn) writer { return &categoryW{x, v12} })
	case cache.LineItems:
		in, err := parseOne(body, e.single, id, v12, parseLineItem)
		return wrap(in, err, func(x *lineItemIn) writer { return &lineItemW{in: x, v12: v12} })
	case cache.Results:
		in, err := parseOne(body, e.single, id, v12, parseResult)
		return wrap(in, err, func(x *resultIn) writer { return &resultW{in: x, v12: v12} })
	case cache.ScoreScales:
		in, err := parseOne(body, e.single, id, v12, parseScoreScale)
		return wrap(in, err, func(x *scoreScaleIn) writer { return &scoreScaleW{x} })
	case cache.AssessmentLineItems:
		in, err := parseOne(body, e.single, id, v12, parseAssessmentLineItem)
		return wrap(in, err, func(x *assessmentLineItemIn) writer { return &assessmentLineItemW{x} })
	}
	in, err := parseOne(body, e.single, id, v12, parseAssessmentResult)
	return wrap(in, err, func(x *assessmentResultIn) writer { return &assessmentResultW{x} })
}

func wrap[T any](in *T, err error, w func(*T) writer) (writer, error) {
	if err != nil {
		return nil, err
	}
	return w(in), nil
}

// put serves PUT /<entity>/{sourcedId}: 201 when it creates the record (also one deleted before), 200 when it
// replaces it; no body. The same PUT twice changes nothing the second time (the cache keeps the record's
// dateLastModified when its published content is the same).
func (s *Service) put(e entity) facade.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, req *facade.Request) error {
		if err := authorize(req, e.assessment); err != nil {
			return err
		}
		id := r.PathValue("sourcedId")
		body, err := readBody(r)
		if err != nil {
			return err
		}
		wr, err := parseWriter(e, body, id, req.Route.Version == oneroster.V1p2)
		if err != nil {
			return err
		}
		c := check{r.Context(), req}
		p, err := c.existing(e.coll, id)
		if err != nil {
			return err
		}
		if err := wr.refs(c); err != nil {
			return err
		}
		var created bool
		err = s.write(r.Context(), req, func(ctx context.Context, t *txn) error {
			t.touch(e.coll, id) // first: records hanging on it are published after it
			if created, err = wr.save(ctx, t, p); err != nil {
				return err
			}
			t.audit("put", e.coll, id, map[string]any{"created": created, "connection": req.Principal.ConsumerKey, "version": req.Route.Version})
			return nil
		})
		if err != nil {
			return err
		}
		if created {
			w.WriteHeader(http.StatusCreated)
		} else {
			w.WriteHeader(http.StatusOK)
		}
		return nil
	}
}

// kv is one field of a write: a value to set, or nil to clear it (on a replace; a create leaves it unset).
type kv struct {
	name string
	v    any
}

// opt is a kv of an optional value: nil pointers and empty strings and slices clear the field.
func opt[T any](name string, v *T) kv {
	if v == nil {
		return kv{name, nil}
	}
	return kv{name, *v}
}

func optStr(name, v string) kv {
	if v == "" {
		return kv{name, nil}
	}
	return kv{name, v}
}

// meta is the metadata field: nil clears it.
func meta(m map[string]any) kv {
	if m == nil {
		return kv{"metadata", nil}
	}
	return kv{"metadata", m}
}

// objectives and scoreObjectives are the learning objective sets: nil clears them.
func objectives(v []oneroster.LearningObjectiveSet) kv {
	if v == nil {
		return kv{"learning_objective_set", nil}
	}
	return kv{"learning_objective_set", v}
}

func scoreObjectives(v []oneroster.LearningObjectiveScoreSet) kv {
	if v == nil {
		return kv{"learning_objective_set", nil}
	}
	return kv{"learning_objective_set", v}
}

// optID is a foreign key: 0 clears it.
func optID(name string, id int) kv {
	if id == 0 {
		return kv{name, nil}
	}
	return kv{name, id}
}

// apply sets the fields on a create or update mutation and runs it through the client (so the record hooks
// stamp dateLastModified and modifiedBy).
func (t *txn) apply(ctx context.Context, m ent.Mutation, create bool, fields []kv) error {
	for _, f := range fields {
		var err error
		if f.v == nil {
			if !create {
				err = m.ClearField(f.name)
			}
		} else {
			err = m.SetField(f.name, f.v)
		}
		if err != nil {
			return err
		}
	}
	_, err := t.Client().Mutate(ctx, m)
	return err
}

// locked is a query whose rows can be locked against concurrent writers.
type locked[Q any] interface {
	ForUpdate(...sql.LockOption) Q
}

// forUpdate locks the rows a query selects on PostgreSQL (SQLite runs one writer at a time).
func forUpdate[Q locked[Q]](t *txn, q Q) Q {
	if t.pg {
		return q.ForUpdate()
	}
	return q
}

// first returns the record or nil when there is none.
func first[T any](v *T, err error) (*T, error) {
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return v, err
}
