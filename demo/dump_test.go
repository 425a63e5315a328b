package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/store"
)

// dump renders every record the generator writes as one line of its table, sourcedId and fields, with
// references written as sourcedIds. Database ids and dateLastModified are left out: they are the only things
// allowed to differ between two runs with the same seed. The lines are sorted.
func dump(t *testing.T, db *store.DB) []string {
	t.Helper()
	ctx := context.Background()
	c := db.Client
	var out []string
	add := func(table, sid string, fields ...any) {
		parts := []string{table, sid}
		for _, f := range fields {
			switch v := f.(type) {
			case string:
				parts = append(parts, v)
			default:
				b, err := json.Marshal(v)
				if err != nil {
					t.Fatal(err)
				}
				parts = append(parts, string(b))
			}
		}
		out = append(out, strings.Join(parts, "|"))
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	ref := func(m map[int]string, id *int) string {
		if id == nil {
			return "-"
		}
		return m[*id]
	}

	orgs, err := c.Org.Query().All(ctx)
	must(err)
	orgSID := map[int]string{}
	for _, o := range orgs {
		orgSID[o.ID] = o.SourcedID
	}
	for _, o := range orgs {
		add("org", o.SourcedID, o.Status, o.Name, o.Type, o.Identifier, ref(orgSID, o.ParentID), o.ModifiedBy)
	}
	sessions, err := c.AcademicSession.Query().All(ctx)
	must(err)
	sesSID := map[int]string{}
	for _, s := range sessions {
		sesSID[s.ID] = s.SourcedID
	}
	for _, s := range sessions {
		add("session", s.SourcedID, s.Status, s.Title, s.Type, s.StartDate, s.EndDate, s.SchoolYear,
			ref(sesSID, s.ParentID), ref(orgSID, s.OrgID), s.ModifiedBy)
	}
	courses, err := c.Course.Query().All(ctx)
	must(err)
	courseSID := map[int]string{}
	for _, x := range courses {
		courseSID[x.ID] = x.SourcedID
		add("course", x.SourcedID, x.Status, x.Title, x.CourseCode, x.Grades, x.Subjects, x.SubjectCodes,
			ref(orgSID, x.OrgID), ref(sesSID, x.SchoolYearID), x.ModifiedBy)
	}
	classes, err := c.Class.Query().WithTerms().All(ctx)
	must(err)
	classSID := map[int]string{}
	for _, x := range classes {
		classSID[x.ID] = x.SourcedID
		var terms []string
		for _, t := range x.Edges.Terms {
			terms = append(terms, t.SourcedID)
		}
		slices.Sort(terms)
		add("class", x.SourcedID, x.Status, x.Title, x.ClassCode, x.ClassType, x.Location, x.Grades, x.Subjects,
			x.SubjectCodes, x.Periods, courseSID[x.CourseID], orgSID[x.SchoolID], terms, x.ModifiedBy)
	}
	users, err := c.User.Query().WithAgents().All(ctx)
	must(err)
	userSID := map[int]string{}
	for _, u := range users {
		userSID[u.ID] = u.SourcedID
	}
	for _, u := range users {
		var agents []string
		for _, a := range u.Edges.Agents {
			agents = append(agents, a.SourcedID)
		}
		slices.Sort(agents)
		add("user", u.SourcedID, u.Status, u.Username, u.UserMasterIdentifier, u.UserIds, u.EnabledUser,
			u.GivenName, u.FamilyName, u.MiddleName, u.PreferredFirstName, u.PreferredMiddleName,
			u.PreferredLastName, u.Pronouns, u.Identifier, u.Email, u.Sms, u.Phone, u.Grades, u.Password,
			ref(orgSID, u.PrimaryOrgID), agents, u.ExternalLmsExclude, u.Metadata, u.ModifiedBy)
	}
	roles, err := c.Role.Query().All(ctx)
	must(err)
	for _, r := range roles {
		add("role", r.SourcedID, r.Status, r.Role, r.RoleType, r.BeginDate, r.EndDate, userSID[r.UserID],
			orgSID[r.OrgID], r.Metadata, r.ModifiedBy)
	}
	demos, err := c.Demographic.Query().All(ctx)
	must(err)
	for _, d := range demos {
		add("demographic", d.SourcedID, d.Status, d.BirthDate, d.Sex, d.AmericanIndianOrAlaskaNative, d.Asian,
			d.BlackOrAfricanAmerican, d.NativeHawaiianOrOtherPacificIslander, d.White,
			d.DemographicRaceTwoOrMoreRaces, d.HispanicOrLatinoEthnicity, d.CountryOfBirthCode,
			d.StateOfBirthAbbreviation, d.CityOfBirth, d.PublicSchoolResidenceStatus, ref(userSID, d.UserID),
			d.Metadata, d.ModifiedBy)
	}
	enrollments, err := c.Enrollment.Query().All(ctx)
	must(err)
	for _, e := range enrollments {
		add("enrollment", e.SourcedID, e.Status, e.Role, e.Primary, e.BeginDate, e.EndDate, userSID[e.UserID],
			classSID[e.ClassID], orgSID[e.SchoolID], e.ExternalLmsExclude, e.Metadata, e.ModifiedBy)
	}
	slices.Sort(out)
	return out
}

// diff describes the first differences between two dumps, for failure messages.
func diff(a, b []string) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d vs %d lines", len(a), len(b))
	shown := 0
	for i := 0; i < max(len(a), len(b)) && shown < 5; i++ {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			fmt.Fprintf(&sb, "\n- %s\n+ %s", x, y)
			shown++
		}
	}
	return sb.String()
}
