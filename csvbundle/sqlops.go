package csvbundle

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/lib/pq"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/schema"
	"github.com/rollcall/rollcall/oneroster"
)

// writer applies the files of a bundle inside one transaction. Records are created through ent's bulk
// creates (or, on PostgreSQL, COPY) and changed through ent update mutations, so that the record hooks stamp
// dateLastModified and modifiedBy; join tables (which have neither) are written with plain SQL.
type writer struct {
	im   *importer
	c    *ent.Client // ent on tx
	tx   *sql.Tx
	dia  string
	copy bool // create through COPY (PostgreSQL)
}

// txDriver is an ent driver that runs every statement on one *sql.Tx, so that ent and COPY share the
// transaction; transactions ent opens itself are no-ops within it.
type txDriver struct {
	entsql.Conn
	dia string
}

func (d txDriver) Dialect() string                        { return d.dia }
func (d txDriver) Tx(context.Context) (dialect.Tx, error) { return dialect.NopTx(d), nil }
func (d txDriver) Close() error                           { return nil }

// maxParams is how many bind parameters one statement may have.
func (w *writer) maxParams() int {
	if w.dia == dialect.SQLite {
		return 32766
	}
	return 65535
}

// placeholders returns n bind parameters numbered from first ($1... on PostgreSQL, ? on SQLite).
func (w *writer) placeholders(first, n int) string {
	var sb strings.Builder
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		if w.dia == dialect.Postgres {
			sb.WriteString("$" + strconv.Itoa(first+i))
		} else {
			sb.WriteByte('?')
		}
	}
	return sb.String()
}

// newRec is a record to create: its fields (shared by the batch) have vals, nil meaning unset.
type newRec struct {
	sid, status string
	meta        map[string]any
	vals        []any
	id          int // set by create
}

// create creates recs in table t and sets their ids (with COPY only when needIDs).
func (w *writer) create(ctx context.Context, t *table, fields []string, recs []*newRec, needIDs bool) error {
	if len(recs) == 0 {
		return nil
	}
	if w.copy {
		return w.copyCreate(ctx, t, fields, recs, needIDs)
	}
	per := max(1, w.maxParams()/(len(fields)+5))
	for part := range slices.Chunk(recs, per) {
		ids, err := t.create(ctx, w.c, len(part), func(i int, m ent.Mutation) error {
			r := part[i]
			if err := m.SetField("sourced_id", r.sid); err != nil {
				return err
			}
			if err := m.SetField("status", r.status); err != nil {
				return err
			}
			if r.meta != nil {
				if err := m.SetField("metadata", r.meta); err != nil {
					return err
				}
			}
			for j, f := range fields {
				if v := r.vals[j]; v != nil {
					if err := m.SetField(f, v); err != nil {
						return fmt.Errorf("%s %s: %w", t.label, r.sid, err)
					}
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("creating %s records: %w", t.label, err)
		}
		for i, id := range ids {
			part[i].id = id
		}
	}
	return nil
}

// copyCreate creates records with PostgreSQL's COPY, stamping date_last_modified and modified_by exactly as
// the record hook does (schema.Now in UTC truncated to the millisecond; the context's actor). When the ids are
// needed they are drawn from the table's identity sequence first (the one ent's global id ranges use), so
// none has to be read back; otherwise the column default draws them.
func (w *writer) copyCreate(ctx context.Context, t *table, fields []string, recs []*newRec, needIDs bool) error {
	cols := append([]string{"sourced_id", "status", "date_last_modified", "modified_by", "metadata"}, fields...)
	if needIDs {
		if err := w.allocateIDs(ctx, t, recs); err != nil {
			return err
		}
		cols = append([]string{"id"}, cols...)
	}
	stmt, err := w.tx.PrepareContext(ctx, pq.CopyIn(t.name, cols...))
	if err != nil {
		return fmt.Errorf("creating %s records: %w", t.label, err)
	}
	defer stmt.Close()
	stamp := schema.Now().UTC().Truncate(time.Millisecond)
	by := actor.From(ctx)
	args := make([]any, len(cols))
	for _, r := range recs {
		a := args
		if needIDs {
			a[0], a = int64(r.id), a[1:]
		}
		a[0], a[1], a[2], a[3], a[4] = r.sid, r.status, stamp, by, nil
		if r.meta != nil {
			if a[4], err = jsonValue(r.meta); err != nil {
				return err
			}
		}
		for j, v := range r.vals {
			if a[5+j], err = jsonValue(v); err != nil {
				return err
			}
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("creating %s records: %w", t.label, err)
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		return fmt.Errorf("creating %s records: %w", t.label, err)
	}
	return nil
}

// allocateIDs draws an id for each record from the table's identity sequence.
func (w *writer) allocateIDs(ctx context.Context, t *table, recs []*newRec) error {
	rows, err := w.tx.QueryContext(ctx, `SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)`,
		strconv.Quote(t.name), len(recs))
	if err != nil {
		return fmt.Errorf("allocating ids for %s records: %w", t.label, err)
	}
	defer rows.Close()
	i := 0
	for ; rows.Next() && i < len(recs); i++ {
		if err := rows.Scan(&recs[i].id); err != nil {
			return fmt.Errorf("allocating ids for %s records: %w", t.label, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("allocating ids for %s records: %w", t.label, err)
	}
	if i != len(recs) {
		return fmt.Errorf("allocating ids for %s records: got %d of %d", t.label, i, len(recs))
	}
	return nil
}

// set is one field an update sets; a nil val clears it.
type set struct {
	field string
	val   any
}

// update applies sets to the records ids of t through an ent update mutation (so the hook stamps them). With
// no sets it only stamps them ("touches" a record whose links changed).
func (w *writer) update(ctx context.Context, t *table, ids []int, sets []set, extra ...func(*entsql.Selector)) error {
	for part := range slices.Chunk(ids, 10000) {
		if err := w.updateWhere(ctx, t, sets, append([]func(*entsql.Selector){entsql.FieldIn("id", part...)}, extra...)...); err != nil {
			return err
		}
	}
	return nil
}

// updateWhere applies sets to the records of t that match where.
func (w *writer) updateWhere(ctx context.Context, t *table, sets []set, where ...func(*entsql.Selector)) error {
	m := t.update(w.c)
	m.(whereP).WhereP(where...)
	for _, s := range sets {
		var err error
		if s.val == nil {
			err = m.ClearField(s.field)
		} else {
			err = m.SetField(s.field, s.val)
		}
		if err != nil {
			return fmt.Errorf("updating %s: %s: %w", t.label, s.field, err)
		}
	}
	if _, err := w.c.Mutate(ctx, m); err != nil {
		return fmt.Errorf("updating %s records: %w", t.label, err)
	}
	return nil
}

// tombstone marks the active records among ids tobedeleted.
func (w *writer) tombstone(ctx context.Context, t *table, ids []int) error {
	return w.update(ctx, t, ids, []set{{"status", oneroster.StatusToBeDeleted}},
		entsql.FieldEQ("status", oneroster.StatusActive))
}

// stored is what the database holds for one record: per write column its canonical value.
type stored struct {
	status string
	meta   map[string]any
	vals   []any
}

// current reads the stored values of cols for the records ids of table t.
func (w *writer) current(ctx context.Context, t string, cols []wcol, ids []int) (map[int]*stored, error) {
	out := make(map[int]*stored, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	q := []string{`"id"`, `"status"`, `"metadata"`}
	var scalar []int // indexes of cols read from the table itself
	for i, c := range cols {
		if c.kind != kRefs {
			q = append(q, strconv.Quote(c.field))
			scalar = append(scalar, i)
		}
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := w.tx.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM %q WHERE "id" IN (%s)`,
		strings.Join(q, ","), t, w.placeholders(1, len(ids))), args...)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", t, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int
		var meta []byte
		s := &stored{vals: make([]any, len(cols))}
		dest := []any{&id, &s.status, &meta}
		for _, i := range scalar {
			dest = append(dest, scanDest(cols[i].kind))
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("reading %s: %w", t, err)
		}
		if s.meta, err = decodeMeta(meta); err != nil {
			return nil, err
		}
		for k, i := range scalar {
			if s.vals[i], err = decode(cols[i].kind, dest[3+k]); err != nil {
				return nil, fmt.Errorf("reading %s.%s: %w", t, cols[i].field, err)
			}
		}
		out[id] = s
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, c := range cols {
		if c.kind != kRefs {
			continue
		}
		links, err := w.links(ctx, c.join, ids)
		if err != nil {
			return nil, err
		}
		for id, s := range out {
			s.vals[i] = norm(links[id])
		}
	}
	return out, nil
}

// links reads the targets of owners in join j (all owners when owners is nil), sorted.
func (w *writer) links(ctx context.Context, j *join, owners []int) (map[int][]int, error) {
	q := fmt.Sprintf(`SELECT %q, %q FROM %q`, j.owner, j.target, j.table)
	args := make([]any, len(owners))
	for i, id := range owners {
		args[i] = id
	}
	if owners != nil {
		q += fmt.Sprintf(` WHERE %q IN (%s)`, j.owner, w.placeholders(1, len(owners)))
	}
	rows, err := w.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", j.table, err)
	}
	defer rows.Close()
	out := map[int][]int{}
	for rows.Next() {
		var o, t int
		if err := rows.Scan(&o, &t); err != nil {
			return nil, err
		}
		out[o] = append(out[o], t)
	}
	for _, ts := range out {
		slices.Sort(ts)
	}
	return out, rows.Err()
}

// unlink removes every link of owners from join j; link adds the pairs (owner, target).
func (w *writer) unlink(ctx context.Context, j *join, owners []int) error {
	for part := range slices.Chunk(owners, 10000) {
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		if _, err := w.tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %q WHERE %q IN (%s)`, j.table, j.owner,
			w.placeholders(1, len(part))), args...); err != nil {
			return fmt.Errorf("writing %s: %w", j.table, err)
		}
	}
	return nil
}

func (w *writer) link(ctx context.Context, j *join, pairs [][2]int) error {
	for part := range slices.Chunk(pairs, 10000) {
		vals := make([]string, len(part))
		args := make([]any, 0, 2*len(part))
		for i, p := range part {
			vals[i] = "(" + w.placeholders(2*i+1, 2) + ")"
			args = append(args, p[0], p[1])
		}
		if _, err := w.tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO %q (%q, %q) VALUES %s`, j.table, j.owner, j.target,
			strings.Join(vals, ",")), args...); err != nil {
			return fmt.Errorf("writing %s: %w", j.table, err)
		}
	}
	return nil
}
