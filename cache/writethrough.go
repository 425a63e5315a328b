package cache

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/cachegeneration"
	"github.com/rollcall/rollcall/ent/cachelink"
	"github.com/rollcall/rollcall/ent/cacherecord"
)

// PublishGradebook makes a vendor's write visible in the cache at once. Call it inside the transaction that
// wrote the live record (a line item, result, category, score scale, assessment line item or assessment
// result that was created, changed or deleted), after the write and before the commit: it reads the record
// back through tx, renders it exactly as a refresh would, and updates its version in the current generation
// in place (retained generations sharing that version see the change too) or adds a version, so the writer's
// next read (and every other reader's) sees it when tx commits, and a rollback takes it back too. A deleted
// record becomes a tombstone with a new dateLastModified; an unchanged record is left alone. If a refresh is
// running, the refresh catches the write up before it publishes (see flip); on PostgreSQL the writer's share
// lock on the generation rows makes the publishing wait for the writer's commit.
func (c *Cache) PublishGradebook(ctx context.Context, tx *ent.Tx, coll Collection, sourcedID string) error {
	if !coll.info().gradebook {
		return fmt.Errorf("cache: %s is not a collection vendors write", coll)
	}
	lock := ""
	if c.pg {
		lock = " FOR KEY SHARE"
	}
	current := 0
	err := each(ctx, tx, `SELECT id, status FROM `+cachegeneration.Table+
		` WHERE status IN ('ready', 'building') ORDER BY id`+lock, func(r *sql.Rows) error {
		var id int
		var status string
		if err := r.Scan(&id, &status); err != nil {
			return err
		}
		if status == string(cachegeneration.StatusReady) {
			current = id
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("cache: publishing %s %s: %w", coll, sourcedID, err)
	}
	if current == 0 {
		return nil // nothing published yet: the first refresh will publish it
	}
	if err := c.publishInto(ctx, tx, current, coll, sourcedID, c.now().UnixMilli()); err != nil {
		return fmt.Errorf("cache: publishing %s %s: %w", coll, sourcedID, err)
	}
	return nil
}

// publishInto renders one gradebook record from the live data (through q) and, if its published content
// changed, updates the version generation gen has (or adds one) with dateLastModified nowMs.
func (c *Cache) publishInto(ctx context.Context, q queryer, gen int, coll Collection, sid string, nowMs int64) error {
	r, err := childSpecs[coll].renderOne(ctx, q, c.pg, gen, sid)
	if err != nil {
		return err
	}
	existing, err := fetchPrev(ctx, q, c.pg, gen, coll, []string{sid})
	if err != nil {
		return err
	}
	old := existing[sid]
	if r == nil {
		r = &record{coll: coll, sid: sid, st: stHidden} // no live row any more
	}
	if r.st == stHidden {
		if old == nil {
			return nil // never published
		}
		if err := r.tombFrom(old); err != nil {
			return err
		}
	}
	if old != nil {
		r.prev = &old.prevKey
		if r.st != stHidden {
			r.keepGone(old.scope, old.school, old.links, old.tombs)
			if r.freshTombs() {
				if err := r.fillTombs(old.body12, old.body11); err != nil {
					return err
				}
			}
		}
	}
	if err := r.finish(nowMs); err != nil {
		return err
	}
	r.stampTombs(r.modified)
	if !r.changed {
		return nil
	}
	if old == nil {
		// A new version lasts until a version a running build already made, if there is one.
		to := int64(genOpen)
		var next sql.NullInt64
		err := each(ctx, q, rebind(c.pg, `SELECT MIN(gen_from) FROM `+cacherecord.Table+
			` WHERE collection = ? AND sourced_id = ? AND gen_from > ?`), func(r *sql.Rows) error { return r.Scan(&next) },
			coll.info().code, sid, gen)
		if err != nil {
			return err
		}
		if next.Valid {
			to = next.Int64
		}
		return insertRecords(ctx, q, c.pg, gen, int(to), []*record{r})
	}
	_, err = q.ExecContext(ctx, rebind(c.pg, `UPDATE `+cacherecord.Table+` SET status = ?, modified_ms = ?, hash = ?,
		kinds = ?, scope = ?, school = ?, ref_a = ?, ref_b = ?, doc = ?, body_v1p2 = ?, body_v1p1 = ? WHERE id = ?`),
		r.status, r.modified, r.hash, int64(r.kinds), int64(r.scope), nullStr(r.school), nullStr(r.refA), nullStr(r.refB),
		string(r.doc), string(r.body12), nullBytes(r.body11), old.id)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, rebind(c.pg, `DELETE FROM `+cachelink.Table+` WHERE collection = ? AND sourced_id = ? AND rec_from = ?`),
		coll.info().code, sid, old.genFrom)
	if err != nil || len(r.links) == 0 {
		return err
	}
	return insertLinks(ctx, q, c.pg, old.genFrom, r)
}

// insertLinks writes the links of a record's version starting at generation from.
func insertLinks(ctx context.Context, q queryer, pg bool, from int, r *record) error {
	args := make([]any, 0, len(r.links)*len(linkCols))
	for _, l := range r.links {
		t12, t11, ms := r.tombValues(l)
		args = append(args, int64(r.coll.info().code), r.sid, int64(from), l.rel, l.target, t12, t11, ms)
	}
	_, err := q.ExecContext(ctx, rebind(pg, insertSQL(cachelink.Table, linkCols, len(r.links))), args...)
	return err
}
