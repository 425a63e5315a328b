package query

import (
	"math"
	"strconv"
	"strings"
)

// Paging defaults and bounds.
const (
	DefaultLimit = 100           // limit when none is given (both versions)
	MaxOffset    = math.MaxInt32 // offset is an int32 in the 1.2 OpenAPI
)

// Page is the parsed limit and offset.
type Page struct {
	Limit  int
	Offset int
}

// ParsePage parses the values of the limit and offset parameters (nil when absent). maxLimit is the
// largest page the server will serve; 0 or less means math.MaxInt32. An absent limit is DefaultLimit (or
// maxLimit if that is smaller); an absent offset is 0. Each must be given at most once, as a plain
// decimal integer (surrounding white space ignored). limit must be between 1 and maxLimit and offset
// between 0 and MaxOffset; a limit above maxLimit is refused, never clamped, because consumers stop at
// the first short page. Every failure is a CodeInvalidData error.
func ParsePage(limit, offset []string, maxLimit int) (Page, error) {
	if maxLimit <= 0 || maxLimit > math.MaxInt32 {
		maxLimit = math.MaxInt32
	}
	p := Page{Limit: min(DefaultLimit, maxLimit)}
	if limit != nil {
		n, err := parseCount("limit", limit, 1, maxLimit, "the maximum page size")
		if err != nil {
			return Page{}, err
		}
		p.Limit = n
	}
	if offset != nil {
		n, err := parseCount("offset", offset, 0, MaxOffset, "the maximum offset")
		if err != nil {
			return Page{}, err
		}
		p.Offset = n
	}
	return p, nil
}

// parseCount parses one decimal integer parameter within [lo, hi].
func parseCount(param string, values []string, lo, hi int, hiName string) (int, *Error) {
	if len(values) != 1 {
		return 0, paramErr(CodeInvalidData, ReasonRepeated, param, "", "%s is given more than once", param)
	}
	raw := values[0]
	s := strings.TrimSpace(raw)
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return 0, paramErr(CodeInvalidData, ReasonNotInteger, param, "", "%s: %s is not an integer", param, quoteValue(raw))
	}
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case (err != nil && digits != s) || (err == nil && n < int64(lo)):
		if lo == 0 {
			return 0, paramErr(CodeInvalidData, ReasonOutOfRange, param, "", "%s: %s must not be negative", param, quoteValue(raw))
		}
		return 0, paramErr(CodeInvalidData, ReasonOutOfRange, param, "", "%s: %s must be at least %d", param, quoteValue(raw), lo)
	case err != nil || n > int64(hi):
		return 0, paramErr(CodeInvalidData, ReasonOutOfRange, param, "", "%s: %s exceeds %s of %d", param, quoteValue(raw), hiName, hi)
	}
	return int(n), nil
}
