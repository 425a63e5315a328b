package cache

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/oneroster"
	"github.com/rollcall/rollcall/oneroster/query"
)

// Scope narrows a collection to what a subset or nested endpoint returns (SPEC §5.6). The zero Scope is the
// whole collection. Several fields combine with AND. The facade maps each path to a Scope:
//
//	/schools, /terms, /gradingPeriods, /students, /teachers   Kind
//	/schools/{s}/courses|classes|enrollments|terms|students|teachers   School (+ Kind)
//	/schools/{s}/classes/{c}/enrollments|students|teachers     School + Class (+ Kind, Role)
//	/classes/{c}/students|teachers                             Class + Kind + Role (student|teacher)
//	/terms/{t}/classes                                         Term (classes in the term)
//	/terms/{t}/gradingPeriods                                  Term + Kind (sessions whose parent is t)
//	/courses/{c}/classes                                       Course
//	/students|teachers|users/{u}/classes                       User (+ Role)
//	/classes/{c}/categories|lineItems|results|scoreScales|resources   Class
//	/classes/{c}/lineItems/{l}/results                         Class + LineItem
//	/classes/{c}/students/{s}/results                          Class + User
//	/schools/{s}/scoreScales                                   School
//	/courses/{c}/resources, /users/{u}/resources               Course, User
//
// Scope does not check that the parent exists or is visible: the facade calls Get on the parent first (404
// unknownobject when it is not there for the viewer).
type Scope struct {
	Kind     Kind   // a subset: schools, terms, gradingPeriods, students, teachers
	School   string // records belonging to the school (the same belonging that decides visibility)
	Class    string // enrollments, line items, score scales, assessment line items, categories (of the class or of its line items), results (of its line items), resources of the class; users enrolled in it (actively)
	Course   string // classes of the course; resources of the course
	Term     string // classes in the term; academic sessions whose parent is the term
	User     string // classes the user is enrolled in (actively); results of the student; resources of the user
	LineItem string // results of the line item
	Role     string // with Class on users, or User on classes: the enrollment role (student, teacher, ...)
}

// Query is one collection request.
type Query struct {
	Collection Collection
	Viewer     Viewer
	// Params are the request's parsed parameters, from query.Parse with Catalogue(Collection, Viewer.Version);
	// nil means defaults (limit 100, offset 0, sorted by sourcedId).
	Params *query.Params
	Scope  Scope
	// Generation pins the generation to read (Rows.Generation of an earlier page, carried in Link URLs by
	// the facade); 0, or one no longer kept, reads the current generation.
	Generation int
	// Hrefs are the roots of the GUIDRef hrefs in the bodies.
	Hrefs Hrefs
}

// plan is a compiled query.
type plan struct {
	from  string // FROM and WHERE
	order string
	args  []any // of from, then of order
	// fromArgs is how many of args are from's: "SELECT COUNT(*)" from takes args[:fromArgs].
	fromArgs int
	total    int // known without counting, or -1
	body     string
	// lost is the SELECT column telling a record the viewer gets as a tombstone (Viewer.lostColumn: its
	// version's gen_from, 0 if none; "" for a viewer of every school), bound in lostF: a page's statement is
	// "SELECT body, lost, r.sourced_id" from, with parameters lostF.beforeArgs(args). v and code find the
	// tombstone (frozenTomb).
	lost   string
	lostF  *sqlb
	v      Viewer
	code   int16
	limit  int
	offset int // rows to skip after the WHERE (what a mark seek leaves of the requested offset)
	// narrow: the page orders and skips ids, then reads the bodies of the page (Rows.query); for the union
	// a school-limited viewer reads on PostgreSQL (Viewer.source).
	narrow bool
}

// compile plans q against generation snap. An unfiltered page in the default order (of a whole collection
// or a subset, for a connection to every school) starts from the position mark below its offset, so that
// only less than markStep rows are skipped, and takes its total from the generation's counts.
func (c *Cache) compile(q Query, snap snapshot) (*plan, error) {
	coll, v := q.Collection, q.Viewer
	p := q.Params
	if p == nil {
		p = &query.Params{Sort: query.Sort{Direction: query.Asc}, Page: query.Page{Limit: query.DefaultLimit}}
	}
	pl := &plan{total: -1, limit: p.Page.Limit, offset: p.Page.Offset, body: "r.body_v1p2"}
	if pl.limit <= 0 {
		pl.limit = query.DefaultLimit
	}
	if v.Version == oneroster.V1p1 {
		pl.body = "COALESCE(r.body_v1p1, r.body_v1p2)"
	}
	s := newSQL(c.pg)
	cmp := compiler{s, v}
	preds := []string{"r.collection = " + s.arg(coll.info().code), visibleAt(s, "r", snap.id)}
	src, vis := v.source(s, coll.info().code, snap.id) // after them: SQLite binds in text order (its src binds nothing)
	scoped := q.Scope != (Scope{Kind: q.Scope.Kind})
	if vis != "" {
		preds = append(preds, vis)
	}
	if coll.info().gradebook && !mentions(p.Where, "dateLastModified", "status") {
		preds = append(preds, v.status(s)+" = 'active'") // deleted gradebook records leave lists, except for deltas
	}
	sp, err := cmp.scope(coll, q.Scope, v.Version, snap.id)
	if err != nil {
		return nil, err
	}
	preds = append(preds, sp...)
	if p.Where != nil {
		f, err := cmp.cond(p.Where)
		if err != nil {
			return nil, err
		}
		preds = append(preds, f)
	}
	keys := p.Sort.Keys()
	simple := p.Where == nil && !scoped && v.AllSchools && !coll.info().gradebook
	bit := int32(0)
	if q.Scope.Kind != "" {
		bit, _ = kindBit(coll, q.Scope.Kind, v.Version)
	}
	if simple && snap.counts != nil {
		pl.total = int(snap.counts[countKey(coll, bit)])
	}
	asc := len(keys) == 1 && keys[0].Path == query.TieBreaker && keys[0].Direction != query.Desc
	if simple && asc && pl.offset >= markStep {
		k := int64(pl.offset / markStep)
		preds = append(preds, "r.sourced_id >= (SELECT m.sourced_id FROM cache_marks m WHERE m.generation_id = "+
			s.arg(snap.id)+" AND m.collection = "+s.arg(coll.info().code)+" AND m.bit = "+s.arg(int64(bit))+
			" AND m.n = "+s.arg(k)+")")
		pl.offset -= int(k) * markStep
	}
	pl.narrow = vis == "" && !v.AllSchools
	pl.from = " FROM " + src + " WHERE " + strings.Join(preds, " AND ")
	pl.fromArgs = len(s.args)
	if pl.order, err = cmp.orderBy(keys, "r.sourced_id"); err != nil { // after the WHERE, as in the statement
		return nil, err
	}
	pl.args = s.args
	if f := s.fork(); !v.AllSchools {
		pl.lost, pl.lostF, pl.v, pl.code = v.lostColumn(f), f, v, coll.info().code
	}
	return pl, nil
}

// mentions reports whether a filter compares one of the fields. A gradebook record a vendor deleted leaves
// every read at once (404 by sourcedId, absent from lists), except for a delta sync: a filter on
// dateLastModified (or on status) still lists its tombstone, so that consumers syncing deltas see deletions.
func mentions(c query.Cond, names ...string) bool {
	switch x := c.(type) {
	case *query.Junction:
		for _, t := range x.Terms {
			if mentions(t, names...) {
				return true
			}
		}
	case *query.Comparison:
		for _, n := range names {
			if x.Field.Name == n {
				return true
			}
		}
	}
	return false
}

// scope compiles a Scope into predicates.
func (c compiler) scope(coll Collection, sc Scope, version string, gen int) ([]string, error) {
	var out []string
	bad := func(what string) error {
		return fmt.Errorf("cache: a %s scope does not apply to %s", what, coll)
	}
	s := c.q
	code := func(c Collection) string { return s.arg(c.info().code) }
	linked := func(rel, target string) string {
		return "EXISTS (SELECT 1 FROM cache_links l WHERE l.rel = " + s.arg(rel) + " AND l.target = " + s.arg(target) +
			" AND l.collection = r.collection AND l.sourced_id = r.sourced_id AND l.rec_from = r.gen_from)"
	}
	lineItemsOf := func(class string) string {
		return "SELECT li.sourced_id FROM cache_records li WHERE li.collection = " + code(LineItems) + " AND " +
			visibleAt(s, "li", gen) + " AND li.ref_a = " + s.arg(class)
	}
	enrolled := func(match, pick, id string) (string, error) {
		bit, err := enrollmentRoleBit(sc.Role)
		if err != nil {
			return "", err
		}
		role := ""
		if bit != 0 {
			role = fmt.Sprintf(" AND (e.kinds & %d) <> 0", bit)
		}
		return "r.sourced_id IN (SELECT e." + pick + " FROM cache_records e WHERE e.collection = " + code(Enrollments) +
			" AND e." + match + " = " + s.arg(id) + " AND " + visibleAt(s, "e", gen) + " AND e.status = 'active'" + role + ")", nil
	}
	if sc.Kind != "" {
		bit, err := kindBit(coll, sc.Kind, version)
		if err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("(r.kinds & %d) <> 0", bit))
	}
	if sc.School != "" {
		p := inSchools(s, []string{sc.School}, false)
		if lost := c.v.lost(s); lost != "" {
			// A school-limited viewer also gets, as tombstones, the records the school lost sight of.
			p = "(" + p + " OR (" + lost + " AND " + goneFrom(s, []string{sc.School}, false) + "))"
		}
		out = append(out, p)
	}
	if sc.Role != "" && !(sc.Class != "" && coll == Users) && !(sc.User != "" && coll == Classes) {
		return nil, bad("role")
	}
	if sc.Class != "" {
		switch coll {
		case Enrollments, LineItems, ScoreScales, AssessmentLineItems:
			out = append(out, "r.ref_a = "+s.arg(sc.Class))
		case Users:
			p, err := enrolled("ref_a", "ref_b", sc.Class)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		case Categories:
			cat := "li.doc->>'category.sourcedId'"
			if !c.pg() {
				cat = `json_extract(li.doc, '$."category.sourcedId"')`
			}
			out = append(out, "(r.ref_a = "+s.arg(sc.Class)+" OR r.sourced_id IN ("+
				strings.Replace(lineItemsOf(sc.Class), "li.sourced_id", cat, 1)+"))")
		case Results:
			out = append(out, "r.ref_a IN ("+lineItemsOf(sc.Class)+")")
		case Resources:
			out = append(out, linked(relClass, sc.Class))
		default:
			return nil, bad("class")
		}
	}
	if sc.Course != "" {
		switch coll {
		case Classes:
			out = append(out, "r.ref_a = "+s.arg(sc.Course))
		case Resources:
			out = append(out, linked(relCourse, sc.Course))
		default:
			return nil, bad("course")
		}
	}
	if sc.Term != "" {
		switch coll {
		case Classes:
			out = append(out, linked(relTerm, sc.Term))
		case AcademicSessions:
			out = append(out, "r.ref_a = "+s.arg(sc.Term))
		default:
			return nil, bad("term")
		}
	}
	if sc.User != "" {
		switch coll {
		case Classes:
			p, err := enrolled("ref_b", "ref_a", sc.User)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		case Results, AssessmentResults:
			out = append(out, "r.ref_b = "+s.arg(sc.User))
		case Resources:
			out = append(out, linked(relUser, sc.User))
		default:
			return nil, bad("user")
		}
	}
	if sc.LineItem != "" {
		if coll != Results {
			return nil, bad("line item")
		}
		out = append(out, "r.ref_a = "+s.arg(sc.LineItem))
	}
	return out, nil
}

// List runs a collection query: Rows has the exact total (before paging) and streams the page's pre-rendered
// bodies. Errors: ErrNoGeneration, ErrForbidden (wrapped), a *query.Error for a filter or sort the
// catalogue does not know (never a database error from caller text), or a database error.
func (c *Cache) List(ctx context.Context, q Query) (*Rows, error) {
	if err := q.Viewer.check(q.Collection); err != nil {
		return nil, err
	}
	snap, err := c.pick(ctx, q.Generation)
	if err != nil {
		return nil, err
	}
	pl, err := c.compile(q, snap)
	if err != nil {
		return nil, err
	}
	rows := &Rows{Generation: snap.id, Total: pl.total, c: c, pl: pl, left: pl.limit}
	if q.Params != nil && !q.Params.Fields.All() {
		rows.fields = q.Params.Fields.Known
	}
	rows.hrefs = q.Hrefs
	if rows.Total < 0 {
		// A school-limited viewer's total of a collection a refresh alone writes is that of an immutable
		// generation: counted once per statement and parameters, kept while the generation is kept in
		// memory (totalOf). Gradebook collections are written in place (PublishGradebook): always counted.
		key := ""
		if pl.narrow && !q.Collection.info().gradebook {
			key = fmt.Sprintf("%s\x00%#v", pl.from, pl.args[:pl.fromArgs])
			rows.Total = c.totalOf(snap.id, key)
		}
		if rows.Total < 0 {
			if err := c.db.SQL.QueryRowContext(ctx, "SELECT COUNT(*)"+pl.from, pl.args[:pl.fromArgs]...).Scan(&rows.Total); err != nil {
				return nil, fmt.Errorf("cache: counting %s: %w", q.Collection, err)
			}
			if key != "" {
				c.keepTotal(snap.id, key, rows.Total)
			}
		}
	}
	if q.Params != nil && q.Params.Page.Offset >= rows.Total {
		rows.left = 0
	}
	rows.ctx = ctx
	return rows, nil
}

// totalOf returns a total keepTotal kept for generation gen and key, or -1.
func (c *Cache) totalOf(gen int, key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n, ok := c.totals[gen][key]; ok {
		return n
	}
	return -1
}

// keepTotal keeps a total of generation gen (at most 1024 per generation, for the 4 newest generations).
func (c *Cache) keepTotal(gen int, key string, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.totals == nil {
		c.totals = map[int]map[string]int{}
	}
	m := c.totals[gen]
	if m == nil {
		for len(c.totals) >= 4 {
			delete(c.totals, slices.Min(slices.Collect(maps.Keys(c.totals))))
		}
		m = map[string]int{}
		c.totals[gen] = m
	}
	if len(m) < 1024 {
		m[key] = n
	}
}
