package csvbundle

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rollcall/rollcall/demo"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestDemoRoundTrip round-trips a small demo district (guardians, teachers at two schools, 1.2-only roles,
// tombstones...) through both versions on both databases.
func TestDemoRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if _, err := demo.Generate(context.Background(), db, demo.Options{Students: demo.MinStudents, Seed: 7}); err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{"1.2", "1.1"} {
			first := export(t, db, v)
			fresh := storetest.Open(t, db.Dialect)
			run := mustImport(t, fresh, first)
			if d := diffFiles(first, export(t, fresh, v)); d != "" {
				t.Errorf("%s round trip of the demo district differs:\n%.3000s", v, d)
			}
			again := mustImport(t, fresh, first)
			for f, m := range again.Counts {
				if m["created"]+m["updated"]+m["tombstoned"] != 0 {
					t.Errorf("%s: re-import changed %s: %v", v, f, m)
				}
			}
			t.Logf("%s: %s", v, run.Message)
		}
	})
}

// TestProgressIsRecorded polls the run row while a demo district is imported into PostgreSQL: rows_done must
// be seen between 0 and the total before the import ends.
func TestProgressIsRecorded(t *testing.T) {
	ctx := context.Background()
	src := storetest.Open(t, "postgres")
	if _, err := demo.Generate(ctx, src, demo.Options{Students: 100, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	files := export(t, src, "1.2")
	db := storetest.Open(t, "postgres")
	prev := progressEvery
	progressEvery = 5 * time.Millisecond
	defer func() { progressEvery = prev }()
	var (
		wg   sync.WaitGroup
		seen []int64
		stop = make(chan struct{})
	)
	run, err := importFiles(t, db, files, Options{batchSize: 50, Started: func(r *ent.ImportRun) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				case <-time.After(2 * time.Millisecond):
				}
				if cur, err := db.Client.ImportRun.Get(ctx, r.ID); err == nil && cur.RowsTotal > 0 {
					seen = append(seen, cur.RowsDone*1000/cur.RowsTotal)
				}
			}
		}()
	}})
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	mid := 0
	for _, p := range seen {
		if p > 0 && p < 1000 {
			mid++
		}
	}
	if mid == 0 || run.RowsDone != run.RowsTotal {
		t.Errorf("progress seen (per mille): %v; final %d/%d", seen, run.RowsDone, run.RowsTotal)
	}
}
