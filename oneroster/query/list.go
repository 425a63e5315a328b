package query

import (
	"slices"
	"strings"
)

// Limits on the comma lists of sort and fields.
const (
	MaxParamLength = 4096 // bytes of one list parameter, all repetitions joined
	MaxListEntries = 100  // distinct names in one list parameter
)

// splitList joins repeated parameter values with commas, splits on commas and trims white space
// around each name. It keeps blank entries (callers decide what they mean) and drops duplicates.
func splitList(param string, values []string) ([]string, *Error) {
	joined := strings.Join(values, ",")
	if len(joined) > MaxParamLength {
		return nil, paramErr(CodeInvalidData, ReasonTooLong, param, "", "%s is %d bytes long, the limit is %d", param, len(joined), MaxParamLength)
	}
	var out []string
	for part := range strings.SplitSeq(joined, ",") {
		part = strings.TrimSpace(part)
		if part != "" && slices.Contains(out, part) {
			continue
		}
		out = append(out, part)
	}
	if len(out) > MaxListEntries {
		return nil, paramErr(CodeInvalidData, ReasonTooManyClauses, param, "", "%s names more than %d fields", param, MaxListEntries)
	}
	return out, nil
}
