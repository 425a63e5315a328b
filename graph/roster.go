package graph

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/store"
)

// rosterEdit runs an admin's create or update of a roster record: it needs the SIS role, turns ent's
// validation and the database's constraint errors into INVALID_INPUT and CONFLICT errors that say what was
// wrong, and audits the edit as "<kind>.<verb>" on "<kind>:<sourcedId>". The mutation's transaction makes
// the edit and its audit event commit together.
func rosterEdit[T ent.Noder](ctx context.Context, r *Resolver, verb string, edit func(*ent.Client) (T, error)) (T, error) {
	var zero T
	if err := requireRole(ctx, provision.RoleSISAdmin); err != nil {
		return zero, err
	}
	c := r.db(ctx)
	v, err := edit(c)
	if err != nil {
		return zero, rosterError(err)
	}
	return v, audit.Record(ctx, c, audit.Event{Action: kindName(v) + "." + verb, Target: kindName(v) + ":" + sourcedIDOf(v)})
}

// rosterDelete makes the record with global id a tombstone (the ent soft-delete hook: status tobedeleted)
// and audits it. get loads it first, so an id of another kind is NOT_FOUND.
func rosterDelete[T ent.Noder](ctx context.Context, r *Resolver, id int, get func(*ent.Client) (T, error), del func(*ent.Client) error) (int, error) {
	if err := requireRole(ctx, provision.RoleSISAdmin); err != nil {
		return 0, err
	}
	c := r.db(ctx)
	rec, err := get(c)
	if ent.IsNotFound(err) {
		return 0, &gqlerror.Error{Message: fmt.Sprintf("no %s with id %d", kindName(rec), id), Extensions: map[string]any{"code": "NOT_FOUND"}}
	}
	if err != nil {
		return 0, err
	}
	if err := del(c); err != nil {
		return 0, rosterError(err)
	}
	return id, audit.Record(ctx, c, audit.Event{Action: kindName(rec) + ".delete", Target: kindName(rec) + ":" + sourcedIDOf(rec)})
}

// rosterError says what was wrong with an edit.
func rosterError(err error) error {
	var ce *store.ConstraintError
	err = store.Explain(err)
	switch {
	case ent.IsValidationError(err):
		return &gqlerror.Error{Message: err.Error(), Extensions: map[string]any{"code": "INVALID_INPUT"}}
	case errors.As(err, &ce), ent.IsConstraintError(err):
		return &gqlerror.Error{Message: err.Error(), Extensions: map[string]any{"code": "CONFLICT"}}
	case ent.IsNotFound(err):
		return &gqlerror.Error{Message: err.Error(), Extensions: map[string]any{"code": "NOT_FOUND"}}
	}
	return err
}

// sourcedIDOf reads the SourcedID every OneRoster entity has (the Record mixin).
func sourcedIDOf(v any) string {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		if f := rv.Elem().FieldByName("SourcedID"); f.IsValid() && f.Kind() == reflect.String {
			return f.String()
		}
	}
	return ""
}
