package demo

import "github.com/rollcall/rollcall/oneroster"

// The generator builds these plain records in memory; a sink writes them. Each record knows its sourcedId from
// the start; id is the database id, filled in by the sink when the record is written, and read when a later
// record refers to it. References are pointers, so that a record can refer to one written in an earlier batch
// (a teacher shared by two schools, a student enrolled at two schools).

type org struct {
	id                         int
	sid, name, typ, identifier string
	parent                     *org
}

type session struct {
	id                                      int
	sid, title, typ, start, end, schoolYear string
	parent                                  *session
	org                                     *org
}

type user struct {
	id                               int
	sid, status                      string
	username, masterID, identifier   string
	given, family, middle, preferred string
	pronouns, email, sms, phone      string
	userIDs                          []oneroster.UserID
	enabled                          bool
	grades                           []string
	primaryOrg                       *org
	agents                           []*user      // guardians of a student; written before the student
	demo                             *demographic // students only; shares the user's sourcedId
	grade                            string       // students: the grade; staff: "" (grades lists what they teach)
	kind                             string       // student, teacher, guardian, admin, aide or counselor
}

type demographic struct {
	status                          string
	birthDate, sex                  string
	race                            [7]bool // in the order of raceColumns
	country, state, city, residence string
}

type role struct {
	sid, status, role, roleType string
	user                        *user
	org                         *org
}

type course struct {
	id                             int
	sid, title, code               string
	grades, subjects, subjectCodes []string
	org                            *org
	year                           *session
}

type class struct {
	id                                      int
	sid, status, title, code, typ, location string
	grades, subjects, subjectCodes, periods []string
	course                                  *course
	school                                  *org
	terms                                   []*session
}

type enrollment struct {
	sid, status, role string
	primary           bool
	begin, end        string // "" for none
	user              *user
	class             *class
	school            *org
}

// batch is what the generator hands the writer for one school: everything is written in the order of the
// fields, so that references always point to records already written.
type batch struct {
	staff       []*user // staff and guardians
	students    []*user // with their agents (guardians, in staff) and demographics
	roles       []*role
	courses     []*course
	classes     []*class
	enrollments []*enrollment
	nStudents   int // students of this school, for progress
}

// raceColumns are the demographic race and ethnicity flags, in the order of demographic.race.
var raceColumns = []string{"american_indian_or_alaska_native", "asian", "black_or_african_american",
	"native_hawaiian_or_other_pacific_islander", "white", "demographic_race_two_or_more_races",
	"hispanic_or_latino_ethnicity"}

// statusOf maps a tombstone flag to a record status.
func statusOf(deleted bool) string {
	if deleted {
		return oneroster.StatusToBeDeleted
	}
	return oneroster.StatusActive
}
