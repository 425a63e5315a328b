package cache

import (
	"bytes"
	"context"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/oneroster"
)

// rw renders a record: the 1.2 body, the 1.1 body when the versions differ, and the doc (the filterable
// values, keyed by their catalogue path). Members written through rw go into every body and the doc alike,
// so that what is filtered is what is published.
type rw struct {
	b12, b11, d *obj
}

// newRW starts a record with its header. Pass two=true when the 1.1 body may differ from the 1.2 one.
func newRW(sid, status string, metadata []byte, two bool) *rw {
	x := &rw{b12: newObj(make([]byte, 0, 768)), d: newObj(make([]byte, 0, 384))}
	x.b12.header(sid, status, metadata)
	if two {
		x.b11 = newObj(make([]byte, 0, 768))
		x.b11.header(sid, status, metadata)
	}
	x.d.raw("metadata", metadata)
	return x
}

func (x *rw) each(f func(o *obj)) {
	f(x.b12)
	if x.b11 != nil {
		f(x.b11)
	}
}

func (x *rw) str(k, v string)          { x.each(func(o *obj) { o.str(k, v) }); x.d.str(k, v) }
func (x *rw) opt(k, v string)          { x.each(func(o *obj) { o.opt(k, v) }); x.d.opt(k, v) }
func (x *rw) optp(k string, v *string) { x.each(func(o *obj) { o.optp(k, v) }); x.d.optp(k, v) }
func (x *rw) boolStr(k string, v bool) { x.each(func(o *obj) { o.boolStr(k, v) }); x.d.boolStr(k, v) }
func (x *rw) optBool(k string, v *bool) {
	x.each(func(o *obj) { o.optBool(k, v) })
	x.d.optBool(k, v)
}
func (x *rw) num(k string, v *float64)  { x.each(func(o *obj) { o.num(k, v) }); x.d.num(k, v) }
func (x *rw) strs(k string, v []string) { x.each(func(o *obj) { o.strs(k, v) }); x.d.strs(k, v) }

// raw writes an object or array member to the bodies only (it is selectable, not filterable).
func (x *rw) raw(k string, v []byte) { x.each(func(o *obj) { o.raw(k, v) }) }

// ref writes a GUIDRef to the bodies and its sourcedId to the doc (as "k.sourcedId").
func (x *rw) ref(k string, c Collection, sid string) {
	x.each(func(o *obj) { o.ref(k, c, sid) })
	x.d.opt(k+".sourcedId", sid)
}

// refs writes an array of GUIDRefs to the bodies and their sourcedIds to the doc.
func (x *rw) refs(k string, c Collection, sids []string) {
	x.each(func(o *obj) { o.refs(k, c, sids) })
	x.d.strs(k+".sourcedId", sids)
}

// end finishes the record's bodies and doc; a 1.1 body equal to the 1.2 one is dropped (stored as NULL).
func (x *rw) end(r *record) {
	r.body12 = x.b12.end()
	r.body11 = nil
	if x.b11 != nil {
		if b := x.b11.end(); !bytes.Equal(b, r.body12) {
			r.body11 = b
		}
	}
	r.doc = x.d.end()
}

// statusOf is the published status of a live record in state st.
func statusOf(st state) string {
	if st == stDeleted {
		return oneroster.StatusToBeDeleted
	}
	return oneroster.StatusActive
}

// sortedSIDs sorts and deduplicates sourcedIds in byte order.
func sortedSIDs(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// renderOrg renders an org from the world.
func (w *world) renderOrg(o *orgInfo) *record {
	r := &record{coll: Orgs, sid: o.sid, st: o.st, status: statusOf(o.st)}
	if o.st == stHidden {
		return r
	}
	x := newRW(o.sid, r.status, o.metadata, false)
	x.str("name", o.name)
	x.str("type", o.typ)
	x.str("identifier", o.code)
	x.ref("parent", Orgs, w.orgSID(o.parent))
	var children []string
	for _, id := range o.children {
		children = append(children, w.orgSID(id))
	}
	x.refs("children", Orgs, sortedSIDs(slices.DeleteFunc(children, func(s string) bool { return s == "" })))
	x.end(r)
	if o.typ == "school" {
		r.kinds |= bitSchool
	}
	r.scope = scopeAll
	if o.school != "" {
		r.scope, r.school = scopeSchool, o.school
	}
	r.refA = w.orgSID(o.parent)
	return r
}

// sessSID is a session's sourcedId, or "" when it is unknown or not published active.
func (w *world) sessSID(id int64) string {
	if s := w.sessions[id]; s != nil && s.st == stActive {
		return s.sid
	}
	return ""
}

// renderSession renders an academic session from the world.
func (w *world) renderSession(s *sessInfo) *record {
	r := &record{coll: AcademicSessions, sid: s.sid, st: s.st, status: statusOf(s.st)}
	if s.st == stHidden {
		return r
	}
	x := newRW(s.sid, r.status, s.metadata, false)
	x.str("title", s.title)
	x.str("startDate", s.start)
	x.str("endDate", s.end)
	x.str("type", s.typ)
	x.ref("parent", AcademicSessions, w.sessSID(s.parent))
	var children []string
	for _, id := range s.children {
		children = append(children, w.sessSID(id))
	}
	x.refs("children", AcademicSessions, sortedSIDs(slices.DeleteFunc(children, func(s string) bool { return s == "" })))
	x.str("schoolYear", s.year)
	x.end(r)
	switch s.typ {
	case "term":
		r.kinds |= bitTerm
	case "gradingPeriod":
		r.kinds |= bitGradingPeriod
	}
	r.scope, r.school, r.links = scopeOf(s.schools)
	r.refA = w.sessSID(s.parent)
	return r
}

// memoryProducer emits records rendered from the world, sorted by sourcedId.
func memoryProducer(recs []*record, batch int) producer {
	slices.SortFunc(recs, func(a, b *record) int { return strings.Compare(a.sid, b.sid) })
	return func(ctx context.Context, emit func([]*record) error) error {
		for start := 0; start < len(recs); start += batch {
			if err := emit(recs[start:min(start+batch, len(recs))]); err != nil {
				return err
			}
		}
		return nil
	}
}
