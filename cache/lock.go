package cache

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"

	"github.com/rollcall/rollcall/ent/cachelock"
)

// refreshLock is the name of the lock row that serializes refreshes.
const refreshLock = "refresh"

// lease is a held lock row: refreshes never overlap, also across processes sharing the database. Acquiring
// is one atomic upsert that only takes the row over when its lease has run out, so it works alike on
// PostgreSQL (row lock of ON CONFLICT DO UPDATE) and SQLite (one writer at a time).
type lease struct {
	c      *Cache
	holder string
}

// newHolder names this attempt: host, process and a random part, for the admin's "who holds it".
func newHolder() string {
	host, _ := os.Hostname()
	var r [6]byte
	rand.Read(r[:])
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(r[:]))
}

// acquire takes the lock or returns ErrRefreshRunning.
func (c *Cache) acquire(ctx context.Context) (*lease, error) {
	l := &lease{c: c, holder: newHolder()}
	now := c.now().UnixMilli()
	until := now + c.opt.Lease.Milliseconds()
	q := rebind(c.pg, `INSERT INTO `+cachelock.Table+` (name, holder, acquired_ms, lease_until_ms) VALUES (?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, acquired_ms = excluded.acquired_ms,
		lease_until_ms = excluded.lease_until_ms WHERE `+cachelock.Table+`.lease_until_ms < ?`)
	res, err := c.db.SQL.ExecContext(ctx, q, refreshLock, l.holder, now, until, now)
	if err != nil {
		return nil, fmt.Errorf("cache: taking the refresh lock: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return nil, ErrRefreshRunning
	}
	return l, nil
}

// extend pushes the lease out by another Lease; it fails if the lock was lost (the lease ran out and another
// refresh took it), in which case the refresh must stop.
func (l *lease) extend(ctx context.Context) error {
	until := l.c.now().UnixMilli() + l.c.opt.Lease.Milliseconds()
	q := rebind(l.c.pg, `UPDATE `+cachelock.Table+` SET lease_until_ms = ? WHERE name = ? AND holder = ?`)
	res, err := l.c.db.SQL.ExecContext(ctx, q, until, refreshLock, l.holder)
	if err != nil {
		return fmt.Errorf("cache: extending the refresh lock: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("cache: the refresh lock was lost (the lease ran out)")
	}
	return nil
}

// release gives the lock up.
func (l *lease) release(ctx context.Context) {
	q := rebind(l.c.pg, `UPDATE `+cachelock.Table+` SET lease_until_ms = 0 WHERE name = ? AND holder = ?`)
	l.c.db.SQL.ExecContext(context.WithoutCancel(ctx), q, refreshLock, l.holder)
}
