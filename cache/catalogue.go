package cache

import (
	"fmt"
	"strings"

	"github.com/rollcall/rollcall/oneroster"
	"github.com/rollcall/rollcall/oneroster/query"
)

// Catalogue returns the fields a collection exposes to filter, sort and fields in a OneRoster version
// ("v1p1" or "v1p2"), for query.Parse; nil when the collection is not published in that version. Every
// published field can be selected; scalar fields and the sourcedId of references (school.sourcedId) can be
// filtered and sorted; multi-valued fields (grades, roles.role, userIds.identifier, terms.sourcedId) can be
// filtered; metadata.* filters and sorts on the metadata object's members.
func Catalogue(c Collection, version string) *query.Catalogue {
	return catalogues[catKey{c, version}]
}

type catKey struct {
	c       Collection
	version string
}

var catalogues = map[catKey]*query.Catalogue{}

func init() {
	for _, c := range AllCollections {
		for _, v := range []string{oneroster.V1p1, oneroster.V1p2} {
			if !c.InVersion(v) {
				continue
			}
			fields := append(baseFields(), collectionFields(c, v)...)
			for _, f := range fields {
				if strings.ContainsAny(f.Name, `'"\`) {
					panic(fmt.Sprintf("cache: field name %q cannot be used as a SQL literal", f.Name))
				}
			}
			catalogues[catKey{c, v}] = query.MustCatalogue(fields...)
		}
	}
}

const (
	fs  = query.Filterable | query.Sortable
	all = query.AllUses
	sel = query.Selectable
)

func str(name string) query.Field  { return query.Field{Name: name, Type: query.TypeString, Use: all} }
func date(name string) query.Field { return query.Field{Name: name, Type: query.TypeDate, Use: all} }
func dt(name string) query.Field   { return query.Field{Name: name, Type: query.TypeDateTime, Use: all} }
func num(name string) query.Field  { return query.Field{Name: name, Type: query.TypeNumber, Use: all} }
func boolF(name string) query.Field {
	return query.Field{Name: name, Type: query.TypeBoolean, Use: all}
}
func obj1(name string) query.Field { return query.Field{Name: name, Type: query.TypeString, Use: sel} }

// arr is a multi-valued string field; top-level arrays (grades) are also selectable.
func arr(name string) query.Field {
	use := query.Filterable
	if !strings.Contains(name, ".") {
		use |= sel
	}
	return query.Field{Name: name, Type: query.TypeString, Array: true, Use: use}
}

func enum(name string, voc oneroster.Vocabulary, ext bool) query.Field {
	return query.Field{Name: name, Type: query.TypeEnum, Values: voc.Values, Extensible: ext && voc.Extensible, Use: all}
}

func enumArr(name string, voc oneroster.Vocabulary, ext bool) query.Field {
	f := enum(name, voc, ext)
	f.Array, f.Use = true, query.Filterable
	return f
}

// ref1 declares a single GUIDRef: the object (selectable) and its sourcedId (filterable, sortable).
func ref1(name string) []query.Field {
	return []query.Field{obj1(name), {Name: name + ".sourcedId", Type: query.TypeString, Use: fs}}
}

// refN declares an array of GUIDRefs: the array (selectable) and its sourcedIds (filterable).
func refN(name string) []query.Field {
	return []query.Field{obj1(name), arr(name + ".sourcedId")}
}

func baseFields() []query.Field {
	return []query.Field{
		str("sourcedId"),
		enum("status", oneroster.Statuses, false),
		dt("dateLastModified"),
		obj1("metadata"),
		{Name: "metadata.*", Type: query.TypeString, Use: fs},
	}
}

// Vocabularies of 1.1 where they differ from the stored (1.1 ∪ 1.2) ones.
var (
	userRoles11 = oneroster.Vocabulary{Name: "user role", Values: []string{"administrator", "aide", "guardian", "parent", "proctor", "relative", "student", "teacher"}}
	userRoles12 = oneroster.Vocabulary{Name: "user role", Values: []string{"aide", "counselor", "districtAdministrator", "guardian", "parent", "principal", "proctor", "relative", "siteAdministrator", "student", "systemAdministrator", "teacher"}, Extensible: true}
	sexes11     = oneroster.Vocabulary{Name: "sex", Values: []string{"male", "female"}}
)

func collectionFields(c Collection, v string) []query.Field {
	v12 := v == oneroster.V1p2
	var out []query.Field
	add := func(f ...query.Field) { out = append(out, f...) }
	switch c {
	case Orgs:
		add(str("name"), enum("type", oneroster.OrgTypes, v12), str("identifier"))
		add(ref1("parent")...)
		add(refN("children")...)
	case AcademicSessions:
		add(str("title"), date("startDate"), date("endDate"), enum("type", oneroster.SessionTypes, v12), str("schoolYear"))
		add(ref1("parent")...)
		add(refN("children")...)
	case Courses:
		add(str("title"), str("courseCode"), arr("grades"), arr("subjects"), arr("subjectCodes"))
		add(ref1("schoolYear")...)
		add(ref1("org")...)
		add(refN("resources")...)
	case Classes:
		add(str("title"), str("classCode"), enum("classType", oneroster.ClassTypes, v12), str("location"),
			arr("grades"), arr("subjects"), arr("subjectCodes"), arr("periods"))
		add(ref1("course")...)
		add(ref1("school")...)
		add(refN("terms")...)
		add(refN("resources")...)
	case Enrollments:
		add(enum("role", oneroster.EnrollmentRoles, v12), boolF("primary"), date("beginDate"), date("endDate"))
		add(ref1("user")...)
		add(ref1("class")...)
		add(ref1("school")...)
	case Demographics:
		sex := enum("sex", oneroster.Sexes, true)
		if !v12 {
			sex = enum("sex", sexes11, false)
		}
		add(date("birthDate"), sex, str("countryOfBirthCode"), str("stateOfBirthAbbreviation"),
			str("cityOfBirth"), str("publicSchoolResidenceStatus"))
		for _, r := range raceFields {
			add(boolF(r))
		}
	case Users:
		add(str("username"), boolF("enabledUser"), str("givenName"), str("familyName"), str("middleName"),
			str("identifier"), str("email"), str("sms"), str("phone"), arr("grades"),
			obj1("userIds"), arr("userIds.type"), arr("userIds.identifier"))
		add(refN("agents")...)
		if v12 {
			add(str("userMasterIdentifier"), str("preferredFirstName"), str("preferredMiddleName"),
				str("preferredLastName"), str("pronouns"), obj1("roles"), enumArr("roles.role", userRoles12, true),
				enumArr("roles.roleType", oneroster.RoleTypes, false), arr("roles.org.sourcedId"),
				obj1("userProfiles"), arr("userProfiles.profileType"), arr("userProfiles.vendorId"),
				arr("userProfiles.applicationId"))
			add(ref1("primaryOrg")...)
			add(refN("resources")...)
		} else {
			add(enum("role", userRoles11, false))
			add(refN("orgs")...)
		}
	case Resources:
		roles := enumArr("roles", oneroster.ResourceRoles, v12)
		roles.Use |= sel // a top-level array
		add(str("title"), roles, enum("importance", oneroster.Importances, false),
			str("vendorResourceId"), str("vendorId"), str("applicationId"))
	case Categories:
		add(str("title"))
		if v12 {
			add(num("weight"))
		}
	case LineItems:
		add(str("title"), str("description"), dt("assignDate"), dt("dueDate"), num("resultValueMin"), num("resultValueMax"))
		add(ref1("class")...)
		add(ref1("category")...)
		add(ref1("gradingPeriod")...)
		if v12 {
			add(ref1("school")...)
			add(ref1("academicSession")...)
			add(ref1("scoreScale")...)
			add(obj1("learningObjectiveSet"))
		}
	case Results:
		add(enum("scoreStatus", oneroster.ScoreStatuses, v12), num("score"), date("scoreDate"), str("comment"))
		add(ref1("lineItem")...)
		add(ref1("student")...)
		if v12 {
			add(str("textScore"), boolF("inProgress"), boolF("incomplete"), boolF("late"), boolF("missing"),
				obj1("learningObjectiveSet"))
			add(ref1("class")...)
			add(ref1("scoreScale")...)
		}
	case ScoreScales:
		add(str("title"), str("type"), obj1("scoreScaleValue"))
		add(ref1("course")...)
		add(ref1("class")...)
	case AssessmentLineItems:
		add(str("title"), str("description"), num("resultValueMin"), num("resultValueMax"), obj1("learningObjectiveSet"))
		add(ref1("class")...)
		add(ref1("parentAssessmentLineItem")...)
		add(ref1("scoreScale")...)
	case AssessmentResults:
		add(enum("scoreStatus", oneroster.ScoreStatuses, true), num("score"), str("textScore"), date("scoreDate"),
			num("scorePercentile"), str("comment"), boolF("inProgress"), boolF("incomplete"), boolF("late"),
			boolF("missing"), obj1("learningObjectiveSet"))
		add(ref1("assessmentLineItem")...)
		add(ref1("student")...)
		add(ref1("scoreScale")...)
	}
	return out
}

// raceFields are the demographics race and ethnicity flags, in publication order.
var raceFields = []string{"americanIndianOrAlaskaNative", "asian", "blackOrAfricanAmerican",
	"nativeHawaiianOrOtherPacificIslander", "white", "demographicRaceTwoOrMoreRaces", "hispanicOrLatinoEthnicity"}
