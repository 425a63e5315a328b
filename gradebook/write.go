package gradebook

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/lib/pq"

	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/cache"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/facade"
	"github.com/rollcall/rollcall/oneroster"
	"github.com/rollcall/rollcall/oneroster/query"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/settings"
	"github.com/rollcall/rollcall/store"
)

// invalidf is a 422 (1.2) or 400 (1.1) invalid data with a formatted message.
func invalidf(format string, args ...any) *facade.Error {
	return facade.InvalidBody(fmt.Sprintf(format, args...))
}

// authorize refuses a write from a connection that may not write: only a Digital Learning Partner's
// connection with the Gradebook Sync type (Assessment Sync for the assessment endpoints) writes. The token's
// scopes already say so (provision.AllowedScopes grants write scopes to nobody else); this is checked again
// against the connection as the verifier last read it, so a connection changed since the token was issued
// stops writing at once.
func authorize(req *facade.Request, assessment bool) error {
	c := req.Principal.Connection
	want, name := provision.TypeGradebook, "Gradebook Sync"
	if assessment {
		want, name = provision.TypeAssessment, "Assessment Sync"
	}
	switch {
	case c == nil:
		return facade.Forbidden("gradebook writes are for OneRoster vendor connections")
	case !c.Partner:
		return facade.Forbidden("only Digital Learning Partner connections may send data to the district; this connection is roster-only")
	case !slices.Contains(c.Types, want):
		return facade.Forbidden("this connection does not have the " + name + " type; ask the district to add it")
	}
	return nil
}

// readBody reads a request body of at most MaxBody bytes.
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err != nil {
		return nil, facade.InvalidData("the request body could not be read")
	}
	if len(b) > MaxBody {
		return nil, facade.InvalidData(fmt.Sprintf("the request body is larger than %d bytes", MaxBody))
	}
	return b, nil
}

// check resolves what a write names against what the connection sees in the cache. It runs before the
// write's transaction (on SQLite the transaction holds the only connection).
type check struct {
	ctx context.Context
	req *facade.Request
}

// visible reports whether the viewer sees an active record (a deleted gradebook record is gone).
func (c check) visible(v cache.Viewer, coll cache.Collection, kind cache.Kind, sid string) (bool, error) {
	rec, err := c.req.Reader.Get(c.ctx, cache.GetQuery{Collection: coll, SourcedID: sid, Viewer: v, Kind: kind,
		Fields: query.Fields{Known: []string{"sourcedId"}}})
	if errors.Is(err, cache.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return rec.Status == oneroster.StatusActive, nil
}

// ref checks a reference of a body: nil when the connection sees the record; 403 when it exists but lies
// outside the schools of a school-limited connection (the connection is scoped); 422 otherwise.
func (c check) ref(field string, coll cache.Collection, kind cache.Kind, sid string) error {
	if sid == "" {
		return nil
	}
	ok, err := c.visible(c.req.Viewer, coll, kind, sid)
	if err != nil || ok {
		return err
	}
	what := nounOf(coll, kind)
	if !c.req.Viewer.AllSchools {
		if ok, err := c.visible(cache.DistrictViewer(c.req.Viewer.Version), coll, kind, sid); err != nil || ok {
			if err != nil {
				return err
			}
			return facade.Forbidden(fmt.Sprintf("%s: %s %s is outside the schools of this connection", field, what, quote(sid)))
		}
	}
	return invalidf("%s: no %s with sourcedId %s is available to this connection", field, what, quote(sid))
}

// parent checks a record named in the path: 404 unknownobject when the connection cannot see it, except a
// school outside a school-limited connection's schools, which is 403 (as the facade does for reads).
func (c check) parent(coll cache.Collection, kind cache.Kind, sid string) error {
	ok, err := c.visible(c.req.Viewer, coll, kind, sid)
	if err != nil || ok {
		return err
	}
	v := c.req.Viewer
	if kind == cache.KindSchool && !v.AllSchools && !slices.Contains(v.Schools, sid) {
		if ok, err := c.visible(cache.DistrictViewer(v.Version), coll, kind, sid); err == nil && ok {
			return facade.Forbidden("this connection is limited to some schools, and school " + quote(sid) + " is not one of them")
		}
	}
	return facade.UnknownObject(nounOf(coll, kind), sid)
}

// prior is what the connection saw of the record a PUT or DELETE names, before the transaction.
type prior struct {
	seen    bool // the connection sees it (published, active, in its schools)
	foreign bool // it does not, but it is published active for the district: another school's
}

// existing reads what the connection sees of the record a PUT or DELETE names.
func (c check) existing(coll cache.Collection, sid string) (prior, error) {
	var p prior
	var err error
	if p.seen, err = c.visible(c.req.Viewer, coll, "", sid); err != nil || p.seen || c.req.Viewer.AllSchools {
		return p, err
	}
	p.foreign, err = c.visible(cache.DistrictViewer(c.req.Viewer.Version), coll, "", sid)
	return p, err
}

func nounOf(coll cache.Collection, kind cache.Kind) string {
	if kind != "" {
		return string(kind)
	}
	return coll.SingleKey()
}

// txn is one write transaction: the ent transaction, what the write publishes and audits.
type txn struct {
	*ent.Tx
	s       *Service
	pg      bool
	set     settings.Settings // the district's settings, read before the transaction
	publish []pub
	events  []audit.Event
}

// pub is a record to publish into the cache before the commit.
type pub struct {
	coll cache.Collection
	sid  string
}

func (t *txn) touch(coll cache.Collection, sid string) { t.publish = append(t.publish, pub{coll, sid}) }

// audit records the write; target is coll:sourcedId.
func (t *txn) audit(action string, coll cache.Collection, sid string, detail map[string]any) {
	t.events = append(t.events, audit.Event{Action: "gradebook." + coll.SingleKey() + "." + action,
		Target: coll.SingleKey() + ":" + sid, Detail: detail})
}

// write runs fn in a transaction as the connection's service account (the modified-by of every row it
// writes), then publishes what it touched into the cache and records the audit events in the same
// transaction, and commits. A write that lost a race to create the same sourcedId (a unique violation) or
// that PostgreSQL aborted for a serialization conflict or deadlock is run again from the start: the second
// run finds the record and replaces it, so concurrent PUTs of one record make one record.
func (s *Service) write(ctx context.Context, req *facade.Request, fn func(ctx context.Context, t *txn) error) error {
	ctx = provision.VendorContext(ctx, req.Principal.Connection)
	set, err := settings.Load(ctx, s.DB)
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		err := s.attempt(ctx, set, fn)
		if err == nil || attempt >= 5 || !retryable(err) {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 5 * time.Millisecond)
	}
}

func (s *Service) attempt(ctx context.Context, set settings.Settings, fn func(ctx context.Context, t *txn) error) (err error) {
	tx, err := s.DB.Tx(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	t := &txn{Tx: tx, s: s, pg: s.Postgres, set: set}
	if err := fn(ctx, t); err != nil {
		return err
	}
	if s.Cache != nil {
		for _, p := range t.publish {
			if err := s.Cache.PublishGradebook(ctx, tx, p.coll, p.sid); err != nil {
				return err
			}
		}
	}
	for _, e := range t.events {
		if err := audit.Record(ctx, tx.Client(), e); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// retryable: a concurrent writer created the same sourcedId first, or PostgreSQL asks for a retry.
func retryable(err error) bool {
	var ce *store.ConstraintError
	if errors.As(store.Explain(err), &ce) && ce.Kind == "duplicate" {
		return true
	}
	var pe *pq.Error
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// closedPeriod refuses a result for a line item of a grading period that has ended, when the district
// setting asks for it: the session's (exclusive) end date is before today in the district's time zone.
func (t *txn) closedPeriod(session *ent.AcademicSession, lineItem string) error {
	if !t.set.RefuseClosedGradingPeriods || session == nil {
		return nil
	}
	today := t.s.Now().In(t.set.CacheLocation()).Format(time.DateOnly)
	if session.EndDate < today {
		return invalidf("line item %s belongs to %s %s, which ended on %s: the district does not accept scores for closed grading periods",
			quote(lineItem), session.Type, quote(session.SourcedID), session.EndDate)
	}
	return nil
}

// newSourcedID allocates a sourcedId for a POST: a random (version 4) UUID.
func newSourcedID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
