package cache

import (
	"database/sql"
)

// childSpecs are the collections built from parents already published in the generation.
var childSpecs = map[Collection]childSpec{
	Demographics:        demographicSpec,
	Categories:          categorySpec,
	LineItems:           lineItemSpec,
	Results:             resultSpec,
	ScoreScales:         scoreScaleSpec,
	AssessmentLineItems: assessmentLineItemSpec,
	AssessmentResults:   assessmentResultSpec,
}

// childState is the state of a record under its parents: hidden unless every named parent is published active.
func childState(status string, ps ...parentInfo) state {
	ok := true
	for _, p := range ps {
		ok = ok && p.active()
	}
	return own(false, ok, status)
}

type demographicRow struct {
	sid, status                           string
	metadata                              []byte
	birth, sex                            sql.NullString
	race                                  [7]sql.NullBool
	country, state, city, residence, user string
}

// demographicSpec: demographics are published with their user, and seen by whoever sees the user.
var demographicSpec = &spec[demographicRow]{
	coll: Demographics,
	q: liveQuery{key: "d.sourced_id", from: "demographics d LEFT JOIN users u ON u.id = d.user_id",
		cols: `d.sourced_id, d.status, d.metadata, d.birth_date, d.sex, d.american_indian_or_alaska_native, d.asian,
			d.black_or_african_american, d.native_hawaiian_or_other_pacific_islander, d.white,
			d.demographic_race_two_or_more_races, d.hispanic_or_latino_ethnicity, d.country_of_birth_code,
			d.state_of_birth_abbreviation, d.city_of_birth, d.public_school_residence_status, COALESCE(u.sourced_id, '')`},
	scan: func(r *sql.Rows) (x demographicRow, sid string, err error) {
		err = r.Scan(&x.sid, &x.status, &x.metadata, &x.birth, &x.sex, &x.race[0], &x.race[1], &x.race[2], &x.race[3],
			&x.race[4], &x.race[5], &x.race[6], &x.country, &x.state, &x.city, &x.residence, &x.user)
		return x, x.sid, err
	},
	refs: func(x *demographicRow) []ref { return []ref{{Users, x.user}} },
	render: func(x *demographicRow, ps parents) *record {
		user := ps.get(Users, x.user)
		st := childState(x.status, user)
		r := &record{coll: Demographics, sid: x.sid, st: st, status: statusOf(st)}
		if st == stHidden {
			return r
		}
		rw := newRW(x.sid, r.status, compactJSON(x.metadata), true)
		rw.optp("birthDate", nullStrPtr(x.birth))
		if x.sex.Valid {
			rw.b12.str("sex", x.sex.String)
			if x.sex.String == "male" || x.sex.String == "female" {
				rw.b11.str("sex", x.sex.String)
			}
			rw.d.str("sex", x.sex.String)
		}
		for i, f := range raceFields {
			rw.optBool(f, nullBoolPtr(x.race[i]))
		}
		rw.opt("countryOfBirthCode", x.country)
		rw.opt("stateOfBirthAbbreviation", x.state)
		rw.opt("cityOfBirth", x.city)
		rw.opt("publicSchoolResidenceStatus", x.residence)
		rw.end(r)
		r.scope, r.school, r.links = user.visibility()
		return r
	},
}

type categoryRow struct {
	sid, status, title, class string
	metadata                  []byte
	weight                    sql.NullFloat64
}

// categorySpec: a category made for a class is published with the class; others are district-wide.
var categorySpec = &spec[categoryRow]{
	coll: Categories,
	q: liveQuery{key: "ca.sourced_id", from: "categories ca LEFT JOIN classes cl ON cl.id = ca.class_id",
		cols: "ca.sourced_id, ca.status, ca.metadata, ca.title, ca.weight, COALESCE(cl.sourced_id, '')"},
	scan: func(r *sql.Rows) (x categoryRow, sid string, err error) {
		err = r.Scan(&x.sid, &x.status, &x.metadata, &x.title, &x.weight, &x.class)
		return x, x.sid, err
	},
	refs: func(x *categoryRow) []ref { return []ref{{Classes, x.class}} },
	render: func(x *categoryRow, ps parents) *record {
		st := own(false, true, x.status)
		scope, school, links := scopeAll, "", []link(nil)
		if x.class != "" {
			class := ps.get(Classes, x.class)
			st = childState(x.status, class)
			scope, school, links = class.visibility()
		}
		r := &record{coll: Categories, sid: x.sid, st: st, status: statusOf(st)}
		if st == stHidden {
			return r
		}
		rw := newRW(x.sid, r.status, compactJSON(x.metadata), true)
		rw.str("title", x.title)
		rw.b12.num("weight", nullFloatPtr(x.weight))
		rw.d.num("weight", nullFloatPtr(x.weight))
		rw.end(r)
		r.scope, r.school, r.links, r.refA = scope, school, links, x.class
		return r
	},
}

type lineItemRow struct {
	sid, status, title, desc                             string
	metadata, objectives                                 []byte
	assign, due                                          nullTime
	min, max                                             sql.NullFloat64
	class, school, category, session, sessionType, scale string
}

// lineItemSpec: line items are published with their class and seen by whoever sees the class.
var lineItemSpec = &spec[lineItemRow]{
	coll: LineItems,
	q: liveQuery{key: "li.sourced_id", from: `line_items li JOIN classes cl ON cl.id = li.class_id
			LEFT JOIN orgs sc ON sc.id = li.school_id LEFT JOIN categories ca ON ca.id = li.category_id
			LEFT JOIN academic_sessions s ON s.id = li.academic_session_id LEFT JOIN score_scales ss ON ss.id = li.score_scale_id`,
		cols: `li.sourced_id, li.status, li.metadata, li.title, li.description, li.assign_date, li.due_date,
			li.result_value_min, li.result_value_max, li.learning_objective_set, cl.sourced_id, COALESCE(sc.sourced_id, ''),
			COALESCE(ca.sourced_id, ''), COALESCE(s.sourced_id, ''), COALESCE(s.type, ''), COALESCE(ss.sourced_id, '')`},
	scan: func(r *sql.Rows) (x lineItemRow, sid string, err error) {
		err = r.Scan(&x.sid, &x.status, &x.metadata, &x.title, &x.desc, &x.assign, &x.due, &x.min, &x.max, &x.objectives,
			&x.class, &x.school, &x.category, &x.session, &x.sessionType, &x.scale)
		return x, x.sid, err
	},
	refs: func(x *lineItemRow) []ref { return []ref{{Classes, x.class}} },
	render: func(x *lineItemRow, ps parents) *record {
		class := ps.get(Classes, x.class)
		st := childState(x.status, class)
		r := &record{coll: LineItems, sid: x.sid, st: st, status: statusOf(st)}
		if st == stHidden {
			return r
		}
		school := x.school
		if school == "" {
			school = class.school
		}
		rw := newRW(x.sid, r.status, compactJSON(x.metadata), true)
		rw.str("title", x.title)
		rw.opt("description", x.desc)
		rw.str("assignDate", x.assign.str())
		rw.str("dueDate", x.due.str())
		rw.ref("class", Classes, x.class)
		rw.b12.ref("school", Orgs, school)
		rw.d.opt("school.sourcedId", school)
		rw.ref("category", Categories, x.category)
		if x.sessionType == "gradingPeriod" {
			rw.b12.ref("gradingPeriod", AcademicSessions, x.session)
		} else {
			rw.b12.ref("academicSession", AcademicSessions, x.session)
			rw.d.opt("academicSession.sourcedId", x.session)
		}
		rw.b11.ref("gradingPeriod", AcademicSessions, x.session)
		rw.d.opt("gradingPeriod.sourcedId", x.session)
		rw.b12.ref("scoreScale", ScoreScales, x.scale)
		rw.d.opt("scoreScale.sourcedId", x.scale)
		rw.num("resultValueMin", nullFloatPtr(x.min))
		rw.num("resultValueMax", nullFloatPtr(x.max))
		rw.b12.raw("learningObjectiveSet", compactJSON(x.objectives))
		rw.end(r)
		r.scope, r.school, r.links = class.visibility()
		r.refA = x.class
		return r
	},
}

// scoreFields are the score members results and assessment results share, from the rows' common columns.
type scoreCols struct {
	sid, status, scoreStatus, text, date, comment string
	metadata, objectives                          []byte
	score                                         sql.NullFloat64
	flags                                         [4]sql.NullBool // inProgress, incomplete, late, missing
}

const scoreColsSQL = `x.sourced_id, x.status, x.metadata, x.score_status, x.text_score, x.score_date, x.comment,
	x.learning_objective_set, x.score, x.in_progress, x.incomplete, x.late, x.missing`

func (s *scoreCols) dest() []any {
	return []any{&s.sid, &s.status, &s.metadata, &s.scoreStatus, &s.text, &s.date, &s.comment, &s.objectives, &s.score,
		&s.flags[0], &s.flags[1], &s.flags[2], &s.flags[3]}
}

// flagsTo writes the four optional flags of 1.2.
func (s *scoreCols) flagsTo(rw *rw) {
	for i, f := range []string{"inProgress", "incomplete", "late", "missing"} {
		rw.b12.optBool(f, nullBoolPtr(s.flags[i]))
		rw.d.optBool(f, nullBoolPtr(s.flags[i]))
	}
}
