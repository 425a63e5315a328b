package cache

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/crc32"
	"strconv"

	"github.com/rollcall/rollcall/ent/cacherecord"
	"github.com/rollcall/rollcall/oneroster"
)

// prevKey is what the merge needs of the version of a record in the previous generation.
type prevKey struct {
	sid      string
	id       int64 // the version's row
	genFrom  int   // the version's first generation (its links' rec_from)
	hash     int64
	modified int64
	status   string
	kinds    int32
	scope    int8 // visibility (with school), for the schools a new version loses (see keepGone)
	school   string
}

// prevRow is a whole record version, for tombstones made from what was last published.
type prevRow struct {
	prevKey
	refA, refB     string
	doc            []byte
	body12, body11 []byte
	links          []link
	tombs          map[string]tomb // of the gone links (gone.go)
}

// visibleAt is the predicate "the version belongs to generation gen" on cache_records alias a.
func visibleAt(q *sqlb, a string, gen int) string {
	g := q.arg(gen)
	return a + ".gen_from <= " + g + " AND " + a + ".gen_to > " + q.arg(gen)
}

// prevStream reads the keys of one collection's versions in the previous generation in sourcedId (byte)
// order: on PostgreSQL one streaming query, on SQLite keyset batches (SQLite has one connection, which must
// be free between batches for the refresh's writes and for readers).
type prevStream struct {
	c      *Cache
	gen    int
	coll   Collection
	rows   *sql.Rows // PostgreSQL
	buf    []prevKey
	i      int
	after  string // SQLite: last key read
	done   bool
	closed bool
}

const prevCols = "id, sourced_id, gen_from, hash, modified_ms, status, kinds, scope, school"

func scanPrevKey(r *sql.Rows, k *prevKey, more ...any) error {
	var school sql.NullString
	err := r.Scan(append([]any{&k.id, &k.sid, &k.genFrom, &k.hash, &k.modified, &k.status, &k.kinds, &k.scope, &school}, more...)...)
	k.school = school.String
	return err
}

func (c *Cache) openPrev(ctx context.Context, gen int, coll Collection) (*prevStream, error) {
	p := &prevStream{c: c, gen: gen, coll: coll}
	if gen == 0 {
		p.done = true
		return p, nil
	}
	if c.pg {
		s := newSQL(true)
		s.w("SELECT ", prevCols, " FROM ", cacherecord.Table, " r WHERE r.collection = ", s.arg(coll.info().code),
			" AND ", visibleAt(s, "r", gen), " ORDER BY r.sourced_id")
		rows, err := c.db.SQL.QueryContext(ctx, s.String(), s.args...)
		if err != nil {
			return nil, fmt.Errorf("reading the previous generation's %s: %w", coll, err)
		}
		p.rows = rows
	}
	return p, nil
}

// peek returns the next key without consuming it, or nil at the end.
func (p *prevStream) peek(ctx context.Context) (*prevKey, error) {
	if p.i < len(p.buf) {
		return &p.buf[p.i], nil
	}
	if p.done {
		return nil, nil
	}
	p.buf, p.i = p.buf[:0], 0
	if p.rows != nil {
		for len(p.buf) < 4096 && p.rows.Next() {
			var k prevKey
			if err := scanPrevKey(p.rows, &k); err != nil {
				return nil, err
			}
			p.buf = append(p.buf, k)
		}
		if len(p.buf) == 0 {
			p.done = true
			return nil, p.rows.Err()
		}
		return &p.buf[0], nil
	}
	s := newSQL(false)
	s.w("SELECT ", prevCols, " FROM ", cacherecord.Table, " r WHERE r.collection = ", s.arg(p.coll.info().code),
		" AND ", visibleAt(s, "r", p.gen), " AND r.sourced_id > ", s.arg(p.after), " ORDER BY r.sourced_id LIMIT 4096")
	err := each(ctx, p.c.db.SQL, s.String(), func(r *sql.Rows) error {
		var k prevKey
		if err := scanPrevKey(r, &k); err != nil {
			return err
		}
		p.buf = append(p.buf, k)
		return nil
	}, s.args...)
	if err != nil {
		return nil, err
	}
	if len(p.buf) == 0 {
		p.done = true
		return nil, nil
	}
	p.after = p.buf[len(p.buf)-1].sid
	return &p.buf[0], nil
}

func (p *prevStream) next() { p.i++ }

func (p *prevStream) close() {
	if p.rows != nil && !p.closed {
		p.rows.Close()
	}
	p.closed = true
}

// fetchPrev loads the whole versions (and their links) of records in generation gen by sourcedId.
func fetchPrev(ctx context.Context, q queryer, pg bool, gen int, coll Collection, sids []string) (map[string]*prevRow, error) {
	out := make(map[string]*prevRow, len(sids))
	if len(sids) == 0 || gen == 0 {
		return out, nil
	}
	for start := 0; start < len(sids); start += 500 {
		part := sids[start:min(start+500, len(sids))]
		s := newSQL(pg)
		s.w(`SELECT `, prevCols, `, ref_a, ref_b, doc, body_v1p2, body_v1p1 FROM `,
			cacherecord.Table, ` r WHERE r.collection = `, s.arg(coll.info().code), ` AND `, visibleAt(s, "r", gen),
			` AND r.sourced_id IN `, s.in(part))
		err := each(ctx, q, s.String(), func(rows *sql.Rows) error {
			r := &prevRow{}
			var refA, refB sql.NullString
			var doc, b12, b11 []byte
			if err := scanPrevKey(rows, &r.prevKey, &refA, &refB, &doc, &b12, &b11); err != nil {
				return err
			}
			r.refA, r.refB = refA.String, refB.String
			r.doc, r.body12, r.body11 = bytes.Clone(doc), bytes.Clone(b12), bytes.Clone(b11)
			out[r.sid] = r
			return nil
		}, s.args...)
		if err != nil {
			return nil, err
		}
	}
	from := make(map[string]int, len(out))
	for sid, r := range out {
		from[sid] = r.genFrom
	}
	links, tombs, err := fetchLinks(ctx, q, pg, coll, from)
	if err != nil {
		return nil, err
	}
	for sid, ls := range links {
		out[sid].links, out[sid].tombs = ls, tombs[sid]
	}
	return out, nil
}

// tombFrom turns r into the tombstone of what was last published: the previous record's body, status
// tobedeleted, and its doc, subset bits and visibility, so that exactly the connections that saw the record
// see it go.
func (r *record) tombFrom(p *prevRow) error {
	r.fromPrev = true
	r.status = oneroster.StatusToBeDeleted
	var err error
	if r.body12, err = retomb(p.body12); err != nil {
		return fmt.Errorf("%s %s: %w", r.coll, r.sid, err)
	}
	r.body11 = nil
	if p.body11 != nil {
		if r.body11, err = retomb(p.body11); err != nil {
			return fmt.Errorf("%s %s: %w", r.coll, r.sid, err)
		}
	}
	r.doc, r.kinds, r.scope, r.school, r.refA, r.refB = p.doc, p.kinds, p.scope, p.school, p.refA, p.refB
	r.links, r.tombs = p.links, p.tombs
	return nil
}

// errHeader is returned for a stored body that does not start as this package writes bodies.
var errHeader = errors.New("stored body does not start with sourcedId, status, dateLastModified")

// headerOffsets finds, in a body written by obj.header, the status value's bounds and the offset of the
// dateLastModified value.
func headerOffsets(body []byte) (statusStart, statusEnd, dlmOff int, err error) {
	const p1, p2, p3 = `{"sourcedId":"`, `,"status":"`, `","dateLastModified":"`
	if !bytes.HasPrefix(body, []byte(p1)) {
		return 0, 0, 0, errHeader
	}
	i := len(p1)
	for ; i < len(body); i++ { // the end of the sourcedId string, minding escapes
		if body[i] == '\\' {
			i++
			continue
		}
		if body[i] == '"' {
			break
		}
	}
	i++
	if !bytes.HasPrefix(body[i:], []byte(p2)) {
		return 0, 0, 0, errHeader
	}
	statusStart = i + len(p2)
	statusEnd = statusStart + bytes.IndexByte(body[statusStart:], '"')
	if statusEnd < statusStart || !bytes.HasPrefix(body[statusEnd:], []byte(p3)) {
		return 0, 0, 0, errHeader
	}
	dlmOff = statusEnd + len(p3)
	if len(body) < dlmOff+len(dlmZero)+1 {
		return 0, 0, 0, errHeader
	}
	return statusStart, statusEnd, dlmOff, nil
}

// retomb returns a copy of a published body with status tobedeleted and dateLastModified zeroed.
func retomb(body []byte) ([]byte, error) {
	out, err := appendTomb(make([]byte, 0, len(body)+8), body)
	if err != nil {
		return nil, err
	}
	_, _, off, _ := headerOffsets(out)
	copy(out[off:], dlmZero)
	return out, nil
}

// appendTomb appends to dst a published body with its status replaced by tobedeleted (dateLastModified kept).
func appendTomb(dst, body []byte) ([]byte, error) {
	s, e, _, err := headerOffsets(body)
	if err != nil {
		return dst, err
	}
	dst = append(dst, body[:s]...)
	dst = append(dst, oneroster.StatusToBeDeleted...)
	return append(dst, body[e:]...), nil
}

// lostTomb appends to dst the tombstone a viewer gets of a record its schools lost sight of (gone.go): body
// (the frozen tombstone, or the version's body where the gone link has none) with status tobedeleted and
// dateLastModified ms (0: the body's own).
func lostTomb(dst, body []byte, ms int64) ([]byte, error) {
	n := len(dst)
	dst, err := appendTomb(dst, body)
	if err != nil || ms == 0 {
		return dst, err
	}
	return dst, stamp(dst[n:], ms)
}

// stamp writes the dateLastModified of ms into a body (which must hold dlmZero or an earlier stamp).
func stamp(body []byte, ms int64) error {
	if body == nil {
		return nil
	}
	_, _, off, err := headerOffsets(body)
	if err != nil {
		return err
	}
	copy(body[off:], formatMs(ms))
	return nil
}

// contentHash hashes what a record publishes, dateLastModified excepted (bodies still hold dlmZero): its
// status, both bodies and who may see it. A record whose hash is unchanged keeps its dateLastModified. The
// 64 bits are two CRC-32s (Castagnoli and IEEE, both computed by the CPU), so that a change goes unnoticed
// with a probability of about 2^-64.
func (r *record) contentHash() int64 {
	h1, h2 := crc32.New(castagnoli), crc32.NewIEEE()
	var lenBuf [12]byte
	w := func(b []byte) {
		n := strconv.AppendInt(lenBuf[:0], int64(len(b)), 10)
		n = append(n, 0)
		h1.Write(n)
		h2.Write(n)
		h1.Write(b)
		h2.Write(b)
	}
	w([]byte(r.status))
	w(r.body12)
	w(r.body11)
	w([]byte{byte(r.scope)})
	w([]byte(r.school))
	w(strconv.AppendInt(nil, int64(r.kinds), 10))
	for _, l := range r.links {
		w([]byte(l.rel))
		w([]byte(l.target))
	}
	return int64(uint64(h1.Sum32())<<32 | uint64(h2.Sum32()))
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)
