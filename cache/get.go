package cache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/oneroster"
	"github.com/rollcall/rollcall/oneroster/query"
)

// GetQuery asks for one record: a single-object GET (/users/{id}, /students/{id} with Kind KindStudent), a
// parent check before a nested collection, or GraphQL's "what does connection X see for this record".
type GetQuery struct {
	Collection Collection
	SourcedID  string
	Viewer     Viewer
	Kind       Kind         // a subset the record must belong to (a teacher's id at /students/{id} is not found)
	Fields     query.Fields // from query.ParseFields; the zero value returns every field
	Generation int          // as Query.Generation
	Hrefs      Hrefs
}

// Record is one published record as the viewer gets it.
type Record struct {
	Collection       Collection
	SourcedID        string
	Status           string // active or tobedeleted
	DateLastModified time.Time
	Generation       int
	Body             []byte // the JSON object to send
}

// Get returns the record with the sourcedId if the viewer may see it (ErrNotFound otherwise, also for a
// record outside the Kind), as List would return it.
func (c *Cache) Get(ctx context.Context, q GetQuery) (*Record, error) {
	if err := q.Viewer.check(q.Collection); err != nil {
		return nil, err
	}
	snap, err := c.pick(ctx, q.Generation)
	if err != nil {
		return nil, err
	}
	s := newSQL(c.pg)
	body := "r.body_v1p2"
	if q.Viewer.Version == oneroster.V1p1 {
		body = "COALESCE(r.body_v1p1, r.body_v1p2)"
	}
	s.w(" FROM cache_records r WHERE r.collection = ", s.arg(q.Collection.info().code),
		" AND r.sourced_id = ", s.arg(q.SourcedID), " AND ", visibleAt(s, "r", snap.id))
	if vis := q.Viewer.visible(s); vis != "" {
		s.w(" AND ", vis)
	}
	if q.Kind != "" {
		bit, err := kindBit(q.Collection, q.Kind, q.Viewer.Version)
		if err != nil {
			return nil, err
		}
		s.w(fmt.Sprintf(" AND (r.kinds & %d) <> 0", bit))
	}
	sel := s.fork()
	lost := q.Viewer.lostColumn(sel)
	if lost == "" {
		lost = "0"
	}
	stmt := "SELECT r.status, r.modified_ms, " + body + ", " + lost + s.String()
	rec := &Record{Collection: q.Collection, SourcedID: q.SourcedID, Generation: snap.id}
	var ms int64
	var raw []byte
	var tomb int64
	err = c.db.SQL.QueryRowContext(ctx, stmt, sel.beforeArgs(s.args)...).Scan(&rec.Status, &ms, &raw, &tomb)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %s %s", ErrNotFound, q.Collection, q.SourcedID)
	}
	if err != nil {
		return nil, err
	}
	if tomb != 0 { // seen only through a school that lost sight of it (gone.go): the frozen tombstone
		rec.Status = oneroster.StatusToBeDeleted
		frozen, at, err := c.frozenTomb(ctx, q.Viewer, q.Collection.info().code, q.SourcedID, tomb)
		if err != nil {
			return nil, err
		}
		if frozen != nil {
			raw, ms = frozen, at
		}
		if raw, err = lostTomb(nil, raw, ms); err != nil {
			return nil, fmt.Errorf("cache: %s %s: %w", q.Collection, q.SourcedID, err)
		}
	}
	rec.DateLastModified = time.UnixMilli(ms).UTC()
	var fields []string
	if !q.Fields.All() {
		fields = q.Fields.Known
	}
	rec.Body = resolve(nil, project(raw, fields), q.Hrefs)
	return rec, nil
}

// SeenBy is what connection conn gets for one record (in its version, as its vendor would), for GraphQL's
// "what does this connection see": ErrNotFound when the connection cannot see it, ErrForbidden when it may
// not read the collection. publicURL is the server's public base URL, for the hrefs.
func (c *Cache) SeenBy(ctx context.Context, client *ent.Client, conn *ent.Connection, coll Collection, sourcedID, publicURL string) (*Record, error) {
	v, err := ViewerFor(ctx, client, conn)
	if err != nil {
		return nil, err
	}
	return c.Get(ctx, GetQuery{Collection: coll, SourcedID: sourcedID, Viewer: v, Hrefs: HrefsFor(publicURL, v.Version)})
}
