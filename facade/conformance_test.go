package facade_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/facade"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

// withResource adds a resource assigned to every class, course and user, so that the resources endpoints
// have something to return.
func withResource(ctx context.Context, db *store.DB) {
	ctx = actor.With(ctx, actor.KindAdmin, "test")
	c := db.Client
	classes := c.Class.Query().IDsX(ctx)
	courses := c.Course.Query().IDsX(ctx)
	users := c.User.Query().IDsX(ctx)
	c.Resource.Create().SetSourcedID("resource-algebra-pack").SetTitle("Algebra pack").SetVendorResourceID("ALG-1").
		SetVendorID("vendor-1").SetRoles([]string{"student", "teacher"}).SetImportance("primary").
		AddClassIDs(classes...).AddCourseIDs(courses...).AddUserIDs(users...).SaveX(ctx)
}

// fixtureIDs are sourcedIds of the demo district that make every path return data: a class with students
// and teachers, its school, course and first term, one of its students and teachers, and for each
// collection path the first record.
type fixtureIDs struct {
	params map[string]string // path wildcard name → sourcedId
	first  map[string]string // collection path ("/classes") → its first record's sourcedId
}

func discoverIDs(t *testing.T, e *env, tok, root, resourcesRoot string) fixtureIDs {
	t.Helper()
	ids := fixtureIDs{params: map[string]string{}, first: map[string]string{}}
	classes := e.get(t, tok, root+"/classes?limit=200&filter="+q("status='active' AND classType='scheduled'")).must(t, 200, "classes").Records(t, "classes")
	for _, cl := range classes {
		sid := cl["sourcedId"].(string)
		students := e.get(t, tok, root+"/classes/"+sid+"/students").must(t, 200, "students").Records(t, "users")
		teachers := e.get(t, tok, root+"/classes/"+sid+"/teachers").must(t, 200, "teachers").Records(t, "users")
		if len(students) == 0 || len(teachers) == 0 {
			continue
		}
		ids.params["classSourcedId"] = sid
		ids.params["schoolSourcedId"] = cl["school"].(map[string]any)["sourcedId"].(string)
		ids.params["courseSourcedId"] = cl["course"].(map[string]any)["sourcedId"].(string)
		ids.params["termSourcedId"] = cl["terms"].([]any)[0].(map[string]any)["sourcedId"].(string)
		ids.params["studentSourcedId"] = students[0]["sourcedId"].(string)
		ids.params["teacherSourcedId"] = teachers[0]["sourcedId"].(string)
		ids.params["userSourcedId"] = students[0]["sourcedId"].(string)
		break
	}
	if len(ids.params) == 0 {
		t.Fatal("the demo district has no class with students and teachers")
	}
	for _, coll := range []string{"academicSessions", "classes", "courses", "demographics", "enrollments", "gradingPeriods",
		"orgs", "schools", "students", "teachers", "terms", "users", "resources"} {
		base := root
		if coll == "resources" {
			base = resourcesRoot
		}
		r := e.get(t, tok, base+"/"+coll+"?limit=1").must(t, 200, coll)
		for _, rec := range r.JSON(t) {
			if list, _ := rec.([]any); len(list) > 0 {
				ids.first["/"+coll] = list[0].(map[string]any)["sourcedId"].(string)
			}
		}
	}
	return ids
}

// fill puts sourcedIds into a path template; unknown replaces every id with one that does not exist.
func (ids fixtureIDs) fill(path string, unknown bool) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, "{") {
			continue
		}
		name := strings.Trim(s, "{}")
		id := ids.params[name]
		if name == "sourcedId" {
			id = ids.first["/"+segs[i-1]]
		}
		if unknown || id == "" {
			id = "no-such-" + name
		}
		segs[i] = id
	}
	return strings.Join(segs, "/")
}

var serviceRoots = map[string]string{"rostering": facade.RootRostering, "gradebook": facade.RootGradebook, "resources": facade.RootResources}

// TestConformance12 walks every path of the three official OneRoster 1.2 documents on the demo district
// (with one record of every gradebook collection, written by a partner) and validates every response body,
// successes and errors, against the document's schema for its status: every read as walk12 asks it, every
// gradebook write as gbWalk asks it.
func TestConformance12(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect, withResource)
			c12, c11 := e.connect(t, "1.2"), e.connect(t, "1.1")
			tok := e.partner(t, "1.2", true, []string{"gradebook", "assessment"}).tok(t)
			ids := discoverIDs(t, e, tok, facade.RootRostering, facade.RootResources)
			gi := gradebookFixture(t, e, tok, facade.RootRostering, facade.RootGradebook, true, ids)
			reads, writes := 0, 0
			var later []func()
			for _, service := range []string{"rostering", "resources", "gradebook"} {
				doc := loadOfficial(t, service)
				root := serviceRoots[service]
				w := gbWalk{t: t, e: e, doc: doc, root: root, g: gb{e, true}, ids: gi, tok: tok, noScope: c12.tok(t)}
				for path, methods := range doc.paths() {
					for _, method := range methods {
						if method != "GET" {
							writes++
							later = append(later, func() { w.write(path, method) })
							continue
						}
						reads++
						walk12(t, e, doc, path, root+ids.fill(path, false), root+ids.fill(path, true), tok, c11.tok(t))
					}
				}
			}
			for _, f := range later { // after the reads: deletes must not take the fixture away from them
				f()
			}
			if reads != 65 || writes != 16 {
				t.Errorf("walked %d reads and %d writes, want 41 + 5 + 19 and 16", reads, writes)
			}
		})
	}
}

// walk12 asks one 1.2 operation the ways a client can: as it should be asked, with bad parameters, with
// unknown ids, without a token and with a 1.1 token; every body must validate.
func walk12(t *testing.T, e *env, doc *oas, path, url, unknownURL, tok, tok11 string) {
	t.Helper()
	collection := !strings.HasSuffix(path, "{sourcedId}")
	r := e.get(t, tok, url)
	if r.Status != http.StatusOK {
		t.Errorf("GET %s: HTTP %d: %.300s", url, r.Status, r.Body)
	}
	doc.check(t, path, "GET", r)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("GET %s: Content-Type %q", url, ct)
	}
	if collection {
		if r.Header.Get("X-Total-Count") == "" || !strings.Contains(r.Header.Get("Link"), `rel="first"`) {
			t.Errorf("GET %s: X-Total-Count %q, Link %q", url, r.Header.Get("X-Total-Count"), r.Header.Get("Link"))
		}
		if r.Total(t) == 0 && !strings.Contains(path, "resources") {
			t.Errorf("GET %s: nothing found; the fixture should make every path return data", url)
		}
		slash := e.get(t, tok, url+"/?limit=3&sort=dateLastModified&orderBy=desc&filter="+q("status='active'"))
		if slash.Status != 200 {
			t.Errorf("GET %s/ with parameters: HTTP %d: %.300s", url, slash.Status, slash.Body)
		}
		doc.check(t, path, "GET", slash)
		bad := e.get(t, tok, url+"?filter="+q("noSuchField='x'"))
		if bad.Status != 400 || !strings.Contains(string(bad.Body), "invalid_filter_field") {
			t.Errorf("GET %s with an unknown filter field: HTTP %d %s", url, bad.Status, bad.Body)
		}
		doc.check(t, path, "GET", bad)
		doc.check(t, path, "GET", e.get(t, tok, url+"?limit=0").must(t, 400, "limit=0"))
	}
	if strings.Contains(path, "{") {
		nf := e.get(t, tok, unknownURL)
		if nf.Status != 404 || !strings.Contains(string(nf.Body), "unknownobject") || strings.Contains(string(nf.Body), "not an endpoint") {
			t.Errorf("GET %s: HTTP %d %s, want 404 unknownobject", unknownURL, nf.Status, nf.Body)
		}
		doc.check(t, path, "GET", nf)
	}
	doc.check(t, path, "GET", e.get(t, "", url).must(t, 401, "no token"))
	doc.check(t, path, "GET", e.get(t, tok11, url).must(t, 403, "a 1.1 token"))
}

// The 1.1 paths of SPEC §2.1: every rostering, resources and gradebook path (the gradebook's PUT and DELETE
// share the paths of its single-object reads).
var paths11 = []string{
	"/academicSessions", "/academicSessions/{sourcedId}", "/classes", "/classes/{sourcedId}", "/courses", "/courses/{sourcedId}",
	"/gradingPeriods", "/gradingPeriods/{sourcedId}", "/demographics", "/demographics/{sourcedId}", "/enrollments",
	"/enrollments/{sourcedId}", "/orgs", "/orgs/{sourcedId}", "/schools", "/schools/{sourcedId}", "/students",
	"/students/{sourcedId}", "/teachers", "/teachers/{sourcedId}", "/terms", "/terms/{sourcedId}", "/users", "/users/{sourcedId}",
	"/schools/{schoolSourcedId}/courses", "/schools/{schoolSourcedId}/classes/{classSourcedId}/enrollments",
	"/schools/{schoolSourcedId}/classes/{classSourcedId}/students", "/schools/{schoolSourcedId}/classes/{classSourcedId}/teachers",
	"/schools/{schoolSourcedId}/enrollments", "/schools/{schoolSourcedId}/students", "/schools/{schoolSourcedId}/teachers",
	"/schools/{schoolSourcedId}/terms", "/terms/{termSourcedId}/classes", "/terms/{termSourcedId}/gradingPeriods",
	"/courses/{courseSourcedId}/classes", "/students/{studentSourcedId}/classes", "/teachers/{teacherSourcedId}/classes",
	"/schools/{schoolSourcedId}/classes", "/users/{userSourcedId}/classes", "/classes/{classSourcedId}/students",
	"/classes/{classSourcedId}/teachers", "/resources", "/resources/{sourcedId}", "/courses/{courseSourcedId}/resources",
	"/classes/{classSourcedId}/resources",
	"/categories", "/categories/{sourcedId}", "/lineItems", "/lineItems/{sourcedId}", "/results", "/results/{sourcedId}",
	"/classes/{classSourcedId}/results", "/classes/{classSourcedId}/lineItems",
	"/classes/{classSourcedId}/lineItems/{lineItemSourcedId}/results", "/classes/{classSourcedId}/students/{studentSourcedId}/results",
}

// TestConformance11 walks every path of the 1.1 document the server publishes (generated from its route
// table, checked here against the SPEC's list) and validates every body against its 1.1 schemas.
func TestConformance11(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect, withResource)
			c11, c12 := e.partner(t, "1.1", true, []string{"gradebook"}), e.connect(t, "1.2")
			tok := c11.tok(t)
			raw := e.get(t, "", "/docs/openapi/oneroster-v1p1.json").must(t, 200, "the 1.1 document").Body
			doc := loadOAS(t, "oneroster-v1p1.json", raw)
			var got []string
			for p := range doc.paths() {
				got = append(got, p)
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(paths11))
			if !slices.Equal(got, want) {
				t.Fatalf("1.1 paths:\n got %v\nwant %v", got, want)
			}
			ids := discoverIDs(t, e, tok, facade.RootV1p1, facade.RootV1p1)
			gi := gradebookFixture(t, e, tok, facade.RootV1p1, facade.RootV1p1, false, ids)
			for _, path := range paths11 {
				walk11(t, e, doc, path, ids, tok, c12.tok(t))
			}
			w := gbWalk{t: t, e: e, doc: doc, root: facade.RootV1p1, g: gb{e, false}, ids: gi, tok: tok, noScope: e.connect(t, "1.1").tok(t)}
			for _, coll := range []string{"/categories", "/lineItems", "/results"} {
				w.write(coll+"/{sourcedId}", "PUT")
				w.write(coll+"/{sourcedId}", "DELETE")
			}
		})
	}
}

func walk11(t *testing.T, e *env, doc *oas, path string, ids fixtureIDs, tok, tok12 string) {
	t.Helper()
	url := facade.RootV1p1 + ids.fill(path, false)
	collection := !strings.HasSuffix(path, "{sourcedId}")
	r := e.get(t, tok, url)
	if r.Status != 200 {
		t.Errorf("GET %s: HTTP %d: %.300s", url, r.Status, r.Body)
	}
	doc.check(t, path, "GET", r)
	if collection {
		// Unknown sort and selection fields: data in the default order, and warnings in statusInfoSet.
		w := e.get(t, tok, url+"/?limit=2&sort=noSuchSort&fields=sourcedId,noSuchField").must(t, 200, "warnings")
		if !strings.Contains(string(w.Body), `"invalid_sort_field"`) || !strings.Contains(string(w.Body), `"invalid_selection_field"`) {
			t.Errorf("GET %s with unknown sort and fields: no warnings: %.300s", url, w.Body)
		}
		bad := e.get(t, tok, url+"?filter="+q("noSuchField='x'")).must(t, 400, "unknown filter field")
		if !strings.Contains(string(bad.Body), `"imsx_codeMinor":"invalid_filter_field"`) {
			t.Errorf("GET %s unknown filter field: %s", url, bad.Body)
		}
		doc.check(t, path, "GET", bad)
		doc.check(t, path, "GET", e.get(t, tok, url+"?limit=abc").must(t, 400, "limit=abc"))
	}
	if strings.Contains(path, "{") {
		nf := e.get(t, tok, facade.RootV1p1+ids.fill(path, true)).must(t, 404, "unknown id")
		if !strings.Contains(string(nf.Body), `"imsx_codeMinor":"unknown object"`) {
			t.Errorf("GET %s unknown id: %s", path, nf.Body)
		}
		doc.check(t, path, "GET", nf)
	}
	doc.check(t, path, "GET", e.get(t, "", url).must(t, 401, "no token"))
	doc.check(t, path, "GET", e.get(t, tok12, url).must(t, 403, "a 1.2 token"))
}
