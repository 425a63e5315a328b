package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"slices"

	"github.com/rollcall/rollcall/progress"
)

// BulkLoad is what PrepareBulkLoad dropped: the statements that recreate it, and the tables to analyze.
type BulkLoad struct {
	tables, indexes, foreignKeys []string
}

// PrepareBulkLoad readies PostgreSQL tables for a bulk load (COPY of many rows), as PostgreSQL's manual
// advises for populating a database: inside tx it drops their foreign keys and the secondary indexes (unique
// ones included) that back no constraint, remembering their definitions as PostgreSQL prints them so that
// Finish recreates them exactly. Checking a foreign key and maintaining half a dozen indexes row by row cost
// far more than building each index once and validating each key with one join at the end. Primary keys
// stay, so other tables' keys that refer to these stay valid. The dropped objects never exist outside the
// transaction: a rollback brings everything back. The tables are locked (ACCESS EXCLUSIVE) until the
// transaction ends, so only tables nobody reads meanwhile (empty ones, a new district) should be prepared.
// No tables: nil, nothing done.
func PrepareBulkLoad(ctx context.Context, tx *sql.Tx, tables []string) (*BulkLoad, error) {
	if len(tables) == 0 {
		return nil, nil
	}
	b := &BulkLoad{tables: tables}
	var drops []string
	for _, t := range tables {
		err := query3(ctx, tx, `SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
			FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f' ORDER BY conname`, t,
			func(rel, name, def string) {
				drops = append(drops, fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT %s", rel, name))
				b.foreignKeys = append(b.foreignKeys, fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s %s", rel, name, def))
			})
		if err != nil {
			return nil, err
		}
		err = query3(ctx, tx, `SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
			FROM pg_index i WHERE i.indrelid = $1::regclass AND NOT i.indisprimary
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
			ORDER BY i.indexrelid::regclass::text`, t,
			func(_, name, def string) {
				drops = append(drops, "DROP INDEX "+name)
				b.indexes = append(b.indexes, def)
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
	return b, nil
}

// Finish recreates the indexes, then the foreign keys (whose validation uses the new indexes), and analyzes
// the tables so that the planner knows their new sizes. It reports progress in statements on w (nil for
// none) under label. A nil BulkLoad does nothing.
func (b *BulkLoad) Finish(ctx context.Context, tx *sql.Tx, w io.Writer, label string) error {
	if b == nil {
		return nil
	}
	// Building large indexes sorts in memory up to this limit; SET LOCAL ends with the transaction.
	stmts := slices.Concat([]string{"SET LOCAL maintenance_work_mem = '256MB'"}, b.indexes, b.foreignKeys)
	for _, t := range b.tables {
		stmts = append(stmts, fmt.Sprintf("ANALYZE %q", t))
	}
	bar := progress.New(w, label, int64(len(stmts)))
	defer bar.Done()
	for _, stmt := range stmts {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("finishing the bulk load (%s): %w", stmt, err)
		}
		bar.Add(1)
	}
	return nil
}

// query3 runs a query with one argument whose rows are three strings.
func query3(ctx context.Context, tx *sql.Tx, q, arg string, row func(a, b, c string)) error {
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
