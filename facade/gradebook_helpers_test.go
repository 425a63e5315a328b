package facade_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/facade"
	"github.com/rollcall/rollcall/provision"
)

// partner creates a Digital Learning Partner connection (version "1.1" or "1.2") with the types, limited to
// the schools if any are given.
func (e *env) partner(t testing.TB, version string, partner bool, types []string, schools ...string) *conn {
	t.Helper()
	part := "g" + strconv.Itoa(int(seq.Add(1)))
	cr, err := e.Svc.Create(e.ctx, provision.NewConnection{VendorName: "Gradebook LMS " + part, DistrictPart: part,
		Version: version, Partner: partner, Types: types, SchoolSourcedIDs: schools, Demographics: true})
	if err != nil {
		t.Fatal(err)
	}
	v := "v1p2"
	if version == "1.1" {
		v = "v1p1"
	}
	return &conn{ID: cr.Connection.ID, Key: cr.ClientID, Secret: cr.ClientSecret, Version: v, env: e}
}

// send makes a request with a JSON body ("" for none).
func (e *env) send(t testing.TB, method, token, path, body string) *response {
	t.Helper()
	if body == "" {
		return e.request(t, method, token, path, nil, nil)
	}
	return e.request(t, method, token, path, strings.NewReader(body), http.Header{"Content-Type": {"application/json"}})
}

// gbIDs are the roster records a gradebook test writes against: a class with students (and its school,
// term, open and closed grading periods, a teacher and a student of it), and a student not in the class.
type gbIDs struct {
	class, school, term, period, closedPeriod, teacher, student, student2, outsider string
}

// gbFixture finds, through the rostering API as a vendor would, a teacher's class with two students, the
// term's grading periods (the demo's Quarter 1 has ended, Quarter 2 has not) and a student of another class.
func gbFixture(t testing.TB, e *env, tok, root string) gbIDs {
	t.Helper()
	var ids gbIDs
	teachers := e.get(t, tok, root+"/teachers?limit=50").must(t, 200, "teachers").Records(t, "users")
	for _, te := range teachers {
		sid := te["sourcedId"].(string)
		for _, cl := range e.get(t, tok, root+"/teachers/"+sid+"/classes").must(t, 200, "teacher's classes").Records(t, "classes") {
			csid := cl["sourcedId"].(string)
			students := e.get(t, tok, root+"/classes/"+csid+"/students").must(t, 200, "class's students").Records(t, "users")
			if len(students) < 2 {
				continue
			}
			ids.class, ids.teacher = csid, sid
			ids.school = cl["school"].(map[string]any)["sourcedId"].(string)
			ids.term = cl["terms"].([]any)[0].(map[string]any)["sourcedId"].(string)
			ids.student, ids.student2 = students[0]["sourcedId"].(string), students[1]["sourcedId"].(string)
			break
		}
		if ids.class != "" {
			break
		}
	}
	if ids.class == "" {
		t.Fatal("no teacher's class with two students")
	}
	today := time.Now().UTC().Format(time.DateOnly)
	for _, gp := range e.get(t, tok, root+"/terms/"+ids.term+"/gradingPeriods").must(t, 200, "grading periods").Records(t, "academicSessions") {
		if gp["endDate"].(string) > today && ids.period == "" {
			ids.period = gp["sourcedId"].(string)
		}
	}
	for _, gp := range e.get(t, tok, root+"/gradingPeriods?limit=1000").must(t, 200, "grading periods").Records(t, "academicSessions") {
		if gp["endDate"].(string) < today {
			ids.closedPeriod = gp["sourcedId"].(string)
		}
	}
	if ids.period == "" {
		t.Fatalf("term %s has no open grading period", ids.term)
	}
	inClass := map[string]bool{}
	for _, s := range e.get(t, tok, root+"/classes/"+ids.class+"/students?limit=1000").must(t, 200, "students").Records(t, "users") {
		inClass[s["sourcedId"].(string)] = true
	}
	for _, s := range e.get(t, tok, root+"/schools/"+ids.school+"/students?limit=1000").must(t, 200, "school's students").Records(t, "users") {
		if sid := s["sourcedId"].(string); !inClass[sid] {
			ids.outsider = sid
			break
		}
	}
	return ids
}

// gb builds request bodies in a version's shape, with complete GUIDRefs (href and type), as the official
// document's request schemas want them.
type gb struct {
	e   *env
	v12 bool
}

func (g gb) ref(coll, typ, sid string) map[string]any {
	root := g.e.URL + facade.RootV1p1
	if g.v12 {
		root = g.e.URL + facade.RootGradebook
		if !strings.Contains("lineItems categories scoreScales assessmentLineItems", coll) {
			root = g.e.URL + facade.RootRostering
		}
	}
	return map[string]any{"href": root + "/" + coll + "/" + sid, "sourcedId": sid, "type": typ}
}

func (g gb) base(sid string, m map[string]any) map[string]any {
	m["sourcedId"], m["status"], m["dateLastModified"] = sid, "active", "2026-11-01T10:00:00.000Z"
	return m
}

func (g gb) category(sid, title string) string {
	return toJSON(map[string]any{"category": g.base(sid, map[string]any{"title": title})})
}

func (g gb) lineItemObj(sid, title string, ids gbIDs, category, period string, max float64) map[string]any {
	li := g.base(sid, map[string]any{"title": title, "description": "Chapter 3", "assignDate": "2026-11-02T08:00:00.000Z",
		"dueDate": "2026-11-09T08:00:00.000Z", "class": g.ref("classes", "class", ids.class),
		"category": g.ref("categories", "category", category), "resultValueMin": 0.0, "resultValueMax": max})
	li["gradingPeriod"] = g.ref("academicSessions", "academicSession", period)
	if g.v12 {
		li["school"] = g.ref("orgs", "org", ids.school)
	}
	return li
}

func (g gb) lineItem(sid, title string, ids gbIDs, category, period string, max float64) string {
	return toJSON(map[string]any{"lineItem": g.lineItemObj(sid, title, ids, category, period, max)})
}

func (g gb) resultObj(sid, lineItem, student, status string, score float64) map[string]any {
	typ := "user"
	return g.base(sid, map[string]any{"lineItem": g.ref("lineItems", "lineItem", lineItem), "student": g.ref("users", typ, student),
		"scoreStatus": status, "score": score, "scoreDate": "2026-11-10", "comment": "Well done"})
}

func (g gb) result(sid, lineItem, student, status string, score float64) string {
	return toJSON(map[string]any{"result": g.resultObj(sid, lineItem, student, status, score)})
}

// gbCheck validates a gradebook response against the official document: bodies of errors and reads by
// their schemas; a PUT's 201 and 200 (replace: the document declares only 201, consumers expect 200, SPEC
// §2.2) and a DELETE's 204 have no body.
func gbCheck(t *testing.T, doc *oas, path, method string, r *response) {
	t.Helper()
	empty := (method == "PUT" && (r.Status == 200 || r.Status == 201)) || (method == "DELETE" && r.Status == 204)
	if !empty {
		doc.check(t, path, method, r)
		return
	}
	if len(bytes.TrimSpace(r.Body)) != 0 {
		t.Errorf("%s %s: HTTP %d with a body: %.200s", method, path, r.Status, r.Body)
	}
	if op := doc.operation(path, method); op == nil {
		t.Errorf("%s %s is not an operation of %s", method, path, doc.name)
	} else if _, ok := op["responses"].(map[string]any)[strconv.Itoa(r.Status)]; !ok && !(method == "PUT" && r.Status == 200) {
		t.Errorf("%s %s: HTTP %d is not declared", method, path, r.Status)
	}
}

// validateRequest checks that a request body the test sends is what the document's request schema allows.
func validateRequest(t *testing.T, doc *oas, ref, body string) {
	t.Helper()
	if err := doc.validate(ref, []byte(body)); err != nil {
		t.Fatalf("the test's request body does not validate: %v\n%s", err, body)
	}
}

// field digs a value out of a JSON body: path like "lineItem.title".
func field(t *testing.T, r *response, path string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("%v: %.200s", err, r.Body)
	}
	for _, k := range strings.Split(path, ".") {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

// sids lists the sourcedIds of a collection body.
func sids(t *testing.T, r *response, key string) []string {
	t.Helper()
	var out []string
	for _, rec := range r.Records(t, key) {
		out = append(out, rec["sourcedId"].(string))
	}
	return out
}

func (g gb) scoreScale(sid string, ids gbIDs) string {
	return toJSON(map[string]any{"scoreScale": g.base(sid, map[string]any{"title": "Letters", "type": "letter",
		"class": g.ref("classes", "class", ids.class), "scoreScaleValue": []any{
			map[string]any{"itemValueLHS": "90 - 100", "itemValueRHS": "A"}, map[string]any{"itemValueLHS": "0 - 89", "itemValueRHS": "B"}}})})
}

func (g gb) assessmentLineItem(sid string, ids gbIDs) string {
	return toJSON(map[string]any{"assessmentLineItem": g.base(sid, map[string]any{"title": "State reading test",
		"class": g.ref("classes", "class", ids.class), "resultValueMin": 0.0, "resultValueMax": 500.0,
		"learningObjectiveSet": []any{map[string]any{"source": "case", "learningObjectiveIds": []any{"RL.3.1"}}}})})
}

func (g gb) assessmentResult(sid, item, student string) string {
	return toJSON(map[string]any{"assessmentResult": g.base(sid, map[string]any{
		"assessmentLineItem": g.ref("assessmentLineItems", "assessmentLineItem", item), "student": g.ref("users", "user", student),
		"score": 420.0, "scoreDate": "2026-11-12", "scoreStatus": "fully graded", "scorePercentile": 77.5, "late": "false"})})
}

// gbSetup starts a server on the demo district with a 1.2 partner connection with the Gradebook Sync type:
// the connection, its token, the official gradebook document, the fixture ids and a body builder.
func gbSetup(t testing.TB, dialect string) (*env, *conn, string, *oas, gbIDs, gb) {
	t.Helper()
	e := newEnv(t, dialect)
	c := e.partner(t, "1.2", true, []string{"gradebook"})
	tok := c.tok(t)
	return e, c, tok, loadOfficial(t, "gradebook"), gbFixture(t, e, tok, facade.RootRostering), gb{e, true}
}
