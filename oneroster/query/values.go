package query

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// numberSyntax is the accepted number literal: no hex, no underscores, no Inf/NaN.
var numberSyntax = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// convertValue turns the text of a filter value into the typed value for field f (named path in the
// request). dateOnly reports that a TypeDateTime value was given as a bare date.
func convertValue(f Field, path, raw string) (v any, dateOnly bool, err *Error) {
	bad := func(want string) *Error {
		return paramErr(CodeInvalidData, ReasonBadValue, "filter", path, "%s: %s is not %s", path, quoteValue(raw), want)
	}
	switch f.Type {
	case TypeString:
		return raw, false, nil
	case TypeEnum:
		if slices.Contains(f.Values, raw) || (f.Extensible && isExtToken(raw)) {
			return raw, false, nil
		}
		want := "one of " + strings.Join(f.Values, ", ")
		if f.Extensible {
			want += " or an ext: token"
		}
		return nil, false, bad(want)
	case TypeBoolean:
		switch raw {
		case "true":
			return true, false, nil
		case "false":
			return false, false, nil
		}
		return nil, false, bad("a boolean ('true' or 'false')")
	case TypeNumber:
		if !numberSyntax.MatchString(raw) {
			return nil, false, bad("a number")
		}
		n, perr := strconv.ParseFloat(raw, 64)
		if perr != nil {
			return nil, false, bad("a number in range")
		}
		return n, false, nil
	case TypeDate:
		if t, ok := parseDate(raw); ok {
			return t, false, nil
		}
		return nil, false, bad("a date (YYYY-MM-DD)")
	case TypeDateTime:
		if t, ok := parseDate(raw); ok {
			return t, true, nil
		}
		if t, ok := parseDateTime(raw); ok {
			return t, false, nil
		}
		return nil, false, bad("a date or datetime")
	}
	return nil, false, bad(f.Type.String())
}

// parseDate parses YYYY-MM-DD (a real calendar day) as midnight UTC.
func parseDate(s string) (time.Time, bool) {
	if len(s) != len(time.DateOnly) {
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// parseDateTime parses an RFC 3339 date-time with a 'T', seconds, optional fractional seconds and a
// time zone ('Z' or an offset), returning it in UTC.
func parseDateTime(s string) (time.Time, bool) {
	if len(s) < len("2006-01-02T15:04:05Z") || s[10] != 'T' {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// isExtToken reports whether s is a 1.2 extension token: "ext:" then [a-zA-Z0-9.-_]+.
func isExtToken(s string) bool {
	rest, ok := strings.CutPrefix(s, "ext:")
	if !ok || rest == "" {
		return false
	}
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if !(c|0x20 >= 'a' && c|0x20 <= 'z') && !(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '_' {
			return false
		}
	}
	return true
}
