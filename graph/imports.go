package graph

import (
	"context"
	"errors"

	"github.com/99designs/gqlgen/graphql"

	"github.com/rollcall/rollcall/csvbundle"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/provision"
)

// importBundle starts a bundle import in the background (csvbundle.Start: audited, the admin as actor).
func (r *Resolver) importBundle(ctx context.Context, file graphql.Upload, dryRun *bool) (*ent.ImportRun, error) {
	if err := requireRole(ctx, provision.RoleSISAdmin); err != nil {
		return nil, err
	}
	if r.deps.DB == nil {
		return nil, errors.New("this server cannot import bundles")
	}
	return csvbundle.Start(ctx, r.deps.DB, file.File, file.Filename, csvbundle.Options{DryRun: dryRun != nil && *dryRun})
}
