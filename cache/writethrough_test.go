package cache

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/lineitem"
	"github.com/rollcall/rollcall/ent/result"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

// inTx runs fn in a transaction and commits (or rolls back, with commit false).
func inTx(t *testing.T, db *store.DB, commit bool, fn func(tx *ent.Tx)) {
	t.Helper()
	tx, err := db.Client.Tx(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fn(tx)
	if commit {
		err = tx.Commit()
	} else {
		err = tx.Rollback()
	}
	if err != nil {
		t.Fatal(err)
	}
}

func TestWriteThroughIsVisibleAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDistrict(t, db)
		c := New(db, Options{})
		refresh(t, c)
		l := lister{t, c}
		before, _ := get(t, c, Results, "r1")
		publish := func(tx *ent.Tx, coll Collection, sid string) {
			if err := c.PublishGradebook(ctx, tx, coll, sid); err != nil {
				t.Fatalf("publish %s %s: %v", coll, sid, err)
			}
		}
		tick()
		// An update, committed: seen at once, with a new dateLastModified.
		inTx(t, db, true, func(tx *ent.Tx) {
			tx.Result.Update().Where(result.SourcedID("r1")).SetScore(11).ExecX(ctx) // above resultValueMax, kept as sent
			publish(tx, Results, "r1")
		})
		after, _ := get(t, c, Results, "r1")
		if !strings.Contains(string(after.Body), `"score":11`) || !after.DateLastModified.After(before.DateLastModified) {
			t.Errorf("after the write: %s", after.Body)
		}
		// Rolled back: nothing changes.
		inTx(t, db, false, func(tx *ent.Tx) {
			tx.Result.Update().Where(result.SourcedID("r1")).SetScore(3).ExecX(ctx)
			publish(tx, Results, "r1")
		})
		if again, _ := get(t, c, Results, "r1"); string(again.Body) != string(after.Body) {
			t.Errorf("a rolled back write is visible: %s", again.Body)
		}
		// New line item and result: visible at once, in lists, filters and nested paths.
		inTx(t, db, true, func(tx *ent.Tx) {
			li := tx.LineItem.Create().SetSourcedID("li2").SetTitle("Quiz").SetAssignDate(time.Now()).SetDueDate(time.Now()).
				SetClassID(d.cl["c2"].ID).SaveX(ctx)
			publish(tx, LineItems, "li2")
			tx.Result.Create().SetSourcedID("r3").SetLineItem(li).SetStudentID(d.u["st2"].ID).SetScoreStatus("submitted").
				SetScore(4).SetScoreDate("2026-10-01").SaveX(ctx)
			publish(tx, Results, "r3")
		})
		if p := l.mustList(Results, v12, "filter=score<'5'", Scope{}); strings.Join(p.sids(), ",") != "r3" {
			t.Errorf("new result by filter: %v", p.sids())
		}
		if p := l.mustList(LineItems, v12, "", Scope{Class: "c2"}); strings.Join(p.sids(), ",") != "li2" {
			t.Errorf("new line item of c2: %v", p.sids())
		}
		vA := Viewer{Version: "v1p2", Schools: []string{"sA"}}
		if p := l.mustList(Results, vA, "", Scope{}); strings.Join(p.sids(), ",") != "r1,r2,r3" {
			t.Errorf("sA's results: %v", p.sids())
		}
		// A delete: a tombstone with a new dateLastModified.
		inTx(t, db, true, func(tx *ent.Tx) {
			tx.LineItem.Delete().Where(lineitem.SourcedID("li2")).ExecX(ctx)
			publish(tx, LineItems, "li2")
			publish(tx, Results, "r3") // its line item is gone: hidden with it
		})
		for _, sid := range []string{"li2", "r3"} {
			coll := LineItems
			if sid == "r3" {
				coll = Results
			}
			if r, ok := get(t, c, coll, sid); !ok || r.Status != "tobedeleted" {
				t.Errorf("%s after delete: %+v", sid, r)
			}
		}
		// The next refresh keeps what was written through (same content, same dateLastModified).
		r1, _ := get(t, c, Results, "r1")
		refresh(t, c)
		if again, _ := get(t, c, Results, "r1"); !again.DateLastModified.Equal(r1.DateLastModified) || string(again.Body) != string(r1.Body) {
			t.Errorf("refresh after write-through: %s, was %s", again.Body, r1.Body)
		}
		if r, _ := get(t, c, Results, "r3"); r.Status != "tobedeleted" {
			t.Errorf("r3 after refresh: %s", r.Status)
		}
	})
}

// A vendor's write during a refresh is in the generation the refresh publishes.
func TestWriteThroughDuringRefresh(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newDistrict(t, db)
		c := New(db, Options{})
		refresh(t, c)
		// An admin's change the refresh picks up (the build makes a new version of r2), then a vendor's write
		// that lands after the build read the results and before it publishes: the catch-up at publishing must
		// bring it in.
		db.Client.Result.Update().Where(result.SourcedID("r2")).SetComment("interim").ExecX(ctx)
		c.beforeFlip = func() {
			inTx(t, db, true, func(tx *ent.Tx) {
				tx.Result.Update().Where(result.SourcedID("r2")).SetScoreStatus("fully graded").SetScore(7).ExecX(ctx)
				if err := c.PublishGradebook(ctx, tx, Results, "r2"); err != nil {
					t.Fatal(err)
				}
			})
			if r, _ := get(t, c, Results, "r2"); !strings.Contains(string(r.Body), `"score":7`) {
				t.Errorf("the current generation misses the write: %s", r.Body)
			}
		}
		refresh(t, c)
		c.beforeFlip = nil
		if r, _ := get(t, c, Results, "r2"); !strings.Contains(string(r.Body), `"score":7`) {
			t.Errorf("after a write during a refresh: %s", r.Body)
		}
		refresh(t, c)
		if r, _ := get(t, c, Results, "r2"); !strings.Contains(string(r.Body), `"score":7`) {
			t.Errorf("after the next refresh: %s", r.Body)
		}
	})
}
