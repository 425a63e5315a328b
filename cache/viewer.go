package cache

import (
	"context"
	"fmt"
	"slices"

	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/org"
	"github.com/rollcall/rollcall/oneroster"
)

// Viewer is who reads the cache: what one vendor connection may see, decided here and nowhere else. Every
// List and Get goes through it.
//
//   - Version picks the bodies (1.1 or 1.2 shapes), the catalogue and what 1.1 does not have (score scales,
//     assessment line items and results are 1.2 only).
//   - A connection limited to some schools (AllSchools false) sees those schools (and their departments),
//     the orgs above them (the district), and what belongs to the schools: their courses (offered by the
//     school or with a class there), classes, enrollments, the academic sessions in use there (with their
//     parents and children), the users enrolled there, with a role there, or guardians of those, and their
//     demographics; gradebook records go with their class, results with their line item. Resources are seen
//     by everyone. A record that belongs to no school (a district administrator, a course with no class) is
//     seen only by connections to all schools. Tombstones are seen by whoever saw the record; a record that
//     stays published but leaves some schools is seen by a connection limited to them as a tombstone (see
//     gone.go, and "What is published" in the package documentation).
//   - Demographics are seen only with demographics access.
type Viewer struct {
	Version      string   // oneroster.V1p1 or oneroster.V1p2
	AllSchools   bool     // every school; otherwise only Schools
	Schools      []string // sourcedIds of the schools, when not AllSchools
	Demographics bool     // may read demographics
}

// ViewerFor returns the viewer of a vendor connection. The connection's schools are loaded if they were not.
func ViewerFor(ctx context.Context, client *ent.Client, conn *ent.Connection) (Viewer, error) {
	v := Viewer{Version: string(conn.Version), AllSchools: conn.AllSchools, Demographics: conn.Demographics}
	if v.AllSchools {
		return v, nil
	}
	schools := conn.Edges.Schools
	if schools == nil {
		var err error
		schools, err = client.Connection.QuerySchools(conn).Select(org.FieldSourcedID).All(ctx)
		if err != nil {
			return v, fmt.Errorf("cache: loading the schools of connection %s: %w", conn.ConsumerKey, err)
		}
	}
	for _, s := range schools {
		v.Schools = append(v.Schools, s.SourcedID)
	}
	slices.Sort(v.Schools)
	return v, nil
}

// DistrictViewer sees everything in a version: for admins and analysts.
func DistrictViewer(version string) Viewer {
	return Viewer{Version: version, AllSchools: true, Demographics: true}
}

// check refuses a collection the viewer may not read at all.
func (v Viewer) check(c Collection) error {
	switch {
	case v.Version != oneroster.V1p1 && v.Version != oneroster.V1p2:
		return fmt.Errorf("cache: unknown OneRoster version %q", v.Version)
	case !c.Valid():
		return fmt.Errorf("cache: unknown collection %q", c)
	case !c.InVersion(v.Version):
		return fmt.Errorf("%w: %s is not part of OneRoster %s", ErrForbidden, c, v.Version)
	case c == Demographics && !v.Demographics:
		return fmt.Errorf("%w: demographics need demographics access", ErrForbidden)
	}
	return nil
}

// visible writes the predicate restricting records to what a school-limited viewer sees ("" for all): the
// records of its schools, and the records its schools lost sight of (gone links, see gone.go), which it sees
// as tombstones (see lost).
func (v Viewer) visible(q *sqlb) string {
	if v.AllSchools {
		return ""
	}
	return "(" + inSchools(q, v.Schools, true) + " OR " + goneFrom(q, v.Schools, true) + ")"
}

// source writes the FROM item of the records of one collection (code) in generation gen that the viewer
// sees, aliased r, and the predicate still to apply to them ("" for none). A viewer of every school reads
// cache_records itself (no predicate). A school-limited viewer on PostgreSQL reads a union that drives from
// its schools instead of testing every record of the collection with visible: the versions of scope 1 of its
// schools and those of scope 0 (by the (collection, school) index, at NULL: only scope 1 has a school, see
// recordValues), those of scope 2 linked to its schools, and those its schools lost sight of (gone links)
// that it sees by no school. The four parts are disjoint, so the union is exact without removing
// duplicates, and a page and its exact total cost what the school's records do, not what the collection
// does. SQLite reads cache_records with the row predicate of visible.
func (v Viewer) source(q *sqlb, code int16, gen int) (string, string) {
	if v.AllSchools || !q.pg {
		return "cache_records r", v.visible(q)
	}
	c := q.arg(code)
	linked := func(rel string, targets []string, cond string) string {
		return "SELECT r.* FROM (SELECT DISTINCT l.sourced_id, l.rec_from FROM cache_links l WHERE l.rel = '" + rel +
			"' AND l.target IN " + q.in(targets) + " AND l.collection = " + c + ") k JOIN cache_records r ON r.collection = " + c +
			" AND r.sourced_id = k.sourced_id AND r.gen_from = k.rec_from WHERE " + cond + " AND " + visibleAt(q, "r", gen)
	}
	from := "(" +
		fmt.Sprintf("SELECT r.* FROM cache_records r WHERE r.collection = %s AND r.school IS NULL AND r.scope = %d AND ", c, scopeAll) +
		visibleAt(q, "r", gen) +
		fmt.Sprintf(" UNION ALL SELECT r.* FROM cache_records r WHERE r.collection = %s AND r.school IN %s AND r.scope = %d AND ", c, q.in(v.Schools), scopeSchool) +
		visibleAt(q, "r", gen) +
		" UNION ALL " + linked(relSchool, v.Schools, fmt.Sprintf("r.scope = %d", scopeLinked)) +
		" UNION ALL " + linked(relGone, append([]string{""}, v.Schools...), fmt.Sprintf("(r.kinds & %d) <> 0 AND NOT %s", bitGone, inSchools(q, v.Schools, true))) +
		") r"
	return from, ""
}

// lost writes the condition, on a record the viewer sees, "it sees it only because one of its schools lost
// sight of it": it gets it as a tombstone (status tobedeleted, its dateLastModified). "" for a viewer of every
// school, for whom it never holds.
func (v Viewer) lost(q *sqlb) string {
	if v.AllSchools {
		return ""
	}
	return fmt.Sprintf("((r.kinds & %d) <> 0 AND NOT %s)", bitGone, inSchools(q, v.Schools, true))
}

// status writes the record's status as the viewer gets it.
func (v Viewer) status(q *sqlb) string {
	if v.AllSchools {
		return "r.status"
	}
	return "(CASE WHEN " + v.lost(q) + " THEN '" + oneroster.StatusToBeDeleted + "' ELSE r.status END)"
}

// lostColumn writes the SELECT column of lost: 0 when the viewer gets the record as it is, otherwise the
// version's gen_from, by which frozenTomb finds the tombstone it gets. "" for a viewer of every school. (The
// tombstone is looked up apart: a subquery here, though rarely run, raises PostgreSQL's cost estimate of
// every school-limited page past its JIT thresholds, which doubled a full sync's time.)
func (v Viewer) lostColumn(q *sqlb) string {
	if v.AllSchools {
		return ""
	}
	return "(CASE WHEN " + v.lost(q) + " THEN r.gen_from ELSE 0 END)"
}

// goneTombs is the FROM and WHERE of the viewer's gone links of the record (its schools' and "").
func (v Viewer) goneTombs(q *sqlb) string {
	return fmt.Sprintf(" FROM cache_links g WHERE g.collection = r.collection AND g.sourced_id = r.sourced_id "+
		"AND g.rec_from = r.gen_from AND g.rel = '%s' AND g.target IN %s", relGone, q.in(append([]string{""}, v.Schools...)))
}

// lostMs writes, for a record the viewer gets as a tombstone (lost), its dateLastModified: the time the last
// of the viewer's schools lost sight of it (the latest of the frozen tombstones it may get, see gone.go and
// frozenTomb), or the version's for a gone link without a frozen tombstone.
func (v Viewer) lostMs(q *sqlb) string {
	return "COALESCE((SELECT MAX(g.tomb_ms)" + v.goneTombs(q) + "), r.modified_ms)"
}

// modified writes the record's dateLastModified (Unix ms) as the viewer gets it.
func (v Viewer) modified(q *sqlb) string {
	if v.AllSchools {
		return "r.modified_ms"
	}
	return "(CASE WHEN " + v.lost(q) + " THEN " + v.lostMs(q) + " ELSE r.modified_ms END)"
}

// inSchools is the predicate "the record belongs to one of the schools"; withAll also admits records every
// connection sees.
func inSchools(q *sqlb, schools []string, withAll bool) string {
	all := ""
	if withAll {
		all = fmt.Sprintf("r.scope = %d OR ", scopeAll)
	}
	return fmt.Sprintf("(%s(r.scope = %d AND r.school IN %s) OR (r.scope = %d AND EXISTS (SELECT 1 FROM cache_links l "+
		"WHERE l.collection = r.collection AND l.sourced_id = r.sourced_id AND l.rec_from = r.gen_from "+
		"AND l.rel = 'school' AND l.target IN %s)))", all, scopeSchool, q.in(schools), scopeLinked, q.in(schools))
}

// goneFrom is the predicate "one of the schools lost sight of the record" (gone.go); withEvery also admits
// the records every school lost sight of (gone target ""). Only records with bitGone are looked up.
func goneFrom(q *sqlb, schools []string, withEvery bool) string {
	if withEvery {
		schools = append([]string{""}, schools...)
	}
	return fmt.Sprintf("((r.kinds & %d) <> 0 AND EXISTS (SELECT 1 FROM cache_links g WHERE g.collection = r.collection "+
		"AND g.sourced_id = r.sourced_id AND g.rec_from = r.gen_from AND g.rel = '%s' AND g.target IN %s))",
		bitGone, relGone, q.in(schools))
}
