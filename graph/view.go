package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/rollcall/rollcall/cache"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/facade"
	"github.com/rollcall/rollcall/graph/model"
	"github.com/rollcall/rollcall/oneroster"
)

// oneRosterView answers "what exactly does connection X get for this record": the cache's SeenBy, the very
// engine the REST API reads through, so the answer is what the vendor would receive.
func (r *Resolver) oneRosterView(ctx context.Context, connectionID int, collection, sourcedID string) (*model.OneRosterView, error) {
	if r.deps.Cache == nil {
		return nil, errNoCache
	}
	coll := cache.Collection(collection)
	if !coll.Valid() {
		return nil, fmt.Errorf("collection %q: want one of %v", collection, cache.AllCollections)
	}
	db := r.db(ctx)
	conn, err := db.Connection.Get(ctx, connectionID)
	if ent.IsNotFound(err) {
		return nil, fmt.Errorf("no connection with id %d", connectionID)
	}
	if err != nil {
		return nil, err
	}
	v := &model.OneRosterView{Connection: conn, Version: string(conn.Version), Path: restPath(coll, string(conn.Version), sourcedID)}
	rec, err := r.deps.Cache.SeenBy(ctx, db, conn, coll, sourcedID, r.deps.Config.PublicURL)
	switch {
	case err == nil:
		v.Visible = true
		if err := json.Unmarshal(rec.Body, &v.Record); err != nil {
			return nil, fmt.Errorf("decoding the published record: %w", err)
		}
		return v, nil
	case errors.Is(err, cache.ErrNotFound):
		v.Reason = ptr(r.whyHidden(ctx, coll, conn, sourcedID))
	case errors.Is(err, cache.ErrForbidden):
		v.Reason = ptr(fmt.Sprintf("the connection may not read %s: %s", collection, err))
	case errors.Is(err, cache.ErrNoGeneration):
		v.Reason = ptr("nothing is published yet: run a OneRoster cache refresh")
	default:
		return nil, err
	}
	return v, nil
}

// whyHidden explains a record the connection cannot see: published but outside its schools, or not published.
func (r *Resolver) whyHidden(ctx context.Context, coll cache.Collection, conn *ent.Connection, sid string) string {
	_, err := r.deps.Cache.Get(ctx, cache.GetQuery{Collection: coll, SourcedID: sid, Viewer: cache.DistrictViewer(oneroster.V1p2)})
	if err == nil && !conn.AllSchools {
		return "the record is published, but not in the schools this connection is limited to"
	}
	return "the record is not published: unknown sourcedId, excluded from external LMS (itself or a parent), " +
		"deleted, or changed since the last cache refresh"
}

// restPath is the record's single-object path in the REST API of a version.
func restPath(coll cache.Collection, version, sid string) string {
	root := facade.RootRostering
	switch {
	case version == oneroster.V1p1:
		root = facade.RootV1p1
	case slices.Contains(cache.GradebookCollections, coll):
		root = facade.RootGradebook
	case coll == cache.Resources:
		root = facade.RootResources
	}
	return root + "/" + string(coll) + "/" + sid
}

func ptr[T any](v T) *T { return &v }
