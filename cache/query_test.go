package cache

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/oneroster"
	"github.com/rollcall/rollcall/oneroster/query"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

func TestVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDistrict(t, db)
		c := New(db, Options{})
		refresh(t, c)
		conn := db.Client.Connection.Create().SetVendorName("Acme").SetConsumerKey("ROLLCALL_acme").SetServiceAccount("acme").
			SetExpiresAt(d.u["st1"].DateLastModified.AddDate(1, 0, 0)).SetVersion("v1p2").SetTypes([]string{"roster"}).
			SetAllSchools(false).AddSchools(d.o["sA"]).SaveX(ctx)
		vA, err := ViewerFor(ctx, db.Client, conn)
		if err != nil || vA.AllSchools || strings.Join(vA.Schools, ",") != "sA" {
			t.Fatalf("viewer %+v, %v", vA, err)
		}
		vB := Viewer{Version: oneroster.V1p2, Schools: []string{"sB"}, Demographics: true}
		l := lister{t, c}
		for _, tc := range []struct {
			v    Viewer
			coll Collection
			want string
		}{
			{vA, Orgs, "d1,dep1,sA"},
			{vA, AcademicSessions, "gp1,t1,t2,y1"},
			{vA, Courses, "co1,co2"},
			{vA, Classes, "c1,c2"},
			{vA, Enrollments, "e1,e2,e3,e4,e5"},
			{vA, Users, "a1,g1,st1,st2,te1"},
			{vA, LineItems, "li1"},
			{vA, Results, "r1,r2"},
			{vA, Resources, "res1"},
			{vB, Orgs, "d1,sB"},
			{vB, AcademicSessions, "t2,y1"},
			{vB, Courses, "co3"},
			{vB, Users, "st2,st3,te2"},
			{vB, Demographics, "st2,st3"},
			{vB, LineItems, ""},
		} {
			p := l.mustList(tc.coll, tc.v, "", Scope{})
			if got := strings.Join(p.sids(), ","); got != tc.want || p.total != len(p.recs) {
				t.Errorf("%v sees %s %s (total %d), want %s", tc.v.Schools, tc.coll, got, p.total, tc.want)
			}
		}
		if _, err := l.list(Demographics, vA, "", Scope{}); !errors.Is(err, ErrForbidden) {
			t.Errorf("demographics without access: %v, want ErrForbidden", err)
		}
		if r, err := c.SeenBy(ctx, db.Client, conn, Users, "st1", "https://h"); err != nil ||
			!strings.Contains(string(r.Body), `"href":"https://h/ims/oneroster/rostering/v1p2/orgs/sA"`) {
			t.Errorf("what the connection sees of st1: %v %v", r, err)
		}
		if _, err := c.SeenBy(ctx, db.Client, conn, Users, "st3", "https://h"); !errors.Is(err, ErrNotFound) {
			t.Errorf("what the connection sees of st3: %v", err)
		}
		_, err = c.Get(ctx, GetQuery{Collection: Users, SourcedID: "st3", Viewer: vA})
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("get of another school's student: %v, want ErrNotFound", err)
		}
		r, err := c.Get(ctx, GetQuery{Collection: Users, SourcedID: "st2", Viewer: vB, Kind: KindStudent})
		if err != nil || !strings.Contains(string(r.Body), `"sourcedId":"st2"`) {
			t.Errorf("get st2 as sB: %v %v", r, err)
		}
		if _, err := c.Get(ctx, GetQuery{Collection: Users, SourcedID: "te2", Viewer: vB, Kind: KindStudent}); !errors.Is(err, ErrNotFound) {
			t.Errorf("a teacher at /students/{id}: %v, want ErrNotFound", err)
		}
		// A tombstone is seen by whoever saw the record.
		d.c.Enrollment.DeleteOne(d.e["e7"]).ExecX(ctx)
		refresh(t, c)
		if p := l.mustList(Enrollments, vB, "filter=status='tobedeleted'", Scope{}); strings.Join(p.sids(), ",") != "e7" {
			t.Errorf("sB's tombstones: %v", p.sids())
		}
		if p := l.mustList(Enrollments, vA, "filter=status='tobedeleted'", Scope{}); len(p.recs) != 0 {
			t.Errorf("sA sees sB's tombstones: %v", p.sids())
		}
	})
}

func TestFiltersSortAndPaging(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		newDistrict(t, db)
		c := New(db, Options{})
		refresh(t, c)
		l := lister{t, c}
		st1, _ := get(t, c, Users, "st1")
		stamp := st1.DateLastModified // the first generation's records all carry its start
		day := stamp.Format("2006-01-02")
		next := stamp.AddDate(0, 0, 1).Format("2006-01-02")
		tests := []struct {
			coll    Collection
			v       Viewer
			q, want string
		}{
			{Users, v12, "filter=familyName='Smith'", "g1,st1,te1"},
			{Users, v12, "filter=familyName!='Smith'", "a1,da1,st2,st3,te2"},
			{Users, v12, "filter=familyName~'SMITH'", "g1,st1,st3,te1"},
			{Users, v12, "filter=familyName='O''Brien'", "st2"},
			{Users, v12, "filter=givenName='Seán'", "st2"},
			{Users, v12, "filter=familyName~'smi' AND roles.role='teacher'", "te1"},
			{Users, v12, "filter=roles.role='teacher' OR roles.role='aide'", "a1,te1,te2"},
			{Users, v12, "filter=roles.role!='student'", "a1,da1,g1,te1,te2"},
			{Users, v12, "filter=roles.org.sourcedId='sB'", "st2,st3,te2"},
			{Users, v12, "filter=userIds.identifier='st1@ldap'", "st1"},
			{Users, v12, "filter=userIds.identifier~'SST'", "st1,st2,st3"},
			{Users, v12, "filter=primaryOrg.sourcedId='sB'", "st3,te2"},
			{Users, v12, "filter=agents.sourcedId='g1'", "st1"},
			{Users, v12, "filter=enabledUser='true' AND familyName>'P'", "g1,st1,st3,te1,te2"},
			{Users, v12, "filter=familyName<='Park'", "a1,da1,st2,te2"},
			{Users, v12, "filter=email='dee@x.org' OR (familyName='Park' AND givenName='Lee')", "da1,te2"},
			{Users, v12, "filter=metadata.none='x'", ""},
			{Users, v11, "filter=role='teacher'", "te1,te2"},
			{Users, v11, "filter=orgs.sourcedId='sB'", "st2,st3,te2"},
			{Users, v12, "filter=dateLastModified>'" + day + "'", "a1,da1,g1,st1,st2,st3,te1,te2"},
			{Users, v12, "filter=dateLastModified>'" + next + "'", ""},
			{Users, v12, "filter=dateLastModified>='" + stamp.Format(dlmLayout) + "'", "a1,da1,g1,st1,st2,st3,te1,te2"},
			{Users, v12, "filter=dateLastModified>'" + stamp.Format(dlmLayout) + "'", ""},
			{Users, v12, "filter=dateLastModified='" + stamp.Format("2006-01-02T15:04:05.000000Z") + "'", "a1,da1,g1,st1,st2,st3,te1,te2"},
			{Enrollments, v12, "filter=class.sourcedId='c1' AND role='student'", "e1,e2"},
			{Enrollments, v12, "filter=primary='true'", "e4,e5,e8"},
			{Enrollments, v12, "filter=school.sourcedId='sB' AND user.sourcedId='st2'", "e6"},
			{Enrollments, v12, "filter=beginDate='2026-08-01' AND endDate!='2027-01-01'", "e1,e2,e3,e4,e5,e6,e7,e8"},
			{Enrollments, v12, "filter=beginDate>'2026-08-01'", ""},
			{Classes, v12, "filter=terms.sourcedId='t2'", "c2,c3"},
			{Classes, v12, "filter=grades='08' OR periods='1'", "c1,c2"},
			{Classes, v12, "filter=title~'o''b'", "c2"},
			{Courses, v12, "filter=grades='09'", "co2"},
			{Courses, v12, "filter=subjects~'mat'", "co2"},
			{LineItems, v12, "filter=resultValueMax>='10' AND resultValueMin<'0.5'", "li1"},
			{LineItems, v12, "filter=resultValueMax>'10'", ""},
			{LineItems, v12, "filter=assignDate>'2026-09-01'", "li1"},
			{LineItems, v12, "filter=dueDate<'2026-09-08T12:00:00Z'", ""},
			{LineItems, v12, "filter=dueDate<='2026-09-08T12:00:00Z'", "li1"},
			{Results, v12, "filter=score>'9'", "r1"},
			{Results, v12, "filter=score!='9.5'", "r2"},
			{Results, v12, "filter=late='true'", "r2"},
			{Results, v12, "filter=scoreStatus='fully graded'", "r1"},
			{Demographics, v12, "filter=birthDate<'2015-03-03' AND hispanicOrLatinoEthnicity='false'", "st1"},
			{AcademicSessions, v12, "filter=parent.sourcedId='y1'", "t1,t2"},
			{Resources, v12, "filter=roles='student'", "res1"},
			{Categories, v12, "filter=weight<'1'", "cat1"},
		}
		for _, tc := range tests {
			p, err := l.list(tc.coll, tc.v, tc.q, Scope{})
			if err != nil {
				t.Errorf("%s %s?%s: %v", tc.coll, tc.v.Version, tc.q, err)
				continue
			}
			if got := strings.Join(sorted(p.sids()), ","); got != tc.want || p.total != len(p.recs) {
				t.Errorf("%s %s?%s = %s (total %d), want %s", tc.coll, tc.v.Version, tc.q, got, p.total, tc.want)
			}
		}
		order := []struct{ q, want string }{
			{"sort=familyName", "da1,a1,st2,te2,g1,st1,te1,st3"}, // Smith ties broken by sourcedId
			{"sort=familyName&orderBy=desc", "st3,te1,st1,g1,te2,st2,a1,da1"},
			{"sort=familyName,givenName", "da1,a1,st2,te2,st1,g1,te1,st3"},
			{"sort=sourcedId&orderBy=desc&limit=3&offset=2", "st3,st2,st1"},
			{"limit=2&offset=7", "te2"},
			{"limit=2&offset=8", ""},
			{"sort=middleName&limit=3", "a1,da1,g1"}, // nobody has one: sourcedId order
			{"sort=nosuchfield&limit=2", "a1,da1"},
		}
		for _, tc := range order {
			p := l.mustList(Users, v12, tc.q, Scope{})
			if got := strings.Join(p.sids(), ","); got != tc.want || p.total != 8 {
				t.Errorf("users?%s = %s (total %d), want %s", tc.q, got, p.total, tc.want)
			}
		}
		p := l.mustList(Users, v12, "fields=sourcedId,familyName,nosuch&limit=1", Scope{})
		if len(p.recs[0]) != 2 || p.recs[0]["familyName"] != "Aide" {
			t.Errorf("fields: %v", p.recs[0])
		}
		// Unknown fields are the query package's errors, never database errors.
		for _, q := range []string{"filter=nosuch='x'", "filter=roles.role>'a'", "filter=dateLastModified>'yesterday'", "filter=familyName='x"} {
			var qe *query.Error
			if _, err := l.list(Users, v12, q, Scope{}); !errors.As(err, &qe) {
				t.Errorf("users?%s: %v, want a *query.Error", q, err)
			}
		}
	})
}

func TestNestedScopes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		newDistrict(t, db)
		c := New(db, Options{})
		refresh(t, c)
		l := lister{t, c}
		for _, tc := range []struct {
			coll Collection
			sc   Scope
			want string
		}{
			{Classes, Scope{School: "sA"}, "c1,c2"},
			{Enrollments, Scope{School: "sB"}, "e6,e7,e8"},
			{Courses, Scope{School: "sA"}, "co1,co2"},
			{AcademicSessions, Scope{School: "sB", Kind: KindTerm}, "t2"},
			{Users, Scope{School: "sB", Kind: KindStudent}, "st2,st3"},
			{Users, Scope{School: "sA", Kind: KindTeacher}, "te1"},
			{Users, Scope{Class: "c1", Role: "student"}, "st1,st2"},
			{Users, Scope{Class: "c1", Role: "teacher"}, "te1"},
			{Users, Scope{Class: "c3"}, "st2,st3,te2"},
			{Enrollments, Scope{School: "sA", Class: "c1"}, "e1,e2,e4"},
			{Classes, Scope{Term: "t2"}, "c2,c3"},
			{AcademicSessions, Scope{Term: "t1", Kind: KindGradingPeriod}, "gp1"},
			{Classes, Scope{Course: "co2"}, "c2"},
			{Classes, Scope{User: "st2", Role: "student"}, "c1,c2,c3"},
			{Classes, Scope{User: "te1", Role: "teacher"}, "c1,c2"},
			{Classes, Scope{User: "te1", Role: "student"}, ""},
			{LineItems, Scope{Class: "c1"}, "li1"},
			{Categories, Scope{Class: "c1"}, "cat1"},
			{Results, Scope{Class: "c1"}, "r1,r2"},
			{Results, Scope{Class: "c1", LineItem: "li1", User: "st2"}, "r2"},
			{Resources, Scope{Class: "c1"}, "res1"},
			{Resources, Scope{Course: "co1"}, ""},
		} {
			p := l.mustList(tc.coll, v12, "", tc.sc)
			if got := strings.Join(p.sids(), ","); got != tc.want || p.total != len(p.recs) {
				t.Errorf("%s %+v = %s (total %d), want %s", tc.coll, tc.sc, got, p.total, tc.want)
			}
		}
		if _, err := l.list(Orgs, v12, "", Scope{Class: "c1"}); err == nil {
			t.Error("a class scope on orgs was accepted")
		}
	})
}
