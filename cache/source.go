package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// liveQuery reads one live table (with joins) in sourcedId byte order. cols, from and where are this
// package's SQL; key is the sourcedId column the rows are ordered by.
type liveQuery struct {
	cols, from, where, key string
}

func (q liveQuery) base() string {
	s := "SELECT " + q.cols + " FROM " + q.from
	if q.where != "" {
		s += " WHERE " + q.where
	}
	return s
}

// and joins the query's own predicate with another.
func (q liveQuery) and(pred string) string {
	s := "SELECT " + q.cols + " FROM " + q.from + " WHERE "
	if q.where != "" {
		s += q.where + " AND "
	}
	return s + pred
}

// stream reads the whole query in batches of n rows and calls fn with each batch, in byte order of the key:
// on PostgreSQL one query (COLLATE "C" makes the order the byte order whatever the database's collation) whose
// rows arrive while fn works; on SQLite keyset batches, so that its one connection is free while fn works.
func stream[T any](ctx context.Context, c *Cache, q liveQuery, n int, scan func(*sql.Rows) (T, string, error), fn func([]T) error) error {
	batch := make([]T, 0, n)
	if c.pg {
		rows, err := c.db.SQL.QueryContext(ctx, q.base()+" ORDER BY "+q.key+` COLLATE "C"`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, _, err := scan(rows)
			if err != nil {
				return err
			}
			if batch = append(batch, t); len(batch) == n {
				if err := fn(batch); err != nil {
					return err
				}
				batch = make([]T, 0, n)
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(batch) > 0 {
			return fn(batch)
		}
		return nil
	}
	after := ""
	for {
		rows, err := c.db.SQL.QueryContext(ctx, q.and(q.key+" > ?")+" ORDER BY "+q.key+fmt.Sprintf(" LIMIT %d", n), after)
		if err != nil {
			return err
		}
		for rows.Next() {
			t, sid, err := scan(rows)
			if err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, t)
			after = sid
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		if err := fn(batch); err != nil {
			return err
		}
		if len(batch) < n {
			return nil
		}
		batch = make([]T, 0, n)
	}
}

// one reads the row of the query with the given sourcedId (ok false when there is none), on q (a
// transaction for write-through).
func one[T any](ctx context.Context, q queryer, pg bool, lq liveQuery, sid string, scan func(*sql.Rows) (T, string, error)) (t T, ok bool, err error) {
	rows, err := q.QueryContext(ctx, rebind(pg, lq.and(lq.key+" = ?")), sid)
	if err != nil {
		return t, false, err
	}
	defer rows.Close()
	if rows.Next() {
		t, _, err = scan(rows)
		return t, err == nil, err
	}
	return t, false, rows.Err()
}

// childStream reads rows belonging to the parents of a stream (a user's roles...) in the same order: by the
// parent's sourcedId, so that a refresh reads each child table once, sequentially, instead of looking the
// children up batch by batch. upTo(sid) returns the rows of every parent up to sid, after those returned
// before. On PostgreSQL it is one streaming query; on SQLite a range query per call.
type childStream[T any] struct {
	c      *Cache
	q      liveQuery // key is the parent's sourcedId column
	scan   func(*sql.Rows) (T, string, error)
	rows   *sql.Rows
	next   *T // PostgreSQL: the row read ahead
	nextID string
	done   bool
	after  string // SQLite: the last upTo
}

func newChildStream[T any](c *Cache, q liveQuery, scan func(*sql.Rows) (T, string, error)) *childStream[T] {
	return &childStream[T]{c: c, q: q, scan: scan}
}

// child is a row with its parent's sourcedId.
type child[T any] struct {
	parent string
	row    T
}

func (s *childStream[T]) upTo(ctx context.Context, sid string) ([]child[T], error) {
	var out []child[T]
	if !s.c.pg {
		err := each(ctx, s.c.db.SQL, s.q.and(s.q.key+" > ? AND "+s.q.key+" <= ?")+" ORDER BY "+s.q.key, func(r *sql.Rows) error {
			t, p, err := s.scan(r)
			out = append(out, child[T]{p, t})
			return err
		}, s.after, sid)
		s.after = sid
		return out, err
	}
	if s.rows == nil && !s.done {
		rows, err := s.c.db.SQL.QueryContext(ctx, s.q.base()+" ORDER BY "+s.q.key+` COLLATE "C"`)
		if err != nil {
			return nil, err
		}
		s.rows = rows
	}
	for !s.done {
		if s.next == nil {
			if !s.rows.Next() {
				s.done = true
				err := s.rows.Err()
				s.rows.Close()
				return out, err
			}
			t, p, err := s.scan(s.rows)
			if err != nil {
				return nil, err
			}
			s.next, s.nextID = &t, p
		}
		if s.nextID > sid {
			break
		}
		out = append(out, child[T]{s.nextID, *s.next})
		s.next = nil
	}
	return out, nil
}

func (s *childStream[T]) close() {
	if s.rows != nil && !s.done {
		s.rows.Close()
	}
}

// lookup runs "prefix IN-list suffix" for ids (a batch's ids) and calls fn for each row.
func lookup(ctx context.Context, q queryer, pg bool, prefix, col string, ids []int64, suffix string, fn func(*sql.Rows) error) error {
	if len(ids) == 0 {
		return nil
	}
	s := newSQL(pg)
	s.w(prefix, s.ids(col, ids), suffix)
	return each(ctx, q, s.String(), fn, s.args...)
}

// jsonStrings decodes a stored JSON array of strings (nil for NULL or anything else).
func jsonStrings(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	var out []string
	if json.Unmarshal(b, &out) != nil {
		return nil
	}
	return out
}

// refLists collects, per id, the sourcedIds a batch lookup returns (id, sourcedId rows).
func refLists(ctx context.Context, q queryer, pg bool, prefix, col string, ids []int64, suffix string) (map[int64][]string, error) {
	out := map[int64][]string{}
	err := lookup(ctx, q, pg, prefix, col, ids, suffix, func(r *sql.Rows) error {
		var id int64
		var sid string
		if err := r.Scan(&id, &sid); err != nil {
			return err
		}
		out[id] = append(out[id], sid)
		return nil
	})
	for id, l := range out {
		out[id] = sortedSIDs(l)
	}
	return out, err
}

// nullStrPtr returns a pointer to a NullString's value, nil for NULL.
func nullStrPtr(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	return &s.String
}

func nullFloatPtr(f sql.NullFloat64) *float64 {
	if !f.Valid {
		return nil
	}
	return &f.Float64
}

func nullBoolPtr(b sql.NullBool) *bool {
	if !b.Valid {
		return nil
	}
	return &b.Bool
}
