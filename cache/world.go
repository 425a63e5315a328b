package cache

import (
	"context"
	"database/sql"
	"maps"
	"slices"

	"github.com/rollcall/rollcall/oneroster"
	"github.com/rollcall/rollcall/settings"
)

// world is what a refresh holds in memory for the exclusion cascade and for visibility: every org and
// academic session (whole, they are few and rendered from here), and the ids, states and parents of every
// course and class. Its size grows with the number of classes, not with users or enrollments, which are
// streamed.
type world struct {
	set      settings.Settings
	orgs     map[int64]*orgInfo
	sessions map[int64]*sessInfo
	courses  map[int64]*courseInfo
	classes  map[int64]*classInfo
}

type orgInfo struct {
	id, parent                   int64
	sid, status, name, typ, code string
	exclude                      bool
	metadata                     []byte
	st                           state
	school                       string // the school it belongs to: itself, or the school above a department
	children                     []int64
}

type sessInfo struct {
	id, parent, org                     int64
	sid, status, title, typ, start, end string
	year                                string
	exclude                             bool
	metadata                            []byte
	st                                  state
	schools                             map[string]bool
	children                            []int64
}

type courseInfo struct {
	id, org, year int64
	sid, status   string
	exclude       bool
	st            state
	schools       map[string]bool
}

type classInfo struct {
	id, course, school int64
	sid, status        string
	exclude            bool
	terms              []int64
	st                 state
}

// loadWorld reads the orgs, sessions, courses and classes and decides what is published.
func (c *Cache) loadWorld(ctx context.Context, set settings.Settings) (*world, error) {
	w := &world{set: set, orgs: map[int64]*orgInfo{}, sessions: map[int64]*sessInfo{},
		courses: map[int64]*courseInfo{}, classes: map[int64]*classInfo{}}
	db := c.db.SQL
	err := each(ctx, db, `SELECT id, sourced_id, status, external_lms_exclude, name, type, identifier, parent_id, metadata FROM orgs`,
		func(r *sql.Rows) error {
			o := &orgInfo{}
			var parent sql.NullInt64
			if err := r.Scan(&o.id, &o.sid, &o.status, &o.exclude, &o.name, &o.typ, &o.code, &parent, &o.metadata); err != nil {
				return err
			}
			o.parent, o.metadata = parent.Int64, compactJSON(o.metadata)
			w.orgs[o.id] = o
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = each(ctx, db, `SELECT id, sourced_id, status, external_lms_exclude, title, type, start_date, end_date, school_year, parent_id, org_id, metadata FROM academic_sessions`,
		func(r *sql.Rows) error {
			s := &sessInfo{schools: map[string]bool{}}
			var parent, org sql.NullInt64
			if err := r.Scan(&s.id, &s.sid, &s.status, &s.exclude, &s.title, &s.typ, &s.start, &s.end, &s.year, &parent, &org, &s.metadata); err != nil {
				return err
			}
			s.parent, s.org, s.metadata = parent.Int64, org.Int64, compactJSON(s.metadata)
			w.sessions[s.id] = s
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = each(ctx, db, `SELECT id, sourced_id, status, external_lms_exclude, org_id, school_year_id FROM courses`,
		func(r *sql.Rows) error {
			co := &courseInfo{schools: map[string]bool{}}
			var org, year sql.NullInt64
			if err := r.Scan(&co.id, &co.sid, &co.status, &co.exclude, &org, &year); err != nil {
				return err
			}
			co.org, co.year = org.Int64, year.Int64
			w.courses[co.id] = co
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = each(ctx, db, `SELECT id, sourced_id, status, external_lms_exclude, course_id, school_id FROM classes`,
		func(r *sql.Rows) error {
			cl := &classInfo{}
			if err := r.Scan(&cl.id, &cl.sid, &cl.status, &cl.exclude, &cl.course, &cl.school); err != nil {
				return err
			}
			w.classes[cl.id] = cl
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = each(ctx, db, `SELECT class_id, academic_session_id FROM class_terms ORDER BY class_id, academic_session_id`,
		func(r *sql.Rows) error {
			var cl, s int64
			if err := r.Scan(&cl, &s); err != nil {
				return err
			}
			if x := w.classes[cl]; x != nil {
				x.terms = append(x.terms, s)
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	w.decide()
	return w, nil
}

// each runs a query and calls fn for every row.
func each(ctx context.Context, q queryer, query string, fn func(*sql.Rows) error, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// own is the state a record has on its own: hidden if excluded or beneath something not published, deleted
// if it is a tombstone in the live data.
func own(exclude, parentsOK bool, status string) state {
	switch {
	case exclude || !parentsOK:
		return stHidden
	case status == oneroster.StatusToBeDeleted:
		return stDeleted
	}
	return stActive
}

// decide applies the External LMS Exclude cascade and the active school year, and works out which schools
// each org, session and course belongs to.
func (w *world) decide() {
	// Orgs: an excluded or unpublished org hides what is beneath it.
	var orgState func(o *orgInfo, depth int) state
	done := map[int64]bool{}
	orgState = func(o *orgInfo, depth int) state {
		if done[o.id] || depth > 64 {
			return o.st
		}
		parentOK := true
		if p := w.orgs[o.parent]; p != nil && p != o {
			parentOK = orgState(p, depth+1) == stActive
			if o.typ != "school" && p.school != "" {
				o.school = p.school
			}
		}
		if o.typ == "school" {
			o.school = o.sid
		}
		o.st = own(o.exclude, parentOK, o.status)
		done[o.id] = true
		return o.st
	}
	for _, o := range w.orgs {
		orgState(o, 0)
		if p := w.orgs[o.parent]; p != nil && p != o {
			p.children = append(p.children, o.id)
		}
	}
	w.decideSessions()
	for _, co := range w.courses {
		ok := w.orgOK(co.org) && (co.year == 0 || w.sessions[co.year] == nil || w.sessions[co.year].st == stActive)
		co.st = own(co.exclude, ok, co.status)
		if o := w.orgs[co.org]; o != nil && o.school != "" {
			co.schools[o.school] = true
		}
	}
	for _, cl := range w.classes {
		ok := w.orgOK(cl.school)
		if co := w.courses[cl.course]; co != nil && co.st != stActive {
			ok = false
		}
		for _, t := range cl.terms {
			if s := w.sessions[t]; s != nil && s.st != stActive {
				ok = false
			}
		}
		cl.st = own(cl.exclude, ok, cl.status)
		if cl.st != stActive {
			continue
		}
		school := w.schoolOf(cl.school)
		if school == "" {
			continue
		}
		if co := w.courses[cl.course]; co != nil {
			co.schools[school] = true
		}
		for _, t := range cl.terms {
			w.markSession(t, school)
		}
	}
	for _, s := range w.sessions {
		if o := w.orgs[s.org]; o != nil && o.school != "" {
			w.markSession(s.id, o.school)
		}
	}
}

// decideSessions: an excluded session hides its descendants (and, through decide, their classes); so do an
// unpublished org and, when set, a school year other than the active one.
func (w *world) decideSessions() {
	done := map[int64]bool{}
	var sessState func(s *sessInfo, depth int) state
	sessState = func(s *sessInfo, depth int) state {
		if done[s.id] || depth > 64 {
			return s.st
		}
		ok := w.orgOK(s.org) && (w.set.ActiveSchoolYear == "" || s.year == w.set.ActiveSchoolYear)
		if p := w.sessions[s.parent]; p != nil && p != s {
			ok = ok && sessState(p, depth+1) == stActive
		}
		s.st = own(s.exclude, ok, s.status)
		done[s.id] = true
		return s.st
	}
	for _, s := range w.sessions {
		sessState(s, 0)
		if p := w.sessions[s.parent]; p != nil && p != s {
			p.children = append(p.children, s.id)
		}
	}
}

// markSession makes a session, its ancestors and its descendants belong to a school.
func (w *world) markSession(id int64, school string) {
	s := w.sessions[id]
	if s == nil {
		return
	}
	for a, depth := s, 0; a != nil && depth < 64; a, depth = w.sessions[a.parent], depth+1 {
		a.schools[school] = true
		if a.parent == a.id {
			break
		}
	}
	var down func(s *sessInfo, depth int)
	down = func(s *sessInfo, depth int) {
		for _, ch := range s.children {
			if c := w.sessions[ch]; c != nil && depth < 64 {
				c.schools[school] = true
				down(c, depth+1)
			}
		}
	}
	down(s, 0)
}

// orgOK reports whether an org reference (0 for none) does not hide what refers to it.
func (w *world) orgOK(id int64) bool {
	o := w.orgs[id]
	return o == nil || o.st == stActive
}

// schoolOf is the school an org belongs to ("" for the district and above).
func (w *world) schoolOf(id int64) string {
	if o := w.orgs[id]; o != nil {
		return o.school
	}
	return ""
}

// orgSID is an org's sourcedId, or "" when it is unknown or not published active.
func (w *world) orgSID(id int64) string {
	if o := w.orgs[id]; o != nil && o.st == stActive {
		return o.sid
	}
	return ""
}

// scopeOf turns the set of schools a record belongs to into its visibility columns and links.
func scopeOf(schools map[string]bool) (int8, string, []link) {
	switch len(schools) {
	case 0:
		return scopeLinked, "", nil // no school: only connections to every school see it
	case 1:
		for s := range schools {
			return scopeSchool, s, nil
		}
	}
	links := make([]link, 0, len(schools))
	for _, s := range slices.Sorted(maps.Keys(schools)) {
		links = append(links, link{relSchool, s})
	}
	return scopeLinked, "", links
}
