package csvbundle

import (
	"context"
	"fmt"
	"slices"
)

// relaxMinRows is the size from which a file loaded into an empty PostgreSQL table is loaded with the
// table's secondary indexes and foreign keys dropped and rebuilt afterwards (see relax).
var relaxMinRows = 10000 // a variable for tests

// relaxed remembers what relax dropped, as the statements that recreate it.
type relaxed struct {
	tables            []string
	indexes, foreigns []string
}

// relaxFor decides which tables to relax for a records file: on PostgreSQL, when the file is large and its
// table was empty when the import started, the table and the join tables it owns (empty as well, since their
// rows refer to it); for a 1.1 users.csv also the roles table when that was empty. Loading many rows into
// an empty table is the initial load of a district; relaxing a table that already holds data would rebuild
// its indexes in full and lock out its readers for the whole import, so it is never done.
func (w *writer) relaxFor(fw *fileWrite) []string {
	if !w.copy || fw.f.rows < relaxMinRows || !fw.ix.empty {
		return nil
	}
	out := []string{fw.t.name}
	for _, c := range fw.cols {
		if c.kind == kRefs {
			out = append(out, c.join.table)
		}
	}
	if fw.f.spec.version == "1.1" && fw.t.name == "users" && w.im.idx["roles"].empty {
		out = append(out, "roles")
	}
	return out
}

// relax prepares tables for a bulk load, as PostgreSQL's manual advises for populating a database: inside
// the transaction it drops their foreign keys and the secondary indexes (unique ones included) that back no
// constraint, remembering their definitions as PostgreSQL prints them. Building an index once and checking
// a foreign key with one join costs far less than maintaining them row by row. Primary keys stay, so the
// keys of other tables that refer to these stay valid. A rollback brings everything back; until the
// transaction ends the tables are locked (ACCESS EXCLUSIVE), which is why only empty tables are relaxed.
func (w *writer) relax(ctx context.Context, tables []string) (*relaxed, error) {
	if len(tables) == 0 {
		return nil, nil
	}
	r := &relaxed{tables: tables}
	var drops []string
	for _, t := range tables {
		err := w.query3(ctx, `SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
			FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f' ORDER BY conname`, t,
			func(rel, name, def string) {
				drops = append(drops, fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT %s", rel, name))
				r.foreigns = append(r.foreigns, fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s %s", rel, name, def))
			})
		if err != nil {
			return nil, err
		}
		err = w.query3(ctx, `SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
			FROM pg_index i WHERE i.indrelid = $1::regclass AND NOT i.indisprimary
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
			ORDER BY 2`, t,
			func(_, name, def string) {
				drops = append(drops, "DROP INDEX "+name)
				r.indexes = append(r.indexes, def)
			})
		if err != nil {
			return nil, err
		}
	}
	for _, stmt := range drops {
		if _, err := w.tx.ExecContext(ctx, stmt); err != nil {
			return nil, fmt.Errorf("preparing the bulk load (%s): %w", stmt, err)
		}
	}
	return r, nil
}

// restore recreates the indexes, then the foreign keys (whose checks use the new indexes), and analyzes the
// tables so that the planner knows their new sizes.
func (w *writer) restore(ctx context.Context, r *relaxed) error {
	if r == nil {
		return nil
	}
	stmts := slices.Concat([]string{"SET LOCAL maintenance_work_mem = '256MB'"}, r.indexes, r.foreigns)
	for _, t := range r.tables {
		stmts = append(stmts, fmt.Sprintf("ANALYZE %q", t))
	}
	for _, stmt := range stmts {
		if _, err := w.tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("finishing the bulk load (%s): %w", stmt, err)
		}
	}
	return nil
}

// query3 runs a query with one argument whose rows are three strings.
func (w *writer) query3(ctx context.Context, q, arg string, row func(a, b, c string)) error {
	rows, err := w.tx.QueryContext(ctx, q, arg)
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
