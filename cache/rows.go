package cache

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
)

// sqliteChunk is how many bodies a SQLite read buffers at a time: its one connection is released between
// chunks, so a slow client never holds the database.
const sqliteChunk = 500

// Rows is the page of a List: Total and Generation are set; Next/Body iterate over the records, each the
// exact JSON object to send (hrefs resolved, projected to the selected fields). Close it when done.
type Rows struct {
	// Total is the number of records matching the query, before limit and offset.
	Total int
	// Generation is the generation read; pass it as Query.Generation to read the next page from the same
	// snapshot.
	Generation int

	c      *Cache
	ctx    context.Context
	pl     *plan
	fields []string
	hrefs  Hrefs
	left   int // bodies still to return
	read   int // bodies read so far

	rows   *sql.Rows // the open query (PostgreSQL: the whole page; SQLite: never kept open)
	buf    [][]byte  // SQLite: the current chunk
	lost   []int64   // SQLite: the chunk's lost columns (Viewer.lostColumn)
	sids   []string  // SQLite: the chunk's sourcedIds, when the plan has a lost column
	bi     int
	out    []byte
	tomb   []byte // a body as a tombstone (Viewer.lost)
	dest   []any  // what a row is scanned into: the body, and the lost column if the plan has it
	raw    sql.RawBytes
	flag   int64
	sid    string
	err    error
	closed bool
}

// Next advances to the next record.
func (r *Rows) Next() bool {
	if r.err != nil || r.closed || r.left <= 0 {
		return false
	}
	raw, lost, sid, ok := r.fetch()
	if !ok {
		return false
	}
	r.left--
	r.read++
	if lost != 0 {
		frozen, ms, err := r.c.frozenTomb(r.ctx, r.pl.v, r.pl.code, sid, lost)
		if frozen != nil {
			raw = frozen
		}
		if r.tomb, r.err = lostTomb(r.tomb[:0], raw, ms); errors.Join(err, r.err) != nil {
			r.err = errors.Join(err, r.err)
			return false
		}
		raw = r.tomb
	}
	r.out = r.render(r.out[:0], raw)
	return true
}

// query is the page's statement (from the record at offset, at most n records) and its parameters.
func (r *Rows) query(offset, n int) (string, []any) {
	sel, args := r.pl.body, r.pl.args
	if r.pl.lost != "" {
		sel += ", " + r.pl.lost + ", r.sourced_id"
		args = r.pl.lostF.beforeArgs(args)
	}
	page := fmt.Sprintf(" LIMIT %d", n)
	if offset > 0 {
		page += fmt.Sprintf(" OFFSET %d", offset)
	}
	if r.pl.narrow {
		// Order and skip the records' ids alone, then read the page's bodies by id: sorting the rows of a
		// school's union (Viewer.source) with their bodies spilled to disk (cache/README.md). The
		// parameters are numbered, so the ORDER BY is written twice with the same ones.
		return "SELECT " + sel + " FROM cache_records r WHERE r.id IN (SELECT r.id" + r.pl.from + " ORDER BY " + r.pl.order + page +
			") ORDER BY " + r.pl.order, args
	}
	return "SELECT " + sel + r.pl.from + " ORDER BY " + r.pl.order + page, args
}

// fetch returns the next raw body, and if the viewer gets it as a tombstone (Viewer.lost) its version's
// gen_from (0 if not) and sourcedId.
func (r *Rows) fetch() ([]byte, int64, string, bool) {
	if r.dest == nil {
		r.dest = []any{nil}
		if r.pl.lost != "" {
			r.dest = append(r.dest, &r.flag, &r.sid)
		}
	}
	dest := r.dest
	if r.c.pg {
		if r.rows == nil {
			q, args := r.query(r.pl.offset, r.left)
			r.rows, r.err = r.c.db.SQL.QueryContext(r.ctx, q, args...)
			if r.err != nil {
				return nil, 0, "", false
			}
		}
		if !r.rows.Next() {
			r.err = r.rows.Err()
			r.rows.Close()
			r.left = 0
			return nil, 0, "", false
		}
		dest[0] = &r.raw
		if r.err = r.rows.Scan(dest...); r.err != nil {
			return nil, 0, "", false
		}
		return r.raw, r.flag, r.sid, true
	}
	if r.bi == len(r.buf) {
		r.buf, r.lost, r.sids, r.bi = r.buf[:0], r.lost[:0], r.sids[:0], 0
		q, args := r.query(r.read+r.pl.offset, min(r.left, sqliteChunk))
		r.err = each(r.ctx, r.c.db.SQL, q, func(rs *sql.Rows) error {
			var b []byte
			dest[0] = &b
			if err := rs.Scan(dest...); err != nil {
				return err
			}
			r.buf, r.lost = append(r.buf, b), append(r.lost, r.flag)
			r.sids = append(r.sids, r.sid)
			return nil
		}, args...)
		if r.err != nil || len(r.buf) == 0 {
			r.left = 0
			return nil, 0, "", false
		}
	}
	r.bi++
	return r.buf[r.bi-1], r.lost[r.bi-1], r.sids[r.bi-1], true
}

// Body is the current record's JSON object; it is valid until the next call of Next.
func (r *Rows) Body() []byte { return r.out }

// Err is the error that ended the iteration, if any.
func (r *Rows) Err() error { return r.err }

// Close releases the page's query.
func (r *Rows) Close() error {
	r.closed = true
	if r.rows != nil {
		return r.rows.Close()
	}
	return nil
}

// WriteJSON writes the collection envelope {"key":[body,body,...]} (key is the collection's envelope key,
// e.g. "users" for /students too) and closes the rows. It streams: memory does not grow with the page.
func (r *Rows) WriteJSON(w io.Writer, key string) (int64, error) {
	defer r.Close()
	bw := bufio.NewWriterSize(w, 64<<10)
	cw := &countWriter{w: bw}
	cw.Write(appendString([]byte{'{'}, key))
	cw.Write([]byte(":["))
	for i := 0; r.Next(); i++ {
		if i > 0 {
			cw.Write([]byte{','})
		}
		cw.Write(r.Body())
	}
	if r.err != nil {
		return cw.n, r.err
	}
	cw.Write([]byte("]}"))
	if err := bw.Flush(); err != nil {
		return cw.n, err
	}
	return cw.n, cw.err
}

type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countWriter) Write(b []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(b)
	c.n += int64(n)
	c.err = err
	return n, err
}

// render appends to dst the body as sent: projected to the selected fields, hrefs resolved.
func (r *Rows) render(dst, raw []byte) []byte {
	return resolve(dst, project(raw, r.fields), r.hrefs)
}

// resolve appends body to dst with the href placeholders replaced by their roots. It looks for each
// placeholder byte with the vectorized bytes.IndexByte, remembering where the others are.
func resolve(dst, body []byte, h Hrefs) []byte {
	roots := [3]string{h.Rostering, h.Gradebook, h.Resources}
	var next [3]int
	for k := range next {
		next[k] = bytes.IndexByte(body, placeholderRostering+byte(k))
	}
	done := 0
	for {
		k := -1
		for j, i := range next {
			if i >= 0 && (k < 0 || i < next[k]) {
				k = j
			}
		}
		if k < 0 {
			return append(dst, body[done:]...)
		}
		i := next[k]
		dst = append(dst, body[done:i]...)
		dst = append(dst, roots[k]...)
		done = i + 1
		if j := bytes.IndexByte(body[done:], placeholderRostering+byte(k)); j >= 0 {
			next[k] = done + j
		} else {
			next[k] = -1
		}
	}
}

// project keeps the top-level members of a body (compact JSON as this package writes it) whose names are
// in fields, in the body's order; no fields keeps everything.
func project(body []byte, fields []string) []byte {
	if len(fields) == 0 || len(body) < 2 {
		return body
	}
	out := make([]byte, 0, len(body))
	out = append(out, '{')
	first := true
	i := 1
	for i < len(body) && body[i] != '}' {
		keyStart := i
		i = skipString(body, i)
		key := body[keyStart+1 : i-1]
		valEnd := skipValue(body, i+1) // after ':'
		keep := false
		for _, f := range fields {
			if string(key) == f {
				keep = true
				break
			}
		}
		if keep {
			if !first {
				out = append(out, ',')
			}
			first = false
			out = append(out, body[keyStart:valEnd]...)
		}
		i = valEnd
		if i < len(body) && body[i] == ',' {
			i++
		}
	}
	return append(out, '}')
}

// skipString returns the index after the JSON string starting at i (a quote).
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// skipValue returns the index after the JSON value starting at i.
func skipValue(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '"':
			i = skipString(b, i)
			if depth == 0 {
				return i
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i
			}
			depth--
			if depth == 0 {
				return i + 1
			}
		case ',':
			if depth == 0 {
				return i
			}
		}
		i++
	}
	return i
}
