package csvbundle

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestMassUpdate changes one field of every row: every record is updated (in grouped statements) and stamped.
func TestMassUpdate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clock(t, t1)
		mustImport(t, db, sample(t, "v12"))
		files := sample(t, "v12")
		lines := strings.Split(files["enrollments.csv"], "\n")
		for i := 1; i < len(lines); i++ {
			if cells := strings.Split(lines[i], ","); len(cells) == 10 {
				cells[9] = "2025-07-01"
				lines[i] = strings.Join(cells, ",")
			}
		}
		files["enrollments.csv"] = strings.Join(lines, "\n")
		clock(t, t2)
		run := mustImport(t, db, only(t, files, Bulk, "enrollments.csv"))
		if got := run.Counts["enrollments.csv"]; got["updated"] != 5 || got["tombstoned"] != 0 || got["unchanged"] != 0 {
			t.Errorf("counts %v, want all 5 updated (the tombstone e-old too)", got)
		}
		rows, _ := db.SQL.Query(`SELECT "sourced_id", "end_date", "date_last_modified" FROM "enrollments"`)
		defer rows.Close()
		for rows.Next() {
			var sid, end string
			var dlm time.Time
			rows.Scan(&sid, &end, &dlm)
			if end != "2025-07-01" || !dlm.Equal(t2) {
				t.Errorf("%s ends %s, stamped %v", sid, end, dlm)
			}
		}
	})
}

// TestRelaxedLoad loads the samples into empty PostgreSQL tables the way large files are loaded (indexes and
// foreign keys dropped, then rebuilt): the data must be the same, and every index and key back in place.
func TestRelaxedLoad(t *testing.T) {
	prev := relaxMinRows
	relaxMinRows = 1
	defer func() { relaxMinRows = prev }()
	for _, v := range []string{"1.1", "1.2"} {
		db := storetest.Open(t, "postgres")
		shape := func() string {
			var n, k int
			db.SQL.QueryRow(`SELECT (SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'),
				(SELECT count(*) FROM pg_constraint WHERE contype = 'f')`).Scan(&n, &k)
			return fmt.Sprintf("%d indexes, %d foreign keys", n, k)
		}
		before := shape()
		mustImport(t, db, sample(t, "v1"+v[2:]))
		if after := shape(); after != before {
			t.Errorf("%s: %s before the import, %s after", v, before, after)
		}
		if d := diffFiles(readDir(t, filepath.Join("testdata", "export1"+v[2:])), export(t, db, v)); d != "" {
			t.Errorf("%s: a relaxed load stores other data:\n%s", v, d)
		}
	}
}

// TestImport11UsersAlone: a 1.1 bundle of orgs and users only, without agentSourcedIds (so that nothing
// refers to the new users), still gives every user its roles.
func TestImport11UsersAlone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		files := only(t, sample(t, "v11"), Bulk, "orgs.csv", "users.csv")
		files["users.csv"] = strings.ReplaceAll(files["users.csv"], ",agentSourcedIds,", ",ext_agents,")
		run := mustImport(t, db, files)
		if got := run.Counts[rolesCounts]["created"]; got != 6 || count(t, db, "roles") != 6 {
			t.Errorf("%d roles created: %v", got, run.Counts)
		}
	})
}

// TestBulkHeaderOnly: a bulk file with a header and no rows tombstones every record of its entity.
func TestBulkHeaderOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		mustImport(t, db, sample(t, "v12"))
		files := only(t, sample(t, "v12"), Bulk, "categories.csv", "classResources.csv")
		files["categories.csv"] = "sourcedId,status,dateLastModified,title,weight\r\n"
		files["classResources.csv"] = "sourcedId,status,dateLastModified,title,classSourcedId,resourceSourcedId\n"
		run := mustImport(t, db, files)
		for _, sid := range []string{"cat-hw", "cat-test"} {
			if st, _, _ := record(t, db, "categories", sid); st != "tobedeleted" {
				t.Errorf("%s is %s", sid, st)
			}
		}
		if n := count(t, db, "class_resources"); n != 0 || run.Counts["categories.csv"]["tombstoned"] != 2 {
			t.Errorf("%d class resources left; counts %v", n, run.Counts)
		}
	})
}
