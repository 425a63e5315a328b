package cache

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/oneroster"
	"github.com/rollcall/rollcall/oneroster/query"
	"github.com/rollcall/rollcall/store"
)

// district is a small hand-built district: a district office (d1) with two schools (sA, sB) and a department
// under sA (dep1); a school year (y1) with two terms (t1, t2) and a grading period under t1 (gp1); courses
// (co1 at sA, co2 at the district, co3 at sB); classes c1 (co1, sA, t1), c2 (co2, sA, t1+t2), c3 (co3, sB, t2);
// students st1 (sA), st2 (sA and a class at sB), st3 (sB); teachers te1 (sA), te2 (sB); a guardian g1 of st1;
// an aide a1 at sA; a district administrator da1; enrollments; demographics of the students; a resource on c1.
type district struct {
	db *store.DB
	c  *ent.Client
	o  map[string]*ent.Org
	s  map[string]*ent.AcademicSession
	co map[string]*ent.Course
	cl map[string]*ent.Class
	u  map[string]*ent.User
	e  map[string]*ent.Enrollment
}

func newDistrict(t testing.TB, db *store.DB) *district {
	t.Helper()
	ctx := context.Background()
	c := db.Client
	d := &district{db: db, c: c, o: map[string]*ent.Org{}, s: map[string]*ent.AcademicSession{}, co: map[string]*ent.Course{},
		cl: map[string]*ent.Class{}, u: map[string]*ent.User{}, e: map[string]*ent.Enrollment{}}
	d.o["d1"] = c.Org.Create().SetSourcedID("d1").SetName("Lakeside District").SetType("district").SetIdentifier("0600001").SaveX(ctx)
	d.o["sA"] = c.Org.Create().SetSourcedID("sA").SetName("Alder Elementary").SetType("school").SetIdentifier("A").SetParent(d.o["d1"]).SaveX(ctx)
	d.o["sB"] = c.Org.Create().SetSourcedID("sB").SetName("Birch High").SetType("school").SetIdentifier("B").SetParent(d.o["d1"]).SaveX(ctx)
	d.o["dep1"] = c.Org.Create().SetSourcedID("dep1").SetName("Alder Science").SetType("department").SetParent(d.o["sA"]).SaveX(ctx)
	d.s["y1"] = c.AcademicSession.Create().SetSourcedID("y1").SetTitle("2026-2027").SetType("schoolYear").SetStartDate("2026-08-01").
		SetEndDate("2027-07-01").SetSchoolYear("2027").SetOrg(d.o["d1"]).SaveX(ctx)
	d.s["t1"] = c.AcademicSession.Create().SetSourcedID("t1").SetTitle("Fall").SetType("term").SetStartDate("2026-08-01").
		SetEndDate("2027-01-01").SetSchoolYear("2027").SetParent(d.s["y1"]).SetOrg(d.o["d1"]).SaveX(ctx)
	d.s["t2"] = c.AcademicSession.Create().SetSourcedID("t2").SetTitle("Spring").SetType("term").SetStartDate("2027-01-01").
		SetEndDate("2027-07-01").SetSchoolYear("2027").SetParent(d.s["y1"]).SetOrg(d.o["d1"]).SaveX(ctx)
	d.s["gp1"] = c.AcademicSession.Create().SetSourcedID("gp1").SetTitle("Q1").SetType("gradingPeriod").SetStartDate("2026-08-01").
		SetEndDate("2026-10-15").SetSchoolYear("2027").SetParent(d.s["t1"]).SetOrg(d.o["d1"]).SaveX(ctx)
	d.co["co1"] = c.Course.Create().SetSourcedID("co1").SetTitle("Reading 3").SetCourseCode("R3").SetGrades([]string{"03"}).
		SetOrg(d.o["sA"]).SetSchoolYear(d.s["y1"]).SaveX(ctx)
	d.co["co2"] = c.Course.Create().SetSourcedID("co2").SetTitle("Algebra I").SetCourseCode("ALG1").SetGrades([]string{"08", "09"}).
		SetSubjects([]string{"Math"}).SetOrg(d.o["d1"]).SaveX(ctx)
	d.co["co3"] = c.Course.Create().SetSourcedID("co3").SetTitle("Biology").SetCourseCode("BIO").SetOrg(d.o["sB"]).SaveX(ctx)
	d.cl["c1"] = c.Class.Create().SetSourcedID("c1").SetTitle("Reading 3 - Smith").SetClassCode("R3-1").SetCourse(d.co["co1"]).
		SetSchool(d.o["sA"]).AddTerms(d.s["t1"]).SetPeriods([]string{"1"}).SaveX(ctx)
	d.cl["c2"] = c.Class.Create().SetSourcedID("c2").SetTitle("Algebra I - O'Brien").SetCourse(d.co["co2"]).
		SetSchool(d.o["sA"]).AddTerms(d.s["t1"], d.s["t2"]).SetGrades([]string{"08"}).SaveX(ctx)
	d.cl["c3"] = c.Class.Create().SetSourcedID("c3").SetTitle("Biology - Lee").SetCourse(d.co["co3"]).
		SetSchool(d.o["sB"]).AddTerms(d.s["t2"]).SaveX(ctx)
	user := func(sid, given, family, email string, roles ...any) *ent.User {
		u := c.User.Create().SetSourcedID(sid).SetGivenName(given).SetFamilyName(family).SetEmail(email).
			SetUsername(sid + ".user").SetIdentifier("ID-" + sid).
			SetUserIds([]oneroster.UserID{{Type: "LDAP", Identifier: sid + "@ldap"}, {Type: "SIS", Identifier: "S" + sid}}).
			SetPrimaryOrg(roles[1].(*ent.Org)).SaveX(ctx)
		for i := 0; i < len(roles); i += 2 {
			typ := "primary"
			if i > 0 && roles[i+1] == roles[1] {
				typ = "secondary"
			}
			c.Role.Create().SetSourcedID(sid + "-r" + string(rune('0'+i/2))).SetUser(u).SetOrg(roles[i+1].(*ent.Org)).
				SetRole(roles[i].(string)).SetRoleType(typ).SaveX(ctx)
		}
		d.u[sid] = u
		return u
	}
	user("st1", "Ana", "Smith", "ana@x.org", "student", d.o["sA"])
	user("st2", "Seán", "O'Brien", "sean@x.org", "student", d.o["sA"], "student", d.o["sB"])
	user("st3", "Cleo", "Smithson", "cleo@x.org", "student", d.o["sB"])
	user("te1", "Tom", "Smith", "tom@x.org", "teacher", d.o["sA"])
	user("te2", "Lee", "Park", "lee@x.org", "teacher", d.o["sB"])
	user("g1", "Gia", "Smith", "gia@home.org", "guardian", d.o["sA"])
	user("a1", "Al", "Aide", "al@x.org", "aide", d.o["sA"])
	user("da1", "Dee", "Admin", "dee@x.org", "districtAdministrator", d.o["d1"])
	c.User.UpdateOne(d.u["st1"]).AddAgents(d.u["g1"]).ExecX(ctx)
	for _, sid := range []string{"st1", "st2", "st3"} {
		c.Demographic.Create().SetSourcedID(sid).SetUser(d.u[sid]).SetSex("female").SetBirthDate("2015-03-0" + sid[2:]).
			SetHispanicOrLatinoEthnicity(sid == "st2").SaveX(ctx)
	}
	enroll := func(sid, user, class, role string, primary bool) {
		cl := d.cl[class]
		d.e[sid] = c.Enrollment.Create().SetSourcedID(sid).SetUser(d.u[user]).SetClass(cl).SetSchoolID(cl.SchoolID).
			SetRole(role).SetPrimary(primary).SetBeginDate("2026-08-01").SaveX(ctx)
	}
	enroll("e1", "st1", "c1", "student", false)
	enroll("e2", "st2", "c1", "student", false)
	enroll("e3", "st2", "c2", "student", false)
	enroll("e4", "te1", "c1", "teacher", true)
	enroll("e5", "te1", "c2", "teacher", true)
	enroll("e6", "st2", "c3", "student", false)
	enroll("e7", "st3", "c3", "student", false)
	enroll("e8", "te2", "c3", "teacher", true)
	res := c.Resource.Create().SetSourcedID("res1").SetTitle("Reader app").SetVendorResourceID("RA-1").SetRoles([]string{"student"}).SaveX(ctx)
	c.Class.UpdateOne(d.cl["c1"]).AddResources(res).ExecX(ctx)
	cat := c.Category.Create().SetSourcedID("cat1").SetTitle("Homework").SetWeight(0.25).SetClass(d.cl["c1"]).SaveX(ctx)
	li := c.LineItem.Create().SetSourcedID("li1").SetTitle("Essay").SetAssignDate(time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)).
		SetDueDate(time.Date(2026, 9, 8, 12, 0, 0, 0, time.UTC)).SetClass(d.cl["c1"]).SetCategory(cat).
		SetAcademicSession(d.s["gp1"]).SetResultValueMin(0).SetResultValueMax(10).SaveX(ctx)
	c.Result.Create().SetSourcedID("r1").SetLineItem(li).SetStudent(d.u["st1"]).SetScoreStatus("fully graded").SetScore(9.5).
		SetScoreDate("2026-09-09").SaveX(ctx)
	c.Result.Create().SetSourcedID("r2").SetLineItem(li).SetStudent(d.u["st2"]).SetScoreStatus("exempt").
		SetScoreDate("2026-09-09").SetLate(true).SaveX(ctx)
	return d
}

// lister runs collection queries the way the facade will: raw query strings through query.Parse.
type lister struct {
	t *testing.T
	c *Cache
}

// page is a decoded List result.
type page struct {
	total int
	gen   int
	recs  []map[string]any
}

func (p page) sids() []string {
	var out []string
	for _, r := range p.recs {
		out = append(out, r["sourcedId"].(string))
	}
	return out
}

func (p page) bySID(sid string) map[string]any {
	for _, r := range p.recs {
		if r["sourcedId"] == sid {
			return r
		}
	}
	return nil
}

// list runs a query; raw is a query string (filter=...&sort=...), not yet URL-encoded.
func (l lister) list(coll Collection, v Viewer, raw string, sc Scope) (page, error) {
	l.t.Helper()
	vals := url.Values{}
	if raw != "" {
		var err error
		if vals, err = url.ParseQuery(encodeQuery(raw)); err != nil {
			l.t.Fatalf("bad test query %q: %v", raw, err)
		}
	}
	p, err := query.Parse(vals, Catalogue(coll, v.Version), 0)
	if err != nil {
		return page{}, err
	}
	gen := 0
	if g := vals.Get("generation"); g != "" {
		json.Unmarshal([]byte(g), &gen)
	}
	rows, err := l.c.List(context.Background(), Query{Collection: coll, Viewer: v, Params: p, Scope: sc, Generation: gen,
		Hrefs: HrefsFor("https://h", v.Version)})
	if err != nil {
		return page{}, err
	}
	defer rows.Close()
	out := page{total: rows.Total, gen: rows.Generation}
	for rows.Next() {
		var m map[string]any
		if err := json.Unmarshal(rows.Body(), &m); err != nil {
			l.t.Fatalf("body is not JSON: %v: %s", err, rows.Body())
		}
		out.recs = append(out.recs, m)
	}
	return out, rows.Err()
}

func (l lister) mustList(coll Collection, v Viewer, raw string, sc Scope) page {
	l.t.Helper()
	p, err := l.list(coll, v, raw, sc)
	if err != nil {
		l.t.Fatalf("%s?%s: %v", coll, raw, err)
	}
	return p
}

// encodeQuery escapes the values of a hand-written query string (keeping & and = as separators).
func encodeQuery(raw string) string {
	var parts []string
	for _, kv := range splitAmp(raw) {
		k, v, _ := cut(kv, '=')
		parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
	}
	return join(parts, "&")
}

func splitAmp(s string) []string {
	var out []string
	depth, start := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\'':
			depth = !depth
		case '&':
			if !depth {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

func cut(s string, sep byte) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func join(parts []string, sep string) string {
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += sep
		}
		out += p
	}
	return out
}

// sorted returns a sorted copy.
func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}

var (
	v12 = DistrictViewer(oneroster.V1p2)
	v11 = DistrictViewer(oneroster.V1p1)
)

// refresh runs a refresh and fails the test on error.
func refresh(t testing.TB, c *Cache) *ent.CacheGeneration {
	t.Helper()
	g, err := c.Refresh(context.Background(), "test")
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	return g
}

// tick advances the record hook's clock, so that live edits get distinct dateLastModified values.
func tick() { time.Sleep(3 * time.Millisecond) }
