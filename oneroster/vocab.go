// Package oneroster holds the vocabulary of the OneRoster standard (1.1 and 1.2) that the rest of Rollcall
// shares: status values, enumerations, the structured values stored inside records, and the validators the
// data model applies to them. It has no dependencies on storage or HTTP.
package oneroster

import (
	"fmt"
	"regexp"
	"slices"
	"time"
)

// Record status values. Deleting a record never removes its row: it becomes a tombstone with StatusToBeDeleted.
const (
	StatusActive      = "active"
	StatusToBeDeleted = "tobedeleted"
)

// extToken is the 1.2 pattern for extension values of an extensible vocabulary.
var extToken = regexp.MustCompile(`^ext:[a-zA-Z0-9.\-_]+$`)

// Vocabulary is a closed set of values, optionally extensible with 1.2 `ext:` tokens.
type Vocabulary struct {
	Name       string
	Values     []string
	Extensible bool
}

// Validate reports whether v belongs to the vocabulary, with an error that names the allowed values.
func (voc Vocabulary) Validate(v string) error {
	if slices.Contains(voc.Values, v) || (voc.Extensible && extToken.MatchString(v)) {
		return nil
	}
	ext := ""
	if voc.Extensible {
		ext = " or an ext: token"
	}
	return fmt.Errorf("%q is not a valid %s (want one of %v%s)", v, voc.Name, voc.Values, ext)
}

// The vocabularies of the data model (SPEC §5.4). Stored values are the union of 1.1 and 1.2 where they differ.
var (
	Statuses        = Vocabulary{Name: "status", Values: []string{StatusActive, StatusToBeDeleted}}
	OrgTypes        = Vocabulary{Name: "org type", Values: []string{"department", "district", "local", "national", "school", "state"}, Extensible: true}
	SessionTypes    = Vocabulary{Name: "academic session type", Values: []string{"gradingPeriod", "semester", "schoolYear", "term"}, Extensible: true}
	ClassTypes      = Vocabulary{Name: "class type", Values: []string{"homeroom", "scheduled"}, Extensible: true}
	EnrollmentRoles = Vocabulary{Name: "enrollment role", Values: []string{"administrator", "proctor", "student", "teacher"}, Extensible: true}
	RoleTypes       = Vocabulary{Name: "role type", Values: []string{"primary", "secondary"}}
	Sexes           = Vocabulary{Name: "sex", Values: []string{"male", "female", "unspecified", "other"}, Extensible: true}
	ScoreStatuses   = Vocabulary{Name: "score status", Values: []string{"exempt", "fully graded", "not submitted", "partially graded", "submitted"}, Extensible: true}
	Importances     = Vocabulary{Name: "importance", Values: []string{"primary", "secondary"}}
	ResourceRoles   = Vocabulary{Name: "resource role", Values: []string{"administrator", "aide", "guardian", "parent", "proctor", "relative", "student", "teacher"}, Extensible: true}
	UserRoles       = Vocabulary{Name: "user role", Values: []string{"administrator", "aide", "counselor", "districtAdministrator", "guardian", "parent", "principal", "proctor", "relative", "siteAdministrator", "student", "systemAdministrator", "teacher"}, Extensible: true}
)

// ValidateDate checks a OneRoster date: YYYY-MM-DD, a real calendar day.
func ValidateDate(s string) error {
	if _, err := time.Parse(time.DateOnly, s); err != nil || len(s) != 10 {
		return fmt.Errorf("%q is not a date (want YYYY-MM-DD)", s)
	}
	return nil
}

var yearPattern = regexp.MustCompile(`^[0-9]{4}$`)

// ValidateYear checks a school year: the four-digit year in which the school year ends.
func ValidateYear(s string) error {
	if !yearPattern.MatchString(s) {
		return fmt.Errorf("%q is not a school year (want YYYY, the year the school year ends)", s)
	}
	return nil
}

var sourcedIDPattern = regexp.MustCompile(`^[\x21-\x7e]{1,255}$`)

// ValidateSourcedID checks an identifier: 1 to 255 printable ASCII characters without spaces, so that it can
// stand in a URL path segment and a CSV cell unchanged.
func ValidateSourcedID(s string) error {
	if !sourcedIDPattern.MatchString(s) {
		return fmt.Errorf("%q is not a valid sourcedId (want 1 to 255 printable ASCII characters, no spaces)", s)
	}
	return nil
}

// UserID is one of a user's identifiers in another system (1.2 UserIdDType).
type UserID struct {
	Type       string `json:"type"`
	Identifier string `json:"identifier"`
}

// Credential is a user's login with a vendor's application (1.2 CredentialDType).
type Credential struct {
	Type     string `json:"type"`
	Username string `json:"username"`
	Password string `json:"password,omitempty"`
}

// ScoreScaleValue maps a left-hand value (a value or a range "x - y") to a right-hand value.
type ScoreScaleValue struct {
	ItemValueLHS string `json:"itemValueLHS"`
	ItemValueRHS string `json:"itemValueRHS"`
}

// LearningObjectiveSet lists the learning objectives a line item assesses.
type LearningObjectiveSet struct {
	Source               string   `json:"source"`
	LearningObjectiveIDs []string `json:"learningObjectiveIds"`
}

// LearningObjectiveResult is a score against one learning objective.
type LearningObjectiveResult struct {
	LearningObjectiveID string   `json:"learningObjectiveId"`
	Score               *float64 `json:"score,omitempty"`
	TextScore           string   `json:"textScore,omitempty"`
}

// LearningObjectiveScoreSet groups learning objective results by their source.
type LearningObjectiveScoreSet struct {
	Source                   string                    `json:"source"`
	LearningObjectiveResults []LearningObjectiveResult `json:"learningObjectiveResults"`
}
