package cache

import (
	"database/sql"
)

type resultRow struct {
	scoreCols
	lineItem, student, class, scale string
}

// resultSpec: a result is published with its line item and its student, and seen by whoever sees the line item.
var resultSpec = &spec[resultRow]{
	coll: Results,
	q: liveQuery{key: "x.sourced_id", from: `results x JOIN line_items li ON li.id = x.line_item_id JOIN users u ON u.id = x.student_id
			LEFT JOIN classes cl ON cl.id = x.class_id LEFT JOIN score_scales ss ON ss.id = x.score_scale_id`,
		cols: scoreColsSQL + `, li.sourced_id, u.sourced_id, COALESCE(cl.sourced_id, ''), COALESCE(ss.sourced_id, '')`},
	scan: func(r *sql.Rows) (x resultRow, sid string, err error) {
		err = r.Scan(append(x.dest(), &x.lineItem, &x.student, &x.class, &x.scale)...)
		return x, x.sid, err
	},
	refs: func(x *resultRow) []ref { return []ref{{LineItems, x.lineItem}, {Users, x.student}} },
	render: func(x *resultRow, ps parents) *record {
		li := ps.get(LineItems, x.lineItem)
		st := childState(x.status, li, ps.get(Users, x.student))
		r := &record{coll: Results, sid: x.sid, st: st, status: statusOf(st)}
		if st == stHidden {
			return r
		}
		rw := newRW(x.sid, r.status, compactJSON(x.metadata), true)
		rw.ref("lineItem", LineItems, x.lineItem)
		rw.ref("student", Users, x.student)
		rw.b12.ref("class", Classes, x.class)
		rw.d.opt("class.sourcedId", x.class)
		rw.b12.ref("scoreScale", ScoreScales, x.scale)
		rw.d.opt("scoreScale.sourcedId", x.scale)
		rw.str("scoreStatus", x.scoreStatus)
		rw.num("score", nullFloatPtr(x.score))
		rw.b12.opt("textScore", x.text)
		rw.d.opt("textScore", x.text)
		rw.str("scoreDate", x.date)
		rw.opt("comment", x.comment)
		rw.b12.raw("learningObjectiveSet", compactJSON(x.objectives))
		x.flagsTo(rw)
		rw.end(r)
		r.scope, r.school, r.links = li.visibility()
		r.refA, r.refB = x.lineItem, x.student
		return r
	},
}

type scoreScaleRow struct {
	sid, status, title, typ, class, course string
	metadata, values                       []byte
}

// scoreScaleSpec: a score scale of a class is published with the class; others are district-wide (1.2 only).
var scoreScaleSpec = &spec[scoreScaleRow]{
	coll: ScoreScales,
	q: liveQuery{key: "ss.sourced_id", from: "score_scales ss LEFT JOIN classes cl ON cl.id = ss.class_id LEFT JOIN courses co ON co.id = ss.course_id",
		cols: "ss.sourced_id, ss.status, ss.metadata, ss.title, ss.type, ss.score_scale_value, COALESCE(cl.sourced_id, ''), COALESCE(co.sourced_id, '')"},
	scan: func(r *sql.Rows) (x scoreScaleRow, sid string, err error) {
		err = r.Scan(&x.sid, &x.status, &x.metadata, &x.title, &x.typ, &x.values, &x.class, &x.course)
		return x, x.sid, err
	},
	refs: func(x *scoreScaleRow) []ref { return []ref{{Classes, x.class}} },
	render: func(x *scoreScaleRow, ps parents) *record {
		st := own(false, true, x.status)
		scope, school, links := scopeAll, "", []link(nil)
		if x.class != "" {
			class := ps.get(Classes, x.class)
			st = childState(x.status, class)
			scope, school, links = class.visibility()
		}
		r := &record{coll: ScoreScales, sid: x.sid, st: st, status: statusOf(st)}
		if st == stHidden {
			return r
		}
		rw := newRW(x.sid, r.status, compactJSON(x.metadata), false)
		rw.str("title", x.title)
		rw.str("type", x.typ)
		rw.ref("course", Courses, x.course)
		rw.ref("class", Classes, x.class)
		rw.raw("scoreScaleValue", compactJSONArray(x.values))
		rw.end(r)
		r.scope, r.school, r.links, r.refA = scope, school, links, x.class
		return r
	},
}

type assessmentLineItemRow struct {
	sid, status, title, desc, class, parent, scale string
	metadata, objectives                           []byte
	min, max                                       sql.NullFloat64
}

// assessmentLineItemSpec: published with its class if it has one, district-wide otherwise (1.2 only).
var assessmentLineItemSpec = &spec[assessmentLineItemRow]{
	coll: AssessmentLineItems,
	q: liveQuery{key: "a.sourced_id", from: `assessment_line_items a LEFT JOIN classes cl ON cl.id = a.class_id
			LEFT JOIN assessment_line_items p ON p.id = a.parent_id LEFT JOIN score_scales ss ON ss.id = a.score_scale_id`,
		cols: `a.sourced_id, a.status, a.metadata, a.title, a.description, a.result_value_min, a.result_value_max,
			a.learning_objective_set, COALESCE(cl.sourced_id, ''), COALESCE(p.sourced_id, ''), COALESCE(ss.sourced_id, '')`},
	scan: func(r *sql.Rows) (x assessmentLineItemRow, sid string, err error) {
		err = r.Scan(&x.sid, &x.status, &x.metadata, &x.title, &x.desc, &x.min, &x.max, &x.objectives, &x.class, &x.parent, &x.scale)
		return x, x.sid, err
	},
	refs: func(x *assessmentLineItemRow) []ref { return []ref{{Classes, x.class}} },
	render: func(x *assessmentLineItemRow, ps parents) *record {
		st := own(false, true, x.status)
		scope, school, links := scopeAll, "", []link(nil)
		if x.class != "" {
			class := ps.get(Classes, x.class)
			st = childState(x.status, class)
			scope, school, links = class.visibility()
		}
		r := &record{coll: AssessmentLineItems, sid: x.sid, st: st, status: statusOf(st)}
		if st == stHidden {
			return r
		}
		rw := newRW(x.sid, r.status, compactJSON(x.metadata), false)
		rw.str("title", x.title)
		rw.opt("description", x.desc)
		rw.ref("class", Classes, x.class)
		rw.ref("parentAssessmentLineItem", AssessmentLineItems, x.parent)
		rw.ref("scoreScale", ScoreScales, x.scale)
		rw.num("resultValueMin", nullFloatPtr(x.min))
		rw.num("resultValueMax", nullFloatPtr(x.max))
		rw.raw("learningObjectiveSet", compactJSONArray(x.objectives))
		rw.end(r)
		r.scope, r.school, r.links, r.refA = scope, school, links, x.class
		return r
	},
}

type assessmentResultRow struct {
	scoreCols
	item, student, scale string
	percentile           sql.NullFloat64
}

// assessmentResultSpec: published with its assessment line item and its student (1.2 only).
var assessmentResultSpec = &spec[assessmentResultRow]{
	coll: AssessmentResults,
	q: liveQuery{key: "x.sourced_id", from: `assessment_results x JOIN assessment_line_items a ON a.id = x.assessment_line_item_id
			JOIN users u ON u.id = x.student_id LEFT JOIN score_scales ss ON ss.id = x.score_scale_id`,
		cols: scoreColsSQL + `, x.score_percentile, a.sourced_id, u.sourced_id, COALESCE(ss.sourced_id, '')`},
	scan: func(r *sql.Rows) (x assessmentResultRow, sid string, err error) {
		err = r.Scan(append(x.dest(), &x.percentile, &x.item, &x.student, &x.scale)...)
		return x, x.sid, err
	},
	refs: func(x *assessmentResultRow) []ref { return []ref{{AssessmentLineItems, x.item}, {Users, x.student}} },
	render: func(x *assessmentResultRow, ps parents) *record {
		item := ps.get(AssessmentLineItems, x.item)
		st := childState(x.status, item, ps.get(Users, x.student))
		r := &record{coll: AssessmentResults, sid: x.sid, st: st, status: statusOf(st)}
		if st == stHidden {
			return r
		}
		rw := newRW(x.sid, r.status, compactJSON(x.metadata), false)
		rw.ref("assessmentLineItem", AssessmentLineItems, x.item)
		rw.ref("student", Users, x.student)
		rw.num("score", nullFloatPtr(x.score))
		rw.opt("textScore", x.text)
		rw.str("scoreDate", x.date)
		rw.ref("scoreScale", ScoreScales, x.scale)
		rw.num("scorePercentile", nullFloatPtr(x.percentile))
		rw.str("scoreStatus", x.scoreStatus)
		rw.opt("comment", x.comment)
		rw.raw("learningObjectiveSet", compactJSONArray(x.objectives))
		x.flagsTo(rw)
		rw.end(r)
		r.scope, r.school, r.links = item.visibility()
		r.refA, r.refB = x.item, x.student
		return r
	},
}

// compactJSONArray is compactJSON for a stored array (nil when empty).
func compactJSONArray(raw []byte) []byte { return compactJSON(raw) }
