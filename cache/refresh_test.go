package cache

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/ent/schema"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

// get fetches one record as the district sees it in 1.2; found is false for ErrNotFound.
func get(t *testing.T, c *Cache, coll Collection, sid string) (*Record, bool) {
	t.Helper()
	r, err := c.Get(context.Background(), GetQuery{Collection: coll, SourcedID: sid, Viewer: v12, Hrefs: HrefsFor("https://h", "v1p2")})
	if errors.Is(err, ErrNotFound) {
		return nil, false
	}
	if err != nil {
		t.Fatalf("get %s %s: %v", coll, sid, err)
	}
	return r, true
}

func TestRefreshPublishesBothShapes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		newDistrict(t, db)
		c := New(db, Options{})
		g := refresh(t, c)
		if g.Counts["users"] != 8 || g.Counts["enrollments"] != 8 || g.Counts["orgs/school"] != 2 || g.Counts["users/student12"] != 3 {
			t.Errorf("counts = %v", g.Counts)
		}
		l := lister{t, c}
		u12 := l.mustList(Users, v12, "filter=sourcedId='st2'", Scope{}).bySID("st2")
		roles, _ := u12["roles"].([]any)
		if len(roles) != 2 || u12["role"] != nil || u12["orgs"] != nil || u12["enabledUser"] != "true" {
			t.Fatalf("1.2 user st2 = %v", u12)
		}
		org := roles[0].(map[string]any)["org"].(map[string]any)
		if org["href"] != "https://h/ims/oneroster/rostering/v1p2/orgs/sA" || org["type"] != "org" || org["sourcedId"] != "sA" {
			t.Errorf("1.2 role org GUIDRef = %v", org)
		}
		if u12["primaryOrg"].(map[string]any)["sourcedId"] != "sA" || u12["identifier"] != "ID-st2" || len(u12["userIds"].([]any)) != 2 {
			t.Errorf("1.2 user st2 = %v", u12)
		}
		u11 := l.mustList(Users, v11, "filter=sourcedId='st2'", Scope{}).bySID("st2")
		orgs, _ := u11["orgs"].([]any)
		if u11["role"] != "student" || len(orgs) != 2 || u11["roles"] != nil || u11["primaryOrg"] != nil {
			t.Fatalf("1.1 user st2 = %v", u11)
		}
		if href := orgs[1].(map[string]any)["href"]; href != "https://h/ims/oneroster/v1p1/orgs/sB" {
			t.Errorf("1.1 org href = %v", href)
		}
		if r := l.mustList(Users, v11, "filter=sourcedId='da1'", Scope{}).bySID("da1"); r["role"] != "administrator" {
			t.Errorf("1.1 district administrator role = %v", r["role"])
		}
		e4 := l.mustList(Enrollments, v12, "filter=sourcedId='e4'", Scope{}).bySID("e4")
		if e4["primary"] != "true" || e4["role"] != "teacher" || e4["class"].(map[string]any)["sourcedId"] != "c1" ||
			e4["beginDate"] != "2026-08-01" || e4["endDate"] != nil {
			t.Errorf("enrollment e4 = %v", e4)
		}
		for _, tc := range []struct {
			coll Collection
			kind Kind
			want string
		}{{AcademicSessions, KindTerm, "t1,t2"}, {AcademicSessions, KindGradingPeriod, "gp1"}, {Orgs, KindSchool, "sA,sB"},
			{Users, KindTeacher, "te1,te2"}, {Users, KindStudent, "st1,st2,st3"}} {
			p := l.mustList(tc.coll, v12, "", Scope{Kind: tc.kind})
			if got := strings.Join(p.sids(), ","); got != tc.want || p.total != len(p.sids()) {
				t.Errorf("%s %s = %s (total %d), want %s", tc.coll, tc.kind, got, p.total, tc.want)
			}
		}
		dem := l.mustList(Demographics, v12, "", Scope{}).bySID("st2")
		if dem["hispanicOrLatinoEthnicity"] != "true" || dem["sex"] != "female" || dem["birthDate"] != "2015-03-02" {
			t.Errorf("demographics st2 = %v", dem)
		}
		li12 := l.mustList(LineItems, v12, "", Scope{}).bySID("li1")
		li11 := l.mustList(LineItems, v11, "", Scope{}).bySID("li1")
		if li12["gradingPeriod"].(map[string]any)["sourcedId"] != "gp1" || li12["school"].(map[string]any)["sourcedId"] != "sA" ||
			li12["assignDate"] != "2026-09-01T12:00:00.000Z" || li12["resultValueMax"] != 10.0 {
			t.Errorf("1.2 line item = %v", li12)
		}
		if li11["school"] != nil || li11["gradingPeriod"] == nil {
			t.Errorf("1.1 line item = %v", li11)
		}
		if href := li12["category"].(map[string]any)["href"]; href != "https://h/ims/oneroster/gradebook/v1p2/categories/cat1" {
			t.Errorf("gradebook href = %v", href)
		}
		r2 := l.mustList(Results, v12, "", Scope{}).bySID("r2")
		r2v1 := l.mustList(Results, v11, "", Scope{}).bySID("r2")
		if r2["late"] != "true" || r2v1["late"] != nil || r2["scoreStatus"] != "exempt" {
			t.Errorf("result r2: 1.2 %v, 1.1 %v", r2, r2v1)
		}
		if cat := l.mustList(Categories, v11, "", Scope{}).bySID("cat1"); cat["weight"] != nil {
			t.Errorf("1.1 category has a weight: %v", cat)
		}
		if _, err := l.list(ScoreScales, v11, "", Scope{}); !errors.Is(err, ErrForbidden) {
			t.Errorf("score scales in 1.1: err = %v, want ErrForbidden", err)
		}
		// Every body starts with the three base fields and never carries null.
		for _, coll := range AllCollections {
			for _, v := range []Viewer{v11, v12} {
				p, err := l.list(coll, v, "limit=1000", Scope{})
				if errors.Is(err, ErrForbidden) {
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range p.recs {
					if r["status"] != "active" || len(r["dateLastModified"].(string)) != 24 {
						t.Errorf("%s %s: %v", coll, v.Version, r)
					}
					for k, x := range r {
						if x == nil {
							t.Errorf("%s %v: %s is null", coll, r["sourcedId"], k)
						}
					}
				}
			}
		}
	})
}

// cascadeCase excludes something, and lists what must become tombstones, and what stays published but
// changes (a parent's children list, a record whose visibility changes): everything else keeps its
// dateLastModified.
type cascadeCase struct {
	name    string
	exclude func(ctx context.Context, d *district, on bool)
	hidden  []ref
	touched []ref
}

func TestExclusionCascade(t *testing.T) {
	cases := []cascadeCase{
		{"school", func(ctx context.Context, d *district, on bool) {
			d.c.Org.UpdateOne(d.o["sB"]).SetExternalLmsExclude(on).ExecX(ctx)
		},
			[]ref{{Orgs, "sB"}, {Courses, "co3"}, {Classes, "c3"}, {Enrollments, "e6"}, {Enrollments, "e7"}, {Enrollments, "e8"},
				{Users, "st3"}, {Users, "te2"}, {Demographics, "st3"}},
			// d1 lists sB as a child; t2, y1 were in use at sB; st2 had a role at sB (and its demographics follow).
			[]ref{{Orgs, "d1"}, {AcademicSessions, "t2"}, {AcademicSessions, "y1"}, {Users, "st2"}, {Demographics, "st2"}}},
		{"course", func(ctx context.Context, d *district, on bool) {
			d.c.Course.UpdateOne(d.co["co2"]).SetExternalLmsExclude(on).ExecX(ctx)
		}, []ref{{Courses, "co2"}, {Classes, "c2"}, {Enrollments, "e3"}, {Enrollments, "e5"}},
			[]ref{{AcademicSessions, "t2"}}}, // t2 was in use at sA only through c2
		{"class", func(ctx context.Context, d *district, on bool) {
			d.c.Class.UpdateOne(d.cl["c1"]).SetExternalLmsExclude(on).ExecX(ctx)
		},
			[]ref{{Classes, "c1"}, {Enrollments, "e1"}, {Enrollments, "e2"}, {Enrollments, "e4"}, {LineItems, "li1"},
				{Results, "r1"}, {Results, "r2"}, {Categories, "cat1"}}, nil},
		{"user", func(ctx context.Context, d *district, on bool) {
			d.c.User.UpdateOne(d.u["st2"]).SetExternalLmsExclude(on).ExecX(ctx)
		},
			[]ref{{Users, "st2"}, {Enrollments, "e2"}, {Enrollments, "e3"}, {Enrollments, "e6"}, {Demographics, "st2"}, {Results, "r2"}}, nil},
		{"session", func(ctx context.Context, d *district, on bool) {
			d.c.AcademicSession.UpdateOne(d.s["t2"]).SetExternalLmsExclude(on).ExecX(ctx)
		}, []ref{{AcademicSessions, "t2"}, {Classes, "c2"}, {Classes, "c3"}, {Enrollments, "e3"}, {Enrollments, "e5"},
			{Enrollments, "e6"}, {Enrollments, "e7"}, {Enrollments, "e8"}},
			// y1 lists t2 as a child; co2 was offered at sA only through c2.
			[]ref{{AcademicSessions, "y1"}, {Courses, "co2"}}},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDistrict(t, db)
		c := New(db, Options{})
		refresh(t, c)
		all := []ref{}
		for _, coll := range AllCollections {
			p, err := lister{t, c}.list(coll, v12, "limit=1000", Scope{})
			if err != nil {
				t.Fatal(err)
			}
			for _, sid := range p.sids() {
				all = append(all, ref{coll, sid})
			}
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := map[ref]*Record{}
				for _, r := range all {
					before[r], _ = get(t, c, r.coll, r.sid)
				}
				tc.exclude(ctx, d, true)
				g := refresh(t, c)
				hidden, touched := map[ref]bool{}, map[ref]bool{}
				for _, r := range tc.hidden {
					hidden[r] = true
				}
				for _, r := range tc.touched {
					touched[r] = true
				}
				for _, r := range all {
					now, ok := get(t, c, r.coll, r.sid)
					switch {
					case !ok:
						t.Errorf("%s %s disappeared instead of becoming a tombstone", r.coll, r.sid)
					case hidden[r] && (now.Status != "tobedeleted" || !now.DateLastModified.After(before[r].DateLastModified) ||
						!now.DateLastModified.Equal(g.FinishedAt.UTC().Truncate(time.Millisecond))):
						t.Errorf("%s %s: %s at %v, want a tombstone stamped %v (was %v)", r.coll, r.sid, now.Status,
							now.DateLastModified, g.FinishedAt, before[r].DateLastModified)
					case !hidden[r] && (now.Status != "active" || now.DateLastModified.Equal(before[r].DateLastModified) != !touched[r]):
						t.Errorf("%s %s: %s at %v (was %v), want active, changed %v", r.coll, r.sid, now.Status, now.DateLastModified,
							before[r].DateLastModified, touched[r])
					}
				}
				tc.exclude(ctx, d, false)
				refresh(t, c)
				for _, r := range tc.hidden {
					if now, ok := get(t, c, r.coll, r.sid); !ok || now.Status != "active" {
						t.Errorf("%s %s not active again after the exclusion was lifted", r.coll, r.sid)
					}
				}
			})
		}
	})
}

func TestDateLastModifiedAndTombstones(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDistrict(t, db)
		c := New(db, Options{})
		l := lister{t, c}
		refresh(t, c)
		first := l.mustList(Users, v12, "", Scope{})
		refresh(t, c)
		again := l.mustList(Users, v12, "", Scope{})
		for i, r := range first.recs {
			if again.recs[i]["dateLastModified"] != r["dateLastModified"] {
				t.Errorf("%v: dateLastModified changed without a change: %v -> %v", r["sourcedId"], r["dateLastModified"], again.recs[i]["dateLastModified"])
			}
		}
		tick()
		d.c.User.UpdateOne(d.u["st1"]).SetGivenName("Anna").ExecX(ctx)
		d.c.Enrollment.DeleteOne(d.e["e1"]).ExecX(ctx)                                          // soft delete: a live tombstone
		d.c.Enrollment.DeleteOne(d.e["e2"]).ExecX(schema.AllowHardDelete(context.Background())) // gone from the live data
		g := refresh(t, c)
		stamp := g.FinishedAt.UTC().Truncate(time.Millisecond)
		for _, sid := range []string{"st1", "st2", "te1"} {
			r, _ := get(t, c, Users, sid)
			changed := sid == "st1"
			if changed != r.DateLastModified.Equal(stamp) {
				t.Errorf("user %s: dateLastModified %v (published at %v), changed %v", sid, r.DateLastModified, stamp, changed)
			}
		}
		for _, sid := range []string{"e1", "e2"} {
			r, ok := get(t, c, Enrollments, sid)
			if !ok || r.Status != "tobedeleted" || !r.DateLastModified.Equal(stamp) || !strings.Contains(string(r.Body), `"class":{`) {
				t.Errorf("enrollment %s: %+v, want a full tombstone stamped %v", sid, r, stamp)
			}
		}
		if p := l.mustList(Enrollments, v12, "filter=dateLastModified>'"+stamp.Add(-time.Millisecond).Format(dlmLayout)+"'", Scope{}); strings.Join(sorted(p.sids()), ",") != "e1,e2" {
			t.Errorf("delta = %v, want the two tombstones", p.sids())
		}
		before, _ := get(t, c, Enrollments, "e2")
		refresh(t, c)
		if after, _ := get(t, c, Enrollments, "e2"); !after.DateLastModified.Equal(before.DateLastModified) || after.Status != "tobedeleted" {
			t.Errorf("tombstone restamped: %v -> %v", before.DateLastModified, after.DateLastModified)
		}
	})
}
