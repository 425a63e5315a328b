package cache

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/oneroster"
)

// Collection names a published OneRoster collection, by its collection endpoint's name (and the key of its
// collection envelope). Subsets (schools, terms, gradingPeriods, students, teachers) are not collections: they
// are a Collection plus Scope.Kind.
type Collection string

// The published collections.
const (
	Orgs                Collection = "orgs"
	AcademicSessions    Collection = "academicSessions"
	Courses             Collection = "courses"
	Classes             Collection = "classes"
	Users               Collection = "users"
	Enrollments         Collection = "enrollments"
	Demographics        Collection = "demographics"
	Resources           Collection = "resources"
	Categories          Collection = "categories"
	LineItems           Collection = "lineItems"
	Results             Collection = "results"
	ScoreScales         Collection = "scoreScales"
	AssessmentLineItems Collection = "assessmentLineItems"
	AssessmentResults   Collection = "assessmentResults"
)

// service is the OneRoster 1.2 service a collection belongs to; it decides the root of its hrefs.
type service int

const (
	svcRostering service = iota
	svcGradebook
	svcResources
)

// collInfo is what the package knows about one collection.
type collInfo struct {
	code      int16   // stored in cache_records.collection
	svc       service // 1.2 service
	refType   string  // GUIDRef type of a reference to one of its records
	single    string  // single-object envelope key
	v1p1      bool    // also published in OneRoster 1.1
	gradebook bool    // vendors write it: records are published through at once, so pos is not dense
}

var collections = map[Collection]collInfo{
	Orgs:                {code: 1, svc: svcRostering, refType: "org", single: "org", v1p1: true},
	AcademicSessions:    {code: 2, svc: svcRostering, refType: "academicSession", single: "academicSession", v1p1: true},
	Courses:             {code: 3, svc: svcRostering, refType: "course", single: "course", v1p1: true},
	Classes:             {code: 4, svc: svcRostering, refType: "class", single: "class", v1p1: true},
	Users:               {code: 5, svc: svcRostering, refType: "user", single: "user", v1p1: true},
	Enrollments:         {code: 6, svc: svcRostering, refType: "enrollment", single: "enrollment", v1p1: true},
	Demographics:        {code: 7, svc: svcRostering, refType: "demographics", single: "demographics", v1p1: true},
	Resources:           {code: 8, svc: svcResources, refType: "resource", single: "resource", v1p1: true},
	Categories:          {code: 9, svc: svcGradebook, refType: "category", single: "category", v1p1: true, gradebook: true},
	LineItems:           {code: 10, svc: svcGradebook, refType: "lineItem", single: "lineItem", v1p1: true, gradebook: true},
	Results:             {code: 11, svc: svcGradebook, refType: "result", single: "result", v1p1: true, gradebook: true},
	ScoreScales:         {code: 12, svc: svcGradebook, refType: "scoreScale", single: "scoreScale", gradebook: true},
	AssessmentLineItems: {code: 13, svc: svcGradebook, refType: "assessmentLineItem", single: "assessmentLineItem", gradebook: true},
	AssessmentResults:   {code: 14, svc: svcGradebook, refType: "assessmentResult", single: "assessmentResult", gradebook: true},
}

// AllCollections lists the collections in the order a refresh builds them.
var AllCollections = []Collection{Orgs, AcademicSessions, Courses, Classes, Users, Enrollments, Demographics,
	Resources, Categories, LineItems, Results, ScoreScales, AssessmentLineItems, AssessmentResults}

// GradebookCollections are the collections vendors write (PublishGradebook).
var GradebookCollections = []Collection{Categories, LineItems, Results, ScoreScales, AssessmentLineItems, AssessmentResults}

// Valid reports whether c is a published collection.
func (c Collection) Valid() bool { _, ok := collections[c]; return ok }

// InVersion reports whether c is published in the OneRoster version ("v1p1" or "v1p2").
func (c Collection) InVersion(version string) bool {
	ci, ok := collections[c]
	return ok && (version == oneroster.V1p2 || (version == oneroster.V1p1 && ci.v1p1))
}

// SingleKey is the key of the single-object envelope ({"user":{...}}); for demographics it is "demographics".
func (c Collection) SingleKey() string { return collections[c].single }

func (c Collection) info() collInfo { return collections[c] }

// collectionByCode maps a stored code back to its collection.
func collectionByCode(code int16) (Collection, bool) {
	for c, ci := range collections {
		if ci.code == code {
			return c, true
		}
	}
	return "", false
}

// Kind selects a subset of a collection, as the subset endpoints do (SPEC §5.6).
type Kind string

// The subsets. KindStudent and KindTeacher follow the viewer's version: in 1.1 the user's (single) role, in
// 1.2 any of the user's roles.
const (
	KindSchool        Kind = "school"        // orgs of type school
	KindTerm          Kind = "term"          // academic sessions of type term
	KindGradingPeriod Kind = "gradingPeriod" // academic sessions of type gradingPeriod
	KindStudent       Kind = "student"       // users with the student role
	KindTeacher       Kind = "teacher"       // users with the teacher role
)

// Bits of cache_records.kinds.
const (
	bitSchool        int32 = 1 << 0
	bitTerm          int32 = 1 << 1
	bitGradingPeriod int32 = 1 << 2
	bitStudent12     int32 = 1 << 3 // 1.2: some role is student
	bitTeacher12     int32 = 1 << 4
	bitStudent11     int32 = 1 << 5 // 1.1: the user's role is student
	bitTeacher11     int32 = 1 << 6
	// Enrollment roles, on enrollments.
	bitEnrStudent       int32 = 1 << 8
	bitEnrTeacher       int32 = 1 << 9
	bitEnrAdministrator int32 = 1 << 10
	bitEnrProctor       int32 = 1 << 11
	// bitGone: the version has rel gone links (schools that lost sight of it; see gone.go), so that a
	// school-limited reader looks for them only on the few records that have some.
	bitGone int32 = 1 << 16
)

// kindBit returns the kinds bit of a subset for a collection and version, or an error if the subset does
// not apply to the collection.
func kindBit(c Collection, k Kind, version string) (int32, error) {
	v11 := version == oneroster.V1p1
	switch {
	case c == Orgs && k == KindSchool:
		return bitSchool, nil
	case c == AcademicSessions && k == KindTerm:
		return bitTerm, nil
	case c == AcademicSessions && k == KindGradingPeriod:
		return bitGradingPeriod, nil
	case c == Users && k == KindStudent && v11:
		return bitStudent11, nil
	case c == Users && k == KindStudent:
		return bitStudent12, nil
	case c == Users && k == KindTeacher && v11:
		return bitTeacher11, nil
	case c == Users && k == KindTeacher:
		return bitTeacher12, nil
	}
	return 0, fmt.Errorf("cache: subset %q does not apply to %s", k, c)
}

// enrollmentRoleBit returns the kinds bit of an enrollment role ("" for any role: 0).
func enrollmentRoleBit(role string) (int32, error) {
	switch role {
	case "":
		return 0, nil
	case "student":
		return bitEnrStudent, nil
	case "teacher":
		return bitEnrTeacher, nil
	case "administrator":
		return bitEnrAdministrator, nil
	case "proctor":
		return bitEnrProctor, nil
	}
	return 0, fmt.Errorf("cache: unknown enrollment role %q", role)
}

// Scope values of cache_records.scope: which connections limited to some schools may see a record.
const (
	scopeAll             int8 = 0 // every connection (the district org, resources, ...)
	scopeSchool          int8 = 1 // connections with the school in cache_records.school
	scopeLinked          int8 = 2 // connections with one of the schools linked (cache_links rel school), if any
	relSchool                 = "school"
	relTerm                   = "term"
	relClass                  = "class"
	relCourse                 = "course"
	relUser                   = "user"
	relGone                   = "gone" // a school that saw an earlier version and no longer sees the record; "" every school
	placeholderRostering      = '\x01'
	placeholderGradebook      = '\x02'
	placeholderResources      = '\x03'
)

// placeholders is every href placeholder byte, for bytes.IndexAny.
const placeholders = "\x01\x02\x03"

// Hrefs are the absolute roots GUIDRef hrefs are built from, without a trailing slash. The cache stores hrefs
// as a placeholder byte (\x01 rostering, \x02 gradebook, \x03 resources, which JSON text can never contain
// unescaped) followed by "/collection/sourcedId"; List and Get replace the byte with the root.
type Hrefs struct {
	Rostering, Gradebook, Resources string
}

// HrefsFor returns the roots of a OneRoster version served at publicURL (no trailing slash), e.g.
// https://h/ims/oneroster/v1p1 for every service in 1.1 and https://h/ims/oneroster/rostering/v1p2 (and
// gradebook, resources) in 1.2.
func HrefsFor(publicURL, version string) Hrefs {
	base := publicURL + "/ims/oneroster"
	if version == oneroster.V1p1 {
		r := base + "/v1p1"
		return Hrefs{Rostering: r, Gradebook: r, Resources: r}
	}
	return Hrefs{Rostering: base + "/rostering/v1p2", Gradebook: base + "/gradebook/v1p2", Resources: base + "/resources/v1p2"}
}

// genOpen is the gen_to of a record version that is still current.
const genOpen = 1 << 62

// markStep is the distance between two position marks (cache_marks).
const markStep = 1000

// state is what a refresh decides about a live record.
type state uint8

const (
	stActive  state = iota // published as is
	stDeleted              // deleted in the live data: published as a tombstone rendered from the live row
	stHidden               // excluded (or beneath an excluded or deleted record, or unpublished by a setting):
	// published as a tombstone made from the previous generation's record, or not at all if it never was
)

// link is one cache_links row of a record.
type link struct{ rel, target string }

// record is one published record on its way into a generation.
type record struct {
	coll              Collection
	sid               string
	st                state
	status            string
	body12, body11    []byte // body11 nil: same as body12; dateLastModified zeroed (dlmZero) until stamped
	doc               []byte
	kinds             int32
	scope             int8
	school            string
	refA, refB        string
	links             []link
	tombs             map[string]tomb // of the gone links, by target (see gone.go)
	hash              int64
	modified          int64    // Unix ms
	prev              *prevKey // the same record in the previous generation, if any
	fromPrev, changed bool
	carry             bool // a tombstone that stays as the previous generation has it
}

// canonLinks orders links and drops duplicates, so that equal sets hash equally.
func canonLinks(ls []link) []link {
	slices.SortFunc(ls, func(a, b link) int {
		if a.rel != b.rel {
			return strings.Compare(a.rel, b.rel)
		}
		return strings.Compare(a.target, b.target)
	})
	return slices.Compact(ls)
}
