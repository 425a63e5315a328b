package csvbundle

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/rollcall/rollcall/oneroster"
)

// wcol is a field a records file writes: a spec column the file has, or a derived field.
type wcol struct {
	field string // ent field = SQL column; "" for a join (kRefs)
	kind  kind
	ci    int    // the spec column, or -1 for a derived field
	ref   string // kRef, kRefs, kOrgs11: the table referred to
	join  *join  // kRefs
}

// writeCols lists what a records file writes: the stored columns it has, and the derived fields (a
// demographics record's user, a user profile's credentials).
func (l *layout) writeCols() []wcol {
	var out []wcol
	for i, c := range l.spec.cols {
		if !l.has(i) {
			continue
		}
		switch {
		case c.kind == kRefs:
			out = append(out, wcol{kind: kRefs, ci: i, ref: c.ref, join: c.join})
		case c.field != "":
			out = append(out, wcol{field: c.field, kind: c.kind, ci: i, ref: c.ref})
		}
	}
	switch l.spec.table {
	case "demographics":
		out = append(out, wcol{field: "user_id", kind: kRef, ci: -1, ref: "users"})
	case "user_profiles":
		out = append(out, wcol{field: "credentials", kind: kCreds, ci: -1})
	}
	return out
}

// scanDest returns where to scan a column of kind k.
func scanDest(k kind) any {
	switch k {
	case kText, kEnum, kDate, kYear, kNullEnum, kNullDate:
		return new(sql.NullString)
	case kBool, kNullBool:
		return new(sql.NullBool)
	case kNullFloat:
		return new(sql.NullFloat64)
	case kTime:
		return new(sql.NullTime)
	case kRef, kOrgs11:
		return new(sql.NullInt64)
	}
	return new([]byte)
}

// decode turns a scanned column into the canonical value of kind k: string, bool, float64, time.Time (UTC),
// int for ids, a typed slice for JSON fields, and an untyped nil for NULL and empty lists.
func decode(k kind, d any) (any, error) {
	switch v := d.(type) {
	case *sql.NullString:
		if !v.Valid {
			if k == kNullEnum || k == kNullDate {
				return nil, nil
			}
			return "", nil
		}
		return v.String, nil
	case *sql.NullBool:
		if !v.Valid {
			return nil, nil
		}
		return v.Bool, nil
	case *sql.NullFloat64:
		if !v.Valid {
			return nil, nil
		}
		return v.Float64, nil
	case *sql.NullTime:
		if !v.Valid {
			return nil, nil
		}
		return v.Time.UTC(), nil
	case *sql.NullInt64:
		if !v.Valid {
			return nil, nil
		}
		return int(v.Int64), nil
	case *[]byte:
		if len(*v) == 0 || string(*v) == "null" {
			return nil, nil
		}
		return decodeJSON(k, *v)
	}
	return nil, fmt.Errorf("cannot decode %T", d)
}

func decodeJSON(k kind, b []byte) (any, error) {
	var v any
	switch k {
	case kList, kEnumList:
		v = &[]string{}
	case kUserIDs:
		v = &[]oneroster.UserID{}
	case kScale:
		v = &[]oneroster.ScoreScaleValue{}
	case kCreds:
		v = &[]oneroster.Credential{}
	case kLOSet:
		v = &[]oneroster.LearningObjectiveSet{}
	case kLOScores:
		v = &[]oneroster.LearningObjectiveScoreSet{}
	default:
		return nil, fmt.Errorf("no JSON decoding for kind %d", k)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return nil, err
	}
	return norm(reflect.ValueOf(v).Elem().Interface()), nil
}

// decodeMeta decodes a metadata column; nil for NULL or an empty object.
func decodeMeta(b []byte) (map[string]any, error) {
	if len(b) == 0 || string(b) == "null" {
		return nil, nil
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("reading metadata: %w", err)
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// norm turns empty slices into an untyped nil, so that "no value" compares equal however it was written.
func norm(v any) any {
	if v == nil {
		return nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice && rv.Len() == 0 {
		return nil
	}
	return v
}

// same reports whether two canonical values are equal.
func same(a, b any) bool {
	a, b = norm(a), norm(b)
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	switch x := a.(type) {
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	case []int:
		y, ok := b.([]int)
		return ok && slices.Equal(x, y)
	case string, bool, float64, int:
		return a == b
	}
	return reflect.DeepEqual(a, b)
}

// sameMeta compares two metadata objects, nil and empty being equal.
func sameMeta(a, b map[string]any) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == 0 && len(b) == 0
	}
	return reflect.DeepEqual(a, b)
}

// jsonValue encodes a JSON field for a raw write (COPY), as ent does: json.Marshal of the Go value.
func jsonValue(v any) (any, error) {
	switch v.(type) {
	case nil:
		return nil, nil
	case string, bool, float64, int64, time.Time:
		return v, nil
	case int:
		return int64(v.(int)), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}
