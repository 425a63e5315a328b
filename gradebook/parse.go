package gradebook

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/rollcall/rollcall/oneroster"
)

// The records of request bodies, as parsed: syntactically checked, references not yet resolved.

// categoryIn is a category of a PUT body.
type categoryIn struct {
	SourcedID, Title string
	Weight           *float64 // 1.2
	Metadata         map[string]any
}

// lineItemIn is a line item of a PUT or POST body.
type lineItemIn struct {
	SourcedID, Title, Description string
	AssignDate, DueDate           time.Time
	Class, School, Category       string
	Session                       string // gradingPeriod or (1.2) academicSession
	ScoreScale                    string // 1.2
	Min, Max                      *float64
	Objectives                    []oneroster.LearningObjectiveSet // 1.2
	Metadata                      map[string]any
}

// scoreIn are the members results and assessment results share.
type scoreIn struct {
	SourcedID, Student, ScoreScale        string
	ScoreStatus, TextScore, Comment       string
	ScoreDate                             string
	Score                                 *float64
	Objectives                            []oneroster.LearningObjectiveScoreSet
	InProgress, Incomplete, Late, Missing *bool
	Metadata                              map[string]any
}

// resultIn is a result of a PUT or POST body.
type resultIn struct {
	scoreIn
	LineItem, Class string
}

// scoreScaleIn is a score scale of a PUT body (1.2).
type scoreScaleIn struct {
	SourcedID, Title, Type, Class, Course string
	Values                                []oneroster.ScoreScaleValue
	Metadata                              map[string]any
}

// assessmentLineItemIn is an assessment line item of a PUT body (1.2).
type assessmentLineItemIn struct {
	SourcedID, Title, Description, Class, Parent, ScoreScale string
	Min, Max                                                 *float64
	Objectives                                               []oneroster.LearningObjectiveSet
	Metadata                                                 map[string]any
}

// assessmentResultIn is an assessment result of a PUT body (1.2).
type assessmentResultIn struct {
	scoreIn
	AssessmentLineItem string
	Percentile         *float64
}

// Reference types a GUIDRef may name, per member and version (1.1 clients use the subset names).
func sessionTypes(v12 bool) []string {
	if v12 {
		return []string{"academicSession"}
	}
	return []string{"academicSession", "gradingPeriod", "term"}
}

func userTypes(v12 bool) []string {
	if v12 {
		return []string{"user"}
	}
	return []string{"user", "student"}
}

func parseCategory(o *obj, pathID string, v12 bool) *categoryIn {
	c := &categoryIn{}
	c.SourcedID, c.Metadata = o.base(pathID, pathID == "")
	c.Title = o.str("title", true)
	if v12 {
		c.Weight = o.num("weight", false)
	}
	o.done()
	return c
}

// parseLineItem reads a line item. 1.2 requires school and category and makes the grading period optional;
// 1.1 requires the grading period and both result values. school may be left out (it is the class's).
func parseLineItem(o *obj, pathID string, v12 bool) *lineItemIn {
	li := &lineItemIn{}
	li.SourcedID, li.Metadata = o.base(pathID, pathID == "")
	li.Title = o.str("title", true)
	li.Description = o.str("description", false)
	li.AssignDate = o.dateTime("assignDate", true)
	li.DueDate = o.dateTime("dueDate", true)
	li.Class = o.ref("class", true, "class")
	li.Category = o.ref("category", true, "category")
	li.Session = o.ref("gradingPeriod", !v12, sessionTypes(v12)...)
	li.Min = o.num("resultValueMin", !v12)
	li.Max = o.num("resultValueMax", !v12)
	if v12 {
		li.School = o.ref("school", false, "org")
		if s := o.ref("academicSession", false, "academicSession"); s != "" {
			if li.Session != "" && s != li.Session {
				o.fail("academicSession", "%s differs from gradingPeriod %s; send one session", quote(s), quote(li.Session))
			}
			li.Session = s
		}
		li.ScoreScale = o.ref("scoreScale", false, "scoreScale")
		if o.strict("learningObjectiveSet", &li.Objectives) {
			checkObjectives(o, li.Objectives)
		}
	}
	if li.Min != nil && li.Max != nil && *li.Min > *li.Max {
		o.fail("resultValueMin", "%g is above resultValueMax %g", *li.Min, *li.Max)
	}
	if !li.AssignDate.IsZero() && !li.DueDate.IsZero() && li.DueDate.Before(li.AssignDate) {
		o.fail("dueDate", "is before assignDate")
	}
	o.done()
	return li
}

// parseScore reads the members results and assessment results share. Scores are kept as sent, also above
// the line item's resultValueMax (extra credit).
func parseScore(o *obj, pathID string, v12 bool) scoreIn {
	var s scoreIn
	s.SourcedID, s.Metadata = o.base(pathID, pathID == "")
	s.Student = o.ref("student", true, userTypes(v12)...)
	s.ScoreStatus = o.str("scoreStatus", true)
	voc := oneroster.ScoreStatuses
	if !v12 {
		voc.Extensible = false
	}
	if s.ScoreStatus != "" && voc.Validate(s.ScoreStatus) != nil {
		o.fail("scoreStatus", "%s is not a score status (want exempt, fully graded, not submitted, partially graded or submitted%s)",
			quote(s.ScoreStatus), map[bool]string{true: ", or an ext: token", false: ""}[v12])
	}
	s.Score = o.num("score", !v12)
	s.ScoreDate = o.date("scoreDate", true)
	s.Comment = o.str("comment", false)
	if v12 {
		s.TextScore = o.str("textScore", false)
		s.ScoreScale = o.ref("scoreScale", false, "scoreScale")
		s.InProgress, s.Incomplete = o.boolean("inProgress"), o.boolean("incomplete")
		s.Late, s.Missing = o.boolean("late"), o.boolean("missing")
		if o.strict("learningObjectiveSet", &s.Objectives) {
			for i, set := range s.Objectives {
				if set.Source == "" || len(set.LearningObjectiveResults) == 0 {
					o.fail("learningObjectiveSet", "entry %d needs a source and at least one learningObjectiveResults entry", i)
				}
				for _, r := range set.LearningObjectiveResults {
					if r.LearningObjectiveID == "" {
						o.fail("learningObjectiveSet", "entry %d: every result needs a learningObjectiveId", i)
					}
				}
			}
		}
	}
	return s
}

func parseResult(o *obj, pathID string, v12 bool) *resultIn {
	r := &resultIn{scoreIn: parseScore(o, pathID, v12)}
	r.LineItem = o.ref("lineItem", true, "lineItem")
	if v12 {
		r.Class = o.ref("class", false, "class")
	}
	o.done()
	return r
}

func parseScoreScale(o *obj, pathID string, _ bool) *scoreScaleIn {
	s := &scoreScaleIn{}
	s.SourcedID, s.Metadata = o.base(pathID, pathID == "")
	s.Title = o.str("title", true)
	s.Type = o.str("type", true)
	s.Class = o.ref("class", true, "class")
	s.Course = o.ref("course", false, "course")
	o.raw("scoreScaleValue", true)
	if o.strict("scoreScaleValue", &s.Values) {
		if len(s.Values) == 0 {
			o.fail("scoreScaleValue", "needs at least one value")
		}
		for i, v := range s.Values {
			if v.ItemValueLHS == "" || v.ItemValueRHS == "" {
				o.fail("scoreScaleValue", "entry %d needs itemValueLHS and itemValueRHS", i)
			}
		}
	}
	o.done()
	return s
}

func parseAssessmentLineItem(o *obj, pathID string, _ bool) *assessmentLineItemIn {
	a := &assessmentLineItemIn{}
	a.SourcedID, a.Metadata = o.base(pathID, pathID == "")
	a.Title = o.str("title", true)
	a.Description = o.str("description", false)
	a.Class = o.ref("class", false, "class")
	a.Parent = o.ref("parentAssessmentLineItem", false, "assessmentLineItem")
	a.ScoreScale = o.ref("scoreScale", false, "scoreScale")
	a.Min = o.num("resultValueMin", false)
	a.Max = o.num("resultValueMax", false)
	if a.Parent != "" && a.Parent == a.SourcedID {
		o.fail("parentAssessmentLineItem", "an assessment line item cannot be its own parent")
	}
	if o.strict("learningObjectiveSet", &a.Objectives) {
		checkObjectives(o, a.Objectives)
	}
	o.done()
	return a
}

func parseAssessmentResult(o *obj, pathID string, v12 bool) *assessmentResultIn {
	a := &assessmentResultIn{scoreIn: parseScore(o, pathID, v12)}
	a.AssessmentLineItem = o.ref("assessmentLineItem", true, "assessmentLineItem")
	a.Percentile = o.num("scorePercentile", false)
	o.done()
	return a
}

func checkObjectives(o *obj, sets []oneroster.LearningObjectiveSet) {
	for i, set := range sets {
		if set.Source == "" || len(set.LearningObjectiveIDs) == 0 {
			o.fail("learningObjectiveSet", "entry %d needs a source and at least one learningObjectiveIds entry", i)
		}
	}
}

// parseOne reads a PUT body: the single envelope {"<key>": {...}} whose sourcedId, if given, is the path's.
func parseOne[T any](body []byte, key, pathID string, v12 bool, parse func(*obj, string, bool) *T) (*T, error) {
	raw, err := envelope(body, key)
	if err != nil {
		return nil, err
	}
	o := newObj(raw, key)
	t := parse(o, pathID, v12)
	if o.err != nil {
		return nil, o.err
	}
	return t, nil
}

// parseSet reads a POST body: the collection envelope {"<key>": [{...}, ...]}, each record with the
// sourcedId the client supplied (the server allocates another), at least one record.
func parseSet[T any](body []byte, key string, v12 bool, parse func(*obj, string, bool) *T, sid func(*T) string) ([]*T, error) {
	raw, err := envelope(body, key)
	if err != nil {
		return nil, err
	}
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil || len(items) == 0 {
		return nil, invalidf("%s must be a non-empty JSON array", key)
	}
	seen := map[string]int{}
	out := make([]*T, 0, len(items))
	for i, it := range items {
		o := newObj(it, fmt.Sprintf("%s[%d]", key, i))
		t := parse(o, "", v12)
		if o.err != nil {
			return nil, o.err
		}
		id := sid(t)
		if j, dup := seen[id]; dup {
			return nil, invalidf("%s[%d].sourcedId: %s is also the sourcedId of %s[%d]", key, i, quote(id), key, j)
		}
		seen[id] = i
		out = append(out, t)
	}
	return out, nil
}
