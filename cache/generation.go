package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/cachegeneration"
	"github.com/rollcall/rollcall/ent/cachelink"
	"github.com/rollcall/rollcall/ent/cachemark"
	"github.com/rollcall/rollcall/ent/cacherecord"
	"github.com/rollcall/rollcall/settings"
)

// catchUpSlack is how far before a build's start vendor writes are re-published at the flip (clock skew
// between server processes).
const catchUpSlack = 5 * time.Minute

// liveTables maps the gradebook collections to their live tables, for the flip's catch-up.
var liveTables = map[Collection]string{Categories: "categories", LineItems: "line_items", Results: "results",
	ScoreScales: "score_scales", AssessmentLineItems: "assessment_line_items", AssessmentResults: "assessment_results"}

// flip publishes a built generation, in one transaction:
//  1. it locks the generation's row, which waits for vendor writes in flight (PublishGradebook holds a share
//     lock on it) and holds new ones back until the commit;
//  2. it re-publishes the gradebook records written since the build started, which the build may have missed;
//  3. it stamps the records that changed with the publish time instead of the build's start, so that a delta
//     sync made against the previous generation during the build (dateLastModified > its own time) still
//     sees every change (the first generation keeps the start time: nobody can have read before it);
//  4. it marks the generation ready and the previous ones retired.
func (c *Cache) flip(ctx context.Context, gb *genBuild) (*ent.CacheGeneration, error) {
	if c.pg && gb.totalChanges() > 10000 {
		// Fresh statistics for the readers' plans after a large change (outside the transaction: it takes a while).
		if _, err := c.db.SQL.ExecContext(ctx, "ANALYZE "+cacherecord.Table); err != nil {
			return nil, err
		}
	}
	tx, err := c.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if c.pg {
		if _, err := tx.ExecContext(ctx, `SELECT id FROM `+cachegeneration.Table+` WHERE id = $1 FOR UPDATE`, gb.id); err != nil {
			return nil, err
		}
	}
	since := time.UnixMilli(gb.stampMs).Add(-catchUpSlack)
	for _, coll := range GradebookCollections {
		var sids []string
		err := each(ctx, tx, rebind(c.pg, `SELECT sourced_id FROM `+liveTables[coll]+` WHERE date_last_modified >= ?`),
			func(r *sql.Rows) error {
				var s string
				sids = append(sids, s)
				return r.Scan(&sids[len(sids)-1])
			}, since)
		if err != nil {
			return nil, fmt.Errorf("cache: catching up %s: %w", coll, err)
		}
		for _, sid := range sids {
			if err := c.publishInto(ctx, tx, gb.id, coll, sid, c.now().UnixMilli()); err != nil {
				return nil, fmt.Errorf("cache: catching up %s %s: %w", coll, sid, err)
			}
		}
	}
	published := c.now()
	if gb.prev != 0 {
		old, now := formatMs(gb.stampMs), formatMs(published.UnixMilli())
		from, to := `"dateLastModified":"`+old+`"`, `"dateLastModified":"`+now+`"`
		for _, coll := range AllCollections {
			_, err := tx.ExecContext(ctx, rebind(c.pg, `UPDATE `+cacherecord.Table+` SET modified_ms = ?,
				body_v1p2 = replace(body_v1p2, ?, ?), body_v1p1 = replace(body_v1p1, ?, ?)
				WHERE collection = ? AND modified_ms = ? AND gen_from = ?`),
				published.UnixMilli(), from, to, from, to, coll.info().code, gb.stampMs, gb.id)
			if err != nil {
				return nil, fmt.Errorf("cache: stamping %s: %w", coll, err)
			}
		}
		// The tombstones frozen for the schools that lost sight of a record now (gone.go) carry the same time.
		_, err := tx.ExecContext(ctx, rebind(c.pg, `UPDATE `+cachelink.Table+` SET tomb_ms = ?
			WHERE rel = ? AND rec_from = ? AND tomb_ms = 0`), published.UnixMilli(), relGone, gb.id)
		if err != nil {
			return nil, fmt.Errorf("cache: stamping lost schools' tombstones: %w", err)
		}
	}
	counts, _ := json.Marshal(gb.counts)
	changes, _ := json.Marshal(gb.changes)
	_, err = tx.ExecContext(ctx, rebind(c.pg, `UPDATE `+cachegeneration.Table+` SET status = 'ready', finished_at = ?,
		heartbeat_at = ?, rows_done = rows_total, counts = ?, changes = ? WHERE id = ?`),
		published, published, string(counts), string(changes), gb.id)
	if err != nil {
		return nil, err
	}
	_, err = tx.ExecContext(ctx, rebind(c.pg, `UPDATE `+cachegeneration.Table+` SET status = 'retired', retired_at = ?
		WHERE status = 'ready' AND id <> ?`), published, gb.id)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return c.db.Client.CacheGeneration.Get(ctx, gb.id)
}

// fail records a failed build, deletes what it wrote, and alerts.
func (c *Cache) fail(ctx context.Context, g *ent.CacheGeneration, cause error) {
	now := c.now()
	c.opt.Logger.Error("cache refresh failed", "generation", g.ID, "error", cause)
	msg := cause.Error()
	if len(msg) > 4000 {
		msg = msg[:4000]
	}
	if err := c.db.Client.CacheGeneration.UpdateOneID(g.ID).SetStatus(cachegeneration.StatusFailed).
		SetFinishedAt(now).SetError(msg).Exec(ctx); err != nil {
		c.opt.Logger.Error("cache: recording the failure", "error", err)
	}
	if err := c.undo(ctx, g.ID); err != nil {
		c.opt.Logger.Warn("cache: undoing a failed generation", "generation", g.ID, "error", err)
	}
	c.alert(ctx, Failure{Generation: g.ID, TriggeredBy: g.TriggeredBy, StartedAt: g.StartedAt, FailedAt: now, Error: msg})
}

// abandonBuilding marks as failed the generations left building by a refresh that died (the caller holds the
// lock, so none of them is still being built) and deletes their records.
func (c *Cache) abandonBuilding(ctx context.Context) error {
	gs, err := c.db.Client.CacheGeneration.Query().Where(cachegeneration.StatusEQ(cachegeneration.StatusBuilding)).All(ctx)
	if err != nil {
		return err
	}
	for _, g := range gs {
		err := c.db.Client.CacheGeneration.UpdateOneID(g.ID).SetStatus(cachegeneration.StatusFailed).SetFinishedAt(c.now()).
			SetError("interrupted: the process building it stopped before it finished").Exec(ctx)
		if err != nil {
			return err
		}
		if err := c.undo(ctx, g.ID); err != nil {
			return err
		}
	}
	return nil
}

// undo takes back what a build that did not finish wrote: its versions, their links and its marks, and
// makes current again the versions it had replaced.
func (c *Cache) undo(ctx context.Context, gen int) error {
	stmts := []string{
		`DELETE FROM ` + cachelink.Table + ` WHERE rec_from = ?`,
		`DELETE FROM ` + cachemark.Table + ` WHERE generation_id = ?`,
		`UPDATE ` + cacherecord.Table + ` SET gen_to = ` + strconv.Itoa(genOpen) + ` WHERE gen_to = ?`,
	}
	if _, err := c.deleteBatched(ctx, "gen_from = ?", gen); err != nil {
		return fmt.Errorf("cache: undoing generation %d: %w", gen, err)
	}
	for _, q := range stmts {
		if _, err := c.db.SQL.ExecContext(ctx, rebind(c.pg, q), gen); err != nil {
			return fmt.Errorf("cache: undoing generation %d: %w", gen, err)
		}
	}
	return nil
}

// deleteBatched deletes the record versions matching pred (one bound argument) in batches, so that no
// statement holds the database for long, and returns how many it deleted.
func (c *Cache) deleteBatched(ctx context.Context, pred string, arg any) (int64, error) {
	q := rebind(c.pg, `DELETE FROM `+cacherecord.Table+` WHERE id IN (SELECT id FROM `+cacherecord.Table+` WHERE `+pred+` LIMIT 20000)`)
	var total int64
	for {
		res, err := c.db.SQL.ExecContext(ctx, q, arg)
		if err != nil {
			return total, err
		}
		n, _ := res.RowsAffected()
		if n == 0 {
			return total, nil
		}
		total += n
	}
}

// purgeGrace is how long a generation marked purged keeps its records, so that a read that picked it just
// before the mark still finds them all.
const purgeGrace = 10 * time.Minute

// Cleanup retires what is no longer needed: generations retired longer ago than the CacheRetentionMinutes
// setting are marked purged (readers pinned to them fall back to the current one) and, purgeGrace later, the
// record versions no readable generation needs any more are deleted, with their links and the marks of
// purged generations; generation rows purged more than 30 days ago are forgotten. The scheduler runs it
// periodically; Refresh runs it after publishing.
func (c *Cache) Cleanup(ctx context.Context) error {
	set, err := settings.Load(ctx, c.db.Client)
	if err != nil {
		return err
	}
	now := c.now()
	err = c.db.Client.CacheGeneration.Update().Where(cachegeneration.PurgedAtIsNil(),
		cachegeneration.StatusEQ(cachegeneration.StatusRetired), cachegeneration.RetiredAtLT(now.Add(-set.CacheRetention()))).
		SetPurgedAt(now).Exec(ctx)
	if err != nil {
		return err
	}
	// The oldest generation a reader may still use.
	var oldest sql.NullInt64
	err = c.db.SQL.QueryRowContext(ctx, rebind(c.pg, `SELECT MIN(id) FROM `+cachegeneration.Table+
		` WHERE status IN ('ready', 'retired') AND (purged_at IS NULL OR purged_at > ?)`), now.Add(-purgeGrace)).Scan(&oldest)
	if err != nil {
		return err
	}
	if oldest.Valid {
		n, err := c.deleteBatched(ctx, "gen_to <= ?", oldest.Int64)
		if err != nil {
			return fmt.Errorf("cache: deleting old record versions: %w", err)
		}
		if n > 0 {
			_, err := c.db.SQL.ExecContext(ctx, `DELETE FROM `+cachelink.Table+` WHERE NOT EXISTS (SELECT 1 FROM `+
				cacherecord.Table+` r WHERE r.collection = `+cachelink.Table+`.collection AND r.sourced_id = `+
				cachelink.Table+`.sourced_id AND r.gen_from = `+cachelink.Table+`.rec_from)`)
			if err != nil {
				return fmt.Errorf("cache: deleting old links: %w", err)
			}
		}
		_, err = c.db.SQL.ExecContext(ctx, rebind(c.pg, `DELETE FROM `+cachemark.Table+` WHERE generation_id < ?`), oldest.Int64)
		if err != nil {
			return err
		}
	}
	_, err = c.db.Client.CacheGeneration.Delete().Where(cachegeneration.PurgedAtLT(now.Add(-30 * 24 * time.Hour))).Exec(ctx)
	return err
}

// snapshot is the generation a read uses.
type snapshot struct {
	id     int
	counts map[string]int64
}

// pick returns the generation to read: the pinned one if it is still readable (ready or retired, not
// purged), else the newest ready one.
func (c *Cache) pick(ctx context.Context, pinned int) (snapshot, error) {
	if pinned > 0 {
		g, err := c.db.Client.CacheGeneration.Query().Where(cachegeneration.ID(pinned), cachegeneration.PurgedAtIsNil(),
			cachegeneration.StatusIn(cachegeneration.StatusReady, cachegeneration.StatusRetired)).Only(ctx)
		if err == nil {
			return c.remember(g), nil
		}
		if !ent.IsNotFound(err) {
			return snapshot{}, err
		}
	}
	var id int
	err := c.db.SQL.QueryRowContext(ctx, `SELECT id FROM `+cachegeneration.Table+` WHERE status = 'ready' ORDER BY id DESC LIMIT 1`).Scan(&id)
	if err == sql.ErrNoRows {
		return snapshot{}, ErrNoGeneration
	}
	if err != nil {
		return snapshot{}, err
	}
	if s, ok := c.cached(id); ok {
		return s, nil
	}
	g, err := c.db.Client.CacheGeneration.Get(ctx, id)
	if err != nil {
		return snapshot{}, err
	}
	return c.remember(g), nil
}

// cached returns the counts of the current generation read before (the current generation is never purged,
// so they stay right; a pinned one is always re-read, to see if it was purged).
func (c *Cache) cached(id int) (snapshot, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	counts, ok := c.counts[id]
	return snapshot{id: id, counts: counts}, ok
}

func (c *Cache) remember(g *ent.CacheGeneration) snapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.counts) > 64 {
		clear(c.counts)
	}
	c.counts[g.ID] = g.Counts
	return snapshot{id: g.ID, counts: g.Counts}
}
