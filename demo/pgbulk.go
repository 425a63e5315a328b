package demo

import (
	"context"
	"database/sql"
	"fmt"
	"io"

	"github.com/rollcall/rollcall/progress"
)

// copyTables are the tables copySink loads with COPY.
var copyTables = []string{"users", "user_agents", "demographics", "roles", "enrollments"}

// relaxed holds what relax dropped: the statements that recreate it.
type relaxed struct {
	indexes, foreignKeys []string
}

// relax prepares tables for a bulk load, as PostgreSQL's manual advises for populating a database: within the
// transaction it drops their foreign keys and the secondary indexes that back no constraint, and remembers
// their definitions (as PostgreSQL prints them) so that restore can recreate them exactly. Checking a foreign
// key row by row and maintaining half a dozen indexes row by row cost far more than building each index once
// and validating each key with one join at the end. Primary keys stay. The dropped objects never exist outside
// the transaction: if anything fails the rollback restores them. The tables are locked (ACCESS EXCLUSIVE)
// until the transaction ends.
func relax(ctx context.Context, tx *sql.Tx, tables []string) (*relaxed, error) {
	r := &relaxed{}
	var drops []string
	for _, t := range tables {
		err := query(ctx, tx, `SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
			FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f' ORDER BY conname`, t,
			func(rel, name, def string) {
				drops = append(drops, fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT %s", rel, name))
				r.foreignKeys = append(r.foreignKeys, fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s %s", rel, name, def))
			})
		if err != nil {
			return nil, err
		}
		err = query(ctx, tx, `SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
			FROM pg_index i WHERE i.indrelid = $1::regclass AND NOT i.indisprimary
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
			ORDER BY i.indexrelid::regclass::text`, t,
			func(_, name, def string) {
				drops = append(drops, "DROP INDEX "+name)
				r.indexes = append(r.indexes, def)
			})
		if err != nil {
			return nil, err
		}
	}
	for _, stmt := range drops {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return nil, fmt.Errorf("preparing the bulk load (%s): %w", stmt, err)
		}
	}
	return r, nil
}

// restore recreates the indexes, then the foreign keys (whose validation may use the new indexes), and
// analyzes the loaded tables so that the planner knows their new sizes. It reports progress in statements.
func (r *relaxed) restore(ctx context.Context, tx *sql.Tx, tables []string, w io.Writer) error {
	// Building large indexes sorts in memory up to this limit; SET LOCAL ends with the transaction.
	stmts := append([]string{"SET LOCAL maintenance_work_mem = '256MB'"}, r.indexes...)
	stmts = append(stmts, r.foreignKeys...)
	for _, t := range tables {
		stmts = append(stmts, "ANALYZE "+t)
	}
	bar := progress.New(w, "demo: indexes and keys", int64(len(stmts)))
	defer bar.Done()
	for _, stmt := range stmts {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("finishing the bulk load (%s): %w", stmt, err)
		}
		bar.Add(1)
	}
	return nil
}

// query runs a query whose rows are three strings.
func query(ctx context.Context, tx *sql.Tx, q, arg string, row func(a, b, c string)) error {
	rows, err := tx.QueryContext(ctx, q, arg)
	if err != nil {
		return fmt.Errorf("reading the definition of %s: %w", arg, err)
	}
	defer rows.Close()
	for rows.Next() {
		var a, b, c string
		if err := rows.Scan(&a, &b, &c); err != nil {
			return fmt.Errorf("reading the definition of %s: %w", arg, err)
		}
		row(a, b, c)
	}
	return rows.Err()
}
