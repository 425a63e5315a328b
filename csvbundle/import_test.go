package csvbundle

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/class"
	"github.com/rollcall/rollcall/ent/importrun"
	"github.com/rollcall/rollcall/ent/org"
	"github.com/rollcall/rollcall/ent/role"
	"github.com/rollcall/rollcall/ent/user"
	"github.com/rollcall/rollcall/ent/userprofile"
	"github.com/rollcall/rollcall/oneroster"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

func TestImportSamplesCounts(t *testing.T) {
	type want map[string]map[string]int
	cases := []struct {
		name   string
		counts want
	}{
		{"v11", want{
			"orgs.csv": {"rows": 3, "created": 3}, "academicSessions.csv": {"rows": 3, "created": 3},
			"courses.csv": {"rows": 2, "created": 2}, "classes.csv": {"rows": 3, "created": 3},
			"users.csv": {"rows": 5, "created": 5}, rolesCounts: {"created": 6},
			"enrollments.csv": {"rows": 5, "created": 5}, "demographics.csv": {"rows": 2, "created": 2},
			"resources.csv": {"rows": 1, "created": 1}, "classResources.csv": {"rows": 1, "created": 1},
			"courseResources.csv": {"rows": 1, "created": 1}, "categories.csv": {"rows": 1, "created": 1},
			"lineItems.csv": {"rows": 1, "created": 1}, "results.csv": {"rows": 1, "created": 1},
		}},
		{"v12", want{
			"orgs.csv": {"rows": 3, "created": 3}, "academicSessions.csv": {"rows": 4, "created": 4},
			"courses.csv": {"rows": 2, "created": 2}, "classes.csv": {"rows": 3, "created": 3},
			"users.csv": {"rows": 5, "created": 5}, "userProfiles.csv": {"rows": 3, "created": 2},
			"roles.csv": {"rows": 7, "created": 7}, "enrollments.csv": {"rows": 5, "created": 5},
			"demographics.csv": {"rows": 2, "created": 2}, "resources.csv": {"rows": 2, "created": 2},
			"classResources.csv": {"rows": 2, "created": 2}, "courseResources.csv": {"rows": 1, "created": 1},
			"userResources.csv": {"rows": 1, "created": 1}, "categories.csv": {"rows": 2, "created": 2},
			"scoreScales.csv": {"rows": 1, "created": 1}, "lineItems.csv": {"rows": 2, "created": 2},
			"results.csv": {"rows": 2, "created": 2}, "lineItemScoreScales.csv": {"rows": 1, "created": 1},
			"resultScoreScales.csv":            {"rows": 1, "created": 1},
			"lineItemLearningObjectiveIds.csv": {"rows": 3, "created": 3},
			"resultLearningObjectiveIds.csv":   {"rows": 2, "created": 2},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				run := mustImport(t, db, sample(t, tc.name))
				if fmt.Sprint(run.Counts) != fmt.Sprint(map[string]map[string]int(tc.counts)) {
					t.Errorf("counts:\n got %v\nwant %v", run.Counts, tc.counts)
				}
			})
		})
	}
}

// TestImportSample12 checks what the 1.2 sample becomes, field by field where it is tricky.
func TestImportSample12(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := db.Client
		run := mustImport(t, db, sample(t, "v12"))
		by := fmt.Sprintf("import:%d", run.ID)

		hs := c.Org.Query().Where(org.SourcedID("org-hs")).WithParent().OnlyX(ctx)
		if hs.Name != "Côte-d'Ivoire High School" || hs.Edges.Parent == nil || hs.Edges.Parent.SourcedID != "org-district" {
			t.Errorf("org-hs: %q parent %v (the parent comes later in the file)", hs.Name, hs.Edges.Parent)
		}
		if fmt.Sprint(hs.Metadata) != "map[nces:map[id:3600001]]" || hs.ModifiedBy != by {
			t.Errorf("org-hs metadata %v, modifiedBy %q", hs.Metadata, hs.ModifiedBy)
		}
		stu := c.User.Query().Where(user.SourcedID("u-stu-1")).WithAgents().WithPrimaryOrg().OnlyX(ctx)
		if stu.GivenName != "Siobhán" || stu.FamilyName != "O'Boyle" || stu.PreferredFirstName != "Shiv" ||
			stu.UserMasterIdentifier != "SIS-1001" || stu.Pronouns != "she/her" || !stu.EnabledUser {
			t.Errorf("u-stu-1: %+v", stu)
		}
		if len(stu.Edges.Agents) != 1 || stu.Edges.Agents[0].SourcedID != "u-par-1" || stu.Edges.PrimaryOrg.SourcedID != "org-hs" {
			t.Errorf("u-stu-1 agents %v primary org %v", stu.Edges.Agents, stu.Edges.PrimaryOrg)
		}
		if want := []oneroster.UserID{{Type: "LDAP", Identifier: "soboyle"}, {Type: "SIS", Identifier: "1001"}}; !slices.Equal(stu.UserIds, want) {
			t.Errorf("userIds %v", stu.UserIds)
		}
		if !slices.Equal(stu.Grades, []string{"09"}) || fmt.Sprint(stu.Metadata) != "map[sis:map[homeLanguage:ga]]" {
			t.Errorf("grades %v metadata %v", stu.Grades, stu.Metadata)
		}
		if par := c.User.Query().Where(user.SourcedID("u-par-1")).OnlyX(ctx); par.EnabledUser || par.Sms != "+15550103" {
			t.Errorf("u-par-1: enabled %v sms %q", par.EnabledUser, par.Sms)
		}
		if old := c.User.Query().Where(user.SourcedID("u-old")).OnlyX(ctx); old.Status != oneroster.StatusToBeDeleted {
			t.Errorf("u-old is %s, want a tombstone", old.Status)
		}
		cls := c.Class.Query().Where(class.SourcedID("cls-alg-1")).WithTerms().WithResources().OnlyX(ctx)
		var terms []string
		for _, s := range cls.Edges.Terms {
			terms = append(terms, s.SourcedID)
		}
		slices.Sort(terms)
		if !slices.Equal(terms, []string{"as-t1", "as-t2"}) || len(cls.Edges.Resources) != 1 || cls.Title != "Algebra I — Period 1" {
			t.Errorf("cls-alg-1 %q terms %v resources %v", cls.Title, terms, cls.Edges.Resources)
		}
		if fr := c.Class.Query().Where(class.SourcedID("cls-fr-1")).OnlyX(ctx); fr.Location != `Salle "B"` || !slices.Equal(fr.Periods, []string{"2", "3"}) {
			t.Errorf("cls-fr-1 location %q periods %v", fr.Location, fr.Periods)
		}
		prof := c.UserProfile.Query().Where(userprofile.SourcedID("prof-1")).OnlyX(ctx)
		if len(prof.Credentials) != 2 || prof.Credentials[1] != (oneroster.Credential{Type: "badge", Username: "QR-1001", Password: "s3cret"}) {
			t.Errorf("prof-1 credentials %+v", prof.Credentials)
		}
		r := c.Role.Query().Where(role.SourcedID("r-stu-1")).WithProfile().OnlyX(ctx)
		if r.Edges.Profile == nil || r.Edges.Profile.SourcedID != "prof-1" || *r.BeginDate != "2024-08-15" || r.EndDate != nil {
			t.Errorf("r-stu-1: %+v", r)
		}
		demo := c.Demographic.Query().WithUser().AllX(ctx)
		for _, d := range demo {
			if d.Edges.User == nil || d.Edges.User.SourcedID != d.SourcedID {
				t.Errorf("demographics %s belongs to %v", d.SourcedID, d.Edges.User)
			}
		}
		li := c.LineItem.Query().WithScoreScale().AllX(ctx)
		for _, l := range li {
			if l.SourcedID == "li-1" && (l.Edges.ScoreScale == nil || len(l.LearningObjectiveSet) != 1 ||
				len(l.LearningObjectiveSet[0].LearningObjectiveIDs) != 2 || l.Description != `Chapter 1: "Linear equations"`) {
				t.Errorf("li-1: %+v", l)
			}
		}
		res := c.Result.Query().AllX(ctx)
		for _, x := range res {
			if x.SourcedID == "res-r1" && (*x.Score != 92.5 || x.LearningObjectiveSet[0].LearningObjectiveResults[0].TextScore != "A") {
				t.Errorf("res-r1: %+v", x)
			}
			if x.SourcedID == "res-r2" && (x.Score != nil || x.Missing == nil || !*x.Missing || x.Late != nil) {
				t.Errorf("res-r2: %+v", x)
			}
		}
	})
}

// TestImportSample11Roles checks the roles a 1.1 users.csv gives: one per org, each primary, the first org
// being the primary org.
func TestImportSample11Roles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustImport(t, db, sample(t, "v11"))
		u := db.Client.User.Query().Where(user.SourcedID("t-ohara")).WithRoles(func(q *ent.RoleQuery) {
			q.WithOrg().Order(ent.Asc(role.FieldSourcedID))
		}).WithPrimaryOrg().OnlyX(ctx)
		var got []string
		for _, r := range u.Edges.Roles {
			got = append(got, fmt.Sprintf("%s %s %s@%s", r.SourcedID, r.Role, r.RoleType, r.Edges.Org.SourcedID))
		}
		want := []string{"t-ohara~s-elem teacher primary@s-elem", "t-ohara~s-high teacher primary@s-high"}
		if !slices.Equal(got, want) || u.Edges.PrimaryOrg.SourcedID != "s-elem" {
			t.Errorf("roles %q primary org %v, want %q and s-elem", got, u.Edges.PrimaryOrg, want)
		}
	})
}

// TestReimportChangesNothing imports the same bundle twice: the second import must find every row unchanged
// and leave every dateLastModified as the first left it.
func TestReimportChangesNothing(t *testing.T) {
	for _, v := range []string{"v11", "v12"} {
		t.Run(v, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				clock(t, t1)
				mustImport(t, db, sample(t, v))
				before := snapshot(t, db)
				clock(t, t2)
				run := mustImport(t, db, sample(t, v))
				if after := snapshot(t, db); after != before {
					t.Errorf("the second import changed records:\nbefore:\n%s\nafter:\n%s", before, after)
				}
				for file, m := range run.Counts {
					if m["created"]+m["updated"]+m["tombstoned"]+m["skipped"] != 0 || (file != rolesCounts && m["unchanged"] == 0) {
						t.Errorf("%s: %v, want only unchanged rows", file, m)
					}
				}
			})
		})
	}
}

// TestBulkTombstonesMissingRecords re-imports bulk files without some records: those become tombstones
// (never deleted), with a new dateLastModified; the rest is untouched.
func TestBulkTombstonesMissingRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clock(t, t1)
		mustImport(t, db, sample(t, "v12"))
		files := sample(t, "v12")
		replaceLine(t, files, "enrollments.csv", "e-4,", "")
		replaceLine(t, files, "classResources.csv", "cr-1,", "")
		b := only(t, files, Bulk, "enrollments.csv", "classResources.csv")
		clock(t, t2)
		run := mustImport(t, db, b)
		if st, dlm, _ := record(t, db, "enrollments", "e-4"); st != oneroster.StatusToBeDeleted || !dlm.Equal(t2) {
			t.Errorf("e-4 is %s at %v, want tobedeleted at %v", st, dlm, t2)
		}
		if st, dlm, _ := record(t, db, "enrollments", "e-1"); st != oneroster.StatusActive || !dlm.Equal(t1) {
			t.Errorf("e-1 is %s at %v, want untouched", st, dlm)
		}
		if _, dlm, _ := record(t, db, "classes", "cls-alg-1"); !dlm.Equal(t2) {
			t.Errorf("cls-alg-1 lost its resource link but was not stamped (%v)", dlm)
		}
		if _, dlm, _ := record(t, db, "users", "u-par-1"); !dlm.Equal(t1) {
			t.Error("users.csv was absent, yet a user changed")
		}
		if n := count(t, db, "class_resources"); n != 1 {
			t.Errorf("%d class_resources rows, want 1", n)
		}
		if got := run.Counts["enrollments.csv"]; got["tombstoned"] != 1 || got["unchanged"] != 4 {
			t.Errorf("enrollments.csv counts %v", got)
		}
	})
}

// TestBulk11UsersTombstonesTheirRoles drops a user from a 1.1 users.csv: the user and its roles go.
func TestBulk11UsersTombstonesTheirRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clock(t, t1)
		mustImport(t, db, sample(t, "v11"))
		files := sample(t, "v11")
		replaceLine(t, files, "users.csv", "a-admin,", "")
		// t-ohara moves: only s-high now, as an administrator.
		replaceLine(t, files, "users.csv", "t-ohara,", `t-ohara,,,true,s-high,administrator,mohara,{District:T100},Máire,O'Hara,,T100,maire.ohara@example.org,,555-0100,,,`)
		clock(t, t2)
		// Without agentSourcedIds nothing else needs the users' ids: their roles must still find them.
		files["users.csv"] = strings.ReplaceAll(files["users.csv"], ",agentSourcedIds,", ",ext_agents,")
		run := mustImport(t, db, only(t, files, Bulk, "users.csv"))
		for _, c := range []struct{ table, sid, status string }{
			{"users", "a-admin", oneroster.StatusToBeDeleted}, {"roles", "a-admin~d1", oneroster.StatusToBeDeleted},
			{"roles", "t-ohara~s-elem", oneroster.StatusToBeDeleted}, {"roles", "t-ohara~s-high", oneroster.StatusActive},
		} {
			if st, dlm, _ := record(t, db, c.table, c.sid); st != c.status || !dlm.Equal(t2) {
				t.Errorf("%s %s: %s at %v, want %s at %v", c.table, c.sid, st, dlm, c.status, t2)
			}
		}
		var r string
		db.SQL.QueryRow(`SELECT "role" FROM "roles" WHERE "sourced_id" = 't-ohara~s-high'`).Scan(&r)
		if r != "administrator" {
			t.Errorf("t-ohara's role at s-high is %q", r)
		}
		if got := run.Counts[rolesCounts]; got["updated"] != 1 || got["tombstoned"] != 1 {
			t.Errorf("role counts %v", got)
		}
	})
}

// TestDelta applies a delta bundle: new, changed and tombstoned rows, a status-only tombstone, a tombstone for
// a record that does not exist, and a removed link.
func TestDelta(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clock(t, t1)
		mustImport(t, db, sample(t, "v12"))
		h := "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\n"
		d := "2030-01-02T00:00:00.000Z"
		files := map[string]string{
			ManifestFile: "propertyName,value\noneroster.version,1.2\nfile.enrollments,delta\nfile.users,delta\nfile.classResources,delta\n",
			"enrollments.csv": h +
				"e-5,active," + d + ",cls-fr-1,org-ms,u-stu-1,student,false,,\n" +
				"e-1,active," + d + ",cls-alg-1,org-hs,u-stu-1,student,false,2024-08-15,2025-01-31\n" +
				"e-2,tobedeleted," + d + ",cls-alg-1,org-hs,u-tea-1,teacher,true,,\n" +
				"e-3,tobedeleted," + d + ",,,,,,,\n" +
				"e-999,tobedeleted," + d + ",,,,,,,\n" +
				"e-4,active," + d + ",cls-hr,org-ms,u-stu-2,student,false,,\n",
			"users.csv": "sourcedId,status,dateLastModified,enabledUser,givenName,familyName\n" +
				"u-stu-2,active," + d + ",true,José,Núñez-García\n",
			"classResources.csv": "sourcedId,status,dateLastModified,classSourcedId,resourceSourcedId\n" +
				"cr-1,tobedeleted," + d + ",cls-alg-1,res-1\n",
		}
		clock(t, t2)
		run := mustImport(t, db, files)
		for _, c := range []struct {
			table, sid, status string
			changed            bool
		}{
			{"enrollments", "e-5", "active", true}, {"enrollments", "e-1", "active", true},
			{"enrollments", "e-2", "tobedeleted", true}, {"enrollments", "e-3", "tobedeleted", true},
			{"enrollments", "e-4", "active", false}, {"users", "u-stu-2", "active", true},
			{"users", "u-stu-1", "active", false}, {"classes", "cls-alg-1", "active", true},
			{"classes", "cls-fr-1", "active", false},
		} {
			st, dlm, _ := record(t, db, c.table, c.sid)
			if st != c.status || dlm.Equal(t2) != c.changed {
				t.Errorf("%s %s: %s at %v, want %s, changed %v", c.table, c.sid, st, dlm, c.status, c.changed)
			}
		}
		var end, family, middle string
		db.SQL.QueryRow(`SELECT "end_date" FROM "enrollments" WHERE "sourced_id" = 'e-1'`).Scan(&end)
		db.SQL.QueryRow(`SELECT "family_name", "middle_name" FROM "users" WHERE "sourced_id" = 'u-stu-2'`).Scan(&family, &middle)
		if end != "2025-01-31" || family != "Núñez-García" || middle != "Ángel" {
			t.Errorf("e-1 ends %q; u-stu-2 is %q (middle name %q: a column the file lacks must stay)", end, family, middle)
		}
		want := map[string]int{"rows": 6, "created": 1, "updated": 1, "tombstoned": 2, "skipped": 1, "unchanged": 1}
		if got := run.Counts["enrollments.csv"]; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("enrollments.csv counts %v, want %v", got, want)
		}
		if !strings.Contains(run.Message, "tombstone for unknown enrollment e-999 skipped") {
			t.Errorf("message %q does not warn about e-999", run.Message)
		}
		if n := count(t, db, "class_resources"); n != 1 {
			t.Errorf("%d class_resources rows, want 1", n)
		}
	})
}

// TestMetadataColumns: metadata.* columns set and remove their keys; keys without a column stay.
func TestMetadataColumns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustImport(t, db, sample(t, "v12"))
		db.Client.Org.Update().Where(org.SourcedID("org-hs")).SetMetadata(map[string]any{"nces": map[string]any{"id": "3600001"}, "keep": "me"}).ExecX(ctx)
		files := only(t, sample(t, "v12"), Delta, "orgs.csv")
		files["orgs.csv"] = "sourcedId,status,dateLastModified,name,type,metadata.nces.id,metadata.extra\n" +
			"org-hs,active,2030-01-01,Côte-d'Ivoire High School,school,,x\n"
		run := mustImport(t, db, files)
		got := db.Client.Org.Query().Where(org.SourcedID("org-hs")).OnlyX(ctx).Metadata
		if fmt.Sprint(got) != "map[extra:x keep:me]" || run.Counts["orgs.csv"]["updated"] != 1 {
			t.Errorf("metadata %v, counts %v", got, run.Counts)
		}
	})
}

// TestImportRunRecord checks the run row of a successful, a failed and a dry import.
func TestImportRunRecord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := actor.With(context.Background(), actor.KindAdmin, "alice")
		var progress bytes.Buffer
		run, err := ImportPath(ctx, db, writeDir(t, sample(t, "v12")), Options{Progress: &progress})
		if err != nil {
			t.Fatal(err)
		}
		if run.Status != importrun.StatusSucceeded || run.Actor != "admin:alice" || run.Version != "1.2" ||
			run.FinishedAt == nil || run.RowsTotal != 108 || run.RowsDone != 108 || run.ErrorCount != 0 ||
			!strings.HasPrefix(run.Message, "imported OneRoster 1.2 bundle (21 files, 54 rows): 53 created") {
			t.Errorf("run: %+v", run)
		}
		if !strings.Contains(progress.String(), "import: checking rows") || !strings.Contains(progress.String(), "import: writing rows") {
			t.Errorf("no progress lines: %q", progress.String())
		}
		if _, _, by := record(t, db, "users", "u-stu-1"); by != fmt.Sprintf("import:%d", run.ID) {
			t.Errorf("modifiedBy %q", by)
		}

		before := snapshot(t, db)
		files := sample(t, "v12")
		files["orgs.csv"] += "org-x,,,X,skool,,,\n"
		run, err = importFiles(t, db, files, Options{Actor: "admin:bob", DryRun: true})
		var verr *ValidationError
		if !errors.As(err, &verr) || run.Status != importrun.StatusFailed || run.Actor != "admin:bob" || run.ErrorCount != 1 ||
			len(run.Errors) != 1 || run.Errors[0]["file"] != "orgs.csv" || run.Errors[0]["column"] != "type" {
			t.Errorf("failed run: %v %+v", err, run)
		}
		run, err = importFiles(t, db, sample(t, "v11"), Options{DryRun: true})
		if err != nil || run.Status != importrun.StatusSucceeded || !strings.HasPrefix(run.Message, "dry run:") ||
			run.Counts["users.csv"]["rows"] != 5 {
			t.Errorf("dry run: %v %+v", err, run)
		}
		if after := snapshot(t, db); after != before {
			t.Error("a failed import or a dry run changed the database")
		}
		if n := db.Client.ImportRun.Query().CountX(ctx); n != 3 {
			t.Errorf("%d runs recorded, want 3", n)
		}
	})
}

// TestFailedWriteChangesNothing makes the database refuse an enrollment halfway through pass two: the import
// fails, everything it wrote before is rolled back, and the run row says why.
func TestFailedWriteChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		trigger := `CREATE TRIGGER no_enrollments BEFORE INSERT ON enrollments BEGIN SELECT RAISE(ABORT, 'enrollments are closed'); END`
		if db.Dialect == "postgres" {
			if _, err := db.SQL.Exec(`CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'enrollments are closed'; END $$ LANGUAGE plpgsql`); err != nil {
				t.Fatal(err)
			}
			trigger = `CREATE TRIGGER no_enrollments BEFORE INSERT ON enrollments FOR EACH ROW EXECUTE FUNCTION refuse()`
		}
		if _, err := db.SQL.Exec(trigger); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, db)
		run, err := importFiles(t, db, sample(t, "v12"), Options{})
		if err == nil || !strings.Contains(err.Error(), "enrollments are closed") {
			t.Fatalf("err = %v", err)
		}
		if run.Status != importrun.StatusFailed || !strings.Contains(run.Message, "nothing was changed") || run.ErrorCount != 1 {
			t.Errorf("run: %+v", run)
		}
		if after := snapshot(t, db); after != before {
			t.Errorf("a failed import left records behind:\n%s", after)
		}
	})
}

// TestForceEntMatchesCopy imports through ent on PostgreSQL too: the data must be the same as through COPY.
func TestForceEntMatchesCopy(t *testing.T) {
	for _, v := range []string{"1.1", "1.2"} {
		dir := writeDir(t, sample(t, "v1"+v[2:]))
		var got []map[string]string
		for _, force := range []bool{false, true} {
			db := storetest.Open(t, "postgres")
			if _, err := ImportPath(context.Background(), db, dir, Options{forceEnt: force, batchSize: 2}); err != nil {
				t.Fatal(err)
			}
			got = append(got, export(t, db, v))
		}
		if fmt.Sprint(got[0]) != fmt.Sprint(got[1]) {
			t.Errorf("%s: COPY and ent give different data", v)
		}
	}
}
