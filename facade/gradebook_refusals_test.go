package facade_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rollcall/rollcall/ent/auditevent"
	"github.com/rollcall/rollcall/ent/result"
	"github.com/rollcall/rollcall/facade"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/settings"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestGradebookRefusals: who may not write, what a body may not say, and that a refused request changes
// nothing, on both databases; every 1.2 response validated against the official document.
func TestGradebookRefusals(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e, _, tok, doc, ids, g := gbSetup(t, dialect)
			put := func(tok, path, tmpl, body string, want int, msg string) *response {
				t.Helper()
				r := e.send(t, "PUT", tok, facade.RootGradebook+path, body)
				if r.Status != want || !strings.Contains(string(r.Body), msg) {
					t.Errorf("PUT %s: HTTP %d %.400s\nwant %d containing %q", path, r.Status, r.Body, want, msg)
				}
				gbCheck(t, doc, tmpl, "PUT", r)
				return r
			}
			put(tok, "/categories/cat-1", "/categories/{sourcedId}", g.category("cat-1", "Tests"), 201, "")
			put(tok, "/lineItems/li-1", "/lineItems/{sourcedId}", g.lineItem("li-1", "Quiz", ids, "cat-1", ids.period, 10), 201, "")
			put(tok, "/results/res-1", "/results/{sourcedId}", g.result("res-1", "li-1", ids.student, "fully graded", 7), 201, "")

			t.Run("connections that may not write", func(t *testing.T) {
				li := g.lineItem("li-x", "Quiz", ids, "cat-1", ids.period, 10)
				roster := e.partner(t, "1.2", false, nil).tok(t)
				put(roster, "/lineItems/li-x", "/lineItems/{sourcedId}", li, 403, "forbidden")
				e.send(t, "GET", roster, facade.RootGradebook+"/lineItems", "").must(t, 403, "a roster-only connection reads the gradebook")
				put(e.partner(t, "1.2", true, nil).tok(t), "/lineItems/li-x", "/lineItems/{sourcedId}", li, 403, "forbidden")
				// The type taken away after the token was issued: the connection is checked, not only the token.
				p := e.partner(t, "1.2", true, []string{"gradebook"})
				ptok := p.tok(t)
				if _, err := e.Svc.Update(e.ctx, p.ID, provision.Changes{Types: &[]string{"roster"}}); err != nil {
					t.Fatal(err)
				}
				time.Sleep(2100 * time.Millisecond) // the verifier re-reads connections at least this often
				put(ptok, "/lineItems/li-x", "/lineItems/{sourcedId}", li, 403, "forbidden")
				e.send(t, "GET", tok, facade.RootGradebook+"/lineItems/li-x", "").must(t, 404, "nothing was written")
			})

			t.Run("a connection scoped to another school", func(t *testing.T) {
				var other string
				for _, s := range e.get(t, tok, facade.RootRostering+"/schools").must(t, 200, "schools").Records(t, "orgs") {
					if sid := s["sourcedId"].(string); sid != ids.school {
						other = sid
						break
					}
				}
				st := e.partner(t, "1.2", true, []string{"gradebook"}, other).tok(t)
				put(st, "/lineItems/li-s", "/lineItems/{sourcedId}", g.lineItem("li-s", "Quiz", ids, "cat-1", ids.period, 10), 403, "outside the schools of this connection")
				put(st, "/lineItems/li-1", "/lineItems/{sourcedId}", g.lineItem("li-1", "Quiz", ids, "cat-1", ids.period, 10), 403, "")
				put(st, "/results/res-s", "/results/{sourcedId}", g.result("res-s", "li-1", ids.student, "submitted", 1), 403, "outside the schools")
				post := toJSON(map[string]any{"lineItems": []any{g.lineItemObj("t1", "Quiz", ids, "cat-1", ids.period, 10)}})
				r := e.send(t, "POST", st, facade.RootGradebook+"/schools/"+ids.school+"/lineItems", post).must(t, 403, "POST to another school")
				gbCheck(t, doc, "/schools/{schoolSourcedId}/lineItems", "POST", r)
				r = e.send(t, "POST", st, facade.RootGradebook+"/classes/"+ids.class+"/lineItems", post).must(t, 404, "POST to a class of another school")
				gbCheck(t, doc, "/classes/{classSourcedId}/lineItems", "POST", r)
				r = e.send(t, "DELETE", st, facade.RootGradebook+"/lineItems/li-1", "").must(t, 404, "DELETE another school's line item")
				gbCheck(t, doc, "/lineItems/{sourcedId}", "DELETE", r)
				e.send(t, "GET", st, facade.RootGradebook+"/classes/"+ids.class+"/lineItems", "").must(t, 404, "another school's class")
				e.send(t, "GET", tok, facade.RootGradebook+"/lineItems/li-1", "").must(t, 200, "the line item is still there")
			})

			t.Run("bad bodies change nothing", func(t *testing.T) {
				liBefore := e.send(t, "GET", tok, facade.RootGradebook+"/lineItems/li-1", "").must(t, 200, "line item").Body
				resBefore := e.send(t, "GET", tok, facade.RootGradebook+"/results/res-1", "").must(t, 200, "result").Body
				events := e.DB.Client.AuditEvent.Query().Where(auditevent.ActionHasPrefix("gradebook.")).CountX(e.ctx)
				li := func(from, to string) string {
					return strings.Replace(g.lineItem("li-1", "Changed", ids, "cat-1", ids.period, 10), from, to, 1)
				}
				res := func(from, to string) string {
					return strings.Replace(g.result("res-1", "li-1", ids.student, "fully graded", 99), from, to, 1)
				}
				cases := []struct{ name, path, body, want string }{
					{"sourcedId differs from the path", "/lineItems/li-1", li(`"sourcedId":"li-1"`, `"sourcedId":"li-2"`), "differs from the sourcedId in the path"},
					{"unknown class", "/lineItems/li-1", li(`"sourcedId":"`+ids.class+`"`, `"sourcedId":"no-such-class"`), "lineItem.class: no class with sourcedId 'no-such-class'"},
					{"unknown category", "/lineItems/li-1", li(`"sourcedId":"cat-1"`, `"sourcedId":"cat-9"`), "lineItem.category: no category with sourcedId 'cat-9'"},
					{"unknown grading period", "/lineItems/li-1", li(`"sourcedId":"`+ids.period+`"`, `"sourcedId":"gp-9"`), "lineItem.gradingPeriod: no academicSession"},
					{"school not the class's", "/lineItems/li-1", li(`"sourcedId":"`+ids.school+`"`, `"sourcedId":"`+otherSchool(t, e, tok, ids.school)+`"`), "is not the school of class"},
					{"date not a date", "/lineItems/li-1", li(`"2026-11-09T08:00:00.000Z"`, `"soon"`), "lineItem.dueDate: 'soon' is not a date-time"},
					{"wrong envelope key", "/lineItems/li-1", `{"lineitem":{}}`, `must be {\"lineItem\": ...}`},
					{"unknown line item", "/results/res-1", res(`"sourcedId":"li-1"`, `"sourcedId":"li-9"`), "result.lineItem: no lineItem with sourcedId 'li-9'"},
					{"unknown student", "/results/res-1", res(`"sourcedId":"`+ids.student+`"`, `"sourcedId":"nobody"`), "result.student: no student with sourcedId 'nobody'"},
					{"student not enrolled", "/results/res-1", res(`"sourcedId":"`+ids.student+`"`, `"sourcedId":"`+ids.outsider+`"`), "is not enrolled in class"},
					{"unknown score scale", "/results/res-1", strings.Replace(res("", ""), `"comment"`, `"scoreScale":{"sourcedId":"ss-9"},"comment"`, 1), "result.scoreScale: no scoreScale with sourcedId 'ss-9'"},
					{"non-numeric score", "/results/res-1", res(`"score":99`, `"score":"A+"`), `result.score: must be a number, found \"A+\"`},
					{"unknown scoreStatus", "/results/res-1", res(`"fully graded"`, `"done"`), "result.scoreStatus: 'done' is not a score status"},
					{"scoreDate not a date", "/results/res-1", res(`"2026-11-10"`, `"2026-13-01"`), "result.scoreDate: '2026-13-01' is not a date"},
					{"malformed JSON", "/results/res-1", `{"result":{"score":`, "is not a JSON object"},
				}
				for _, tc := range cases {
					want := 422
					if tc.name == "malformed JSON" {
						want = 400
					}
					tmpl := "/lineItems/{sourcedId}"
					if strings.HasPrefix(tc.path, "/results") {
						tmpl = "/results/{sourcedId}"
					}
					t.Run(tc.name, func(t *testing.T) { put(tok, tc.path, tmpl, tc.body, want, tc.want) })
				}
				if after := e.send(t, "GET", tok, facade.RootGradebook+"/lineItems/li-1", "").Body; string(after) != string(liBefore) {
					t.Errorf("a refused PUT changed the line item:\n%s\n%s", liBefore, after)
				}
				if after := e.send(t, "GET", tok, facade.RootGradebook+"/results/res-1", "").Body; string(after) != string(resBefore) {
					t.Errorf("a refused PUT changed the result:\n%s\n%s", resBefore, after)
				}
				if n := e.DB.Client.AuditEvent.Query().Where(auditevent.ActionHasPrefix("gradebook.")).CountX(e.ctx); n != events {
					t.Errorf("refused writes were audited: %d events, was %d", n, events)
				}
				// 1.1 reports the same refusals as 400 invalid data in its statusInfoSet.
				t11 := e.partner(t, "1.1", true, []string{"gradebook"}).tok(t)
				r := e.send(t, "PUT", t11, facade.RootV1p1+"/results/res-1", gb{e, false}.result("res-1", "li-1", ids.outsider, "fully graded", 1))
				if r.Status != 400 || !strings.Contains(string(r.Body), `"imsx_codeMinor":"invalid data"`) || !strings.Contains(string(r.Body), "not enrolled") {
					t.Errorf("1.1 refusal: HTTP %d %s", r.Status, r.Body)
				}
			})

			t.Run("closed grading period", func(t *testing.T) {
				if ids.closedPeriod == "" {
					t.Fatal("the demo term has no ended grading period")
				}
				put(tok, "/lineItems/li-q1", "/lineItems/{sourcedId}", g.lineItem("li-q1", "Q1 test", ids, "cat-1", ids.closedPeriod, 10), 201, "")
				setRefuse(t, e, true)
				put(tok, "/results/res-q1", "/results/{sourcedId}", g.result("res-q1", "li-q1", ids.student, "fully graded", 9), 422, "the district does not accept scores for closed grading periods")
				put(tok, "/results/res-1", "/results/{sourcedId}", g.result("res-1", "li-1", ids.student, "fully graded", 8), 200, "") // an open period
				setRefuse(t, e, false)
				put(tok, "/results/res-q1", "/results/{sourcedId}", g.result("res-q1", "li-q1", ids.student, "fully graded", 9), 201, "")
			})
		})
	}
}

func setRefuse(t *testing.T, e *env, on bool) {
	t.Helper()
	if _, err := settings.Update(e.ctx, e.DB.Client, func(s *settings.Settings) error { s.RefuseClosedGradingPeriods = on; return nil }); err != nil {
		t.Fatal(err)
	}
}

// otherSchool is a school other than the given one.
func otherSchool(t *testing.T, e *env, tok, school string) string {
	for _, s := range e.get(t, tok, facade.RootRostering+"/schools").must(t, 200, "schools").Records(t, "orgs") {
		if sid := s["sourcedId"].(string); sid != school {
			return sid
		}
	}
	t.Fatal("one school only")
	return ""
}

// TestGradebookConcurrentPuts: many clients PUT one new result at once (PostgreSQL, where writers really
// run in parallel, and SQLite): one record, one 201, every other PUT a 200, and what the API serves is what
// the last writer wrote.
func TestGradebookConcurrentPuts(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			tok := e.partner(t, "1.2", true, []string{"gradebook"}).tok(t)
			ids := gbFixture(t, e, tok, facade.RootRostering)
			g := gb{e, true}
			e.send(t, "PUT", tok, facade.RootGradebook+"/categories/cat-1", g.category("cat-1", "Tests")).must(t, 201, "category")
			for round := range 3 {
				li := fmt.Sprintf("li-c%d", round)
				e.send(t, "PUT", tok, facade.RootGradebook+"/lineItems/"+li, g.lineItem(li, "Quiz", ids, "cat-1", ids.period, 10)).must(t, 201, "line item")
				sid := fmt.Sprintf("res-c%d", round)
				const n = 12
				statuses := make([]int, n)
				var wg sync.WaitGroup
				for i := range n {
					wg.Go(func() {
						r := e.send(t, "PUT", tok, facade.RootGradebook+"/results/"+sid, g.result(sid, li, ids.student, "fully graded", float64(i)))
						statuses[i] = r.Status
					})
				}
				wg.Wait()
				created, replaced := 0, 0
				for _, s := range statuses {
					switch s {
					case 201:
						created++
					case 200:
						replaced++
					}
				}
				if created != 1 || replaced != n-1 {
					t.Errorf("round %d: statuses %v, want one 201 and %d 200", round, statuses, n-1)
				}
				rows := e.DB.Client.Result.Query().Where(result.SourcedID(sid)).AllX(e.ctx)
				if len(rows) != 1 {
					t.Fatalf("round %d: %d rows", round, len(rows))
				}
				got := e.send(t, "GET", tok, facade.RootGradebook+"/results/"+sid, "").must(t, 200, "result")
				if field(t, got, "result.score") != *rows[0].Score {
					t.Errorf("round %d: the API serves %v, the live row has %v", round, field(t, got, "result.score"), *rows[0].Score)
				}
			}
		})
	}
}
