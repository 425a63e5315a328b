package cache

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall/ent/cachegeneration"
	"github.com/rollcall/rollcall/settings"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

// Readers keep reading the generation they picked, and always see whole generations, while refreshes run.
func TestReadersDuringRefresh(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDistrict(t, db)
		c := New(db, Options{})
		refresh(t, c)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var refreshes atomic.Int64
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				d.c.User.UpdateOne(d.u["st3"]).SetMiddleName(fmt.Sprint(i)).ExecX(ctx) // a change every time
				if _, err := c.Refresh(ctx, "test"); err != nil {
					t.Errorf("refresh: %v", err)
					return
				}
				refreshes.Add(1)
			}
		}()
		l := lister{t, c}
		deadline := time.Now().Add(2 * time.Second)
		reads := 0
		for time.Now().Before(deadline) || refreshes.Load() < 3 {
			p, err := l.list(Enrollments, v12, "limit=3", Scope{})
			if err != nil {
				t.Fatalf("read during refresh: %v", err)
			}
			if p.total != 8 || len(p.recs) != 3 {
				t.Fatalf("read during refresh: total %d, %d records", p.total, len(p.recs))
			}
			// The rest of the snapshot, pinned.
			q, err := l.list(Enrollments, v12, fmt.Sprintf("limit=10&offset=3&generation=%d", p.gen), Scope{})
			if err != nil || q.total != 8 || len(q.recs) != 5 {
				t.Fatalf("second page: %v, total %d, %d records", err, q.total, len(q.recs))
			}
			u, err := l.list(Users, v12, "filter=sourcedId='st3'", Scope{})
			if err != nil || len(u.recs) != 1 || u.recs[0]["status"] != "active" {
				t.Fatalf("users during refresh: %v %v", err, u.recs)
			}
			reads++
		}
		close(stop)
		wg.Wait()
		t.Logf("%d reads during %d refreshes", reads, refreshes.Load())
	})
}

func TestRefreshesNeverOverlap(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newDistrict(t, db)
		c := New(db, Options{Lease: 300 * time.Millisecond})
		l, err := c.acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Refresh(ctx, "test"); !errors.Is(err, ErrRefreshRunning) {
			t.Fatalf("refresh while the lock is held: %v, want ErrRefreshRunning", err)
		}
		if st, _ := c.Status(ctx); st.Running != nil || st.Current != nil {
			t.Errorf("a refused refresh left a trace: %+v", st)
		}
		l.release(ctx)
		refresh(t, c)
		// A holder that died: its lease runs out and the next refresh goes ahead.
		if _, err := c.acquire(ctx); err != nil {
			t.Fatal(err)
		}
		time.Sleep(400 * time.Millisecond)
		refresh(t, c)
		// Two refreshes started together: exactly one runs at a time; the other is told so.
		var ok, busy atomic.Int64
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := c.Refresh(ctx, "test")
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, ErrRefreshRunning):
					busy.Add(1)
				default:
					t.Errorf("concurrent refresh: %v", err)
				}
			}()
		}
		wg.Wait()
		if ok.Load() == 0 || ok.Load()+busy.Load() != 4 {
			t.Errorf("concurrent refreshes: %d ran, %d refused", ok.Load(), busy.Load())
		}
	})
}

// Two processes (two store.DB handles) on one PostgreSQL database share the lock.
func TestRefreshLockAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	url := storetest.CreatePostgres(t)
	var dbs [2]*store.DB
	for i := range dbs {
		db, err := store.Open(ctx, url, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	if err := dbs[0].Migrate(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	newDistrict(t, dbs[0])
	a, b := New(dbs[0], Options{}), New(dbs[1], Options{})
	l, err := a.acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Refresh(ctx, "other process"); !errors.Is(err, ErrRefreshRunning) {
		t.Fatalf("second process: %v, want ErrRefreshRunning", err)
	}
	l.release(ctx)
	if _, err := b.Refresh(ctx, "other process"); err != nil {
		t.Fatal(err)
	}
	var results [2]error
	var wg sync.WaitGroup
	for i, c := range []*Cache{a, b} {
		wg.Add(1)
		go func() { defer wg.Done(); _, results[i] = c.Refresh(ctx, "race") }()
	}
	wg.Wait()
	for _, err := range results {
		if err != nil && !errors.Is(err, ErrRefreshRunning) {
			t.Fatal(err)
		}
	}
	n, _ := dbs[0].Client.CacheGeneration.Query().Where(cachegeneration.StatusEQ(cachegeneration.StatusBuilding)).Count(ctx)
	if n != 0 {
		t.Errorf("%d generations left building", n)
	}
}

// A client paging with the generation of its first page keeps reading that snapshot across a refresh, until
// the snapshot expires; then it reads the current generation.
func TestPinnedGenerationPaging(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDistrict(t, db)
		now := time.Now()
		clock := func() time.Time { return now }
		c := New(db, Options{Now: func() time.Time { return clock() }})
		l := lister{t, c}
		refresh(t, c)
		p1 := l.mustList(Users, v12, "limit=3", Scope{})
		a0 := d.c.User.Create().SetSourcedID("a0").SetGivenName("Aaron").SetFamilyName("Abbot").SaveX(ctx)
		d.c.Role.Create().SetSourcedID("a0-r").SetUser(a0).SetOrg(d.o["sA"]).SetRole("student").SaveX(ctx)
		d.c.User.UpdateOne(d.u["te1"]).SetFamilyName("Smythe").ExecX(ctx)
		refresh(t, c)
		p2 := l.mustList(Users, v12, fmt.Sprintf("limit=100&offset=3&generation=%d", p1.gen), Scope{})
		if p2.gen != p1.gen || p2.total != 8 || len(p2.recs) != 5 {
			t.Fatalf("pinned page: generation %d total %d records %d, want %d, 8, 5", p2.gen, p2.total, len(p2.recs), p1.gen)
		}
		if te1 := p2.bySID("te1"); te1["familyName"] != "Smith" {
			t.Errorf("pinned snapshot shows a later change: %v", te1["familyName"])
		}
		seen := map[string]bool{}
		for _, s := range append(p1.sids(), p2.sids()...) {
			if seen[s] {
				t.Errorf("%s twice across pages", s)
			}
			seen[s] = true
		}
		cur := l.mustList(Users, v12, "limit=100", Scope{})
		if cur.gen == p1.gen || cur.total != 9 {
			t.Errorf("current: generation %d total %d", cur.gen, cur.total)
		}
		// After the retention period the snapshot is gone and a pinned read falls back to the current generation.
		set, _ := settings.Load(ctx, db.Client)
		later := now.Add(set.CacheRetention() + purgeGrace + time.Minute)
		clock = func() time.Time { return later }
		if err := c.Cleanup(ctx); err != nil {
			t.Fatal(err)
		}
		p3 := l.mustList(Users, v12, fmt.Sprintf("limit=100&offset=3&generation=%d", p1.gen), Scope{})
		if p3.gen != cur.gen || p3.total != 9 {
			t.Errorf("expired snapshot: generation %d total %d, want the current %d", p3.gen, p3.total, cur.gen)
		}
		// A grace period later, the versions only the old generation had are deleted.
		var old int
		count := func() {
			db.SQL.QueryRow(`SELECT COUNT(*) FROM cache_records WHERE gen_to <= ` + fmt.Sprint(cur.gen)).Scan(&old)
		}
		if count(); old == 0 {
			t.Fatal("no old versions to clean up")
		}
		clock = func() time.Time { return later.Add(purgeGrace + time.Minute) }
		if err := c.Cleanup(ctx); err != nil {
			t.Fatal(err)
		}
		if count(); old != 0 {
			t.Errorf("%d old versions left after cleanup", old)
		}
		if p4 := l.mustList(Users, v12, "limit=100", Scope{}); p4.total != 9 || len(p4.recs) != 9 {
			t.Errorf("after cleanup: %d of %d", len(p4.recs), p4.total)
		}
	})
}

// A failed refresh is recorded with its error, alerts the hook and the webhook, and leaves the current
// generation in place.
func TestFailedRefreshAlerts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newDistrict(t, db)
		var hooked atomic.Int64
		posted := make(chan string, 1)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			posted <- string(b)
		}))
		defer srv.Close()
		if _, err := settings.Update(ctx, db.Client, func(s *settings.Settings) error { s.CacheAlertWebhook = srv.URL; return nil }); err != nil {
			t.Fatal(err)
		}
		c := New(db, Options{OnFailure: func(ctx context.Context, f Failure) { hooked.Add(1) }})
		good := refresh(t, c)
		rename := "ALTER TABLE resources RENAME TO resources_gone"
		back := "ALTER TABLE resources_gone RENAME TO resources"
		if _, err := db.SQL.ExecContext(ctx, rename); err != nil {
			t.Fatal(err)
		}
		_, err := c.Refresh(ctx, "admin:alice")
		db.SQL.ExecContext(ctx, back)
		if err == nil {
			t.Fatal("refresh without a resources table succeeded")
		}
		st, err := c.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Current == nil || st.Current.ID != good.ID || st.LastFailure == nil || !strings.Contains(st.LastFailure.Error, "resources") ||
			st.LastFailure.TriggeredBy != "admin:alice" || st.Running != nil {
			t.Errorf("status after a failure: %+v", st)
		}
		if hooked.Load() != 1 {
			t.Errorf("alert hook called %d times", hooked.Load())
		}
		select {
		case body := <-posted:
			if !strings.Contains(body, `"event":"cache.refresh.failed"`) || !strings.Contains(body, "admin:alice") {
				t.Errorf("webhook body %s", body)
			}
		case <-time.After(5 * time.Second):
			t.Error("webhook not called")
		}
		if p := (lister{t, c}).mustList(Users, v12, "", Scope{}); p.total != 8 || p.gen != good.ID {
			t.Errorf("after a failed refresh readers see generation %d with %d users", p.gen, p.total)
		}
		refresh(t, c)
	})
}
