package cache

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"

	"github.com/lib/pq"

	"github.com/rollcall/rollcall/ent/cachelink"
	"github.com/rollcall/rollcall/ent/cachemark"
	"github.com/rollcall/rollcall/ent/cacherecord"
)

// recordCols are the cache_records columns a write fills, in the order of recordValues.
var recordCols = []string{"collection", "sourced_id", "gen_from", "gen_to", "status", "modified_ms", "hash",
	"kinds", "scope", "school", "ref_a", "ref_b", "doc", "body_v1p2", "body_v1p1"}

var (
	linkCols = []string{"collection", "sourced_id", "rec_from", "rel", "target", "tomb_v1p2", "tomb_v1p1", "tomb_ms"}
	markCols = []string{"generation_id", "collection", "bit", "n", "sourced_id"}
)

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullBytes(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}

// recordValues are the column values of a version of r for generations from <= G < to. Text goes as
// strings (COPY would encode []byte as bytea).
func recordValues(from, to int, r *record) []any {
	school := r.school
	if r.scope != scopeSchool { // only scope 1 has a school: Viewer.source finds scope 0 by NULL
		school = ""
	}
	return []any{int64(r.coll.info().code), r.sid, int64(from), int64(to), r.status, r.modified, r.hash,
		int64(r.kinds), int64(r.scope), nullStr(school), nullStr(r.refA), nullStr(r.refB),
		string(r.doc), string(r.body12), nullBytes(r.body11)}
}

// writeBatch applies one merged batch to generation gen in one transaction: the replaced versions end at
// gen, the new versions (and their links) start at it, and the marks are added. PostgreSQL loads with COPY;
// SQLite with multi-row INSERTs.
func (c *Cache) writeBatch(ctx context.Context, gen int, wb *writeBatch) error {
	var err error
	if c.pg {
		err = c.writeBatchPG(ctx, gen, wb)
	} else {
		err = c.writeBatchSQLite(ctx, gen, wb)
	}
	if err != nil {
		return fmt.Errorf("writing %d %s: %w", len(wb.inserts), wb.coll, err)
	}
	return nil
}

func (c *Cache) writeBatchSQLite(ctx context.Context, gen int, wb *writeBatch) error {
	tx, err := c.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for start := 0; start < len(wb.closeIDs); start += 500 {
		s := newSQL(false)
		s.w("UPDATE ", cacherecord.Table, " SET gen_to = ", s.arg(gen), " WHERE ",
			s.ids("id", wb.closeIDs[start:min(start+500, len(wb.closeIDs))]))
		if _, err := tx.ExecContext(ctx, s.String(), s.args...); err != nil {
			return err
		}
	}
	if err := closeOpen(ctx, tx, false, gen, wb.coll, wb.closeOpen); err != nil {
		return err
	}
	if err := insertRecords(ctx, tx, false, gen, genOpen, wb.inserts); err != nil {
		return err
	}
	for start := 0; start < len(wb.marks); start += 200 {
		part := wb.marks[start:min(start+200, len(wb.marks))]
		var args []any
		for _, m := range part {
			args = append(args, int64(gen), int64(wb.coll.info().code), int64(m.bit), m.n, m.sid)
		}
		if _, err := tx.ExecContext(ctx, insertSQL(cachemark.Table, markCols, len(part)), args...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// closeOpen ends at gen the current versions of records a vendor's write published while the build ran.
func closeOpen(ctx context.Context, q queryer, pg bool, gen int, coll Collection, sids []string) error {
	for start := 0; start < len(sids); start += 500 {
		s := newSQL(pg)
		s.w("UPDATE ", cacherecord.Table, " SET gen_to = ", s.arg(gen), " WHERE collection = ", s.arg(coll.info().code),
			" AND gen_to = ", s.arg(int64(genOpen)), " AND gen_from < ", s.arg(gen), " AND sourced_id IN ",
			s.in(sids[start:min(start+500, len(sids))]))
		if _, err := q.ExecContext(ctx, s.String(), s.args...); err != nil {
			return err
		}
	}
	return nil
}

// writeBatchPG does writeBatch on PostgreSQL at the driver level: COPY of rows encoded here (COPY text
// format), handed to lib/pq a batch at a time, costs far less than a database/sql call per row.
func (c *Cache) writeBatchPG(ctx context.Context, gen int, wb *writeBatch) error {
	conn, err := c.db.SQL.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		tx, err := dc.(driver.ConnBeginTx).BeginTx(ctx, driver.TxOptions{})
		if err != nil {
			return err
		}
		committed := false
		defer func() {
			if !committed { // never after Commit: lib/pq would finish the transaction twice
				tx.Rollback()
			}
		}()
		exec := dc.(driver.ExecerContext)
		// A build's writes need not wait for the disk: if the server crashes, the build is redone anyway; the
		// publishing transaction (flip) commits durably and makes it all count.
		if _, err := exec.ExecContext(ctx, "SET LOCAL synchronous_commit = off", nil); err != nil {
			return err
		}
		if len(wb.closeIDs) > 0 {
			ids, _ := int64Array(wb.closeIDs).Value()
			_, err := exec.ExecContext(ctx, "UPDATE "+cacherecord.Table+" SET gen_to = $1 WHERE id = ANY($2::bigint[])",
				[]driver.NamedValue{{Ordinal: 1, Value: int64(gen)}, {Ordinal: 2, Value: ids}})
			if err != nil {
				return err
			}
		}
		if len(wb.closeOpen) > 0 {
			sids, _ := pq.StringArray(wb.closeOpen).Value()
			_, err := exec.ExecContext(ctx, "UPDATE "+cacherecord.Table+" SET gen_to = $1 WHERE collection = $2 AND gen_to = $3 "+
				"AND gen_from < $1 AND sourced_id = ANY($4::text[])", []driver.NamedValue{{Ordinal: 1, Value: int64(gen)},
				{Ordinal: 2, Value: int64(wb.coll.info().code)}, {Ordinal: 3, Value: int64(genOpen)}, {Ordinal: 4, Value: sids}})
			if err != nil {
				return err
			}
		}
		buf := make([]byte, 0, 1<<20)
		lines := func(n int, row func(i int)) []byte {
			buf = buf[:0]
			for i := 0; i < n; i++ {
				if len(buf) > 0 {
					buf = append(buf, '\n')
				}
				row(i)
			}
			return buf
		}
		if len(wb.inserts) > 0 {
			data := lines(len(wb.inserts), func(i int) { buf = appendCopyFields(buf, recordValues(gen, genOpen, wb.inserts[i])...) })
			if err := copyData(ctx, dc, cacherecord.Table, recordCols, data); err != nil {
				return err
			}
			var links [][]any
			for _, r := range wb.inserts {
				for _, l := range r.links {
					t12, t11, ms := r.tombValues(l)
					links = append(links, []any{int64(r.coll.info().code), r.sid, int64(gen), l.rel, l.target, t12, t11, ms})
				}
			}
			if len(links) > 0 {
				if err := copyData(ctx, dc, cachelink.Table, linkCols, lines(len(links), func(i int) { buf = appendCopyFields(buf, links[i]...) })); err != nil {
					return err
				}
			}
		}
		if len(wb.marks) > 0 {
			data := lines(len(wb.marks), func(i int) {
				m := wb.marks[i]
				buf = appendCopyFields(buf, int64(gen), int64(wb.coll.info().code), int64(m.bit), m.n, m.sid)
			})
			if err := copyData(ctx, dc, cachemark.Table, markCols, data); err != nil {
				return err
			}
		}
		committed = true
		return tx.Commit()
	})
}

// copyData runs one COPY FROM STDIN of pre-encoded lines (separated by newlines, none at the end).
func copyData(ctx context.Context, dc any, table string, cols []string, data []byte) error {
	st, err := dc.(driver.ConnPrepareContext).PrepareContext(ctx, pq.CopyIn(table, cols...))
	if err != nil {
		return err
	}
	defer st.Close()
	cd, ok := st.(interface {
		CopyData(ctx context.Context, line string) (driver.Result, error)
	})
	if !ok {
		return fmt.Errorf("the PostgreSQL driver does not support CopyData")
	}
	if _, err := cd.CopyData(ctx, string(data)); err != nil {
		return err
	}
	_, err = st.Exec(nil) // ends the COPY and reports its errors
	return err
}

// appendCopyFields encodes values as one COPY text line: tab-separated, \N for NULL, backslash escapes.
func appendCopyFields(b []byte, vals ...any) []byte {
	for i, v := range vals {
		if i > 0 {
			b = append(b, '\t')
		}
		switch x := v.(type) {
		case nil:
			b = append(b, '\\', 'N')
		case int64:
			b = strconv.AppendInt(b, x, 10)
		case string:
			b = appendCopyText(b, x)
		default:
			b = appendCopyText(b, fmt.Sprint(x))
		}
	}
	return b
}

// appendCopyText escapes text for the COPY text format.
func appendCopyText(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		var esc byte
		switch s[i] {
		case '\\':
			esc = '\\'
		case '\n':
			esc = 'n'
		case '\r':
			esc = 'r'
		case '\t':
			esc = 't'
		default:
			continue
		}
		b = append(b, s[start:i]...)
		b = append(b, '\\', esc)
		start = i + 1
	}
	return append(b, s[start:]...)
}

// insertRecords inserts versions of records for generations from <= G < to, and their links, with multi-row
// INSERTs (a few hundred rows per statement, below SQLite's limit on bound parameters).
func insertRecords(ctx context.Context, q queryer, pg bool, from, to int, recs []*record) error {
	const per = 200
	for start := 0; start < len(recs); start += per {
		part := recs[start:min(start+per, len(recs))]
		args := make([]any, 0, len(part)*len(recordCols))
		for _, r := range part {
			args = append(args, recordValues(from, to, r)...)
		}
		if _, err := q.ExecContext(ctx, rebind(pg, insertSQL(cacherecord.Table, recordCols, len(part))), args...); err != nil {
			return err
		}
	}
	var args []any
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		_, err := q.ExecContext(ctx, rebind(pg, insertSQL(cachelink.Table, linkCols, n)), args...)
		args, n = args[:0], 0
		return err
	}
	for _, r := range recs {
		for _, l := range r.links {
			t12, t11, ms := r.tombValues(l)
			args = append(args, int64(r.coll.info().code), r.sid, int64(from), l.rel, l.target, t12, t11, ms)
			if n++; n == per {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// insertSQL is "INSERT INTO table (cols) VALUES (?,...),(?,...)" for n rows.
func insertSQL(table string, cols []string, n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	return b.String()
}
