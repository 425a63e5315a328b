package facade_test

import (
	"strings"
	"testing"
	"time"
)

// gradebookFixture puts one record of every gradebook collection of the version through the API, as a
// partner would, in the class the conformance walk uses, and adds their sourcedIds to ids (path wildcards
// lineItemSourcedId and academicSessionSourcedId, and the first record of each gradebook collection).
func gradebookFixture(t *testing.T, e *env, tok, rosterRoot, gbRoot string, v12 bool, ids fixtureIDs) gbIDs {
	t.Helper()
	gi := gbIDs{class: ids.params["classSourcedId"], school: ids.params["schoolSourcedId"], student: ids.params["studentSourcedId"],
		term: ids.params["termSourcedId"]}
	for _, gp := range e.get(t, tok, rosterRoot+"/terms/"+gi.term+"/gradingPeriods").must(t, 200, "grading periods").Records(t, "academicSessions") {
		if gp["endDate"].(string) > time.Now().UTC().Format(time.DateOnly) {
			gi.period = gp["sourcedId"].(string)
		}
	}
	if gi.period == "" {
		t.Fatalf("term %s has no open grading period", gi.term)
	}
	g := gb{e, v12}
	put := func(path, body string) {
		t.Helper()
		e.send(t, "PUT", tok, gbRoot+path, body).must(t, 201, "fixture "+path)
	}
	put("/categories/cat-1", g.category("cat-1", "Homework"))
	put("/lineItems/li-1", g.lineItem("li-1", "Essay", gi, "cat-1", gi.period, 100))
	put("/results/res-1", g.result("res-1", "li-1", gi.student, "fully graded", 120))
	ids.params["lineItemSourcedId"], ids.params["academicSessionSourcedId"] = "li-1", gi.period
	ids.first["/categories"], ids.first["/lineItems"], ids.first["/results"] = "cat-1", "li-1", "res-1"
	if v12 {
		put("/scoreScales/ss-1", g.scoreScale("ss-1", gi))
		put("/assessmentLineItems/ali-1", g.assessmentLineItem("ali-1", gi))
		put("/assessmentResults/ar-1", g.assessmentResult("ar-1", "ali-1", gi.student))
		ids.first["/scoreScales"], ids.first["/assessmentLineItems"], ids.first["/assessmentResults"] = "ss-1", "ali-1", "ar-1"
	}
	return gi
}

// gbWalk asks the gradebook's writes of one version every way a client can, validating every response
// against the version's document (the official one for 1.2).
type gbWalk struct {
	t       *testing.T
	e       *env
	doc     *oas
	root    string
	g       gb
	ids     gbIDs
	tok     string // a partner's token with every gradebook and assessment scope
	noScope string // a token of the version without write scopes (a roster-only connection)
}

// putBody is a valid PUT body of a collection for a sourcedId.
func (w gbWalk) putBody(coll, sid string) string {
	g, ids := w.g, w.ids
	switch coll {
	case "categories":
		return g.category(sid, "Walk")
	case "lineItems":
		return g.lineItem(sid, "Walk", ids, "cat-1", ids.period, 10)
	case "results":
		return g.result(sid, "li-1", ids.student, "submitted", 5)
	case "scoreScales":
		return g.scoreScale(sid, ids)
	case "assessmentLineItems":
		return g.assessmentLineItem(sid, ids)
	}
	return g.assessmentResult(sid, "ali-1", ids.student)
}

// postBody is a valid POST body of a path.
func (w gbWalk) postBody(path string) string {
	if strings.HasSuffix(path, "/lineItems") {
		return toJSON(map[string]any{"lineItems": []any{w.g.lineItemObj("tmp-li", "Posted", w.ids, "cat-1", w.ids.period, 20)}})
	}
	return toJSON(map[string]any{"results": []any{w.g.resultObj("tmp-r", "li-1", w.ids.student, "submitted", 15)}})
}

func (w gbWalk) call(method, tmpl, url, body string, tok string, want int) *response {
	w.t.Helper()
	r := w.e.send(w.t, method, tok, w.root+url, body)
	if r.Status != want {
		w.t.Errorf("%s %s: HTTP %d, want %d: %.300s", method, url, r.Status, want, r.Body)
	}
	gbCheck(w.t, w.doc, tmpl, method, r)
	return r
}

// requestRef is the schema the document declares for an operation's request body.
func (w gbWalk) requestRef(path, method string) string {
	rb, _ := w.doc.operation(path, method)["requestBody"].(map[string]any)
	content, _ := rb["content"].(map[string]any)
	media, _ := content["application/json"].(map[string]any)
	s, _ := media["schema"].(map[string]any)
	ref, _ := s["$ref"].(string)
	return ref
}

// write walks one write operation: as it should be asked (and twice, for PUT), with bad bodies, unknown
// ids, without a token and with a token lacking the scope.
func (w gbWalk) write(path, method string) {
	t := w.t
	bad := 422
	if !w.g.v12 {
		bad = 400
	}
	coll := strings.Split(path, "/")[1]
	switch method {
	case "PUT":
		url := "/" + coll + "/walk-" + coll
		body := w.putBody(coll, "walk-"+coll)
		validateRequest(t, w.doc, w.requestRef(path, method), body)
		w.call(method, path, url, body, w.tok, 201)
		w.call(method, path, url, body, w.tok, 200)
		w.call(method, path, url, `{"nothing":{}}`, w.tok, bad)
		w.call(method, path, url, `{"x":`, w.tok, 400)
		w.call(method, path, "/"+coll+"/other-id", body, w.tok, bad) // the body's sourcedId is not the path's
		w.call(method, path, url, body, "", 401)
		w.call(method, path, url, body, w.noScope, 403)
	case "DELETE":
		url := "/" + coll + "/walk-del-" + coll
		w.call("PUT", path, url, w.putBody(coll, "walk-del-"+coll), w.tok, 201)
		w.call(method, path, url, "", "", 401)
		w.call(method, path, url, "", w.noScope, 403)
		w.call(method, path, url, "", w.tok, 204)
		w.call(method, path, url, "", w.tok, 404)
		w.call(method, path, "/"+coll+"/no-such-id", "", w.tok, 404)
	case "POST":
		ids := fixtureIDs{params: map[string]string{"classSourcedId": w.ids.class, "schoolSourcedId": w.ids.school,
			"lineItemSourcedId": "li-1", "academicSessionSourcedId": w.ids.period}}
		url := ids.fill(path, false)
		body := w.postBody(path)
		validateRequest(t, w.doc, w.requestRef(path, method), body)
		r := w.call(method, path, url, body, w.tok, 201)
		if pairs, _ := r.JSON(t)["sourcedIdPairs"].([]any); len(pairs) != 1 {
			t.Errorf("POST %s: %s", url, r.Body)
		}
		w.call(method, path, url, body[:len(body)/2], w.tok, 400)
		w.call(method, path, url, `{"result":[]}`, w.tok, bad)
		w.call(method, path, ids.fill(path, true), body, w.tok, 404)
		w.call(method, path, url, body, "", 401)
		w.call(method, path, url, body, w.noScope, 403)
	default:
		t.Errorf("%s %s: not walked", method, path)
	}
}
