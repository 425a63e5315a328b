package cache

import (
	"context"
	"database/sql"
	"maps"
	"slices"

	"github.com/rollcall/rollcall/ent/cachelink"
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

// keepGone sets r's gone links and bitGone from the visibility of the version it follows: scope, school and
// that version's links (only its school and gone links count).
func (r *record) keepGone(scope int8, school string, links []link) {
	r.kinds &^= bitGone
	r.links = slices.DeleteFunc(r.links, func(l link) bool { return l.rel == relGone })
	if r.scope == scopeAll {
		return
	}
	now := map[string]bool{r.school: r.scope == scopeSchool}
	for _, l := range r.links {
		if l.rel == relSchool {
			now[l.target] = true
		}
	}
	gone := map[string]bool{}
	switch scope {
	case scopeAll:
		gone[""] = true
	case scopeSchool:
		gone[school] = !now[school]
	}
	for _, l := range links {
		if (l.rel == relSchool || l.rel == relGone) && !now[l.target] {
			gone[l.target] = true
		}
	}
	if gone[""] {
		gone = map[string]bool{"": true}
	}
	for _, s := range slices.Sorted(maps.Keys(gone)) {
		if gone[s] {
			r.links = append(r.links, link{relGone, s})
			r.kinds |= bitGone
		}
	}
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
	r.keepGone(k.scope, k.school, nil)
	return false
}

// fetchLinks loads the links of record versions: from maps a sourcedId to its version's first generation.
func fetchLinks(ctx context.Context, q queryer, pg bool, coll Collection, from map[string]int) (map[string][]link, error) {
	out := map[string][]link{}
	sids := slices.Sorted(maps.Keys(from))
	for start := 0; start < len(sids); start += 500 {
		s := newSQL(pg)
		s.w(`SELECT l.sourced_id, l.rec_from, l.rel, l.target FROM `, cachelink.Table, ` l WHERE l.collection = `,
			s.arg(coll.info().code), ` AND l.sourced_id IN `, s.in(sids[start:min(start+500, len(sids))]))
		err := each(ctx, q, s.String(), func(rows *sql.Rows) error {
			var sid string
			var rec int
			var l link
			if err := rows.Scan(&sid, &rec, &l.rel, &l.target); err != nil {
				return err
			}
			if f, ok := from[sid]; ok && f == rec {
				out[sid] = append(out[sid], l)
			}
			return nil
		}, s.args...)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
