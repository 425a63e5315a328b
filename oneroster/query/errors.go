package query

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Code classifies a problem with a query parameter. The REST layer maps it to a status code and a
// codeMinor with CodeMinor11 (OneRoster 1.1) or CodeMinor12 (OneRoster 1.2).
type Code string

// The codes this package produces. Errors (HTTP 400, failure/error) use CodeInvalidFilterField,
// CodeInvalidData or CodeInvalidBlankSelectionField; warnings (HTTP 200, success/warning) use
// CodeInvalidSortField or CodeInvalidSelectionField.
const (
	CodeInvalidFilterField         Code = "invalid_filter_field"
	CodeInvalidData                Code = "invalid_data"
	CodeInvalidBlankSelectionField Code = "invalid_blank_selection_field"
	CodeInvalidSelectionField      Code = "invalid_selection_field"
	CodeInvalidSortField           Code = "invalid_sort_field"
)

// CodeMinor11 returns the OneRoster 1.1 imsx_codeMinor token for the code (SPEC §4.2).
func (c Code) CodeMinor11() string {
	if c == CodeInvalidData {
		return "invalid data"
	}
	return string(c)
}

// CodeMinor12 returns the OneRoster 1.2 imsx_codeMinorFieldValue token for the code (SPEC §4.3):
// invalid data is "invaliddata" and a blank selection field, absent from the 1.2 vocabulary, is
// reported as "invalid_selection_field".
func (c Code) CodeMinor12() string {
	switch c {
	case CodeInvalidData:
		return "invaliddata"
	case CodeInvalidBlankSelectionField:
		return string(CodeInvalidSelectionField)
	}
	return string(c)
}

// Reason is a stable, fine-grained identifier of what went wrong, for tests, logs and metrics. Clients
// only ever see the Code and the message.
type Reason string

// Reasons reported by the parsers and validators.
const (
	ReasonEmpty             Reason = "empty"                // the parameter is present but blank
	ReasonTooLong           Reason = "too_long"             // filter longer than MaxFilterLength
	ReasonTooManyClauses    Reason = "too_many_clauses"     // more than MaxClauses predicates (or sort/fields entries)
	ReasonTooDeep           Reason = "too_deep"             // parentheses nested deeper than MaxDepth
	ReasonBadEncoding       Reason = "bad_encoding"         // invalid UTF-8 or a NUL byte
	ReasonExpectedField     Reason = "expected_field"       // a field name was expected
	ReasonBadFieldName      Reason = "bad_field_name"       // a malformed field name
	ReasonMissingOperator   Reason = "missing_operator"     // a field not followed by an operator
	ReasonUnknownOperator   Reason = "unknown_operator"     // an operator outside = != > >= < <= ~
	ReasonMissingValue      Reason = "missing_value"        // an operator not followed by a value
	ReasonUnquotedValue     Reason = "unquoted_value"       // a value not in single quotes
	ReasonUnterminatedQuote Reason = "unterminated_quote"   // a quoted value never closed
	ReasonUnbalanced        Reason = "unbalanced"           // unmatched parenthesis
	ReasonMissingSpace      Reason = "missing_space"        // AND/OR not surrounded by white space
	ReasonTrailing          Reason = "trailing_garbage"     // text where AND, OR or the end was expected
	ReasonUnknownField      Reason = "unknown_field"        // a field the catalogue does not allow here
	ReasonOperator          Reason = "operator_not_allowed" // an operator the field's type does not support
	ReasonBadValue          Reason = "bad_value"            // a value that does not fit the field's type
	ReasonRepeated          Reason = "repeated"             // a single-valued parameter given more than once
	ReasonNotInteger        Reason = "not_integer"          // limit/offset is not a decimal integer
	ReasonOutOfRange        Reason = "out_of_range"         // limit/offset negative, zero or too large
	ReasonBadOrderBy        Reason = "bad_order_by"         // orderBy other than asc/desc
)

// NoPos is the Pos of an Error that does not point into a filter.
const NoPos = -1

// Error is a rejected query parameter. Error() returns Msg, a sentence fit for imsx_description.
type Error struct {
	Code   Code
	Reason Reason
	Param  string // the query parameter: "filter", "sort", "orderBy", "fields", "limit" or "offset"
	Field  string // the field concerned, if any (the unknown field for ReasonUnknownField)
	Pos    int    // 0-based byte offset in the URL-decoded filter, or NoPos
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

// Warning is a problem the specification answers with data plus a warning (1.1 statusInfoSet with
// codeMajor success, severity warning); 1.2 has no place for it in a success body.
type Warning struct {
	Code  Code
	Param string
	Field string
	Msg   string
}

// syntaxErr builds a filter syntax error at pos.
func syntaxErr(r Reason, pos int, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	return &Error{Code: CodeInvalidFilterField, Reason: r, Param: "filter", Pos: pos,
		Msg: fmt.Sprintf("invalid filter at offset %d: %s", pos, msg)}
}

// paramErr builds an error that does not point into a filter.
func paramErr(c Code, r Reason, param, field, format string, args ...any) *Error {
	return &Error{Code: c, Reason: r, Param: param, Field: field, Pos: NoPos, Msg: fmt.Sprintf(format, args...)}
}

// maxEcho bounds how much caller text is repeated in a message.
const maxEcho = 64

// quoteValue renders caller text as a single-quoted filter literal for messages, shortened to maxEcho
// bytes (on a rune boundary).
func quoteValue(s string) string {
	return "'" + strings.ReplaceAll(shorten(s), "'", "''") + "'"
}

// shorten cuts s to at most maxEcho bytes on a rune boundary, marking the cut with an ellipsis.
func shorten(s string) string {
	if len(s) <= maxEcho {
		return s
	}
	cut := maxEcho
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
