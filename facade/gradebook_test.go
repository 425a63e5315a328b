package facade_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/ent/auditevent"
	"github.com/rollcall/rollcall/ent/lineitem"
	"github.com/rollcall/rollcall/ent/result"
	"github.com/rollcall/rollcall/facade"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestGradebookPartnerFlow12 is a partner's grade passback in OneRoster 1.2, as classroom software does it:
// the teacher's classes, a class's students, categories, the term's grading periods; a line item created by
// PUT (201), edited (200), listed; results posted and put, a score changed, extra credit above
// resultValueMax kept as sent, exempt; then the result and the line item deleted and gone. Every response is
// validated against the official gradebook document.
func TestGradebookPartnerFlow12(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e, c, tok, doc, ids, g := gbSetup(t, dialect)
			gbr := facade.RootGradebook
			do := func(method, path, tmpl, body string, want int) *response {
				t.Helper()
				r := e.send(t, method, tok, gbr+path, body)
				if r.Status != want {
					t.Fatalf("%s %s: HTTP %d, want %d: %.400s", method, path, r.Status, want, r.Body)
				}
				gbCheck(t, doc, tmpl, method, r)
				return r
			}

			cat := g.category("cat-homework", "Homework")
			validateRequest(t, doc, "#/components/schemas/SingleCategoryDType", cat)
			do("PUT", "/categories/cat-homework", "/categories/{sourcedId}", cat, 201)
			do("PUT", "/categories/cat-homework", "/categories/{sourcedId}", cat, 200) // the same PUT twice is harmless
			if got := sids(t, do("GET", "/categories", "/categories", "", 200), "categories"); !slices.Contains(got, "cat-homework") {
				t.Errorf("categories: %v", got)
			}

			li := g.lineItem("li-ch3", "Chapter 3 quiz", ids, "cat-homework", ids.period, 100)
			validateRequest(t, doc, "#/components/schemas/SingleLineItemDType", li)
			do("PUT", "/lineItems/li-ch3", "/lineItems/{sourcedId}", li, 201)
			first := do("GET", "/lineItems/li-ch3", "/lineItems/{sourcedId}", "", 200)
			do("PUT", "/lineItems/li-ch3", "/lineItems/{sourcedId}", li, 200)
			if again := do("GET", "/lineItems/li-ch3", "/lineItems/{sourcedId}", "", 200); string(again.Body) != string(first.Body) {
				t.Errorf("the same PUT twice changed the line item:\n%s\n%s", first.Body, again.Body)
			}
			edited := g.lineItem("li-ch3", "Chapter 3 quiz (revised)", ids, "cat-homework", ids.period, 100)
			do("PUT", "/lineItems/li-ch3", "/lineItems/{sourcedId}", edited, 200)
			got := do("GET", "/lineItems/li-ch3", "/lineItems/{sourcedId}", "", 200)
			if field(t, got, "lineItem.title") != "Chapter 3 quiz (revised)" || field(t, got, "lineItem.gradingPeriod.sourcedId") != ids.period ||
				field(t, got, "lineItem.school.sourcedId") != ids.school {
				t.Errorf("edited line item: %s", got.Body)
			}
			classItems := do("GET", "/classes/"+ids.class+"/lineItems", "/classes/{classSourcedId}/lineItems", "", 200)
			if s := sids(t, classItems, "lineItems"); !slices.Equal(s, []string{"li-ch3"}) {
				t.Errorf("the class's line items: %v", s)
			}
			if s := sids(t, do("GET", "/classes/"+ids.class+"/categories", "/classes/{classSourcedId}/categories", "", 200), "categories"); !slices.Equal(s, []string{"cat-homework"}) {
				t.Errorf("the class's categories: %v", s)
			}

			// Results: PUT one, change its score, extra credit, exempt; POST another.
			res := g.result("res-1", "li-ch3", ids.student, "fully graded", 85)
			validateRequest(t, doc, "#/components/schemas/SingleResultDType", res)
			do("PUT", "/results/res-1", "/results/{sourcedId}", res, 201)
			do("PUT", "/results/res-1", "/results/{sourcedId}", g.result("res-1", "li-ch3", ids.student, "fully graded", 90), 200)
			r1 := do("GET", "/results/res-1", "/results/{sourcedId}", "", 200)
			if field(t, r1, "result.score") != 90.0 || field(t, r1, "result.class.sourcedId") != ids.class {
				t.Errorf("changed score: %s", r1.Body)
			}
			do("PUT", "/results/res-2", "/results/{sourcedId}", g.result("res-2", "li-ch3", ids.student2, "fully graded", 300), 201)
			if r2 := do("GET", "/results/res-2", "/results/{sourcedId}", "", 200); field(t, r2, "result.score") != 300.0 {
				t.Errorf("extra credit: %s", r2.Body)
			}
			do("PUT", "/results/res-2", "/results/{sourcedId}", g.result("res-2", "li-ch3", ids.student2, "exempt", 0), 200)
			if r2 := do("GET", "/results/res-2", "/results/{sourcedId}", "", 200); field(t, r2, "result.scoreStatus") != "exempt" {
				t.Errorf("exempt: %s", r2.Body)
			}
			post := toJSON(map[string]any{"results": []any{g.resultObj("tmp-1", "li-ch3", ids.student, "submitted", 70)}})
			validateRequest(t, doc, "#/components/schemas/ResultSetDType", post)
			pr := do("POST", "/lineItems/li-ch3/results", "/lineItems/{lineItemSourcedId}/results", post, 201)
			pairs := pr.JSON(t)["sourcedIdPairs"].([]any)
			allocated := pairs[0].(map[string]any)["allocatedSourcedId"].(string)
			if len(pairs) != 1 || pairs[0].(map[string]any)["suppliedSourcedId"] != "tmp-1" || allocated == "tmp-1" {
				t.Fatalf("sourcedIdPairs: %s", pr.Body)
			}
			do("GET", "/results/"+allocated, "/results/{sourcedId}", "", 200)
			liResults := do("GET", "/classes/"+ids.class+"/lineItems/li-ch3/results", "/classes/{classSourcedId}/lineItems/{lineItemSourcedId}/results", "", 200)
			if s := sids(t, liResults, "results"); len(s) != 3 {
				t.Errorf("the line item's results: %v", s)
			}
			mine := do("GET", "/classes/"+ids.class+"/students/"+ids.student+"/results", "/classes/{classSourcedId}/students/{studentSourcedId}/results", "", 200)
			if s := sids(t, mine, "results"); len(s) != 2 || !slices.Contains(s, "res-1") {
				t.Errorf("the student's results: %v", s)
			}
			do("GET", "/classes/"+ids.class+"/results", "/classes/{classSourcedId}/results", "", 200)

			// Who wrote it: the vendor's service account, in the live rows and the audit log.
			account := "vendor:" + provision.ServiceAccountFor(c.Key)
			if row := e.DB.Client.Result.Query().Where(result.SourcedID("res-1")).OnlyX(e.ctx); row.ModifiedBy != account {
				t.Errorf("result modified by %q, want %q", row.ModifiedBy, account)
			}
			if row := e.DB.Client.LineItem.Query().Where(lineitem.SourcedID("li-ch3")).OnlyX(e.ctx); row.ModifiedBy != account {
				t.Errorf("line item modified by %q, want %q", row.ModifiedBy, account)
			}
			if n := e.DB.Client.AuditEvent.Query().Where(auditevent.Actor(account), auditevent.ActionHasPrefix("gradebook.")).CountX(e.ctx); n < 9 {
				t.Errorf("%d gradebook audit events by %s", n, account)
			}

			// Deletes: gone by sourcedId and from lists; a delta still sees the tombstone.
			do("DELETE", "/results/res-1", "/results/{sourcedId}", "", 204)
			do("GET", "/results/res-1", "/results/{sourcedId}", "", 404)
			do("DELETE", "/results/res-1", "/results/{sourcedId}", "", 404)
			if s := sids(t, do("GET", "/results", "/results", "", 200), "results"); slices.Contains(s, "res-1") {
				t.Errorf("a deleted result is listed: %v", s)
			}
			do("DELETE", "/lineItems/li-ch3", "/lineItems/{sourcedId}", "", 204)
			do("GET", "/lineItems/li-ch3", "/lineItems/{sourcedId}", "", 404)
			do("GET", "/results/res-2", "/results/{sourcedId}", "", 404) // its results went with it
			if s := sids(t, do("GET", "/classes/"+ids.class+"/lineItems", "/classes/{classSourcedId}/lineItems", "", 200), "lineItems"); len(s) != 0 {
				t.Errorf("a deleted line item is listed: %v", s)
			}
			do("GET", "/classes/"+ids.class+"/lineItems/li-ch3/results", "/classes/{classSourcedId}/lineItems/{lineItemSourcedId}/results", "", 404)
			delta := do("GET", "/lineItems?filter="+q("dateLastModified>'2026-01-01'"), "/lineItems", "", 200)
			if recs := delta.Records(t, "lineItems"); len(recs) != 1 || recs[0]["status"] != "tobedeleted" {
				t.Errorf("a delta should list the line item's tombstone: %s", delta.Body)
			}
			// A PUT brings a deleted line item back (201: it did not exist for the client).
			do("PUT", "/lineItems/li-ch3", "/lineItems/{sourcedId}", edited, 201)
			do("GET", "/lineItems/li-ch3", "/lineItems/{sourcedId}", "", 200)
		})
	}
}

// TestGradebookPartnerFlow11 is the same grade passback in OneRoster 1.1 (no POST in 1.1), with 1.1 shapes
// and errors, every response validated against the 1.1 document the server publishes.
func TestGradebookPartnerFlow11(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			c := e.partner(t, "1.1", true, []string{"gradebook"})
			tok := c.tok(t)
			doc := loadOAS(t, "oneroster-v1p1.json", e.get(t, "", "/docs/openapi/oneroster-v1p1.json").must(t, 200, "1.1 document").Body)
			ids := gbFixture(t, e, tok, facade.RootV1p1)
			g := gb{e, false}
			do := func(method, path, tmpl, body string, want int) *response {
				t.Helper()
				r := e.send(t, method, tok, facade.RootV1p1+path, body)
				if r.Status != want {
					t.Fatalf("%s %s: HTTP %d, want %d: %.400s", method, path, r.Status, want, r.Body)
				}
				gbCheck(t, doc, tmpl, method, r)
				return r
			}
			do("PUT", "/categories/cat-11", "/categories/{sourcedId}", g.category("cat-11", "Tests"), 201)
			li := g.lineItem("li-11", "Unit test", ids, "cat-11", ids.period, 50)
			validateRequest(t, doc, "#/components/schemas/SingleLineItemDType", li)
			do("PUT", "/lineItems/li-11", "/lineItems/{sourcedId}", li, 201)
			do("PUT", "/lineItems/li-11", "/lineItems/{sourcedId}", g.lineItem("li-11", "Unit test 2", ids, "cat-11", ids.period, 50), 200)
			got := do("GET", "/lineItems/li-11", "/lineItems/{sourcedId}", "", 200)
			if field(t, got, "lineItem.title") != "Unit test 2" || field(t, got, "lineItem.school") != nil {
				t.Errorf("1.1 line item: %s", got.Body)
			}
			res := g.result("res-11", "li-11", ids.student, "fully graded", 45)
			validateRequest(t, doc, "#/components/schemas/SingleResultDType", res)
			do("PUT", "/results/res-11", "/results/{sourcedId}", res, 201)
			do("PUT", "/results/res-11", "/results/{sourcedId}", g.result("res-11", "li-11", ids.student, "fully graded", 150), 200)
			if r := do("GET", "/results/res-11", "/results/{sourcedId}", "", 200); field(t, r, "result.score") != 150.0 {
				t.Errorf("1.1 extra credit: %s", r.Body)
			}
			do("PUT", "/results/res-12", "/results/{sourcedId}", g.result("res-12", "li-11", ids.student2, "exempt", 0), 201)
			for _, p := range []struct{ path, tmpl, key string }{
				{"/classes/" + ids.class + "/lineItems", "/classes/{classSourcedId}/lineItems", "lineItems"},
				{"/classes/" + ids.class + "/results", "/classes/{classSourcedId}/results", "results"},
				{"/classes/" + ids.class + "/lineItems/li-11/results", "/classes/{classSourcedId}/lineItems/{lineItemSourcedId}/results", "results"},
				{"/classes/" + ids.class + "/students/" + ids.student + "/results", "/classes/{classSourcedId}/students/{studentSourcedId}/results", "results"},
				{"/results", "/results", "results"}, {"/lineItems", "/lineItems", "lineItems"}, {"/categories", "/categories", "categories"},
			} {
				if n := len(do("GET", p.path, p.tmpl, "", 200).Records(t, p.key)); n == 0 {
					t.Errorf("GET %s: nothing", p.path)
				}
			}
			bad := do("PUT", "/results/res-13", "/results/{sourcedId}", g.result("res-13", "li-11", ids.student, "ext:late", 1), 400)
			if !strings.Contains(string(bad.Body), `"imsx_codeMinor":"invalid data"`) {
				t.Errorf("1.1 invalid data: %s", bad.Body)
			}
			do("DELETE", "/results/res-11", "/results/{sourcedId}", "", 204)
			do("GET", "/results/res-11", "/results/{sourcedId}", "", 404)
			do("DELETE", "/lineItems/li-11", "/lineItems/{sourcedId}", "", 204)
			do("GET", "/lineItems/li-11", "/lineItems/{sourcedId}", "", 404)
			do("DELETE", "/categories/cat-11", "/categories/{sourcedId}", "", 204)
			do("GET", "/categories/cat-11", "/categories/{sourcedId}", "", 404)
			if n := len(do("GET", "/results", "/results", "", 200).Records(t, "results")); n != 0 {
				t.Errorf("results left after deleting the line item: %d", n)
			}
		})
	}
}
