package cache

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rollcall/rollcall/ent/cachelink"
	"github.com/rollcall/rollcall/ent/cacherecord"
	"github.com/rollcall/rollcall/oneroster"
)

// parentInfo is what a record inherits from a parent published in the same generation: whether it is
// published active, and who may see it.
type parentInfo struct {
	found   bool
	genFrom int
	status  string
	scope   int8
	school  string
	links   []link
}

func (p parentInfo) active() bool { return p.found && p.status == oneroster.StatusActive }

// visibility is the parent's visibility, for a child seen by exactly the same connections; a missing parent
// gives "only connections to every school".
func (p parentInfo) visibility() (int8, string, []link) {
	if !p.found {
		return scopeLinked, "", nil
	}
	var ls []link
	for _, l := range p.links {
		if l.rel == relSchool {
			ls = append(ls, l)
		}
	}
	return p.scope, p.school, ls
}

// parents are looked-up parents by collection and sourcedId.
type parents map[ref]parentInfo

func (ps parents) get(c Collection, sid string) parentInfo { return ps[ref{c, sid}] }

// loadParents looks up parent records in generation gen (on q: the database, or the writer's transaction).
func loadParents(ctx context.Context, q queryer, pg bool, gen int, refs []ref) (parents, error) {
	out := parents{}
	by := map[Collection][]string{}
	for _, r := range refs {
		if r.sid == "" {
			continue
		}
		if _, ok := out[r]; !ok {
			out[r] = parentInfo{}
			by[r.coll] = append(by[r.coll], r.sid)
		}
	}
	for coll, sids := range by {
		for start := 0; start < len(sids); start += 500 {
			part := sids[start:min(start+500, len(sids))]
			s := newSQL(pg)
			s.w(`SELECT r.sourced_id, r.gen_from, r.status, r.scope, r.school FROM `, cacherecord.Table, ` r WHERE r.collection = `,
				s.arg(coll.info().code), ` AND `, visibleAt(s, "r", gen), ` AND r.sourced_id IN `, s.in(part))
			var linked []string
			err := each(ctx, q, s.String(), func(r *sql.Rows) error {
				var sid string
				var school sql.NullString
				p := parentInfo{found: true}
				if err := r.Scan(&sid, &p.genFrom, &p.status, &p.scope, &school); err != nil {
					return err
				}
				p.school = school.String
				if p.scope == scopeLinked {
					linked = append(linked, sid)
				}
				out[ref{coll, sid}] = p
				return nil
			}, s.args...)
			if err != nil {
				return nil, err
			}
			if len(linked) == 0 {
				continue
			}
			s = newSQL(pg)
			s.w(`SELECT sourced_id, rec_from, target FROM `, cachelink.Table, ` WHERE collection = `, s.arg(coll.info().code),
				` AND rel = 'school' AND sourced_id IN `, s.in(linked))
			err = each(ctx, q, s.String(), func(r *sql.Rows) error {
				var sid, target string
				var from int
				if err := r.Scan(&sid, &from, &target); err != nil {
					return err
				}
				if p := out[ref{coll, sid}]; p.genFrom == from {
					p.links = append(p.links, link{relSchool, target})
					out[ref{coll, sid}] = p
				}
				return nil
			}, s.args...)
			if err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// spec is how one collection whose records hang on parents published earlier in the same generation
// (demographics on users; the gradebook collections on classes, line items and users) is read and rendered.
// The same spec serves a refresh (a stream of batches) and a vendor's write (one record, in the writer's
// transaction), so both publish the same thing.
type spec[T any] struct {
	coll   Collection
	q      liveQuery
	scan   func(*sql.Rows) (T, string, error)
	refs   func(*T) []ref
	render func(*T, parents) *record
}

// renderBatch looks up the batch's parents in generation gen and renders it.
func (s *spec[T]) renderBatch(ctx context.Context, q queryer, pg bool, gen int, rows []T) ([]*record, error) {
	var refs []ref
	for i := range rows {
		refs = append(refs, s.refs(&rows[i])...)
	}
	ps, err := loadParents(ctx, q, pg, gen, refs)
	if err != nil {
		return nil, fmt.Errorf("%s: looking up parents: %w", s.coll, err)
	}
	out := make([]*record, len(rows))
	for i := range rows {
		out[i] = s.render(&rows[i], ps)
	}
	return out, nil
}

// producer streams the collection into the generation being built.
func (s *spec[T]) producer(gb *genBuild) producer {
	return func(ctx context.Context, emit func([]*record) error) error {
		return stream(ctx, gb.c, s.q, gb.c.opt.BatchSize, s.scan, func(rows []T) error {
			recs, err := s.renderBatch(ctx, gb.c.db.SQL, gb.c.pg, gb.id, rows)
			if err != nil {
				return err
			}
			gb.rowsDone.Add(int64(len(rows)))
			return emit(recs)
		})
	}
}

// renderOne renders the record with sourcedId sid for generation gen; nil when there is no live row.
func (s *spec[T]) renderOne(ctx context.Context, q queryer, pg bool, gen int, sid string) (*record, error) {
	row, ok, err := one(ctx, q, pg, s.q, sid, s.scan)
	if err != nil || !ok {
		return nil, err
	}
	recs, err := s.renderBatch(ctx, q, pg, gen, []T{row})
	if err != nil {
		return nil, err
	}
	return recs[0], nil
}

// childSpec is what refresh and write-through need of a spec, whatever its row type.
type childSpec interface {
	producer(gb *genBuild) producer
	renderOne(ctx context.Context, q queryer, pg bool, gen int, sid string) (*record, error)
}

// nullTime scans a datetime column from either driver (time.Time, or text on SQLite).
type nullTime struct {
	t     time.Time
	valid bool
}

func (n *nullTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		n.valid = false
	case time.Time:
		n.t, n.valid = x, true
	case string:
		return n.parse(x)
	case []byte:
		return n.parse(string(x))
	default:
		return fmt.Errorf("cannot scan %T as a time", v)
	}
	return nil
}

func (n *nullTime) parse(s string) error {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			n.t, n.valid = t, true
			return nil
		}
	}
	return fmt.Errorf("cannot parse time %q", s)
}

// str formats the time as published (UTC, milliseconds), "" when NULL.
func (n nullTime) str() string {
	if !n.valid {
		return ""
	}
	return n.t.UTC().Format(dlmLayout)
}
