package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

// PrepareBulkLoad drops a table's foreign keys and secondary indexes inside the transaction; Finish puts back
// exactly the same definitions; a rollback after Prepare leaves everything as it was.
func TestBulkLoadDropsAndRestoresExactly(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, "postgres")
	defs := func() []string {
		var out []string
		rows, err := db.SQL.QueryContext(ctx, `SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'enrollments'::regclass
			UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'enrollments'::regclass`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			rows.Scan(&s)
			out = append(out, s)
		}
		slices.Sort(out)
		return out
	}
	before := defs()
	if len(before) < 4 {
		t.Fatalf("enrollments has too few indexes and keys to test with: %v", before)
	}
	for _, commit := range []bool{false, true} {
		tx, err := db.SQL.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := store.PrepareBulkLoad(ctx, tx, []string{"enrollments"})
		if err != nil {
			t.Fatal(err)
		}
		var during int
		tx.QueryRowContext(ctx, `SELECT count(*) FROM pg_index WHERE indrelid = 'enrollments'::regclass AND NOT indisprimary`).Scan(&during)
		if during != 0 {
			t.Errorf("secondary indexes left during the load: %d", during)
		}
		if commit {
			if err := b.Finish(ctx, tx, nil, ""); err != nil {
				t.Fatal(err)
			}
			err = tx.Commit()
		} else {
			err = tx.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
		if after := defs(); !slices.Equal(after, before) {
			t.Errorf("commit %v: definitions changed:\n%v\n%v", commit, before, after)
		}
	}
	var none *store.BulkLoad
	if err := none.Finish(ctx, nil, nil, ""); err != nil {
		t.Errorf("nil BulkLoad: %v", err)
	}
}
