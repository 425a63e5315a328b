package facade

import (
	"context"
	"errors"
	"sync"

	"github.com/rollcall/rollcall/cache"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/oauth"
)

// Reader is the query engine the facade reads from: package cache's published OneRoster cache in production
// (CacheReader). The HTTP layer only ever talks to this interface.
type Reader interface {
	// List runs a collection query (an exact total, then the page's bodies, streamed).
	List(ctx context.Context, q cache.Query) (Rows, error)
	// Get returns one record the viewer may see, or an error wrapping cache.ErrNotFound.
	Get(ctx context.Context, q cache.GetQuery) (*cache.Record, error)
}

// Rows is one page of a List.
type Rows interface {
	Total() int      // matching records before limit and offset
	Generation() int // the cache generation read (pinned in Link URLs)
	Next() bool
	Body() []byte // the current record's JSON object, valid until Next
	Err() error
	Close() error
}

// CacheReader reads from the published cache.
func CacheReader(c *cache.Cache) Reader { return cacheReader{c} }

type cacheReader struct{ c *cache.Cache }

func (r cacheReader) List(ctx context.Context, q cache.Query) (Rows, error) {
	rows, err := r.c.List(ctx, q)
	if err != nil {
		return nil, err
	}
	return cacheRows{rows}, nil
}

func (r cacheReader) Get(ctx context.Context, q cache.GetQuery) (*cache.Record, error) {
	return r.c.Get(ctx, q)
}

type cacheRows struct{ *cache.Rows }

func (r cacheRows) Total() int      { return r.Rows.Total }
func (r cacheRows) Generation() int { return r.Rows.Generation }

// readErr maps the engine's errors: nothing published yet is a 503, a collection the viewer may not read a
// 403; query errors pass through (400); anything else is unexpected.
func readErr(err error) error {
	switch {
	case errors.Is(err, cache.ErrNoGeneration):
		return Unavailable("the roster has not been published yet (no cache refresh has succeeded); try again later")
	case errors.Is(err, cache.ErrForbidden):
		return Forbidden("this connection may not read this collection")
	}
	return err
}

// viewers remembers the cache viewer of each connection, so that a school-limited connection's schools are
// not read on every request. An entry is used only while the verifier hands out the same connection object
// (it re-reads connections at least every oauth.LivenessTTL), so a change of schools applies as fast as a
// revocation does.
type viewers struct {
	db *ent.Client
	mu sync.Mutex
	m  map[int]viewerEntry
}

type viewerEntry struct {
	conn *ent.Connection
	v    cache.Viewer
}

func (vs *viewers) get(ctx context.Context, p *oauth.Principal) (cache.Viewer, error) {
	if p.Connection.AllSchools {
		return cache.ViewerFor(ctx, vs.db, p.Connection)
	}
	vs.mu.Lock()
	e, ok := vs.m[p.ConnectionID]
	vs.mu.Unlock()
	if ok && e.conn == p.Connection {
		return e.v, nil
	}
	v, err := cache.ViewerFor(ctx, vs.db, p.Connection)
	if err != nil {
		return v, err
	}
	vs.mu.Lock()
	if vs.m == nil || len(vs.m) > 4096 {
		vs.m = map[int]viewerEntry{}
	}
	vs.m[p.ConnectionID] = viewerEntry{p.Connection, v}
	vs.mu.Unlock()
	return v, nil
}

// noReader stands in when the server has no cache: every read is a 503.
type noReader struct{}

func (noReader) List(context.Context, cache.Query) (Rows, error) { return nil, cache.ErrNoGeneration }
func (noReader) Get(context.Context, cache.GetQuery) (*cache.Record, error) {
	return nil, cache.ErrNoGeneration
}
