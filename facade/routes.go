package facade

import (
	"strings"

	"github.com/rollcall/rollcall/cache"
	"github.com/rollcall/rollcall/oneroster"
)

// Service roots of the OneRoster REST API (SPEC §1): 1.1 serves everything under one root, 1.2 under three.
const (
	RootV1p1      = "/ims/oneroster/v1p1"
	RootRostering = "/ims/oneroster/rostering/v1p2"
	RootGradebook = "/ims/oneroster/gradebook/v1p2"
	RootResources = "/ims/oneroster/resources/v1p2"
)

// Services of OneRoster 1.2 (1.1 routes carry the service they belong to, for documentation).
const (
	SvcRostering = "rostering"
	SvcGradebook = "gradebook"
	SvcResources = "resources"
)

// Rel is how the records listed by a nested path relate to a parent named in the path.
type Rel string

// The relations of nested paths (SPEC §5.6).
const (
	RelSchool Rel = "school" // records of the school: its classes, enrollments, terms, courses, users with a role there
	RelClass  Rel = "class"  // a class's enrollments, its users (through enrollments), its resources
	RelTerm   Rel = "term"   // a term's classes, its grading periods (children)
	RelCourse Rel = "course" // a course's classes, its resources
	RelUser   Rel = "user"   // a user's classes (through enrollments), their resources; a student's results
	// RelLineItem: the results of a line item (/classes/{classSourcedId}/lineItems/{lineItemSourcedId}/results).
	RelLineItem Rel = "lineItem"
)

// Parent is a path parameter that names a parent record of a nested path. The parent must be visible to the
// connection (and of Kind, when set), or the request is answered 404 unknownobject.
type Parent struct {
	Param string           // the path wildcard, e.g. "classSourcedId"
	Coll  cache.Collection // the collection the parent belongs to
	Kind  cache.Kind       // the subset it must belong to ("" for any record of Coll)
	Rel   Rel              // how the listed records relate to it ("" when it only constrains another parent)
	// Within names the Param of another parent this one must belong to (a class within a school:
	// /schools/{schoolSourcedId}/classes/{classSourcedId}/students; a line item within a class). The record's
	// reference named after the param without "SourcedId" (school, class) must hold that parent's sourcedId.
	Within string
}

// Route is one operation of the OneRoster REST API. The route table (Routes) drives everything: routing, scope
// checks, the discovery page, the documentation client and the generated 1.1 OpenAPI document.
type Route struct {
	Version   string // oneroster.V1p1 or oneroster.V1p2
	Service   string // SvcRostering, SvcGradebook, SvcResources
	Method    string // GET, PUT, POST, DELETE
	Path      string // relative to the version's service root, with {wildcards}
	Operation string // the operationId of the standard
	Summary   string // one line for the discovery page and the documentation
	Scopes    []string

	Coll    cache.Collection // the collection read
	Kind    cache.Kind       // the subset read ("" for the whole collection)
	Single  bool             // a single object by {sourcedId}; otherwise a collection
	Key     string           // the envelope key of the response body
	Parents []Parent         // parents named in the path, outermost first

	// Handler, when set, serves the route instead of the built-in reader (for routes other packages add, such
	// as the gradebook's writes). It runs after the token, scope and rate checks; errors it returns are rendered
	// in the version's shape.
	Handler HandlerFunc
}

// Root is the service root of the route.
func (r Route) Root() string {
	switch {
	case r.Version == oneroster.V1p1:
		return RootV1p1
	case r.Service == SvcGradebook:
		return RootGradebook
	case r.Service == SvcResources:
		return RootResources
	}
	return RootRostering
}

// FullPath is the route's path from the server root.
func (r Route) FullPath() string { return r.Root() + r.Path }

// Collection reports whether the route lists records (and so takes the paging and query parameters).
func (r Route) Collection() bool { return !r.Single && r.Method == "GET" }

// Scope sets by operation kind (SPEC §2.3, §6.1): core reads accept roster-core or roster, relationship reads
// need roster, demographics need roster-demographics, resources resource(-core).
var (
	scopesCore     = []string{oneroster.ScopeRosterCore, oneroster.ScopeRoster}
	scopesRelation = []string{oneroster.ScopeRoster}
	scopesDemo     = []string{oneroster.ScopeRosterDemographics}
	scopesResCore  = []string{oneroster.ScopeResourceCore, oneroster.ScopeResource}
	scopesRes      = []string{oneroster.ScopeResource}
)

// entity describes a top-level collection endpoint and its single-object twin.
type entity struct {
	path, key, single string
	coll              cache.Collection
	kind              cache.Kind
	noun, plural      string
}

var entities = []entity{
	{"/academicSessions", "academicSessions", "academicSession", cache.AcademicSessions, "", "academic session", "academic sessions (school years, semesters, terms and grading periods)"},
	{"/classes", "classes", "class", cache.Classes, "", "class", "classes"},
	{"/courses", "courses", "course", cache.Courses, "", "course", "courses"},
	{"/demographics", "demographics", "demographics", cache.Demographics, "", "demographics record", "demographics records"},
	{"/enrollments", "enrollments", "enrollment", cache.Enrollments, "", "enrollment", "enrollments"},
	{"/gradingPeriods", "academicSessions", "academicSession", cache.AcademicSessions, cache.KindGradingPeriod, "grading period", "grading periods"},
	{"/orgs", "orgs", "org", cache.Orgs, "", "org", "orgs (the district, schools and departments)"},
	{"/schools", "orgs", "org", cache.Orgs, cache.KindSchool, "school", "schools"},
	{"/students", "users", "user", cache.Users, cache.KindStudent, "student", "students"},
	{"/teachers", "users", "user", cache.Users, cache.KindTeacher, "teacher", "teachers"},
	{"/terms", "academicSessions", "academicSession", cache.AcademicSessions, cache.KindTerm, "term", "terms"},
	{"/users", "users", "user", cache.Users, "", "user", "users (students, teachers, guardians, staff)"},
}

// nested describes a relationship read. Paths are written with 1.2's wildcard names; 1.1 gets the same ones
// (the names are cosmetic, SPEC §1).
type nested struct {
	path, op, key, summary string
	coll                   cache.Collection
	kind                   cache.Kind
	parents                []Parent
}

var (
	pSchool  = Parent{Param: "schoolSourcedId", Coll: cache.Orgs, Kind: cache.KindSchool, Rel: RelSchool}
	pClass   = Parent{Param: "classSourcedId", Coll: cache.Classes, Rel: RelClass}
	pClassIn = Parent{Param: "classSourcedId", Coll: cache.Classes, Rel: RelClass, Within: "schoolSourcedId"}
	pTerm    = Parent{Param: "termSourcedId", Coll: cache.AcademicSessions, Kind: cache.KindTerm, Rel: RelTerm}
	pCourse  = Parent{Param: "courseSourcedId", Coll: cache.Courses, Rel: RelCourse}
	pStudent = Parent{Param: "studentSourcedId", Coll: cache.Users, Kind: cache.KindStudent, Rel: RelUser}
	pTeacher = Parent{Param: "teacherSourcedId", Coll: cache.Users, Kind: cache.KindTeacher, Rel: RelUser}
	pUser    = Parent{Param: "userSourcedId", Coll: cache.Users, Rel: RelUser}
)

var rosterNested = []nested{
	{"/classes/{classSourcedId}/students", "getStudentsForClass", "users", "the students enrolled in a class", cache.Users, cache.KindStudent, []Parent{pClass}},
	{"/classes/{classSourcedId}/teachers", "getTeachersForClass", "users", "the teachers of a class", cache.Users, cache.KindTeacher, []Parent{pClass}},
	{"/courses/{courseSourcedId}/classes", "getClassesForCourse", "classes", "the classes of a course", cache.Classes, "", []Parent{pCourse}},
	{"/schools/{schoolSourcedId}/classes", "getClassesForSchool", "classes", "the classes of a school", cache.Classes, "", []Parent{pSchool}},
	{"/schools/{schoolSourcedId}/classes/{classSourcedId}/enrollments", "getEnrollmentsForClassInSchool", "enrollments", "the enrollments of a class in a school", cache.Enrollments, "", []Parent{pSchool.only(), pClassIn}},
	{"/schools/{schoolSourcedId}/classes/{classSourcedId}/students", "getStudentsForClassInSchool", "users", "the students of a class in a school", cache.Users, cache.KindStudent, []Parent{pSchool.only(), pClassIn}},
	{"/schools/{schoolSourcedId}/classes/{classSourcedId}/teachers", "getTeachersForClassInSchool", "users", "the teachers of a class in a school", cache.Users, cache.KindTeacher, []Parent{pSchool.only(), pClassIn}},
	{"/schools/{schoolSourcedId}/courses", "getCoursesForSchool", "courses", "the courses taught at a school", cache.Courses, "", []Parent{pSchool}},
	{"/schools/{schoolSourcedId}/enrollments", "getEnrollmentsForSchool", "enrollments", "the enrollments of a school", cache.Enrollments, "", []Parent{pSchool}},
	{"/schools/{schoolSourcedId}/students", "getStudentsForSchool", "users", "the students of a school", cache.Users, cache.KindStudent, []Parent{pSchool}},
	{"/schools/{schoolSourcedId}/teachers", "getTeachersForSchool", "users", "the teachers of a school", cache.Users, cache.KindTeacher, []Parent{pSchool}},
	{"/schools/{schoolSourcedId}/terms", "getTermsForSchool", "academicSessions", "the terms of a school", cache.AcademicSessions, cache.KindTerm, []Parent{pSchool}},
	{"/students/{studentSourcedId}/classes", "getClassesForStudent", "classes", "the classes a student is enrolled in", cache.Classes, "", []Parent{pStudent}},
	{"/teachers/{teacherSourcedId}/classes", "getClassesForTeacher", "classes", "the classes a teacher teaches", cache.Classes, "", []Parent{pTeacher}},
	{"/terms/{termSourcedId}/classes", "getClassesForTerm", "classes", "the classes of a term", cache.Classes, "", []Parent{pTerm}},
	{"/terms/{termSourcedId}/gradingPeriods", "getGradingPeriodsForTerm", "academicSessions", "the grading periods of a term", cache.AcademicSessions, cache.KindGradingPeriod, []Parent{pTerm}},
	{"/users/{userSourcedId}/classes", "getClassesForUser", "classes", "the classes a user is enrolled in", cache.Classes, "", []Parent{pUser}},
}

// only returns the parent as a pure constraint: it must exist, but the listed records are related to the
// parents below it.
func (p Parent) only() Parent { p.Rel = ""; return p }

var resourceNested = []nested{
	{"/classes/{classSourcedId}/resources", "getResourcesForClass", "resources", "the resources assigned to a class", cache.Resources, "", []Parent{pClass}},
	{"/courses/{courseSourcedId}/resources", "getResourcesForCourse", "resources", "the resources assigned to a course", cache.Resources, "", []Parent{pCourse}},
	{"/users/{userSourcedId}/resources", "getResourcesForUser", "resources", "the resources assigned to a user", cache.Resources, "", []Parent{pUser}},
}

// opName turns "/academicSessions" into "AcademicSessions" and "academicSession" into "AcademicSession".
func opName(s string) string {
	s = strings.TrimPrefix(s, "/")
	return strings.ToUpper(s[:1]) + s[1:]
}

// singular is the operationId noun of a single-object read (getSchool, getDemographics, getClass).
func singular(path string) string {
	n := opName(path)
	switch {
	case n == "Demographics":
		return n
	case strings.HasSuffix(n, "sses"):
		return strings.TrimSuffix(n, "es")
	}
	return strings.TrimSuffix(n, "s")
}

// buildRoutes assembles the rostering and resources routes of a version.
func buildRoutes(version string) []Route {
	var out []Route
	for _, e := range entities {
		scopes := scopesCore
		if e.coll == cache.Demographics {
			scopes = scopesDemo
		}
		out = append(out,
			Route{Version: version, Service: SvcRostering, Method: "GET", Path: e.path, Operation: "getAll" + opName(e.path),
				Summary: "All " + e.plural + ".", Scopes: scopes, Coll: e.coll, Kind: e.kind, Key: e.key},
			Route{Version: version, Service: SvcRostering, Method: "GET", Path: e.path + "/{sourcedId}", Operation: "get" + singular(e.path),
				Summary: "One " + e.noun + ", by sourcedId.", Scopes: scopes, Coll: e.coll, Kind: e.kind, Key: e.single, Single: true})
	}
	for _, n := range rosterNested {
		out = append(out, Route{Version: version, Service: SvcRostering, Method: "GET", Path: n.path, Operation: n.op,
			Summary: upperFirst(n.summary) + ".", Scopes: scopesRelation, Coll: n.coll, Kind: n.kind, Key: n.key, Parents: n.parents})
	}
	out = append(out,
		Route{Version: version, Service: SvcResources, Method: "GET", Path: "/resources", Operation: "getAllResources",
			Summary: "All resources.", Scopes: resCore(version), Coll: cache.Resources, Key: "resources"},
		Route{Version: version, Service: SvcResources, Method: "GET", Path: "/resources/{sourcedId}", Operation: "getResource",
			Summary: "One resource, by sourcedId.", Scopes: resCore(version), Coll: cache.Resources, Key: "resource", Single: true})
	for _, n := range resourceNested {
		if version == oneroster.V1p1 && n.op == "getResourcesForUser" {
			continue // 1.2 added it
		}
		out = append(out, Route{Version: version, Service: SvcResources, Method: "GET", Path: n.path, Operation: n.op,
			Summary: upperFirst(n.summary) + ".", Scopes: scopesRes, Coll: n.coll, Key: n.key, Parents: n.parents})
	}
	return out
}

// resCore: 1.1 has no resource-core scope.
func resCore(version string) []string {
	if version == oneroster.V1p1 {
		return scopesRes
	}
	return scopesResCore
}

func upperFirst(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// Routes returns the built-in routes: OneRoster 1.2 rostering (41) and resources (5), OneRoster 1.1 rostering
// (41) and resources (4). The gradebook of both versions (package gradebook) plugs its routes in through
// Options.Extra.
func Routes() []Route {
	return append(buildRoutes(oneroster.V1p2), buildRoutes(oneroster.V1p1)...)
}
