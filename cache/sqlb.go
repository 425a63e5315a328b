package cache

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strconv"
	"strings"
)

// sqlb builds one SQL statement for the database's dialect. Every value goes through arg, which binds it as
// a parameter; the text only ever contains this package's own fragments and catalogue names.
type sqlb struct {
	pg   bool
	args []any
	base int // a fork's: the parameters of the statement it belongs to, bound before it
	b    strings.Builder
}

func newSQL(pg bool) *sqlb { return &sqlb{pg: pg} }

// arg binds v and returns its placeholder.
func (q *sqlb) arg(v any) string {
	q.args = append(q.args, v)
	if q.pg {
		return "$" + strconv.Itoa(len(q.args))
	}
	return "?"
}

// in binds each value and returns "(p1,p2,...)"; an empty list gives "(NULL)", which matches nothing.
func (q *sqlb) in(vals []string) string {
	if len(vals) == 0 {
		return "(NULL)"
	}
	var b strings.Builder
	b.WriteByte('(')
	for i, v := range vals {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(q.arg(v))
	}
	b.WriteByte(')')
	return b.String()
}

// fork starts a fragment that goes before the text of q in the statement (a SELECT list before q's FROM and
// WHERE) but is bound after q: its PostgreSQL parameters are numbered after q's. beforeArgs puts the
// parameters in the order of the statement's text.
func (q *sqlb) fork() *sqlb {
	return &sqlb{pg: q.pg, args: make([]any, len(q.args)), base: len(q.args)}
}

// beforeArgs returns the parameters of a statement made of the fork f's text followed by args (those of the
// builder f was forked from): SQLite binds "?" in text order, PostgreSQL by number.
func (f *sqlb) beforeArgs(args []any) []any {
	own := f.args[f.base:]
	if f.pg {
		return append(append(make([]any, 0, len(args)+len(own)), args...), own...)
	}
	return append(append(make([]any, 0, len(args)+len(own)), own...), args...)
}

// w appends text.
func (q *sqlb) w(parts ...string) *sqlb {
	for _, p := range parts {
		q.b.WriteString(p)
	}
	return q
}

func (q *sqlb) String() string { return q.b.String() }

// rebind turns the ? placeholders of a static statement into $n for PostgreSQL. Statements given to it
// contain no other question marks.
func rebind(pg bool, s string) string {
	if !pg || !strings.Contains(s, "?") {
		return s
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// queryer is what reads run on: a *sql.DB, *sql.Tx or *sql.Conn.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// idList binds ids for an IN list: PostgreSQL takes one array parameter (= ANY), SQLite one parameter each.
func (q *sqlb) ids(col string, ids []int64) string {
	if len(ids) == 0 {
		return "FALSE"
	}
	if q.pg { // a semi-join, which PostgreSQL hashes when col has no index
		return col + " IN (SELECT unnest(" + q.arg(int64Array(ids)) + "::bigint[]))"
	}
	var b strings.Builder
	b.WriteString(col + " IN (")
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(q.arg(id))
	}
	b.WriteByte(')')
	return b.String()
}

// int64Array is a PostgreSQL bigint[] literal parameter.
type int64Array []int64

// Value renders the array as {1,2,3}.
func (a int64Array) Value() (driver.Value, error) {
	b := make([]byte, 0, 2+len(a)*12)
	b = append(b, '{')
	for i, v := range a {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, v, 10)
	}
	return string(append(b, '}')), nil
}
