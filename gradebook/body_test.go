package gradebook

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/facade"
)

const goodLineItem = `{"lineItem":{"sourcedId":"li1","status":"active","dateLastModified":"2026-11-01T10:00:00.000Z",
	"title":"Quiz","assignDate":"2026-11-02T08:00:00Z","dueDate":"2026-11-09","class":{"sourcedId":"c1","type":"class","href":"http://h/classes/c1"},
	"school":{"sourcedId":"s1"},"category":{"sourcedId":"cat1"},"gradingPeriod":{"sourcedId":"gp1","type":"academicSession"},
	"resultValueMin":0,"resultValueMax":"100","metadata":{"ext":1}}}`

const goodResult = `{"result":{"sourcedId":"r1","lineItem":{"sourcedId":"li1"},"student":{"sourcedId":"u1","type":"user"},
	"scoreStatus":"fully graded","score":300,"scoreDate":"2026-11-10","late":"true","missing":false}}`

// TestParseLineItem checks what a good body becomes.
func TestParseLineItem(t *testing.T) {
	li, err := parseOne([]byte(goodLineItem), "lineItem", "li1", true, parseLineItem)
	if err != nil {
		t.Fatal(err)
	}
	if li.Title != "Quiz" || li.Class != "c1" || li.School != "s1" || li.Session != "gp1" || *li.Max != 100 ||
		li.DueDate.Format("2006-01-02T15:04") != "2026-11-09T00:00" || li.Metadata["ext"] != 1.0 {
		t.Errorf("parsed: %+v", li)
	}
	r, err := parseOne([]byte(goodResult), "result", "r1", true, parseResult)
	if err != nil {
		t.Fatal(err)
	}
	if *r.Score != 300 || !*r.Late || *r.Missing || r.ScoreStatus != "fully graded" {
		t.Errorf("parsed: %+v", r)
	}
}

// TestParseRefusesBadBodies: every bad body is refused with a message naming the member and the problem,
// 400 for what is not JSON, 422 (1.2) for JSON that says something wrong.
func TestParseRefusesBadBodies(t *testing.T) {
	li := func(from, to string) string { return strings.Replace(goodLineItem, from, to, 1) }
	res := func(from, to string) string { return strings.Replace(goodResult, from, to, 1) }
	cases := []struct {
		name, kind, body string
		v12              bool
		status           int
		want             string
	}{
		{"malformed JSON", "lineItem", `{"lineItem":{"title":`, true, 400, "not a JSON object"},
		{"empty body", "lineItem", ``, true, 400, "the body is empty"},
		{"two objects", "lineItem", goodLineItem + goodLineItem, true, 400, "data follows"},
		{"an array", "lineItem", `[1]`, true, 400, "not a JSON object"},
		{"wrong envelope key", "lineItem", `{"lineItems":{}}`, true, 422, `must be {"lineItem": ...}; found member 'lineItems'`},
		{"extra envelope key", "lineItem", `{"lineItem":{},"x":1}`, true, 422, `found member 'x'`},
		{"record not an object", "lineItem", `{"lineItem":[1]}`, true, 422, "lineItem must be a JSON object"},
		{"sourcedId differs from the path", "lineItem", li(`"sourcedId":"li1"`, `"sourcedId":"li2"`), true, 422, "'li2' differs from the sourcedId in the path, 'li1'"},
		{"missing title", "lineItem", li(`"title":"Quiz",`, ``), true, 422, "lineItem.title: required"},
		{"blank title", "lineItem", li(`"title":"Quiz"`, `"title":" "`), true, 422, "lineItem.title: must not be blank"},
		{"title a number", "lineItem", li(`"title":"Quiz"`, `"title":5`), true, 422, "lineItem.title: must be a string, found 5"},
		{"date not a date", "lineItem", li(`"2026-11-09"`, `"next week"`), true, 422, "lineItem.dueDate: 'next week' is not a date-time"},
		{"impossible date", "lineItem", li(`"2026-11-09"`, `"2026-02-30"`), true, 422, "lineItem.dueDate: '2026-02-30' is not a date-time"},
		{"due before assigned", "lineItem", li(`"2026-11-09"`, `"2026-10-01"`), true, 422, "lineItem.dueDate: is before assignDate"},
		{"class missing", "lineItem", li(`"class":{"sourcedId":"c1","type":"class","href":"http://h/classes/c1"},`, ``), true, 422, "lineItem.class: required"},
		{"class without sourcedId", "lineItem", li(`"sourcedId":"c1",`, ``), true, 422, "lineItem.class.sourcedId: required"},
		{"wrong reference type", "lineItem", li(`"type":"class"`, `"type":"course"`), true, 422, "lineItem.class.type: 'course' is not a reference type here"},
		{"unknown member", "lineItem", li(`"title":"Quiz"`, `"title":"Quiz","colour":"red"`), true, 422, "lineItem: unknown member 'colour'"},
		{"status tobedeleted", "lineItem", li(`"status":"active"`, `"status":"tobedeleted"`), true, 422, "send DELETE"},
		{"bad dateLastModified", "lineItem", li(`"2026-11-01T10:00:00.000Z"`, `"yesterday"`), true, 422, "lineItem.dateLastModified: 'yesterday' is not a date-time"},
		{"max not a number", "lineItem", li(`"100"`, `"a hundred"`), true, 422, `lineItem.resultValueMax: must be a number, found "a hundred"`},
		{"min above max", "lineItem", li(`"resultValueMin":0`, `"resultValueMin":200`), true, 422, "lineItem.resultValueMin: 200 is above resultValueMax 100"},
		{"metadata not an object", "lineItem", li(`{"ext":1}`, `[1]`), true, 422, "lineItem.metadata: must be a JSON object"},
		{"1.1 needs the grading period", "lineItem", li(`"gradingPeriod":{"sourcedId":"gp1","type":"academicSession"},`, ``), false, 400, "lineItem.gradingPeriod: required"},
		{"1.1 has no school", "lineItem", li(`"school":{"sourcedId":"s1"},`, `"school":{"sourcedId":"s1"},`), false, 400, "lineItem: unknown member 'school'"},
		{"non-numeric score", "result", res(`"score":300`, `"score":"great"`), true, 422, `result.score: must be a number, found "great"`},
		{"score a boolean", "result", res(`"score":300`, `"score":true`), true, 422, "result.score: must be a number, found true"},
		{"unknown scoreStatus", "result", res(`"fully graded"`, `"graded"`), true, 422, "result.scoreStatus: 'graded' is not a score status"},
		{"ext scoreStatus in 1.1", "result", res(`"fully graded"`, `"ext:late"`), false, 400, "result.scoreStatus: 'ext:late' is not a score status"},
		{"scoreDate not a date", "result", res(`"2026-11-10"`, `"10/11/2026"`), true, 422, "result.scoreDate: '10/11/2026' is not a date"},
		{"flag not a boolean", "result", res(`"late":"true"`, `"late":"yes"`), true, 422, `result.late: must be "true" or "false", found "yes"`},
		{"student not a reference", "result", res(`{"sourcedId":"u1","type":"user"}`, `"u1"`), true, 422, "result.student must be a JSON object"},
		{"1.1 needs a score", "result", res(`"score":300,`, ``), false, 400, "result.score: required"},
		{"invalid sourcedId", "result", res(`"sourcedId":"u1"`, `"sourcedId":"u 1"`), true, 422, "'u 1' is not a valid sourcedId"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			if c.kind == "lineItem" {
				_, err = parseOne([]byte(c.body), "lineItem", "li1", c.v12, parseLineItem)
			} else {
				_, err = parseOne([]byte(c.body), "result", "r1", c.v12, parseResult)
			}
			var fe *facade.Error
			if !errors.As(err, &fe) {
				t.Fatalf("accepted, or not a OneRoster error: %v", err)
			}
			status := fe.Status
			if !c.v12 && fe.Status11 != 0 {
				status = fe.Status11
			}
			if status != c.status || !strings.Contains(fe.Description, c.want) {
				t.Errorf("HTTP %d %q\nwant %d containing %q", status, fe.Description, c.status, c.want)
			}
		})
	}
}

// TestParseSet checks POST bodies: a non-empty array of records with distinct supplied sourcedIds.
func TestParseSet(t *testing.T) {
	one := `{"sourcedId":"t1","lineItem":{"sourcedId":"li1"},"student":{"sourcedId":"u1"},"scoreStatus":"submitted","scoreDate":"2026-11-10"}`
	sid := func(r *resultIn) string { return r.SourcedID }
	if rs, err := parseSet([]byte(`{"results":[`+one+`]}`), "results", true, parseResult, sid); err != nil || len(rs) != 1 || rs[0].SourcedID != "t1" {
		t.Errorf("one result: %v %v", rs, err)
	}
	for body, want := range map[string]string{
		`{"results":[]}`:                                 "non-empty JSON array",
		`{"results":{}}`:                                 "non-empty JSON array",
		`{"results":[` + one + `,` + one + `]}`:          "results[1].sourcedId: 't1' is also the sourcedId of results[0]",
		`{"results":[{"lineItem":{"sourcedId":"li1"}}]}`: "results[0].sourcedId: required",
		`{"result":[` + one + `]}`:                       `must be {"results": ...}`,
	} {
		_, err := parseSet([]byte(body), "results", true, parseResult, sid)
		var fe *facade.Error
		if !errors.As(err, &fe) || fe.Status != http.StatusUnprocessableEntity || !strings.Contains(fe.Description, want) {
			t.Errorf("%s: %v, want 422 containing %q", body, err, want)
		}
	}
}

// FuzzParse feeds arbitrary bodies to every parser of both versions: they must never panic, and must either
// accept the body or refuse it with a OneRoster 400 or 422.
func FuzzParse(f *testing.F) {
	for _, s := range []string{goodLineItem, goodResult, `{"category":{"title":"x","weight":1.5}}`,
		`{"scoreScale":{"title":"x","type":"letter","class":{"sourcedId":"c"},"scoreScaleValue":[{"itemValueLHS":"90-100","itemValueRHS":"A"}]}}`,
		`{"assessmentLineItem":{"title":"x","learningObjectiveSet":[{"source":"case","learningObjectiveIds":["a"]}]}}`,
		`{"assessmentResult":{"assessmentLineItem":{"sourcedId":"a"},"student":{"sourcedId":"u"},"scoreStatus":"ext:x","scoreDate":"2026-01-01T00:00:00Z","scorePercentile":"9"}}`,
		`{"results":[{"sourcedId":"t","lineItem":{"sourcedId":"l"},"student":{"sourcedId":"u"},"scoreStatus":"exempt","scoreDate":"2026-01-01"}]}`,
		`{"lineItem":null}`, `null`, `{"result":{"score":1e400}}`, "{\"result\":{\"comment\":\"\xff\"}}"} {
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, body []byte, v12 bool) {
		check := func(err error) {
			if err == nil {
				return
			}
			var fe *facade.Error
			if !errors.As(err, &fe) || (fe.Status != 400 && fe.Status != 422) || fe.Description == "" {
				t.Fatalf("not a 400/422 OneRoster error: %v", err)
			}
		}
		_, err := parseOne(body, "category", "x", v12, parseCategory)
		check(err)
		_, err = parseOne(body, "lineItem", "x", v12, parseLineItem)
		check(err)
		_, err = parseOne(body, "result", "x", v12, parseResult)
		check(err)
		_, err = parseOne(body, "scoreScale", "x", v12, parseScoreScale)
		check(err)
		_, err = parseOne(body, "assessmentLineItem", "x", v12, parseAssessmentLineItem)
		check(err)
		_, err = parseOne(body, "assessmentResult", "x", v12, parseAssessmentResult)
		check(err)
		_, err = parseSet(body, "results", v12, parseResult, func(r *resultIn) string { return r.SourcedID })
		check(err)
		_, err = parseSet(body, "lineItems", v12, parseLineItem, func(r *lineItemIn) string { return r.SourcedID })
		check(err)
	})
}
