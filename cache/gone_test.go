package cache

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/enrollment"
	"github.com/rollcall/rollcall/ent/lineitem"
	"github.com/rollcall/rollcall/ent/role"
	"github.com/rollcall/rollcall/oneroster"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

func TestKeepGone(t *testing.T) {
	school := func(s string) []link { return []link{{relSchool, s}} }
	gone := func(s ...string) []link {
		var out []link
		for _, x := range s {
			out = append(out, link{relGone, x})
		}
		return out
	}
	cat := func(ls ...[]link) []link {
		var out []link
		for _, l := range ls {
			out = append(out, l...)
		}
		return out
	}
	for _, tc := range []struct {
		name            string
		prevScope       int8
		prevSchool      string
		prevLinks       []link
		scope           int8
		school          string
		links           []link
		want            string // gone targets, comma-separated ("" every school is written *)
		keepsOtherLinks bool
	}{
		{"transfer", scopeSchool, "A", nil, scopeSchool, "B", nil, "A", false},
		{"same school", scopeSchool, "A", nil, scopeSchool, "A", nil, "", false},
		{"one of two schools left", scopeLinked, "", cat(school("A"), school("B")), scopeSchool, "B", nil, "A", false},
		{"a school added", scopeSchool, "A", nil, scopeLinked, "", cat(school("A"), school("B")), "", true},
		{"every school to one", scopeAll, "", nil, scopeSchool, "A", nil, "*", false},
		{"every school to no school", scopeAll, "", nil, scopeLinked, "", nil, "*", false},
		{"no school to a school", scopeLinked, "", nil, scopeSchool, "A", nil, "", false},
		{"a school to no school", scopeSchool, "A", nil, scopeLinked, "", nil, "A", false},
		{"to every school", scopeSchool, "A", gone("B"), scopeAll, "", nil, "", false},
		{"carried", scopeSchool, "A", gone("B"), scopeSchool, "A", nil, "B", false},
		{"carried and another lost", scopeSchool, "A", gone("B"), scopeSchool, "C", nil, "A,B", false},
		{"back", scopeSchool, "B", gone("A"), scopeSchool, "A", nil, "B", false},
		{"back to one of two", scopeLinked, "", cat(school("B"), school("C"), gone("A")), scopeLinked, "",
			cat(school("A"), school("C")), "B", true},
		// A saw a later version than the one every school lost: it keeps its own tombstone.
		{"every school carried", scopeSchool, "A", gone(""), scopeSchool, "B", nil, "*,A", false},
		{"every school and a school", scopeAll, "", nil, scopeSchool, "A", nil, "*", false},
		{"other links ignored", scopeAll, "", []link{{relClass, "c1"}}, scopeAll, "", []link{{relClass, "c1"}}, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &record{scope: tc.scope, school: tc.school, links: append([]link(nil), tc.links...)}
			r.keepGone(tc.prevScope, tc.prevSchool, tc.prevLinks, nil)
			var got []string
			others := 0
			for _, l := range r.links {
				if l.rel != relGone {
					others++
					continue
				}
				if l.target == "" {
					l.target = "*"
				}
				got = append(got, l.target)
			}
			if strings.Join(got, ",") != tc.want || (r.kinds&bitGone != 0) != (tc.want != "") || others != len(tc.links) {
				t.Errorf("gone %v (kinds %b, %d other links), want %q", got, r.kinds, others, tc.want)
			}
		})
	}
}

// TestKeepGoneTombs: a school that loses sight of a record now gets a fresh tomb (the body of the version
// before, filled in later); one lost earlier keeps its frozen tomb, also next to "" (every school).
func TestKeepGoneTombs(t *testing.T) {
	old := tomb{b12: "old", ms: 5}
	r := &record{scope: scopeSchool, school: "C"}
	r.keepGone(scopeLinked, "", []link{{relSchool, "B"}, {relSchool, "C"}, {relGone, "A"}, {relGone, ""}},
		map[string]tomb{"A": old, "": {b12: "older", ms: 2}})
	if len(r.tombs) != 3 || r.tombs["A"] != old || r.tombs[""].b12 != "older" || !r.tombs["B"].fresh || r.tombs["A"].fresh {
		t.Fatalf("tombs %+v", r.tombs)
	}
	body := []byte(`{"sourcedId":"x","status":"active","dateLastModified":"2026-01-02T03:04:05.006Z","title":"B saw"}`)
	if err := r.fillTombs(body, nil); err != nil {
		t.Fatal(err)
	}
	r.stampTombs(9)
	want := `{"sourcedId":"x","status":"tobedeleted","dateLastModified":"` + string(dlmZero) + `","title":"B saw"}`
	if b := r.tombs["B"]; b.b12 != want || b.b11 != "" || b.ms != 9 || r.tombs["A"] != old {
		t.Errorf("tombs %+v", r.tombs)
	}
	if t12, t11, ms := r.tombValues(link{relGone, "A"}); t12 != "old" || t11 != nil || ms != int64(5) {
		t.Errorf("values of A: %v %v %v", t12, t11, ms)
	}
	if t12, _, _ := r.tombValues(link{relSchool, "A"}); t12 != nil {
		t.Errorf("a school link has a tomb: %v", t12)
	}
}

// TestLostSchools: a record that stays published but leaves a school-limited connection's sight reaches that
// connection as a tombstone, by id, in lists (collections, subsets, a school's users), in deltas and in
// status filters, with exact totals and paging; connections that still see it get it as before.
func TestLostSchools(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDistrict(t, db)
		c := New(db, Options{})
		l := lister{t, c}
		refresh(t, c)
		vA := Viewer{Version: oneroster.V1p2, Schools: []string{"sA"}, Demographics: true}
		vB := Viewer{Version: oneroster.V1p2, Schools: []string{"sB"}, Demographics: true}
		vB11 := Viewer{Version: oneroster.V1p1, Schools: []string{"sB"}}
		vAB := Viewer{Version: oneroster.V1p2, Schools: []string{"sA", "sB"}}
		getAs := func(v Viewer, coll Collection, sid string, kind Kind) *Record {
			t.Helper()
			r, err := c.Get(ctx, GetQuery{Collection: coll, SourcedID: sid, Viewer: v, Kind: kind, Hrefs: HrefsFor("https://h", v.Version)})
			if errors.Is(err, ErrNotFound) {
				return nil
			}
			if err != nil {
				t.Fatalf("get %s %s: %v", coll, sid, err)
			}
			return r
		}
		// sees checks how viewer v gets a record: status ("" for not at all), and dateLastModified if want is set,
		// by id and in every list that should have it.
		sees := func(what string, v Viewer, coll Collection, sid, status string, dlm time.Time) {
			t.Helper()
			r := getAs(v, coll, sid, "")
			if status == "" {
				if r != nil {
					t.Errorf("%s: %v gets %s %s: %s", what, v.Schools, coll, sid, r.Body)
				}
				return
			}
			if r == nil || r.Status != status || !strings.Contains(string(r.Body), `"status":"`+status+`"`) ||
				(!dlm.IsZero() && !r.DateLastModified.Equal(dlm)) {
				t.Errorf("%s: %v gets %s %s as %+v, want %s at %v", what, v.Schools, coll, sid, r, status, dlm)
				return
			}
			if !strings.Contains(string(r.Body), `"dateLastModified":"`+r.DateLastModified.Format(dlmLayout)+`"`) {
				t.Errorf("%s: body's dateLastModified is not the record's: %s", what, r.Body)
			}
			other := map[string]string{"active": "tobedeleted", "tobedeleted": "active"}[status]
			for _, raw := range []string{"limit=1000", "filter=status='" + status + "'&limit=1000",
				"filter=sourcedId='" + sid + "' AND status='" + status + "'",
				"filter=dateLastModified>'" + r.DateLastModified.Add(-time.Millisecond).Format(dlmLayout) + "'",
				"filter=dateLastModified>='" + r.DateLastModified.Format(time.DateOnly) + "'&sort=status",
			} {
				p := l.mustList(coll, v, raw, Scope{})
				if got := p.bySID(sid); got == nil || got["status"] != status || got["dateLastModified"] != r.DateLastModified.Format(dlmLayout) {
					t.Errorf("%s: %v lists %s?%s: %v, want %s", what, v.Schools, coll, raw, got, status)
				}
			}
			for _, raw := range []string{"filter=status='" + other + "'&limit=1000",
				"filter=dateLastModified>'" + r.DateLastModified.Format(dlmLayout) + "'"} {
				if got := l.mustList(coll, v, raw, Scope{}).bySID(sid); got != nil {
					t.Errorf("%s: %v lists %s?%s: %v", what, v.Schools, coll, raw, got)
				}
			}
		}
		// staysFrozen edits a record and refreshes: v, which lost sight of it at lost, still gets exactly the
		// tombstone frozen. It returns the edit's publish time.
		staysFrozen := func(what string, v Viewer, sid string, frozen *Record, lost time.Time, edit func()) time.Time {
			t.Helper()
			tick()
			edit()
			at := refresh(t, c).FinishedAt.UTC().Truncate(time.Millisecond)
			sees(what, v, Users, sid, "tobedeleted", lost)
			if r := getAs(v, Users, sid, ""); !bytes.Equal(r.Body, frozen.Body) {
				t.Errorf("%s: %s for %v: %s, want %s", what, sid, v.Schools, r.Body, frozen.Body)
			}
			return at
		}
		before := getAs(v12, Users, "st2", "")
		lastA := getAs(vA, Users, "st2", "") // the last st2 sA sees before it loses sight of it

		// The reproduction: st2 has roles at sA and sB; sA is excluded.
		tick()
		d.c.Org.UpdateOne(d.o["sA"]).SetExternalLmsExclude(true).ExecX(ctx)
		g := refresh(t, c)
		stamp := g.FinishedAt.UTC().Truncate(time.Millisecond)
		sees("excluded school", vA, Users, "st2", "tobedeleted", stamp)
		// sA gets the body it last saw (its role at sA), frozen at the loss.
		frozenA := getAs(vA, Users, "st2", "")
		if want := frozenBody(lastA, stamp); string(frozenA.Body) != want || !strings.Contains(want, `"sourcedId":"sA"`) {
			t.Errorf("st2 for sA after the exclusion:\n%s\nwant\n%s", frozenA.Body, want)
		}
		sees("excluded school", vA, Users, "st1", "tobedeleted", stamp) // hidden for everyone, as before
		if r := getAs(vA, Users, "st2", KindStudent); r == nil || r.Status != "tobedeleted" {
			t.Errorf("/students/st2 for sA: %+v", r)
		}
		if p := l.mustList(Users, vA, "filter=status='tobedeleted'", Scope{Kind: KindStudent}); p.bySID("st2") == nil {
			t.Errorf("/students tombstones for sA: %v", p.sids())
		}
		if p := l.mustList(Users, vA, "filter=status='active'", Scope{Kind: KindStudent}); len(p.recs) != 0 || p.total != 0 {
			t.Errorf("/students active for sA: %v", p.sids())
		}
		// sB still sees st2, changed (the role at sA is no longer published): a new dateLastModified.
		sees("other school", vB, Users, "st2", "active", stamp)
		sees("all schools", v12, Users, "st2", "active", stamp)
		sees("both schools", vAB, Users, "st2", "active", stamp)
		if r := getAs(vB, Users, "st2", ""); strings.Contains(string(r.Body), `"sA"`) || !before.DateLastModified.Before(r.DateLastModified) {
			t.Errorf("st2 for sB: %s", r.Body)
		}
		if r := getAs(vB11, Users, "st2", ""); r == nil || r.Status != "active" {
			t.Errorf("st2 for sB in 1.1: %+v", r)
		}
		r11, err := c.Get(ctx, GetQuery{Collection: Users, SourcedID: "st2", Viewer: Viewer{Version: oneroster.V1p1, Schools: []string{"sA"}}})
		if err != nil || r11.Status != "tobedeleted" || !strings.Contains(string(r11.Body), `"status":"tobedeleted"`) ||
			!strings.Contains(string(r11.Body), `"role":"student"`) {
			t.Errorf("st2 for sA in 1.1: %+v %v", r11, err)
		}
		// A refresh with nothing changed keeps everything as it is.
		refresh(t, c)
		sees("unchanged", vA, Users, "st2", "tobedeleted", stamp)
		sees("unchanged", vB, Users, "st2", "active", stamp)
		// A later change of st2 reaches sB, never sA: its tombstone stays as it was.
		st2Renamed := staysFrozen("excluded, renamed", vA, "st2", frozenA, stamp, func() {
			d.c.User.UpdateOne(d.u["st2"]).SetFamilyName("Renamed").ExecX(ctx)
		})
		sees("excluded, renamed", vB, Users, "st2", "active", st2Renamed)
		if r := getAs(vB, Users, "st2", ""); !strings.Contains(string(r.Body), `"familyName":"Renamed"`) {
			t.Errorf("st2 for sB after a rename: %s", r.Body)
		}
		for _, raw := range []string{"filter=dateLastModified>'" + stamp.Format(dlmLayout) + "'", "filter=familyName='Renamed'",
			"filter=familyName='Renamed' OR sourcedId='none'", "sort=familyName&limit=1000&filter=familyName~'enam'"} {
			if got := l.mustList(Users, vA, raw, Scope{}).bySID("st2"); got != nil {
				t.Errorf("sA lists users?%s: %v", raw, got)
			}
		}

		// Return: sA is included again.
		tick()
		d.c.Org.UpdateOne(d.o["sA"]).SetExternalLmsExclude(false).ExecX(ctx)
		g = refresh(t, c)
		back := g.FinishedAt.UTC().Truncate(time.Millisecond)
		sees("school back", vA, Users, "st2", "active", back)
		sees("school back", vB, Users, "st2", "active", back)

		// A transfer: st3's role and enrollment move from sB to sA.
		moveRole := func(school string) { // st3's one role, and primary org
			tick()
			d.c.Role.Update().Where(role.SourcedID("st3-r0")).SetOrgID(d.o[school].ID).ExecX(ctx)
			d.c.User.UpdateOne(d.u["st3"]).SetPrimaryOrg(d.o[school]).ExecX(ctx)
		}
		lastB := getAs(vB, Users, "st3", "") // the last st3 sB sees before the transfer
		moveRole("sA")
		d.c.Enrollment.DeleteOne(d.e["e7"]).ExecX(ctx)
		d.c.Enrollment.Create().SetSourcedID("e9").SetUser(d.u["st3"]).SetClass(d.cl["c1"]).SetSchoolID(d.cl["c1"].SchoolID).
			SetRole("student").SetBeginDate("2027-01-04").ExecX(ctx)
		g = refresh(t, c)
		moved := g.FinishedAt.UTC().Truncate(time.Millisecond)
		sees("transfer", vB, Users, "st3", "tobedeleted", moved)
		frozenB := getAs(vB, Users, "st3", "")
		if want := frozenBody(lastB, moved); string(frozenB.Body) != want || strings.Contains(want, `"sA"`) {
			t.Errorf("st3 for sB after the transfer:\n%s\nwant\n%s", frozenB.Body, want)
		}
		sees("transfer", vB, Demographics, "st3", "tobedeleted", moved)
		sees("transfer", vB, Enrollments, "e7", "tobedeleted", moved)
		sees("transfer", vB, Enrollments, "e9", "", time.Time{})
		sees("transfer", vA, Users, "st3", "active", moved)
		sees("transfer", vA, Enrollments, "e9", "active", moved)
		sees("transfer", vAB, Users, "st3", "active", moved)
		sees("transfer", v12, Users, "st3", "active", moved)
		if p := l.mustList(Users, vB, "", Scope{School: "sB", Kind: KindStudent}); strings.Join(p.sids(), ",") != "st2,st3" ||
			p.bySID("st3")["status"] != "tobedeleted" || p.bySID("st2")["status"] != "active" || p.total != 2 {
			t.Errorf("/schools/sB/students for sB: %v (total %d)", p.recs, p.total)
		}
		if p := l.mustList(Users, vAB, "", Scope{School: "sB", Kind: KindStudent}); strings.Join(p.sids(), ",") != "st2" {
			t.Errorf("/schools/sB/students for sA and sB: %v", p.sids())
		}
		if p := l.mustList(Users, v12, "", Scope{School: "sB", Kind: KindStudent}); strings.Join(p.sids(), ",") != "st2" {
			t.Errorf("/schools/sB/students for every school: %v", p.sids())
		}

		// Totals and paging stay exact with such records in the mix.
		for _, v := range []Viewer{vA, vB, vAB} {
			for _, raw := range []string{"", "filter=status='active'", "filter=status='tobedeleted'", "sort=status", "sort=familyName"} {
				all := l.mustList(Users, v, raw+"&limit=1000", Scope{})
				var paged []string
				for off := 0; off < all.total+2; off += 2 {
					p := l.mustList(Users, v, raw+"&limit=2&offset="+strconv.Itoa(off), Scope{})
					if p.total != all.total {
						t.Errorf("%v users?%s offset %d: total %d, want %d", v.Schools, raw, off, p.total, all.total)
					}
					paged = append(paged, p.sids()...)
				}
				if strings.Join(paged, ",") != strings.Join(all.sids(), ",") || all.total != len(all.recs) {
					t.Errorf("%v users?%s: pages %v, whole %v (total %d)", v.Schools, raw, paged, all.sids(), all.total)
				}
			}
		}

		// Carry-forward: another change to st3 keeps it a tombstone for sB, frozen: the same body, the same
		// dateLastModified, and no delta after the loss returns it again.
		renamed := staysFrozen("carried", vB, "st3", frozenB, moved, func() {
			d.c.User.UpdateOne(d.u["st3"]).SetGivenName("Clea").ExecX(ctx)
		})
		sees("carried", vA, Users, "st3", "active", renamed)
		sees("carried", v12, Users, "st3", "active", renamed)
		for _, v := range []Viewer{vA, v12} {
			if r := getAs(v, Users, "st3", ""); !strings.Contains(string(r.Body), `"givenName":"Clea"`) {
				t.Errorf("st3 for %v after a rename: %s", v.Schools, r.Body)
			}
		}
		for _, raw := range []string{"filter=dateLastModified>'" + moved.Format(dlmLayout) + "'",
			"filter=dateLastModified>='" + renamed.Format(dlmLayout) + "'", "filter=givenName='Clea'"} {
			if got := l.mustList(Users, vB, raw, Scope{}).bySID("st3"); got != nil {
				t.Errorf("sB lists users?%s: %v", raw, got)
			}
		}
		if p := l.mustList(Users, vB, "sort=dateLastModified&limit=1000", Scope{}); p.bySID("st3")["dateLastModified"] != moved.Format(dlmLayout) {
			t.Errorf("sB users sorted by dateLastModified: %v", p.bySID("st3"))
		}

		// Back to sB: the sB connection sees st3 again, and sA now gets the tombstone.
		moveRole("sB")
		g = refresh(t, c)
		returned := g.FinishedAt.UTC().Truncate(time.Millisecond)
		// st3 still has the enrollment e9 at sA: seen by both schools.
		sees("returned", vB, Users, "st3", "active", returned)
		sees("returned", vA, Users, "st3", "active", returned)
		tick()
		d.c.Enrollment.Delete().Where(enrollment.SourcedID("e9")).ExecX(ctx)
		g = refresh(t, c)
		left := g.FinishedAt.UTC().Truncate(time.Millisecond)
		sees("returned", vB, Users, "st3", "active", left)
		sees("returned", vA, Users, "st3", "tobedeleted", left)
		sees("returned", vA, Enrollments, "e9", "tobedeleted", left)

		// Gradebook records go with their class: c1 moves to sB.
		li1A := getAs(vA, LineItems, "li1", "")
		tick()
		d.c.Class.UpdateOne(d.cl["c1"]).SetSchool(d.o["sB"]).ExecX(ctx)
		g = refresh(t, c)
		classMoved := g.FinishedAt.UTC().Truncate(time.Millisecond)
		if r := getAs(vA, LineItems, "li1", ""); r == nil || r.Status != "tobedeleted" || !r.DateLastModified.Equal(classMoved) ||
			string(r.Body) != frozenBody(li1A, classMoved) {
			t.Errorf("li1 for sA after its class moved: %+v", r)
		}
		if p := l.mustList(LineItems, vA, "", Scope{}); len(p.recs) != 0 {
			t.Errorf("line items for sA: %v, want none (a gradebook tombstone leaves lists)", p.sids())
		}
		if p := l.mustList(LineItems, vA, "filter=dateLastModified>'"+classMoved.Add(-time.Millisecond).Format(dlmLayout)+"'", Scope{}); strings.Join(p.sids(), ",") != "li1" {
			t.Errorf("line items delta for sA: %v", p.sids())
		}
		if p := l.mustList(LineItems, vB, "", Scope{}); strings.Join(p.sids(), ",") != "li1" || p.recs[0]["status"] != "active" {
			t.Errorf("line items for sB: %v", p.recs)
		}
	})
}

// TestLostSchoolsWriteThrough: a gradebook write that moves a line item to a class of another school publishes
// the loss at once (PublishGradebook), and the next refresh keeps it.
func TestLostSchoolsWriteThrough(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDistrict(t, db)
		c := New(db, Options{})
		refresh(t, c)
		vA := Viewer{Version: oneroster.V1p2, Schools: []string{"sA"}}
		vB := Viewer{Version: oneroster.V1p2, Schools: []string{"sB"}}
		lastA, err := c.Get(ctx, GetQuery{Collection: LineItems, SourcedID: "li1", Viewer: vA})
		if err != nil || !strings.Contains(string(lastA.Body), `"sourcedId":"c1"`) {
			t.Fatalf("li1 for sA: %+v %v", lastA, err)
		}
		tick()
		inTx(t, db, true, func(tx *ent.Tx) {
			tx.LineItem.Update().Where(lineitem.SourcedID("li1")).SetClassID(d.cl["c3"].ID).ExecX(ctx)
			if err := c.PublishGradebook(ctx, tx, LineItems, "li1"); err != nil {
				t.Fatal(err)
			}
		})
		var loss time.Time
		for _, step := range []string{"written", "refreshed", "renamed", "renamed, refreshed"} {
			a, errA := c.Get(ctx, GetQuery{Collection: LineItems, SourcedID: "li1", Viewer: vA})
			b, errB := c.Get(ctx, GetQuery{Collection: LineItems, SourcedID: "li1", Viewer: vB})
			if errA != nil || errB != nil {
				t.Fatalf("%s: %v %v", step, errA, errB)
			}
			if loss.IsZero() {
				loss = b.DateLastModified
			}
			renamed := strings.HasPrefix(step, "renamed")
			// sA keeps the line item it last saw (class c1), frozen at the loss; sB sees the changes.
			if a.Status != "tobedeleted" || string(a.Body) != frozenBody(lastA, loss) || !a.DateLastModified.Equal(loss) ||
				b.Status != "active" || strings.Contains(string(b.Body), "Moved on") != renamed || (renamed == b.DateLastModified.Equal(loss)) {
				t.Errorf("%s: sA gets %s, want %s; sB %s", step, a.Body, frozenBody(lastA, loss), b.Body)
			}
			if step == "refreshed" {
				tick()
				inTx(t, db, true, func(tx *ent.Tx) {
					tx.LineItem.Update().Where(lineitem.SourcedID("li1")).SetTitle("Moved on").ExecX(ctx)
					if err := c.PublishGradebook(ctx, tx, LineItems, "li1"); err != nil {
						t.Fatal(err)
					}
				})
				continue
			}
			refresh(t, c)
		}
	})
}

// frozenBody is the tombstone of a record as a viewer last saw it: its body with status tobedeleted and
// dateLastModified at.
func frozenBody(last *Record, at time.Time) string {
	b := strings.Replace(string(last.Body), `"status":"active"`, `"status":"tobedeleted"`, 1)
	return strings.Replace(b, `"dateLastModified":"`+last.DateLastModified.Format(dlmLayout)+`"`,
		`"dateLastModified":"`+at.Format(dlmLayout)+`"`, 1)
}
