package store_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"entgo.io/ent"

	"github.com/rollcall/rollcall/actor"
	gen "github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/org"
	"github.com/rollcall/rollcall/ent/schema"
	"github.com/rollcall/rollcall/oneroster"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

// fakeClock replaces the record hook's clock for the test, advancing one second per reading.
func fakeClock(t *testing.T) {
	t.Helper()
	now := time.Date(2026, 9, 1, 8, 0, 0, 123456789, time.UTC)
	prev := schema.Now
	schema.Now = func() time.Time { now = now.Add(time.Second); return now }
	t.Cleanup(func() { schema.Now = prev })
}

func newDistrict(t *testing.T, ctx context.Context, c *gen.Client, id string) *gen.Org {
	t.Helper()
	o, err := c.Org.Create().SetSourcedID(id).SetName("Lakeside District").SetType("district").Save(ctx)
	if err != nil {
		t.Fatalf("creating org: %v", err)
	}
	return o
}

func TestDateLastModifiedIsMaintainedByHook(t *testing.T) {
	fakeClock(t)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		caller := time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)
		o, err := db.Client.Org.Create().SetSourcedID("d1").SetName("D").SetType("district").
			SetDateLastModified(caller).Save(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if o.DateLastModified.Equal(caller) || o.DateLastModified.Year() != 2026 {
			t.Fatalf("create: dateLastModified = %v, want the hook's clock, not the caller's value", o.DateLastModified)
		}
		if o.DateLastModified.Nanosecond()%int(time.Millisecond) != 0 || o.DateLastModified.Location() != time.UTC {
			t.Errorf("dateLastModified %v is not UTC with millisecond precision", o.DateLastModified)
		}
		created := o.DateLastModified
		o, err = o.Update().SetName("Lakeside").Save(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !o.DateLastModified.After(created) {
			t.Fatalf("update: dateLastModified %v did not advance past %v", o.DateLastModified, created)
		}
		stored, err := db.Client.Org.Get(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !stored.DateLastModified.Equal(o.DateLastModified) {
			t.Errorf("stored dateLastModified %v, returned %v", stored.DateLastModified, o.DateLastModified)
		}
		// A bulk update stamps every row it touches.
		before := stored.DateLastModified
		if _, err := db.Client.Org.Update().Where(org.SourcedID("d1")).SetIdentifier("NCES-1").Save(ctx); err != nil {
			t.Fatal(err)
		}
		after := db.Client.Org.GetX(ctx, o.ID)
		if !after.DateLastModified.After(before) || after.Identifier != "NCES-1" {
			t.Errorf("bulk update: dateLastModified %v (before %v), identifier %q", after.DateLastModified, before, after.Identifier)
		}
	})
}

func TestModifiedByComesFromTheActor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		o := newDistrict(t, ctx, db.Client, "d1")
		if o.ModifiedBy != actor.System {
			t.Errorf("no actor: modifiedBy = %q, want %q", o.ModifiedBy, actor.System)
		}
		vctx := actor.With(ctx, actor.KindVendor, "LAKESIDE_canvas")
		o = o.Update().SetName("Renamed").SaveX(vctx)
		if o.ModifiedBy != "vendor:LAKESIDE_canvas" {
			t.Errorf("vendor actor: modifiedBy = %q", o.ModifiedBy)
		}
	})
}

func TestSourcedIDIsImmutable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		o := newDistrict(t, ctx, db.Client, "d1")
		// The update builders have no setter for sourcedId; a generic mutation that tries is refused.
		upd := db.Client.Org.UpdateOneID(o.ID)
		if err := upd.Mutation().SetField(org.FieldSourcedID, "d2"); err != nil {
			t.Fatalf("SetField: %v", err)
		}
		_, err := upd.Save(ctx)
		if !errors.Is(err, schema.ErrSourcedIDImmutable) {
			t.Fatalf("changing sourcedId: err = %v, want ErrSourcedIDImmutable", err)
		}
		if got := db.Client.Org.GetX(ctx, o.ID).SourcedID; got != "d1" {
			t.Errorf("sourcedId changed to %q", got)
		}
	})
}

func TestDeleteLeavesATombstone(t *testing.T) {
	fakeClock(t)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := db.Client
		d := newDistrict(t, ctx, c, "d1")
		s1 := c.Org.Create().SetSourcedID("s1").SetName("North Elementary").SetType("school").SetParent(d).SaveX(ctx)
		s2 := c.Org.Create().SetSourcedID("s2").SetName("South Elementary").SetType("school").SetParent(d).SaveX(ctx)
		c.Org.Create().SetSourcedID("s3").SetName("West Middle").SetType("school").SetParent(d).SaveX(ctx)

		if err := c.Org.DeleteOne(s1).Exec(actor.With(ctx, actor.KindAdmin, "alice")); err != nil {
			t.Fatalf("delete one: %v", err)
		}
		got := c.Org.GetX(ctx, s1.ID)
		if got.Status != oneroster.StatusToBeDeleted || !got.DateLastModified.After(s1.DateLastModified) || got.ModifiedBy != "admin:alice" {
			t.Errorf("after delete: status %q, dateLastModified %v (was %v), modifiedBy %q",
				got.Status, got.DateLastModified, s1.DateLastModified, got.ModifiedBy)
		}
		n, err := c.Org.Delete().Where(org.SourcedIDIn("s2", "s3")).Exec(ctx)
		if err != nil || n != 2 {
			t.Fatalf("bulk delete: n=%d err=%v", n, err)
		}
		tomb := c.Org.Query().Where(org.Status(oneroster.StatusToBeDeleted)).CountX(ctx)
		total := c.Org.Query().CountX(ctx)
		if tomb != 3 || total != 4 {
			t.Errorf("after deletes: %d tombstones of %d rows, want 3 of 4", tomb, total)
		}
		if err := c.Org.DeleteOneID(999).Exec(ctx); !gen.IsNotFound(err) {
			t.Errorf("deleting a missing org: err = %v, want not found", err)
		}
		// Maintenance code may really remove rows.
		if err := c.Org.DeleteOne(s2).Exec(schema.AllowHardDelete(ctx)); err != nil {
			t.Fatal(err)
		}
		if c.Org.Query().CountX(ctx) != 3 {
			t.Error("hard delete left the row")
		}
	})
}

func TestConstraintErrorsAreClear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := db.Client
		d := newDistrict(t, ctx, c, "d1")
		tests := []struct {
			name string
			op   func() error
			want []string
		}{
			{"duplicate sourcedId", func() error {
				return c.Org.Create().SetSourcedID("d1").SetName("Again").SetType("district").Exec(ctx)
			}, []string{"orgs", "sourced_id", "already exists"}},
			{"bad vocabulary value", func() error {
				return c.Org.Create().SetSourcedID("x").SetName("X").SetType("galaxy").Exec(ctx)
			}, []string{"type", `"galaxy" is not a valid org type`, "school"}},
			{"extension vocabulary value is allowed", func() error {
				return c.Org.Create().SetSourcedID("x2").SetName("X").SetType("ext:campus").Exec(ctx)
			}, nil},
			{"bad date", func() error {
				return c.AcademicSession.Create().SetSourcedID("y").SetTitle("Y").SetType("schoolYear").
					SetStartDate("2026-02-30").SetEndDate("2027-07-01").SetSchoolYear("2027").Exec(ctx)
			}, []string{"start_date", "not a date", "YYYY-MM-DD"}},
			{"sourcedId with a space", func() error {
				return c.Org.Create().SetSourcedID("a b").SetName("X").SetType("school").Exec(ctx)
			}, []string{"sourced_id", "no spaces"}},
			{"missing required reference", func() error {
				return c.Class.Create().SetSourcedID("c1").SetTitle("Math").SetSchool(d).Exec(ctx)
			}, []string{"course"}},
			{"reference to a missing row", func() error {
				return c.Class.Create().SetSourcedID("c2").SetTitle("Math").SetSchoolID(d.ID).SetCourseID(123456).Exec(ctx)
			}, []string{"does not exist"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := store.Explain(tt.op())
				if tt.want == nil {
					if err != nil {
						t.Fatalf("unexpected error: %v", err)
					}
					return
				}
				if err == nil {
					t.Fatal("no error")
				}
				for _, w := range tt.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not mention %q", err, w)
					}
				}
			})
		}
	})
}

func TestMigrationsMatchSchema(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		stmts, err := db.Drift(ctx)
		if err != nil {
			t.Fatalf("drift check: %v", err)
		}
		if len(stmts) > 0 {
			t.Fatalf("migrations and ent schema disagree; run `go run ./migrations/gen NAME`:\n%s", strings.Join(stmts, "\n"))
		}
		if n, err := db.Pending(ctx); err != nil || n != 0 {
			t.Fatalf("pending migrations after migrate: %d (%v)", n, err)
		}
	})
}

func TestDriftIsDetected(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.SQL.ExecContext(ctx, `DROP INDEX org_type`); err != nil {
			t.Fatal(err)
		}
		stmts, err := db.Drift(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(stmts) == 0 || !strings.Contains(strings.Join(stmts, "\n"), "org_type") {
			t.Fatalf("a dropped index was not reported as drift: %q", stmts)
		}
	})
}

func TestMigrateIsIdempotentAndRecordsHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.Migrate(ctx, discardLog()); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		fresh := storetest.OpenEmpty(t, db.Dialect)
		n, err := fresh.Pending(ctx)
		if err != nil || n == 0 {
			t.Fatalf("an empty database reports %d pending migrations (%v), want all", n, err)
		}
	})
}

var _ ent.Mutation = (*gen.OrgMutation)(nil)

func TestSQLitePathWithURICharacters(t *testing.T) {
	dir := t.TempDir() + "/a#b?c%d"
	db, err := store.Open(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(context.Background(), discardLog()); err != nil {
		t.Fatalf("migrating a database under %q: %v", dir, err)
	}
	if _, err := os.Stat(dir + "/rollcall.db"); err != nil {
		t.Fatalf("the database file is not where asked: %v", err)
	}
}
