package graph

import (
	"context"
	"errors"
	"fmt"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/rollcall/rollcall/oauth"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/settings"
)

// requireRole refuses the request unless it carries an admin token whose account has one of roles. The
// HTTP layer already admits only admin tokens; this is the per-operation check (mutations need sis_admin).
func requireRole(ctx context.Context, roles ...string) error {
	p, ok := oauth.PrincipalFrom(ctx)
	if !ok {
		return &gqlerror.Error{Message: "not signed in", Extensions: map[string]any{"code": "UNAUTHENTICATED"}}
	}
	if err := p.CheckAdmin(roles...); err != nil {
		return &gqlerror.Error{
			Message:    fmt.Sprintf("forbidden: this needs the %v role; %s has the %s role", roles, p.Username, p.Role),
			Extensions: map[string]any{"code": "FORBIDDEN"},
		}
	}
	return nil
}

// me returns the signed-in admin's name and role.
func me(ctx context.Context) (string, string, error) {
	p, ok := oauth.PrincipalFrom(ctx)
	if !ok {
		return "", "", &gqlerror.Error{Message: "not signed in", Extensions: map[string]any{"code": "UNAUTHENTICATED"}}
	}
	return p.Username, p.Role, nil
}

// explain turns a service error into a GraphQL error whose code and field say what was wrong.
func explain(err error) error {
	var ve *provision.ValidationError
	var fe *settings.FieldError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ve):
		return &gqlerror.Error{Message: ve.Message, Extensions: map[string]any{"code": "INVALID_INPUT", "field": ve.Field}}
	case errors.As(err, &fe):
		return &gqlerror.Error{Message: fe.Message, Extensions: map[string]any{"code": "INVALID_INPUT", "field": fe.Field}}
	case errors.Is(err, provision.ErrNotFound):
		return &gqlerror.Error{Message: err.Error(), Extensions: map[string]any{"code": "NOT_FOUND"}}
	case errors.Is(err, provision.ErrReadOnly), errors.Is(err, provision.ErrNoSecret):
		return &gqlerror.Error{Message: err.Error(), Extensions: map[string]any{"code": "CONFLICT"}}
	}
	return err
}
