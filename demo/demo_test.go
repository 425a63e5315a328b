package demo

import (
	"bytes"
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/rollcall/rollcall/ent"
	academicsessionq "github.com/rollcall/rollcall/ent/academicsession"
	classq "github.com/rollcall/rollcall/ent/class"
	courseq "github.com/rollcall/rollcall/ent/course"
	demographicq "github.com/rollcall/rollcall/ent/demographic"
	enrollmentq "github.com/rollcall/rollcall/ent/enrollment"
	orgq "github.com/rollcall/rollcall/ent/org"
	roleq "github.com/rollcall/rollcall/ent/role"
	userq "github.com/rollcall/rollcall/ent/user"
	"github.com/rollcall/rollcall/oneroster"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

const testStudents = 300

func generate(t *testing.T, db *store.DB, opt Options) Counts {
	t.Helper()
	c, err := Generate(context.Background(), db, opt)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return c
}

// TestGenerate checks the counts against the database and the invariants of the generated district.
func TestGenerate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		before := schemaOf(t, db)
		driftBefore, err := db.Drift(ctx)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now().UTC().Truncate(time.Millisecond)
		var progressOut bytes.Buffer
		got := generate(t, db, Options{Students: testStudents, Seed: 42, Progress: &progressOut})
		end := time.Now().UTC()
		c := db.Client

		t.Run("counts match the database", func(t *testing.T) {
			count := func(q interface {
				Count(context.Context) (int, error)
			}) int {
				n, err := q.Count(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			var agents int
			if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM user_agents").Scan(&agents); err != nil {
				t.Fatal(err)
			}
			tomb := oneroster.StatusToBeDeleted
			tombstones := count(c.User.Query().Where(userq.Status(tomb))) +
				count(c.Role.Query().Where(roleq.Status(tomb))) +
				count(c.Enrollment.Query().Where(enrollmentq.Status(tomb))) +
				count(c.Class.Query().Where(classq.Status(tomb))) +
				count(c.Demographic.Query().Where(demographicq.Status(tomb))) +
				count(c.Org.Query().Where(orgq.Status(tomb))) +
				count(c.Course.Query().Where(courseq.Status(tomb))) +
				count(c.AcademicSession.Query().Where(academicsessionq.Status(tomb)))
			withRole := func(names ...string) int {
				return count(c.User.Query().Where(userq.HasRolesWith(roleq.RoleIn(names...))))
			}
			for _, tc := range []struct {
				name      string
				got, want int
			}{
				{"orgs", got.Orgs, count(c.Org.Query())},
				{"academic sessions", got.AcademicSessions, count(c.AcademicSession.Query())},
				{"courses", got.Courses, count(c.Course.Query())},
				{"classes", got.Classes, count(c.Class.Query())},
				{"users", got.Users, count(c.User.Query())},
				{"roles", got.Roles, count(c.Role.Query())},
				{"enrollments", got.Enrollments, count(c.Enrollment.Query())},
				{"demographics", got.Demographics, count(c.Demographic.Query())},
				{"agents", got.Agents, agents},
				{"tombstones", got.Tombstones, tombstones},
				{"schools", got.Schools, count(c.Org.Query().Where(orgq.Type("school"), orgq.HasParentWith(orgq.Type("district"))))},
				{"students", got.Students, withRole("student")},
				{"teachers", got.Teachers, withRole("teacher")},
				{"guardians", got.Guardians, withRole("parent", "guardian", "relative")},
				{"demographics per student", got.Demographics, got.Students},
				{"users by kind", got.Users, got.Students + got.Teachers + got.Guardians +
					withRole("principal", "siteAdministrator", "counselor", "aide", "districtAdministrator", "systemAdministrator")},
			} {
				if tc.got != tc.want {
					t.Errorf("%s: Generate said %d, the database holds %d", tc.name, tc.got, tc.want)
				}
			}
			if got.Students != testStudents {
				t.Errorf("students = %d, want %d", got.Students, testStudents)
			}
			if got.Orgs != 1+got.Schools || got.Schools < 3 {
				t.Errorf("orgs = %d, schools = %d: want one district and at least one school per level", got.Orgs, got.Schools)
			}
			if got.AcademicSessions != 7 {
				t.Errorf("academic sessions = %d, want 7 (year, 2 terms, 4 grading periods)", got.AcademicSessions)
			}
			if per := float64(got.Enrollments-got.Classes) / float64(got.Students); per < 6.5 || per > 7.8 {
				t.Errorf("%.2f student enrollments per student, want about 7", per)
			}
			if got.Tombstones == 0 {
				t.Error("no tombstones")
			}
			t.Log(got)
		})

		t.Run("every student has demographics with their sourcedId", func(t *testing.T) {
			students, err := c.User.Query().Where(userq.HasRolesWith(roleq.Role("student"))).WithDemographics().All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range students {
				d := s.Edges.Demographics
				if d == nil {
					t.Fatalf("student %s has no demographics", s.SourcedID)
				}
				if d.SourcedID != s.SourcedID || d.BirthDate == nil || d.Sex == nil || d.White == nil {
					t.Fatalf("student %s: demographics %s birth %v sex %v", s.SourcedID, d.SourcedID, d.BirthDate, d.Sex)
				}
				if d.Status != s.Status {
					t.Errorf("student %s is %s but their demographics are %s", s.SourcedID, s.Status, d.Status)
				}
			}
		})

		t.Run("one primary role per user and org", func(t *testing.T) {
			roles, err := c.Role.Query().All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			primary := map[[2]int]int{}
			secondary := 0
			for _, r := range roles {
				key := [2]int{r.UserID, r.OrgID}
				if _, ok := primary[key]; !ok {
					primary[key] = 0
				}
				if r.RoleType == "primary" {
					primary[key]++
				} else {
					secondary++
				}
			}
			for key, n := range primary {
				if n != 1 {
					t.Errorf("user %d has %d primary roles at org %d", key[0], n, key[1])
				}
			}
			if secondary == 0 {
				t.Error("no secondary roles")
			}
			users, err := c.User.Query().All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range users {
				if u.PrimaryOrgID == nil || primary[[2]int{u.ID, *u.PrimaryOrgID}] != 1 {
					t.Errorf("user %s has no primary role at their primary org", u.SourcedID)
				}
			}
		})

		t.Run("people at two schools", func(t *testing.T) {
			ens, err := c.Enrollment.Query().Where(enrollmentq.Status(oneroster.StatusActive)).All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			schools := map[string]map[int]map[int]bool{"student": {}, "teacher": {}}
			for _, e := range ens {
				m := schools[e.Role]
				if m[e.UserID] == nil {
					m[e.UserID] = map[int]bool{}
				}
				m[e.UserID][e.SchoolID] = true
			}
			for roleName, m := range schools {
				found := false
				for id, s := range m {
					if len(s) >= 2 {
						found = true
						n, err := c.Role.Query().Where(roleq.UserID(id), roleq.RoleIn("student", "teacher")).Count(ctx)
						if err != nil {
							t.Fatal(err)
						}
						if n < 2 {
							t.Errorf("%s %d teaches or learns at %d schools but has %d roles there", roleName, id, len(s), n)
						}
					}
				}
				if !found {
					t.Errorf("no %s with active enrollments at two schools", roleName)
				}
			}
		})

		t.Run("names, usernames and identifiers", func(t *testing.T) {
			users, err := c.User.Query().All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			apostrophe, nonASCII := false, false
			usernameRE := regexp.MustCompile(`^[a-z0-9.]+$`)
			emailRE := regexp.MustCompile(`^[a-z0-9.]+@[a-z0-9.-]+\.(example|com|net|org)$`)
			seen := map[string]bool{}
			for _, u := range users {
				name := u.GivenName + " " + u.FamilyName
				apostrophe = apostrophe || strings.Contains(name, "'")
				nonASCII = nonASCII || strings.IndexFunc(name, func(r rune) bool { return r > unicode.MaxASCII }) >= 0
				if !usernameRE.MatchString(u.Username) || seen[u.Username] {
					t.Errorf("username %q of %q: not lower-case ASCII, or not unique", u.Username, name)
				}
				seen[u.Username] = true
				if !emailRE.MatchString(u.Email) {
					t.Errorf("email %q of %q", u.Email, name)
				}
				if err := oneroster.ValidateSourcedID(u.SourcedID); err != nil {
					t.Error(err)
				}
				if len(u.UserIds) == 0 {
					t.Errorf("user %s has no userIds", u.SourcedID)
				}
			}
			if !apostrophe || !nonASCII {
				t.Errorf("names with an apostrophe: %v, with letters outside ASCII: %v", apostrophe, nonASCII)
			}
		})

		t.Run("classes have one primary teacher and terms", func(t *testing.T) {
			classes, err := c.Class.Query().WithTerms().WithEnrollments().All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, cl := range classes {
				primaries, students := 0, 0
				for _, e := range cl.Edges.Enrollments {
					if e.Role == "teacher" && e.Primary {
						primaries++
					}
					if e.Role == "student" {
						students++
					}
				}
				if primaries != 1 || len(cl.Edges.Terms) == 0 || len(cl.Periods) != 1 || cl.ClassCode == "" {
					t.Errorf("class %s %q: %d primary teachers, %d terms, periods %v, code %q", cl.SourcedID, cl.Title,
						primaries, len(cl.Edges.Terms), cl.Periods, cl.ClassCode)
				}
				if (cl.Status == oneroster.StatusActive) != (students > 0) {
					t.Errorf("class %s is %s with %d students", cl.SourcedID, cl.Status, students)
				}
			}
		})

		t.Run("tombstones of each kind", func(t *testing.T) {
			tomb := oneroster.StatusToBeDeleted
			for _, tc := range []struct {
				what string
				n    func(context.Context) (int, error)
			}{
				{"withdrawn student", c.User.Query().Where(userq.Status(tomb), userq.HasRolesWith(roleq.Role("student"))).Count},
				{"dropped enrollment of an active student", c.Enrollment.Query().Where(enrollmentq.Status(tomb),
					enrollmentq.EndDateNotNil(), enrollmentq.HasUserWith(userq.Status(oneroster.StatusActive))).Count},
				{"cancelled class", c.Class.Query().Where(classq.Status(tomb)).Count},
			} {
				n, err := tc.n(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if n == 0 {
					t.Errorf("no %s", tc.what)
				}
			}
		})

		t.Run("agents are guardians", func(t *testing.T) {
			students, err := c.User.Query().Where(userq.HasRolesWith(roleq.Role("student"))).
				WithAgents(func(q *ent.UserQuery) { q.WithRoles() }).All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range students {
				if len(s.Edges.Agents) == 0 {
					t.Fatalf("student %s has no agents", s.SourcedID)
				}
				for _, a := range s.Edges.Agents {
					if len(a.Edges.Roles) == 0 || !slices.Contains([]string{"parent", "guardian", "relative"}, a.Edges.Roles[0].Role) {
						t.Fatalf("agent %s of student %s is not a guardian", a.SourcedID, s.SourcedID)
					}
				}
			}
		})

		t.Run("hook fields are stamped", func(t *testing.T) {
			ens, err := c.Enrollment.Query().Limit(500).All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			us, err := c.User.Query().Limit(500).All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			check := func(sid, by string, at time.Time) {
				if by != "system" || at.Before(start) || at.After(end) || !at.Equal(at.Truncate(time.Millisecond)) {
					t.Fatalf("%s: modified by %q at %v, want system between %v and %v in milliseconds", sid, by, at, start, end)
				}
			}
			for _, e := range ens {
				check(e.SourcedID, e.ModifiedBy, e.DateLastModified)
			}
			for _, u := range us {
				check(u.SourcedID, u.ModifiedBy, u.DateLastModified)
			}
		})

		t.Run("schema unchanged", func(t *testing.T) {
			// The PostgreSQL bulk load drops and recreates indexes and foreign keys: they must come back exactly.
			if after := schemaOf(t, db); !slices.Equal(before, after) {
				t.Fatalf("the schema changed:\nbefore %v\nafter  %v", before, after)
			}
			drift, err := db.Drift(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(drift, driftBefore) {
				t.Fatalf("Generate changed the drift from ent's schema:\nbefore %v\nafter  %v", driftBefore, drift)
			}
		})

		if !strings.Contains(progressOut.String(), "300/300") {
			t.Errorf("progress did not report completion: %q", progressOut.String())
		}
	})
}

// schemaOf lists the indexes and constraints of the tables the PostgreSQL bulk load touches, as PostgreSQL
// prints them; SQLite's schema as SQLite stores it.
func schemaOf(t *testing.T, db *store.DB) []string {
	t.Helper()
	q := `SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name`
	if db.Dialect == "postgres" {
		q = `SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
			WHERE conrelid::regclass::text = ANY('{users,user_agents,demographics,roles,enrollments}')
			UNION ALL SELECT indexdef FROM pg_indexes
			WHERE tablename = ANY('{users,user_agents,demographics,roles,enrollments}') ORDER BY 1`
	}
	rows, err := db.SQL.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if len(out) < 10 {
		t.Fatalf("schema query found only %v", out)
	}
	return out
}
