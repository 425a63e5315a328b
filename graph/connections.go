package graph

import (
	"context"
	"time"

	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/graph/model"
	"github.com/rollcall/rollcall/provision"
)

// createConnection maps the GraphQL input onto provision.NewConnection.
func (r *Resolver) createConnection(ctx context.Context, in model.CreateConnectionInput) (*model.ConnectionCredentials, error) {
	if err := requireRole(ctx, provision.RoleSISAdmin); err != nil {
		return nil, err
	}
	nc := provision.NewConnection{
		VendorName: in.VendorName, Purpose: deref(in.Purpose), DistrictPart: in.DistrictPart, Version: in.Version,
		Partner: deref(in.Partner), Types: in.Types, SchoolSourcedIDs: in.SchoolSourcedIDs, Demographics: deref(in.Demographics),
	}
	if in.ExpiresOn != nil && *in.ExpiresOn != "" {
		d, err := provision.ParseDate(*in.ExpiresOn)
		if err != nil {
			return nil, explain(err)
		}
		nc.ExpiresOn = &d
	}
	creds, err := r.provision(ctx).Create(ctx, nc)
	if err != nil {
		return nil, explain(err)
	}
	return r.credentials(ctx, creds)
}

// updateConnection maps the GraphQL input onto provision.Changes.
func (r *Resolver) updateConnection(ctx context.Context, id int, in model.UpdateConnectionInput) (*ent.Connection, error) {
	if err := requireRole(ctx, provision.RoleSISAdmin); err != nil {
		return nil, err
	}
	ch := provision.Changes{VendorName: in.VendorName, Purpose: in.Purpose, Version: in.Version, Partner: in.Partner,
		Demographics: in.Demographics, Enabled: in.Enabled}
	if in.Types != nil {
		ch.Types = &in.Types
	}
	if in.SchoolSourcedIDs != nil {
		ch.SchoolSourcedIDs = &in.SchoolSourcedIDs
	}
	if in.ExpiresOn != nil {
		d, err := provision.ParseDate(*in.ExpiresOn)
		if err != nil {
			return nil, explain(err)
		}
		ch.ExpiresOn = &d
	}
	if _, err := r.provision(ctx).Update(ctx, id, ch); err != nil {
		return nil, explain(err)
	}
	return r.db(ctx).Connection.Get(ctx, id)
}

func (r *Resolver) revokeConnection(ctx context.Context, id int) (*ent.Connection, error) {
	if err := requireRole(ctx, provision.RoleSISAdmin); err != nil {
		return nil, err
	}
	if _, _, err := r.provision(ctx).Revoke(ctx, id); err != nil {
		return nil, explain(err)
	}
	return r.db(ctx).Connection.Get(ctx, id)
}

func (r *Resolver) renewConnection(ctx context.Context, id int, expiresOn *string) (*model.ConnectionCredentials, error) {
	if err := requireRole(ctx, provision.RoleSISAdmin); err != nil {
		return nil, err
	}
	var exp *time.Time
	if expiresOn != nil && *expiresOn != "" {
		d, err := provision.ParseDate(*expiresOn)
		if err != nil {
			return nil, explain(err)
		}
		exp = &d
	}
	creds, err := r.provision(ctx).Renew(ctx, id, exp)
	if err != nil {
		return nil, explain(err)
	}
	return r.credentials(ctx, creds)
}

func (r *Resolver) revealSecret(ctx context.Context, id int) (string, error) {
	if err := requireRole(ctx, provision.RoleSISAdmin); err != nil {
		return "", err
	}
	creds, err := r.provision(ctx).RevealSecret(ctx, id)
	if err != nil {
		return "", explain(err)
	}
	return creds.ClientSecret, nil
}

// credentials loads the ent record behind a provision result.
func (r *Resolver) credentials(ctx context.Context, creds provision.Credentials) (*model.ConnectionCredentials, error) {
	c, err := r.db(ctx).Connection.Get(ctx, creds.Connection.ID)
	if err != nil {
		return nil, err
	}
	return &model.ConnectionCredentials{ShareInfo: creds.ShareInfo, Connection: c}, nil
}

// schoolSourcedIDs lists a scoped connection's schools.
func (r *Resolver) schoolSourcedIDs(ctx context.Context, c *ent.Connection) ([]string, error) {
	if c.AllSchools {
		return []string{}, nil
	}
	return c.QuerySchools().Order(ent.Asc("sourced_id")).Select("sourced_id").Strings(ctx)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
