package csvbundle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/store"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/oneroster"
)

// errChanged is returned when pass two finds a problem pass one did not: the bundle changed in between.
var errChanged = errors.New("the bundle changed while it was being imported; run the import again")

// write is pass two: it applies every file in one transaction.
func (im *importer) write(ctx context.Context) error {
	tx, err := im.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("starting the import transaction: %w", err)
	}
	im.inTx = true
	defer func() { im.inTx = false }()
	defer tx.Rollback() // a no-op after Commit
	w := &writer{im: im, tx: tx, dia: im.db.Dialect,
		c:    ent.NewClient(ent.Driver(txDriver{Conn: entsql.Conn{ExecQuerier: tx}, dia: im.db.Dialect})),
		copy: im.db.Dialect == dialect.Postgres && !im.opt.forceEnt}
	for _, f := range im.files {
		var err error
		switch f.spec.kind {
		case fRecords, fProfiles:
			err = w.recordsFile(ctx, f)
		default:
			err = w.linkFile(ctx, f)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", f.spec.name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing the import: %w", err)
	}
	return nil
}

// fileWrite is the state of one records file in pass two.
type fileWrite struct {
	f     *bundleFile
	l     *layout
	t     *table
	ix    *index
	cols  []wcol
	joins map[int][]joinWant // per column index: links to write once the whole file is in
	fixes []fix
	// updates of the current batch, grouped by what they set: one statement updates all the records that
	// change the same way (a new end date for every enrollment, say).
	updates map[string]*update
	// needIDs says whether the ids of new records are needed: something refers to them, or they own links.
	needIDs bool
}

type update struct {
	sets []set
	ids  []int
}

// joinWant replaces (or, for a new record, sets) the links of owner.
type joinWant struct {
	owner   int
	targets []string
	replace bool
}

// fix sets a reference to a record that came later in the same file.
type fix struct {
	id    int
	field string
	sid   string
}

// readRows streams the rows of a file to fn, parsed again; pass one already found them valid.
func (w *writer) readRows(f *bundleFile, fn func(l *layout, r *row) error) (*layout, error) {
	var rep report
	c, rr, l, err := w.im.openFile(f, &rep)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if l == nil {
		return nil, errChanged
	}
	for {
		rec, line, err := rr.Read()
		if errors.Is(err, io.EOF) {
			return l, nil
		}
		if err != nil {
			return nil, errChanged
		}
		r := l.parse(rec, line, &rep.problems)
		if r == nil || rep.count > 0 {
			return nil, errChanged
		}
		if err := fn(l, r); err != nil {
			return nil, err
		}
		w.im.tick(1)
	}
}

func (w *writer) recordsFile(ctx context.Context, f *bundleFile) error {
	fw := &fileWrite{f: f, t: tables[f.spec.table], ix: w.im.idx[f.spec.table], joins: map[int][]joinWant{},
		updates: map[string]*update{}}
	var batch []*row
	var bulk *store.BulkLoad
	start := func(l *layout) (err error) {
		fw.l, fw.cols = l, l.writeCols()
		fw.needIDs = fw.ix.refd || slices.ContainsFunc(fw.cols, func(c wcol) bool { return c.kind == kRefs || c.ref == fw.t.name }) ||
			f.spec.version == "1.1" && fw.t.name == "users" // their roles are made from the rows
		bulk, err = store.PrepareBulkLoad(ctx, w.tx, w.relaxFor(fw))
		return err
	}
	l, err := w.readRows(f, func(l *layout, r *row) error {
		if fw.l == nil {
			if err := start(l); err != nil {
				return err
			}
		}
		if n := len(batch); f.spec.kind == fProfiles && n > 0 && batch[n-1].sid == r.sid {
			batch[n-1].creds = append(batch[n-1].creds, r.creds...)
			return nil
		}
		if len(batch) >= w.im.opt.batchSize {
			if err := w.flush(ctx, fw, batch); err != nil {
				return err
			}
			batch = batch[:0]
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		batch = append(batch, r)
		return nil
	})
	if err != nil {
		return err
	}
	if fw.l == nil { // a header without rows: in bulk mode every record of the entity goes
		if err := start(l); err != nil {
			return err
		}
	}
	if err := w.flush(ctx, fw, batch); err != nil {
		return err
	}
	if err := w.endRecords(ctx, fw); err != nil {
		return err
	}
	return bulk.Finish(ctx, w.tx, nil, "")
}

// resolve returns the id of a record of table t, or false when it is not created yet.
func (w *writer) resolve(t, sid string) (int, bool) {
	e, ok := w.im.idx[t].stored(sid)
	return e.id, ok
}

// want computes the values a row gives its write columns. deferred marks references to records of the same
// file that do not exist yet: they are written once the file is done.
func (w *writer) want(fw *fileWrite, r *row) (vals []any, deferred []bool, err error) {
	vals, deferred = make([]any, len(fw.cols)), make([]bool, len(fw.cols))
	for i, c := range fw.cols {
		var v any
		if c.ci >= 0 {
			v = r.vals[c.ci]
		}
		switch c.kind {
		case kRef, kOrgs11:
			sid, _ := v.(string)
			if c.ci < 0 { // a demographics record's user
				sid = r.sid
			}
			if c.kind == kOrgs11 {
				sid = ""
				if orgs, _ := v.([]string); len(orgs) > 0 {
					sid = orgs[0]
				}
			}
			if sid == "" {
				vals[i] = nil
				continue
			}
			id, ok := w.resolve(c.ref, sid)
			switch {
			case ok:
				vals[i] = id
			case c.ref == fw.t.name:
				deferred[i] = true
			default:
				return nil, nil, fmt.Errorf("line %d: %s %q: %w", r.line, c.field, sid, errChanged)
			}
		case kRefs:
			sids, _ := v.([]string)
			ids := make([]int, 0, len(sids))
			for _, sid := range sids {
				id, ok := w.resolve(c.ref, sid)
				if !ok {
					deferred[i] = true
					break
				}
				ids = append(ids, id)
			}
			slices.Sort(ids)
			vals[i] = norm(slices.Compact(ids))
		case kCreds:
			vals[i] = norm(r.creds)
		default:
			vals[i] = norm(v)
		}
	}
	return vals, deferred, nil
}

// flush writes one batch of rows: it compares the rows of existing records with what is stored, updates
// those that differ, and creates the others.
func (w *writer) flush(ctx context.Context, fw *fileWrite, rows []*row) error {
	if len(rows) == 0 {
		return nil
	}
	name := fw.f.spec.name
	var oldIDs []int
	for _, r := range rows {
		if rec, ok := fw.ix.stored(r.sid); ok {
			oldIDs = append(oldIDs, rec.id)
		}
	}
	cur, err := w.current(ctx, fw.t.name, fw.cols, oldIDs)
	if err != nil {
		return err
	}
	var fields []string
	pos := make([]int, len(fw.cols)) // where each column's value is in fields
	for i, c := range fw.cols {
		pos[i] = -1
		if c.kind != kRefs {
			pos[i] = len(fields)
			fields = append(fields, c.field)
		}
	}
	var news []*newRec
	var newRows []*row
	for _, r := range rows {
		rec, exists := fw.ix.stored(r.sid)
		if r.bare {
			switch {
			case !exists:
				w.im.count(name, "skipped", 1)
				w.im.rep.warn("%s:%d: tombstone for unknown %s %s skipped", name, r.line, fw.t.label, r.sid)
			case rec.dead:
				w.im.count(name, "unchanged", 1)
			default:
				if err := w.tombstone(ctx, fw.t, []int{rec.id}); err != nil {
					return err
				}
				fw.ix.setStored(r.sid, rec.id, true)
				w.im.count(name, "tombstoned", 1)
			}
			continue
		}
		vals, deferred, err := w.want(fw, r)
		if err != nil {
			return err
		}
		if !exists {
			nr := &newRec{sid: r.sid, status: r.status, meta: fw.l.buildMeta(nil, r)}
			for i, c := range fw.cols {
				if c.kind == kRefs {
					continue
				}
				if deferred[i] {
					nr.vals = append(nr.vals, nil)
				} else {
					nr.vals = append(nr.vals, vals[i])
				}
			}
			news, newRows = append(news, nr), append(newRows, r)
			continue
		}
		if err := w.compareAndUpdate(ctx, fw, r, rec.id, cur[rec.id], vals, deferred); err != nil {
			return err
		}
	}
	for _, key := range slices.Sorted(maps.Keys(fw.updates)) {
		u := fw.updates[key]
		if err := w.update(ctx, fw.t, u.ids, u.sets); err != nil {
			return err
		}
	}
	clear(fw.updates)
	if err := w.create(ctx, fw.t, fields, news, fw.needIDs); err != nil {
		return err
	}
	for k, nr := range news {
		if nr.id == 0 && fw.needIDs {
			return fmt.Errorf("the id of new %s %s was not returned", fw.t.label, nr.sid)
		}
		if fw.needIDs { // nothing looks the others up again: duplicates were refused, and bulk skips listed rows
			fw.ix.setStored(nr.sid, nr.id, nr.status != oneroster.StatusActive)
		}
		r := newRows[k]
		for i, c := range fw.cols {
			switch {
			case c.kind == kRefs:
				if sids, _ := r.vals[c.ci].([]string); len(sids) > 0 {
					fw.joins[i] = append(fw.joins[i], joinWant{owner: nr.id, targets: cloneAll(sids)})
				}
			case c.kind == kRef && c.ci >= 0 && c.ref == fw.t.name:
				if sid, _ := r.vals[c.ci].(string); sid != "" && nr.vals[pos[i]] == nil {
					fw.fixes = append(fw.fixes, fix{id: nr.id, field: c.field, sid: strings.Clone(sid)})
				}
			}
		}
	}
	w.im.count(name, "created", len(news))
	if fw.f.spec.version == "1.1" && fw.t.name == "users" {
		return w.roles11(ctx, fw, rows)
	}
	return nil
}

// compareAndUpdate updates an existing record when the row differs from what is stored.
func (w *writer) compareAndUpdate(ctx context.Context, fw *fileWrite, r *row, id int, s *stored, vals []any, deferred []bool) error {
	if s == nil {
		return fmt.Errorf("%s %s vanished during the import", fw.t.label, r.sid)
	}
	var sets []set
	for i, c := range fw.cols {
		switch {
		case c.kind == kRefs:
			if deferred[i] || !same(vals[i], s.vals[i]) {
				sids, _ := r.vals[c.ci].([]string)
				fw.joins[i] = append(fw.joins[i], joinWant{owner: id, targets: cloneAll(sids), replace: true})
				sets = append(sets, set{}) // marks the record changed; skipped below
			}
		case deferred[i]:
			sid, _ := r.vals[c.ci].(string)
			fw.fixes = append(fw.fixes, fix{id: id, field: c.field, sid: strings.Clone(sid)})
			sets = append(sets, set{c.field, nil})
		case !same(vals[i], s.vals[i]):
			sets = append(sets, set{c.field, vals[i]})
		}
	}
	if meta := fw.l.buildMeta(s.meta, r); !sameMeta(meta, s.meta) {
		if meta == nil {
			sets = append(sets, set{"metadata", nil})
		} else {
			sets = append(sets, set{"metadata", meta})
		}
	}
	tomb := false
	if r.status != s.status {
		sets = append(sets, set{"status", r.status})
		tomb = r.status == oneroster.StatusToBeDeleted
	}
	name := fw.f.spec.name
	if len(sets) == 0 {
		w.im.count(name, "unchanged", 1)
		return nil
	}
	real := sets[:0]
	for _, s := range sets {
		if s.field != "" {
			real = append(real, s)
		}
	}
	key, err := setsKey(real)
	if err != nil {
		return err
	}
	if u := fw.updates[key]; u != nil {
		u.ids = append(u.ids, id)
	} else {
		fw.updates[key] = &update{sets: real, ids: []int{id}}
	}
	fw.ix.setStored(r.sid, id, r.status != oneroster.StatusActive)
	if tomb {
		w.im.count(name, "tombstoned", 1)
	} else {
		w.im.count(name, "updated", 1)
	}
	return nil
}

// setsKey identifies what an update sets, to group equal updates.
func setsKey(sets []set) (string, error) {
	var sb strings.Builder
	for _, s := range sets {
		v, err := jsonValue(s.val)
		if err != nil {
			return "", err
		}
		if t, ok := v.(time.Time); ok {
			v = t.UTC().Format(time.RFC3339Nano)
		}
		fmt.Fprintf(&sb, "%s=%T:%v\x00", s.field, v, v)
	}
	return sb.String(), nil
}

// cloneAll copies strings that outlive their row (cells share the row's memory).
func cloneAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.Clone(s)
	}
	return out
}

// endRecords writes what had to wait for the whole file (links, references to later rows), then in bulk
// mode tombstones the records the file does not list.
func (w *writer) endRecords(ctx context.Context, fw *fileWrite) error {
	for i, wants := range fw.joins {
		c := fw.cols[i]
		var replace []int
		var pairs [][2]int
		for _, jw := range wants {
			if jw.replace {
				replace = append(replace, jw.owner)
			}
			seen := map[int]bool{}
			for _, sid := range jw.targets {
				id, ok := w.resolve(c.ref, sid)
				if !ok {
					return fmt.Errorf("%s %q: %w", c.join.target, sid, errChanged)
				}
				if !seen[id] {
					seen[id] = true
					pairs = append(pairs, [2]int{jw.owner, id})
				}
			}
		}
		if err := w.unlink(ctx, c.join, replace); err != nil {
			return err
		}
		if err := w.link(ctx, c.join, pairs); err != nil {
			return err
		}
	}
	for _, fx := range fw.fixes {
		id, ok := w.resolve(fw.t.name, fx.sid)
		if !ok {
			return fmt.Errorf("%s %q: %w", fx.field, fx.sid, errChanged)
		}
		if err := w.update(ctx, fw.t, []int{fx.id}, []set{{fx.field, id}}); err != nil {
			return err
		}
	}
	if fw.f.mode != Bulk {
		return nil
	}
	var gone []int
	for sid, e := range fw.ix.recs {
		if e.inDB && e.line == 0 && !e.dead {
			gone = append(gone, e.id)
			e.dead = true
			fw.ix.recs[sid] = e
		}
	}
	slices.Sort(gone)
	if err := w.tombstone(ctx, fw.t, gone); err != nil {
		return err
	}
	w.im.count(fw.f.spec.name, "tombstoned", len(gone))
	if fw.f.spec.version == "1.1" && fw.t.name == "users" && len(gone) > 0 {
		// A 1.1 users.csv holds the users' roles: the roles of users it drops go with them.
		for part := range slices.Chunk(gone, 10000) {
			if err := w.updateWhere(ctx, tables["roles"], []set{{"status", oneroster.StatusToBeDeleted}},
				entsql.FieldIn("user_id", part...), entsql.FieldEQ("status", oneroster.StatusActive)); err != nil {
				return err
			}
		}
	}
	return nil
}
