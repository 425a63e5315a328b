package cache

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/rollcall/rollcall/ent/cachelink"
	"github.com/rollcall/rollcall/ent/cacherecord"
	"github.com/rollcall/rollcall/oneroster"
)

// Schools that lose sight of a record that stays published.
//
// From one version to the next a record can stay published and still leave some schools' sight: a student
// who transfers, a user whose role at an excluded school is no longer published, a class that moves to
// another school. A connection limited to such a school must get the record once more, as a tombstone, or
// its delta sync never drops it. So a new version records the schools its predecessor was seen by and it is
// not, as cache_links rows rel gone (and bitGone in kinds, so that readers look for them only on the records
// that have some), together with the predecessor's gone schools it still is not seen by: a school stays gone
// until the record is seen there again. A record seen by every connection (scope 0) that becomes limited to
// some schools has left every other school: the gone target "" stands for every school (no sourcedId is
// empty), and a school that sees the record is excepted by the reader (see Viewer.visible). A record seen by
// every connection again has nothing gone. A tombstone made from the last published version (tombFrom)
// keeps its gone links like the rest of its visibility.
//
// Each gone link holds the tombstone its schools get, frozen at the loss (tomb: cache_links tomb_v1p2,
// tomb_v1p1, tomb_ms): the bodies of the version before the loss, the last those schools saw, and the time of
// the loss; carried links keep theirs, so no later change of the record reaches a school that lost it. A
// reader takes the latest loss among its schools' gone links and "" (frozenTomb, Viewer.lostMs): it saw the
// record until then. A frozen tombstone's time is never later than its version's dateLastModified, which
// lets a delta filter use the version's index.

// tomb is the tombstone frozen for the schools of one gone link: the last body they saw (the version before
// the loss: status tobedeleted, dateLastModified zeroed; b11 "" when equal to b12) and the time of the loss.
// A fresh one is lost by the version being built: its bodies are those of the version it follows (filled in
// by fillTombs) and its time the new version's dateLastModified (set by stampTombs).
type tomb struct {
	b12, b11 string
	ms       int64
	fresh    bool
}

// keepGone sets r's gone links, their frozen tombstones and bitGone from the visibility of the version it
// follows: scope, school and that version's links (only its school and gone links count) and tombs (of its
// gone links). A school the previous version was seen by and r is not gets a fresh tomb; a gone school r is
// still not seen by keeps its tomb. Target "" (every school) and a school may both be gone, lost at different
// times: a reader takes, of the gone links of the viewer's schools, the latest loss (the last body it saw).
func (r *record) keepGone(scope int8, school string, links []link, tombs map[string]tomb) {
	r.kinds &^= bitGone
	r.links = slices.DeleteFunc(r.links, func(l link) bool { return l.rel == relGone })
	r.tombs = nil
	if r.scope == scopeAll {
		return
	}
	now := map[string]bool{r.school: r.scope == scopeSchool}
	for _, l := range r.links {
		if l.rel == relSchool {
			now[l.target] = true
		}
	}
	gone := map[string]tomb{}
	switch scope {
	case scopeAll:
		gone[""] = tomb{fresh: true}
	case scopeSchool:
		if !now[school] {
			gone[school] = tomb{fresh: true}
		}
	}
	for _, l := range links {
		switch {
		case now[l.target]:
		case l.rel == relSchool:
			gone[l.target] = tomb{fresh: true}
		case l.rel == relGone:
			gone[l.target] = tombs[l.target]
		}
	}
	for _, s := range slices.Sorted(maps.Keys(gone)) {
		r.links = append(r.links, link{relGone, s})
		r.kinds |= bitGone
		if r.tombs == nil {
			r.tombs = map[string]tomb{}
		}
		r.tombs[s] = gone[s]
	}
}

// freshTombs reports whether r has gone links lost by this version, whose tombs fillTombs must fill.
func (r *record) freshTombs() bool {
	for _, t := range r.tombs {
		if t.fresh {
			return true
		}
	}
	return false
}

// fillTombs gives r's fresh tombs the bodies of the version it follows (b12, b11: nil when equal).
func (r *record) fillTombs(b12, b11 []byte) error {
	t12, err := retomb(b12)
	if err != nil {
		return fmt.Errorf("%s %s: %w", r.coll, r.sid, err)
	}
	var t11 []byte
	if b11 != nil {
		if t11, err = retomb(b11); err != nil {
			return fmt.Errorf("%s %s: %w", r.coll, r.sid, err)
		}
	}
	for s, t := range r.tombs {
		if t.fresh {
			t.b12, t.b11 = string(t12), string(t11)
			r.tombs[s] = t
		}
	}
	return nil
}

// stampTombs sets the time of r's fresh tombs: its dateLastModified (the loss), or 0 in a refresh's build,
// which flip replaces with the publish time (a carried tomb may hold any earlier time, even the build's
// provisional stamp).
func (r *record) stampTombs(ms int64) {
	for s, t := range r.tombs {
		if t.fresh {
			t.ms = ms
			r.tombs[s] = t
		}
	}
}

// tombValues are the tomb columns of a link of r (NULL but for a gone link's).
func (r *record) tombValues(l link) (b12, b11, ms any) {
	t, ok := r.tombs[l.target]
	if l.rel != relGone || !ok || t.b12 == "" {
		return nil, nil, nil
	}
	return t.b12, nullStr(t.b11), t.ms
}

// needsPrevLinks decides what keepGone needs for a live record r that follows version k: true when it needs
// k's links (k has gone schools, or is seen by several schools and r differs from it); otherwise it has
// applied keepGone already.
func (r *record) needsPrevLinks(k *prevKey) bool {
	switch {
	case k.kinds&bitGone != 0:
		return true
	case k.scope == scopeLinked && r.scope != scopeAll:
		r.links = canonLinks(r.links)
		return r.contentHash() != k.hash // the same content is seen by the same schools: nothing lost
	}
	r.keepGone(k.scope, k.school, nil, nil)
	return false
}

// fetchLinks loads the links of record versions, and the tombs of their gone links: from maps a sourcedId to
// its version's first generation.
func fetchLinks(ctx context.Context, q queryer, pg bool, coll Collection, from map[string]int) (map[string][]link, map[string]map[string]tomb, error) {
	out := map[string][]link{}
	tombs := map[string]map[string]tomb{}
	sids := slices.Sorted(maps.Keys(from))
	for start := 0; start < len(sids); start += 500 {
		s := newSQL(pg)
		s.w(`SELECT l.sourced_id, l.rec_from, l.rel, l.target, l.tomb_v1p2, l.tomb_v1p1, l.tomb_ms FROM `, cachelink.Table,
			` l WHERE l.collection = `, s.arg(coll.info().code), ` AND l.sourced_id IN `, s.in(sids[start:min(start+500, len(sids))]))
		err := each(ctx, q, s.String(), func(rows *sql.Rows) error {
			var sid string
			var rec int
			var l link
			var b12, b11 sql.NullString
			var ms sql.NullInt64
			if err := rows.Scan(&sid, &rec, &l.rel, &l.target, &b12, &b11, &ms); err != nil {
				return err
			}
			if f, ok := from[sid]; ok && f == rec {
				out[sid] = append(out[sid], l)
				if l.rel == relGone && b12.Valid {
					if tombs[sid] == nil {
						tombs[sid] = map[string]tomb{}
					}
					tombs[sid][l.target] = tomb{b12: b12.String, b11: b11.String, ms: ms.Int64}
				}
			}
			return nil
		}, s.args...)
		if err != nil {
			return nil, nil, err
		}
	}
	return out, tombs, nil
}

// fetchBodies loads the bodies of record versions by id: [2][]byte{1.2, 1.1 (nil when equal)}.
func fetchBodies(ctx context.Context, q queryer, pg bool, ids []int64) (map[int64][2][]byte, error) {
	out := map[int64][2][]byte{}
	for start := 0; start < len(ids); start += 500 {
		s := newSQL(pg)
		s.w(`SELECT id, body_v1p2, body_v1p1 FROM `, cacherecord.Table, ` WHERE `, s.ids("id", ids[start:min(start+500, len(ids))]))
		err := each(ctx, q, s.String(), func(rows *sql.Rows) error {
			var id int64
			var b12, b11 []byte
			if err := rows.Scan(&id, &b12, &b11); err != nil {
				return err
			}
			out[id] = [2][]byte{bytes.Clone(b12), bytes.Clone(b11)}
			return nil
		}, s.args...)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// frozenTomb returns the tombstone viewer v gets of the version (collection code, sid, genFrom) it sees only
// through gone links (Viewer.lost): of the gone links of its schools and "", the latest loss's body (as
// stored: dateLastModified zeroed) and time; nil and 0 where those links hold none (written before
// tombstones were frozen: the version's body is the tombstone).
func (c *Cache) frozenTomb(ctx context.Context, v Viewer, code int16, sid string, genFrom int64) ([]byte, int64, error) {
	col := "g.tomb_v1p2"
	if v.Version == oneroster.V1p1 {
		col = "COALESCE(g.tomb_v1p1, g.tomb_v1p2)"
	}
	s := newSQL(c.pg)
	s.w("SELECT ", col, ", g.tomb_ms FROM ", cachelink.Table, " g WHERE g.collection = ", s.arg(code),
		" AND g.sourced_id = ", s.arg(sid), " AND g.rec_from = ", s.arg(genFrom), " AND g.rel = '", relGone,
		"' AND g.target IN ", s.in(append([]string{""}, v.Schools...)), " ORDER BY COALESCE(g.tomb_ms, -1) DESC, g.target DESC LIMIT 1")
	var body []byte
	var ms sql.NullInt64
	err := c.db.SQL.QueryRowContext(ctx, s.String(), s.args...).Scan(&body, &ms)
	if errors.Is(err, sql.ErrNoRows) || body == nil {
		return nil, 0, nil
	}
	return body, ms.Int64, err
}
