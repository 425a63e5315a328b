package cache

import (
	"context"
	"database/sql"

	"github.com/rollcall/rollcall/oneroster"
)

// Live queries of the streamed roster collections.
var (
	courseQuery = liveQuery{key: "c.sourced_id", from: "courses c",
		cols: "c.id, c.sourced_id, c.status, c.metadata, c.title, c.course_code, c.grades, c.subjects, c.subject_codes"}
	classQuery = liveQuery{key: "c.sourced_id", from: "classes c",
		cols: "c.id, c.sourced_id, c.status, c.metadata, c.title, c.class_code, c.class_type, c.location, c.grades, c.subjects, c.subject_codes, c.periods"}
	enrollmentQuery = liveQuery{key: "e.sourced_id", from: "enrollments e JOIN users u ON u.id = e.user_id",
		cols: `e.id, e.sourced_id, e.status, e.external_lms_exclude, e.metadata, e.role, e."primary", e.begin_date, e.end_date, e.class_id, e.school_id, u.sourced_id, u.status, u.external_lms_exclude`}
	resourceQuery = liveQuery{key: "r.sourced_id", from: "resources r",
		cols: "r.id, r.sourced_id, r.status, r.metadata, r.title, r.roles, r.importance, r.vendor_resource_id, r.vendor_id, r.application_id"}
)

type courseRow struct {
	id                              int64
	sid, status, title, code        string
	metadata, grades, subj, subjCod []byte
}

func scanCourse(r *sql.Rows) (x courseRow, sid string, err error) {
	err = r.Scan(&x.id, &x.sid, &x.status, &x.metadata, &x.title, &x.code, &x.grades, &x.subj, &x.subjCod)
	return x, x.sid, err
}

// activeResources is the lookup of the active resources assigned through a join table (class_resources...).
func activeResources(ctx context.Context, c *Cache, table, col string, ids []int64) (map[int64][]string, error) {
	return refLists(ctx, c.db.SQL, c.pg, "SELECT j."+col+", r.sourced_id FROM "+table+" j JOIN resources r ON r.id = j.resource_id WHERE r.status = 'active' AND ",
		"j."+col, ids, "")
}

func (gb *genBuild) courses() producer {
	return func(ctx context.Context, emit func([]*record) error) error {
		return stream(ctx, gb.c, courseQuery, gb.c.opt.BatchSize, scanCourse, func(rows []courseRow) error {
			ids := make([]int64, len(rows))
			for i, x := range rows {
				ids[i] = x.id
			}
			res, err := activeResources(ctx, gb.c, "course_resources", "course_id", ids)
			if err != nil {
				return err
			}
			out := make([]*record, 0, len(rows))
			for _, x := range rows {
				out = append(out, gb.w.renderCourse(x, res[x.id]))
			}
			gb.rowsDone.Add(int64(len(rows)))
			return emit(out)
		})
	}
}

func (w *world) renderCourse(x courseRow, resources []string) *record {
	info := w.courses[x.id]
	st := stHidden
	if info != nil {
		st = info.st
	}
	r := &record{coll: Courses, sid: x.sid, st: st, status: statusOf(st)}
	if st == stHidden {
		return r
	}
	rw := newRW(x.sid, r.status, compactJSON(x.metadata), false)
	rw.str("title", x.title)
	rw.ref("schoolYear", AcademicSessions, w.sessSID(info.year))
	rw.str("courseCode", x.code)
	rw.strs("grades", jsonStrings(x.grades))
	rw.strs("subjects", jsonStrings(x.subj))
	rw.ref("org", Orgs, w.orgSID(info.org))
	rw.strs("subjectCodes", jsonStrings(x.subjCod))
	rw.refs("resources", Resources, resources)
	rw.end(r)
	r.scope, r.school, r.links = scopeOf(info.schools)
	return r
}

type classRow struct {
	id                                       int64
	sid, status, title, code, typ, location  string
	metadata, grades, subj, subjCod, periods []byte
}

func scanClass(r *sql.Rows) (x classRow, sid string, err error) {
	err = r.Scan(&x.id, &x.sid, &x.status, &x.metadata, &x.title, &x.code, &x.typ, &x.location, &x.grades, &x.subj, &x.subjCod, &x.periods)
	return x, x.sid, err
}

func (gb *genBuild) classes() producer {
	return func(ctx context.Context, emit func([]*record) error) error {
		return stream(ctx, gb.c, classQuery, gb.c.opt.BatchSize, scanClass, func(rows []classRow) error {
			ids := make([]int64, len(rows))
			for i, x := range rows {
				ids[i] = x.id
			}
			res, err := activeResources(ctx, gb.c, "class_resources", "class_id", ids)
			if err != nil {
				return err
			}
			out := make([]*record, 0, len(rows))
			for _, x := range rows {
				out = append(out, gb.w.renderClass(x, res[x.id]))
			}
			gb.rowsDone.Add(int64(len(rows)))
			return emit(out)
		})
	}
}

func (w *world) renderClass(x classRow, resources []string) *record {
	info := w.classes[x.id]
	st := stHidden
	if info != nil {
		st = info.st
	}
	r := &record{coll: Classes, sid: x.sid, st: st, status: statusOf(st)}
	if st == stHidden {
		return r
	}
	var terms []string
	for _, t := range info.terms {
		if s := w.sessSID(t); s != "" {
			terms = append(terms, s)
		}
	}
	terms = sortedSIDs(terms)
	course := ""
	if co := w.courses[info.course]; co != nil {
		course = co.sid
	}
	rw := newRW(x.sid, r.status, compactJSON(x.metadata), false)
	rw.str("title", x.title)
	rw.opt("classCode", x.code)
	rw.str("classType", x.typ)
	rw.opt("location", x.location)
	rw.strs("grades", jsonStrings(x.grades))
	rw.strs("subjects", jsonStrings(x.subj))
	rw.ref("course", Courses, course)
	rw.ref("school", Orgs, w.orgSID(info.school))
	rw.refs("terms", AcademicSessions, terms)
	rw.strs("subjectCodes", jsonStrings(x.subjCod))
	rw.strs("periods", jsonStrings(x.periods))
	rw.refs("resources", Resources, resources)
	rw.end(r)
	r.scope, r.school = scopeLinked, ""
	if s := w.schoolOf(info.school); s != "" {
		r.scope, r.school = scopeSchool, s
	}
	for _, t := range terms {
		r.links = append(r.links, link{relTerm, t})
	}
	r.refA = course
	return r
}

type enrollmentRow struct {
	id, class, school   int64
	sid, status, role   string
	exclude, primary    bool
	metadata            []byte
	begin, end          sql.NullString
	userSID, userStatus string
	userExclude         bool
}

func scanEnrollment(r *sql.Rows) (x enrollmentRow, sid string, err error) {
	err = r.Scan(&x.id, &x.sid, &x.status, &x.exclude, &x.metadata, &x.role, &x.primary, &x.begin, &x.end,
		&x.class, &x.school, &x.userSID, &x.userStatus, &x.userExclude)
	return x, x.sid, err
}

func (gb *genBuild) enrollments() producer {
	return func(ctx context.Context, emit func([]*record) error) error {
		return stream(ctx, gb.c, enrollmentQuery, gb.c.opt.BatchSize, scanEnrollment, func(rows []enrollmentRow) error {
			out := make([]*record, 0, len(rows))
			for i := range rows {
				out = append(out, gb.w.renderEnrollment(&rows[i]))
			}
			gb.rowsDone.Add(int64(len(rows)))
			return emit(out)
		})
	}
}

// enrollmentBits maps an enrollment role to its kinds bit.
var enrollmentBits = map[string]int32{"student": bitEnrStudent, "teacher": bitEnrTeacher,
	"administrator": bitEnrAdministrator, "proctor": bitEnrProctor}

// renderEnrollment: an enrollment is hidden with its class, its school, or its user (excluded or deleted).
func (w *world) renderEnrollment(x *enrollmentRow) *record {
	cl := w.classes[x.class]
	ok := cl != nil && cl.st == stActive && w.orgOK(x.school) &&
		!x.userExclude && x.userStatus != oneroster.StatusToBeDeleted
	st := own(x.exclude, ok, x.status)
	r := &record{coll: Enrollments, sid: x.sid, st: st, status: statusOf(st)}
	if st == stHidden {
		return r
	}
	rw := newRW(x.sid, r.status, compactJSON(x.metadata), false)
	rw.ref("user", Users, x.userSID)
	rw.ref("class", Classes, cl.sid)
	rw.ref("school", Orgs, w.orgSID(x.school))
	rw.str("role", x.role)
	rw.boolStr("primary", x.primary)
	rw.optp("beginDate", nullStrPtr(x.begin))
	rw.optp("endDate", nullStrPtr(x.end))
	rw.end(r)
	r.kinds = enrollmentBits[x.role]
	r.scope, r.school = scopeLinked, ""
	if s := w.schoolOf(x.school); s != "" {
		r.scope, r.school = scopeSchool, s
	}
	r.refA, r.refB = cl.sid, x.userSID
	return r
}

type resourceRow struct {
	id                                                int64
	sid, status, title, vendorResourceID, vendor, app string
	importance                                        sql.NullString
	metadata, roles                                   []byte
}

func scanResource(r *sql.Rows) (x resourceRow, sid string, err error) {
	err = r.Scan(&x.id, &x.sid, &x.status, &x.metadata, &x.title, &x.roles, &x.importance, &x.vendorResourceID, &x.vendor, &x.app)
	return x, x.sid, err
}

func (gb *genBuild) resources() producer {
	return func(ctx context.Context, emit func([]*record) error) error {
		return stream(ctx, gb.c, resourceQuery, gb.c.opt.BatchSize, scanResource, func(rows []resourceRow) error {
			ids := make([]int64, len(rows))
			for i, x := range rows {
				ids[i] = x.id
			}
			links := map[int64][]link{}
			for _, j := range []struct{ table, col, rel, target string }{
				{"class_resources", "class_id", relClass, "classes"},
				{"course_resources", "course_id", relCourse, "courses"},
				{"user_resources", "user_id", relUser, "users"},
			} {
				m, err := refLists(ctx, gb.c.db.SQL, gb.c.pg, "SELECT j.resource_id, t.sourced_id FROM "+j.table+" j JOIN "+
					j.target+" t ON t.id = j."+j.col+" WHERE ", "j.resource_id", ids, "")
				if err != nil {
					return err
				}
				for id, sids := range m {
					for _, s := range sids {
						links[id] = append(links[id], link{j.rel, s})
					}
				}
			}
			out := make([]*record, 0, len(rows))
			for _, x := range rows {
				out = append(out, renderResource(x, links[x.id]))
			}
			gb.rowsDone.Add(int64(len(rows)))
			return emit(out)
		})
	}
}

// renderResource: resources describe content, not people; every connection sees them.
func renderResource(x resourceRow, links []link) *record {
	st := own(false, true, x.status)
	r := &record{coll: Resources, sid: x.sid, st: st, status: statusOf(st)}
	rw := newRW(x.sid, r.status, compactJSON(x.metadata), false)
	rw.opt("title", x.title)
	rw.strs("roles", jsonStrings(x.roles))
	rw.optp("importance", nullStrPtr(x.importance))
	rw.str("vendorResourceId", x.vendorResourceID)
	rw.opt("vendorId", x.vendor)
	rw.opt("applicationId", x.app)
	rw.end(r)
	r.scope, r.links = scopeAll, links
	return r
}
