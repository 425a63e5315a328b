package cache

import (
	"context"
	"errors"
	"testing"

	"github.com/rollcall/rollcall/ent/cachegeneration"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

// Start records the building generation before it returns, refuses a second refresh while the first holds the
// lock, and Wait publishes what Start began (with progress recorded to the last row).
func TestStartThenWait(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newDistrict(t, db)
		c := New(db, Options{})
		r, err := c.Start(ctx, "admin:alice")
		if err != nil {
			t.Fatal(err)
		}
		if r.Generation.Status != cachegeneration.StatusBuilding || r.Generation.TriggeredBy != "admin:alice" {
			t.Fatalf("started generation = %+v", r.Generation)
		}
		st, err := c.Status(ctx)
		if err != nil || st.Running == nil || st.Running.ID != r.Generation.ID {
			t.Fatalf("status while building = %+v, %v", st, err)
		}
		if _, err := c.Start(ctx, "admin:bob"); !errors.Is(err, ErrRefreshRunning) {
			t.Fatalf("second Start = %v, want ErrRefreshRunning", err)
		}
		g, err := r.Wait(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if g.ID != r.Generation.ID || g.Status != cachegeneration.StatusReady || g.RowsTotal == 0 || g.RowsDone != g.RowsTotal {
			t.Fatalf("published generation = %+v", g)
		}
		if _, ok := get(t, c, Users, "st2"); !ok {
			t.Error("st2 not published")
		}
		// The lock is free again.
		r2, err := c.Start(ctx, "admin:bob")
		if err != nil {
			t.Fatalf("Start after Wait: %v", err)
		}
		if _, err := r2.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
