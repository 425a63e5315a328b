package cache

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rollcall/rollcall/oneroster/query"
)

// The filter compiler turns a checked filter (query.Cond) into a SQL predicate over cache_records r. Field
// names come only from the catalogue (they were checked by query.Validate, and are checked again here
// against the catalogue's naming), values are always bound parameters. Semantics:
//
//   - sourcedId, status and dateLastModified are columns (status and dateLastModified as the viewer gets
//     them: tobedeleted and the frozen tombstone's time where its schools lost sight of the record, see
//     gone.go; the other fields never match such a record for such a viewer) (dateLastModified in Unix
//     milliseconds, compared exactly: a filter value with sub-millisecond digits compares as the instant it is);
//   - other fields are members of the doc, holding exactly what the bodies publish: text and enums compare
//     as text, booleans as "true"/"false", dates as YYYY-MM-DD, datetimes as their UTC millisecond form
//     (both order correctly as text), numbers as numbers;
//   - ~ is a case-insensitive substring match (LIKE metacharacters in the value are escaped; SQLite folds
//     ASCII letters only);
//   - a missing field matches != and no other operator;
//   - on multi-valued fields = means some element equals, != no element equals, ~ some element contains;
//   - metadata.a.b compares the metadata member's text (numbers and booleans as their JSON text).

// compiler compiles for one dialect into one statement, for one viewer (the status it gets, see
// Viewer.status).
type compiler struct {
	q *sqlb
	v Viewer
}

func (c compiler) pg() bool { return c.q.pg }

// cond compiles a filter tree.
func (c compiler) cond(e query.Cond) (string, error) {
	switch x := e.(type) {
	case *query.Junction:
		parts := make([]string, 0, len(x.Terms))
		for _, t := range x.Terms {
			p, err := c.cond(t)
			if err != nil {
				return "", err
			}
			parts = append(parts, p)
		}
		sep := " AND "
		if x.Op == query.Or {
			sep = " OR "
		}
		return "(" + strings.Join(parts, sep) + ")", nil
	case *query.Comparison:
		return c.comparison(x)
	}
	return "", unknownField("?")
}

// unknownField is the error for a field the compiler cannot map (a catalogue that is not this package's).
func unknownField(name string) error {
	return &query.Error{Code: query.CodeInvalidFilterField, Reason: query.ReasonUnknownField, Param: "filter",
		Field: name, Pos: query.NoPos, Msg: "unknown filter field: " + name}
}

// docKey checks that a catalogue name is safe to write as a SQL string literal.
func docKey(name string) (string, bool) {
	for i := 0; i < len(name); i++ {
		ch := name[i]
		if !(ch == '.' || ch == '_' || ch == '-' || ch == ':' || ch >= '0' && ch <= '9' || ch|0x20 >= 'a' && ch|0x20 <= 'z') {
			return "", false
		}
	}
	return name, name != ""
}

// textExpr is the SQL text of a scalar doc member.
func (c compiler) textExpr(key string) string {
	if c.pg() {
		return "(r.doc->>'" + key + "')"
	}
	return `json_extract(r.doc, '$."` + key + `"')`
}

// numExpr is a numeric doc member (NULL unless it is a number).
func (c compiler) numExpr(key string) string {
	if c.pg() {
		return "(CASE WHEN jsonb_typeof(r.doc->'" + key + "') = 'number' THEN (r.doc->>'" + key + "')::float8 END)"
	}
	return `json_extract(r.doc, '$."` + key + `"')`
}

// metaExpr is the text of a metadata member; path is "metadata.a.b" (names checked by the query grammar,
// bound as parameters all the same).
func (c compiler) metaExpr(path string) string {
	parts := strings.Split(path, ".")[1:]
	if c.pg() {
		args := make([]string, len(parts))
		for i, p := range parts {
			args[i] = c.q.arg(p) + "::text"
		}
		return "jsonb_extract_path_text(r.doc, 'metadata', " + strings.Join(args, ", ") + ")"
	}
	jp := `$."metadata"`
	for _, p := range parts {
		jp += `."` + p + `"`
	}
	p1, p2 := c.q.arg(jp), c.q.arg(jp)
	return "(CASE json_type(r.doc, " + p1 + ") WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(json_extract(r.doc, " +
		p2 + ") AS TEXT) END)"
}

// like binds a case-insensitive "contains v" pattern and returns the operator and its operand.
func (c compiler) like(v string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	p := c.q.arg("%" + r.Replace(v) + "%")
	if c.pg() {
		return " ILIKE " + p + ` ESCAPE '\'`
	}
	return " LIKE " + p + ` ESCAPE '\'`
}

// sqlOp is the SQL comparison operator of a filter operator.
func sqlOp(op query.Op) string {
	if op == query.OpNe {
		return "<>"
	}
	return string(op)
}

// msBound turns a filter instant into a millisecond bound: with sub-millisecond digits, = never holds, !=
// always does, > and >= mean > its millisecond, < and <= mean <= it.
func msBound(op query.Op, t time.Time) (query.Op, int64, string) {
	ms := t.UnixMilli()
	if t.Nanosecond()%int(time.Millisecond) == 0 {
		return op, ms, ""
	}
	switch op {
	case query.OpEq:
		return op, ms, "FALSE"
	case query.OpNe:
		return op, ms, "TRUE"
	case query.OpGt, query.OpGe:
		return query.OpGt, ms, ""
	}
	return query.OpLe, ms, ""
}

func (c compiler) comparison(x *query.Comparison) (string, error) {
	name := x.Field.Name
	switch {
	case name == "sourcedId" || name == "status":
		col := "r.sourced_id" // byte order: the column's collation is "C" on PostgreSQL
		if name == "status" {
			col = c.v.status(c.q)
		}
		return c.scalar(col, x.Op, fmt.Sprint(x.Value)), nil
	case name == "dateLastModified":
		t, ok := x.Value.(time.Time)
		if !ok {
			return "", unknownField(name)
		}
		op, ms, fixed := msBound(x.Op, t)
		if fixed != "" {
			return fixed, nil
		}
		if c.v.AllSchools {
			return "(r.modified_ms " + sqlOp(op) + " " + c.q.arg(ms) + ")", nil
		}
		pre := ""
		if op == query.OpGt || op == query.OpGe {
			// A tombstone's frozen dateLastModified is never later than the version's (gone.go): the
			// version's column first, for its index. (Written before the rest: SQLite binds in text order.)
			pre = "r.modified_ms " + sqlOp(op) + " " + c.q.arg(ms) + " AND "
		}
		return "(" + pre + c.v.modified(c.q) + " " + sqlOp(op) + " " + c.q.arg(ms) + ")", nil
	}
	f, err := c.docComparison(x)
	if err != nil || c.v.AllSchools {
		return f, err
	}
	// A viewer that gets the record as a tombstone frozen at a loss (gone.go) never matches on the record's
	// current values.
	return "(NOT " + c.v.lost(c.q) + " AND " + f + ")", nil
}

// docComparison compiles a comparison on a member of the doc (or metadata).
func (c compiler) docComparison(x *query.Comparison) (string, error) {
	name := x.Field.Name
	switch {
	case name == "metadata.*":
		return c.scalar(c.metaExpr(x.Path), x.Op, fmt.Sprint(x.Value)), nil
	}
	key, ok := docKey(name)
	if !ok || strings.HasSuffix(name, "*") {
		return "", unknownField(name)
	}
	if x.Field.Array {
		return c.array(key, x.Op, fmt.Sprint(x.Value)), nil
	}
	switch x.Field.Type {
	case query.TypeNumber:
		f, ok := x.Value.(float64)
		if !ok {
			return "", unknownField(name)
		}
		expr := c.numExpr(key)
		if x.Op == query.OpNe {
			return "(" + expr + " IS NULL OR " + expr + " <> " + c.q.arg(f) + ")", nil
		}
		return "(" + expr + " " + sqlOp(x.Op) + " " + c.q.arg(f) + ")", nil
	case query.TypeBoolean:
		b, _ := x.Value.(bool)
		return c.scalar(c.textExpr(key), x.Op, strconv.FormatBool(b)), nil
	case query.TypeDate:
		t, _ := x.Value.(time.Time)
		return c.scalar(c.textExpr(key), x.Op, t.UTC().Format(time.DateOnly)), nil
	case query.TypeDateTime:
		t, _ := x.Value.(time.Time)
		op, ms, fixed := msBound(x.Op, t)
		if fixed != "" {
			return fixed, nil
		}
		return c.scalar(c.textExpr(key), op, formatMs(ms)), nil
	}
	return c.scalar(c.textExpr(key), x.Op, fmt.Sprint(x.Value)), nil
}

// scalar compares a text expression with a value.
func (c compiler) scalar(expr string, op query.Op, v string) string {
	switch op {
	case query.OpContains:
		return "(" + expr + c.like(v) + ")"
	case query.OpNe:
		return "(" + expr + " IS NULL OR " + expr + " <> " + c.q.arg(v) + ")"
	}
	return "(" + expr + " " + sqlOp(op) + " " + c.q.arg(v) + ")"
}

// array compiles =, != and ~ on a multi-valued doc member.
func (c compiler) array(key string, op query.Op, v string) string {
	var some string
	if c.pg() {
		if op == query.OpContains {
			some = "EXISTS (SELECT 1 FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(r.doc->'" + key +
				"') = 'array' THEN r.doc->'" + key + "' END) e(v) WHERE e.v" + c.like(v) + ")"
		} else {
			some = "(COALESCE(r.doc->'" + key + "', '[]'::jsonb) @> jsonb_build_array(" + c.q.arg(v) + "::text))"
		}
	} else {
		var cmp string
		if op == query.OpContains {
			cmp = c.like(v)
		} else {
			cmp = " = " + c.q.arg(v)
		}
		some = `EXISTS (SELECT 1 FROM json_each(r.doc, '$."` + key + `"') e WHERE e.type = 'text' AND e.value` + cmp + ")"
	}
	if op == query.OpNe {
		return "(NOT " + some + ")"
	}
	return some
}

// orderBy compiles the sort keys (which end with sourcedId) into an ORDER BY list. tie is the column that
// orders by sourcedId in byte order (pos, where it is dense). Missing values sort last ascending, first
// descending (the exact reverse).
func (c compiler) orderBy(keys []query.SortKey, tie string) (string, error) {
	var parts []string
	for _, k := range keys {
		dir := " ASC"
		if k.Direction == query.Desc {
			dir = " DESC"
		}
		var expr string
		switch name := k.Field.Name; {
		case name == query.TieBreaker:
			parts = append(parts, tie+dir)
			continue
		case name == "status":
			parts = append(parts, c.v.status(c.q)+dir)
			continue
		case name == "dateLastModified":
			parts = append(parts, c.v.modified(c.q)+dir)
			continue
		case name == "metadata.*":
			expr = c.metaExpr(k.Path)
		default:
			key, ok := docKey(name)
			if !ok || k.Field.Array || strings.HasSuffix(name, "*") {
				return "", unknownField(name)
			}
			expr = c.textExpr(key)
			if k.Field.Type == query.TypeNumber {
				expr = c.numExpr(key)
			}
		}
		parts = append(parts, "("+expr+" IS NULL)"+dir, expr+dir)
	}
	return strings.Join(parts, ", "), nil
}
