package csvbundle

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rollcall/rollcall/oneroster"
)

// Cell syntax shared by both versions (SPEC §8.1). Every parser takes a non-empty, untrimmed cell and returns
// an error that says what was expected; every formatter is its inverse on the values the parsers return.

// parseList splits a multi-value cell ("09,10"): items are comma-separated, spaces around them are dropped,
// and empty items are ignored. It returns nil when there is no item.
func parseList(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// formatList joins items into one cell; it fails for an item that parseList would not give back.
func formatList(items []string) (string, error) {
	for _, it := range items {
		if it == "" || strings.Contains(it, ",") || strings.TrimSpace(it) != it {
			return "", fmt.Errorf("list item %q cannot be written in a comma-separated cell", it)
		}
	}
	return strings.Join(items, ","), nil
}

// parsePairs parses "{a:b},{c:d}": braced items separated by commas (spaces between items allowed), each split
// at its first colon into two non-empty parts. what names the item for messages ("type:identifier").
func parsePairs(s, what string) ([][2]string, error) {
	var out [][2]string
	rest := strings.TrimSpace(s)
	for rest != "" {
		if rest[0] != '{' {
			return nil, fmt.Errorf("want {%s} items separated by commas", what)
		}
		end := strings.IndexByte(rest, '}')
		if end < 0 {
			return nil, fmt.Errorf("unclosed { (want {%s})", what)
		}
		inner := rest[1:end]
		k, v, ok := strings.Cut(inner, ":")
		if !ok || k == "" || v == "" || strings.ContainsRune(inner, '{') {
			return nil, fmt.Errorf("item {%s} is not {%s}", inner, what)
		}
		out = append(out, [2]string{k, v})
		rest = strings.TrimSpace(rest[end+1:])
		if rest == "" {
			break
		}
		if rest[0] != ',' {
			return nil, fmt.Errorf("want a comma between {%s} items", what)
		}
		rest = strings.TrimSpace(rest[1:])
		if rest == "" {
			return nil, fmt.Errorf("trailing comma (want {%s} items separated by commas)", what)
		}
	}
	return out, nil
}

// formatPairs is the inverse of parsePairs; it fails for parts parsePairs would not give back.
func formatPairs(pairs [][2]string) (string, error) {
	var sb strings.Builder
	for i, p := range pairs {
		k, v := p[0], p[1]
		if k == "" || v == "" || strings.ContainsAny(k, ":{}") || strings.ContainsAny(v, "{}") {
			return "", fmt.Errorf("{%s:%s} cannot be written in a braced list cell", k, v)
		}
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString("{" + k + ":" + v + "}")
	}
	return sb.String(), nil
}

// parseUserIDs parses a userIds cell: "{LDAP:jdoe},{SIS:123}".
func parseUserIDs(s string) ([]oneroster.UserID, error) {
	pairs, err := parsePairs(s, "type:identifier")
	if err != nil {
		return nil, err
	}
	out := make([]oneroster.UserID, len(pairs))
	for i, p := range pairs {
		out[i] = oneroster.UserID{Type: p[0], Identifier: p[1]}
	}
	return out, nil
}

func formatUserIDs(ids []oneroster.UserID) (string, error) {
	pairs := make([][2]string, len(ids))
	for i, id := range ids {
		pairs[i] = [2]string{id.Type, id.Identifier}
	}
	return formatPairs(pairs)
}

// parseScaleValues parses a scoreScaleValue cell: "{90 - 100:A},{80 - 89:B}" (itemValueLHS:itemValueRHS).
func parseScaleValues(s string) ([]oneroster.ScoreScaleValue, error) {
	pairs, err := parsePairs(s, "itemValueLHS:itemValueRHS")
	if err != nil {
		return nil, err
	}
	out := make([]oneroster.ScoreScaleValue, len(pairs))
	for i, p := range pairs {
		out[i] = oneroster.ScoreScaleValue{ItemValueLHS: p[0], ItemValueRHS: p[1]}
	}
	return out, nil
}

func formatScaleValues(vs []oneroster.ScoreScaleValue) (string, error) {
	pairs := make([][2]string, len(vs))
	for i, v := range vs {
		pairs[i] = [2]string{v.ItemValueLHS, v.ItemValueRHS}
	}
	return formatPairs(pairs)
}

// parseBool accepts true and false in any letter case.
func parseBool(s string) (bool, error) {
	switch {
	case strings.EqualFold(s, "true"):
		return true, nil
	case strings.EqualFold(s, "false"):
		return false, nil
	}
	return false, errors.New("want true or false")
}

func formatBool(b bool) string { return strconv.FormatBool(b) }

// parseFloat accepts a finite decimal number.
func parseFloat(s string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, errors.New("want a number such as 12 or 87.5")
	}
	return f, nil
}

// formatFloat writes the shortest decimal that parses back to f, without an exponent.
func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// parseDate checks a YYYY-MM-DD calendar date.
func parseDate(s string) (string, error) {
	if err := oneroster.ValidateDate(s); err != nil {
		return "", errors.New("want a date YYYY-MM-DD")
	}
	return s, nil
}

// parseYear checks a four-digit school year.
func parseYear(s string) (string, error) {
	if err := oneroster.ValidateYear(s); err != nil {
		return "", errors.New("want a four-digit year YYYY (the year the school year ends)")
	}
	return s, nil
}

// dateTimeLayout is how dateTimes are written: UTC with milliseconds (SPEC §5.1).
const dateTimeLayout = "2006-01-02T15:04:05.000Z"

// parseDateTime accepts an ISO 8601 dateTime with a zone (Z or an offset), with or without fractional
// seconds, or a plain date (midnight UTC, as OneRoster 1.0 and some 1.1 producers write), and returns it in UTC.
func parseDateTime(s string) (time.Time, error) {
	if len(s) == len(time.DateOnly) {
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return t, nil
		}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, errors.New("want a dateTime such as 2024-08-15T13:45:00.000Z (or a date YYYY-MM-DD)")
	}
	return t.UTC(), nil
}

func formatDateTime(t time.Time) string { return t.UTC().Format(dateTimeLayout) }

// formatDateOrTime writes a dateTime as a plain date when it is midnight UTC (1.1 lineItem dates), otherwise
// in full.
func formatDateOrTime(t time.Time) string {
	t = t.UTC()
	if t.Equal(t.Truncate(24 * time.Hour)) {
		return t.Format(time.DateOnly)
	}
	return formatDateTime(t)
}
