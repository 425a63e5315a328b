package query

import (
	"strings"
	"testing"
)

func TestParseFilter(t *testing.T) {
	tests := []struct {
		in    string
		want  Expr
		canon string // "" means same as in
	}{
		// The filters of CONSUMERS.md.
		{in: `status='active'`, want: pred("status", OpEq, "active")},
		{in: `email='jane.doe@example.org'`, want: pred("email", OpEq, "jane.doe@example.org")},
		{in: `role='teacher'`, want: pred("role", OpEq, "teacher")},
		{in: `dateLastModified>'2026-01-05'`, want: pred("dateLastModified", OpGt, "2026-01-05")},
		{in: `dateLastModified>'2026-01-05T00:00:00.000Z'`, want: pred("dateLastModified", OpGt, "2026-01-05T00:00:00.000Z")},
		{in: `familyName~'smi'`, want: pred("familyName", OpContains, "smi")},
		{in: `school.sourcedId='s1'`, want: pred("school.sourcedId", OpEq, "s1")},
		{in: `class.sourcedId='c1'`, want: pred("class.sourcedId", OpEq, "c1")},
		{in: `roles.role='teacher'`, want: pred("roles.role", OpEq, "teacher")},
		{in: `roles.org.sourcedId='x'`, want: pred("roles.org.sourcedId", OpEq, "x")},
		{in: `userIds.identifier='u-1'`, want: pred("userIds.identifier", OpEq, "u-1")},
		{in: `metadata.x.y='z'`, want: pred("metadata.x.y", OpEq, "z")},
		{in: `status='active' AND role='teacher'`, want: and(pred("status", OpEq, "active"), pred("role", OpEq, "teacher"))},
		{in: `role='teacher' OR role='student'`, want: or(pred("role", OpEq, "teacher"), pred("role", OpEq, "student"))},
		{in: `roles.role='teacher' AND roles.org.sourcedId='org-12'`, want: and(pred("roles.role", OpEq, "teacher"), pred("roles.org.sourcedId", OpEq, "org-12"))},
		{in: `givenName='Mary Ann'`, want: pred("givenName", OpEq, "Mary Ann")},
		{in: `familyName='O''Brien'`, want: pred("familyName", OpEq, "O'Brien")},
		{in: `familyName='O''Brien' AND givenName='Mary Ann'`, want: and(pred("familyName", OpEq, "O'Brien"), pred("givenName", OpEq, "Mary Ann"))},
		// Operators.
		{in: `score!='5'`, want: pred("score", OpNe, "5")},
		{in: `score>='5'`, want: pred("score", OpGe, "5")},
		{in: `score<'5'`, want: pred("score", OpLt, "5")},
		{in: `score<='5'`, want: pred("score", OpLe, "5")},
		// Values.
		{in: `familyName=''`, want: pred("familyName", OpEq, "")},
		{in: `familyName=''''`, want: pred("familyName", OpEq, "'")},
		{in: `familyName='a''''b'`, want: pred("familyName", OpEq, "a''b")},
		{in: `familyName='Müller'`, want: pred("familyName", OpEq, "Müller")},
		{in: `givenName='李 小龍'`, want: pred("givenName", OpEq, "李 小龍")},
		{in: "givenName='two\nlines'", want: pred("givenName", OpEq, "two\nlines")},
		{in: `familyName='x AND y' OR givenName=')( OR '`, want: or(pred("familyName", OpEq, "x AND y"), pred("givenName", OpEq, ")( OR "))},
		{in: `familyName='=~!<>'`, want: pred("familyName", OpEq, "=~!<>")},
		// Field names.
		{in: `metadata.ext:foo_bar-1='1'`, want: pred("metadata.ext:foo_bar-1", OpEq, "1")},
		{in: `_private='1'`, want: pred("_private", OpEq, "1")},
		// White space.
		{in: `  status = 'active'  `, want: pred("status", OpEq, "active"), canon: `status='active'`},
		{in: "status\t!=\t'active'\r\nAND\r\nrole >= 'a'", want: and(pred("status", OpNe, "active"), pred("role", OpGe, "a")), canon: `status!='active' AND role>='a'`},
		{in: `status='active'   AND   role='teacher'`, want: and(pred("status", OpEq, "active"), pred("role", OpEq, "teacher")), canon: `status='active' AND role='teacher'`},
		{in: `status='active' and role='teacher' or role='aide'`, want: or(and(pred("status", OpEq, "active"), pred("role", OpEq, "teacher")), pred("role", OpEq, "aide")), canon: `status='active' AND role='teacher' OR role='aide'`},
		// Chains and precedence: AND binds tighter than OR.
		{in: `a='1' AND b='2' AND c='3'`, want: and(pred("a", OpEq, "1"), pred("b", OpEq, "2"), pred("c", OpEq, "3"))},
		{in: `a='1' OR b='2' OR c='3'`, want: or(pred("a", OpEq, "1"), pred("b", OpEq, "2"), pred("c", OpEq, "3"))},
		{in: `a='1' AND b='2' OR c='3'`, want: or(and(pred("a", OpEq, "1"), pred("b", OpEq, "2")), pred("c", OpEq, "3"))},
		{in: `a='1' OR b='2' AND c='3'`, want: or(pred("a", OpEq, "1"), and(pred("b", OpEq, "2"), pred("c", OpEq, "3")))},
		{in: `a='1' OR b='2' AND c='3' OR d='4'`, want: or(pred("a", OpEq, "1"), and(pred("b", OpEq, "2"), pred("c", OpEq, "3")), pred("d", OpEq, "4"))},
		// Parentheses.
		{in: `(a='1' OR b='2') AND c='3'`, want: and(or(pred("a", OpEq, "1"), pred("b", OpEq, "2")), pred("c", OpEq, "3"))},
		{in: `( a='1' OR b='2' ) AND ( c='3' OR d='4' )`, want: and(or(pred("a", OpEq, "1"), pred("b", OpEq, "2")), or(pred("c", OpEq, "3"), pred("d", OpEq, "4"))), canon: `(a='1' OR b='2') AND (c='3' OR d='4')`},
		{in: `((a='1'))`, want: pred("a", OpEq, "1"), canon: `a='1'`},
		{in: `(a='1' AND b='2') AND c='3'`, want: and(pred("a", OpEq, "1"), pred("b", OpEq, "2"), pred("c", OpEq, "3")), canon: `a='1' AND b='2' AND c='3'`},
		{in: `a='1' OR (b='2' OR c='3')`, want: or(pred("a", OpEq, "1"), pred("b", OpEq, "2"), pred("c", OpEq, "3")), canon: `a='1' OR b='2' OR c='3'`},
		{in: `(a='1' AND b='2') OR c='3'`, want: or(and(pred("a", OpEq, "1"), pred("b", OpEq, "2")), pred("c", OpEq, "3")), canon: `a='1' AND b='2' OR c='3'`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseFilter(tt.in)
			if err != nil {
				t.Fatalf("ParseFilter: %v", err)
			}
			if !Equal(got, tt.want) {
				t.Errorf("ParseFilter = %s, want %s", got, tt.want)
			}
			canon := tt.canon
			if canon == "" {
				canon = tt.in
			}
			if got.String() != canon {
				t.Errorf("String() = %q, want %q", got.String(), canon)
			}
		})
	}
}

func TestParseFilterPositions(t *testing.T) {
	e, err := ParseFilter(`status='active' AND  role='teacher'`)
	if err != nil {
		t.Fatal(err)
	}
	terms := e.(*Logical).Terms
	if p0, p1 := terms[0].(*Predicate).Pos, terms[1].(*Predicate).Pos; p0 != 0 || p1 != 21 {
		t.Errorf("positions = %d, %d, want 0, 21", p0, p1)
	}
}

func TestParseFilterLimits(t *testing.T) {
	clauses := func(n int, sep string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = "a='1'"
		}
		return strings.Join(parts, sep)
	}
	nest := func(n int) string { return strings.Repeat("(", n) + "a='1'" + strings.Repeat(")", n) }
	long := func(n int) string { return "a='" + strings.Repeat("x", n-4) + "'" }

	if n := len(long(MaxFilterLength)); n != MaxFilterLength {
		t.Fatalf("long() = %d bytes", n)
	}
	for _, ok := range []string{clauses(MaxClauses, " AND "), clauses(MaxClauses, " OR "), nest(MaxDepth), long(MaxFilterLength)} {
		if _, err := ParseFilter(ok); err != nil {
			t.Errorf("ParseFilter(%.40q…) = %v, want success", ok, err)
		}
	}
	_, err := ParseFilter(clauses(MaxClauses+1, " AND "))
	wantErr(t, err, CodeInvalidFilterField, ReasonTooManyClauses, 32*len("a='1' AND "), "more than 32 clauses")
	_, err = ParseFilter(nest(MaxDepth + 1))
	wantErr(t, err, CodeInvalidFilterField, ReasonTooDeep, MaxDepth, "nested more than 8 deep")
	_, err = ParseFilter(long(MaxFilterLength + 1))
	wantErr(t, err, CodeInvalidFilterField, ReasonTooLong, MaxFilterLength, "4097 bytes long, the limit is 4096")
}

func TestParseFilterErrors(t *testing.T) {
	tests := []struct {
		in     string
		reason Reason
		pos    int
		msg    string
	}{
		{``, ReasonEmpty, 0, "invalid filter at offset 0: the filter is empty"},
		{"  \t ", ReasonEmpty, 0, "the filter is empty"},
		{`status='active`, ReasonUnterminatedQuote, 7, "invalid filter at offset 7: unterminated quoted value for status"},
		{`familyName='O''Brien`, ReasonUnterminatedQuote, 11, "unterminated quoted value"},
		{`familyName='O'Brien'`, ReasonTrailing, 14, `found "Brien'"`},
		{`status=='active'`, ReasonUnknownOperator, 6, `unknown operator "==" after field "status"`},
		{`status<>'active'`, ReasonUnknownOperator, 6, `unknown operator "<>"`},
		{`status=~'active'`, ReasonUnknownOperator, 6, `unknown operator "=~"`},
		{`status!'active'`, ReasonUnknownOperator, 6, `unknown operator "!"`},
		{`status LIKE 'active'`, ReasonUnknownOperator, 7, `unknown operator "LIKE"`},
		{`status`, ReasonMissingOperator, 6, `missing operator after field "status"`},
		{`status 'active'`, ReasonMissingOperator, 7, "missing operator"},
		{`status=`, ReasonMissingValue, 7, "missing value after status="},
		{`status>= `, ReasonMissingValue, 9, "missing value after status>="},
		{`status= AND role='x'`, ReasonMissingValue, 8, "missing value"},
		{`(status=)`, ReasonMissingValue, 8, "missing value"},
		{`status=active`, ReasonUnquotedValue, 7, `must be in single quotes, found "active"`},
		{`status="active"`, ReasonUnquotedValue, 7, "not double quotes"},
		{`score>5`, ReasonUnquotedValue, 6, "single quotes"},
		{`status='active' role='x'`, ReasonTrailing, 16, `expected AND, OR or the end of the filter, found "role='x'"`},
		{`status='active' 'x'`, ReasonTrailing, 16, "expected AND, OR"},
		{`status='active' ANDrole='x'`, ReasonTrailing, 16, `found "ANDrole='x'"`},
		{`status='active' XOR role='x'`, ReasonTrailing, 16, `found "XOR"`},
		{`status='active' AND`, ReasonExpectedField, 19, "missing clause after AND"},
		{`status='active' OR `, ReasonExpectedField, 19, "expected a field name, found the end of the filter"},
		{`status='active' AND AND role='x'`, ReasonExpectedField, 20, "expected a clause, found AND"},
		{`AND status='active'`, ReasonExpectedField, 0, "expected a clause, found AND"},
		{`status='active' AND 'x'='y'`, ReasonExpectedField, 20, `expected a field name, found "'x'='y'"`},
		{`status='active'AND role='x'`, ReasonMissingSpace, 15, "AND must be preceded by a space"},
		{`status='active' AND(role='x')`, ReasonMissingSpace, 19, "AND must be followed by a space"},
		{`(status='active')OR role='x'`, ReasonMissingSpace, 17, "OR must be preceded by a space"},
		{`(status='active'`, ReasonUnbalanced, 0, "'(' is never closed"},
		{`((status='active') AND role='x'`, ReasonUnbalanced, 0, "'(' is never closed"},
		{`status='active')`, ReasonUnbalanced, 15, "')' has no matching '('"},
		{`(status='active' role='x')`, ReasonTrailing, 17, "expected AND, OR or ')'"},
		{`()`, ReasonExpectedField, 1, `expected a field name, found ")"`},
		{`)`, ReasonExpectedField, 0, "expected a field name"},
		{`sta$tus='a'`, ReasonBadFieldName, 3, `invalid character '$' in field name "sta"`},
		{`familyNäme='a'`, ReasonBadFieldName, 7, `invalid character 'ä'`},
		{`school.='a'`, ReasonBadFieldName, 7, `field name "school." has an empty or invalid part after '.'`},
		{`school..sourcedId='a'`, ReasonBadFieldName, 7, "empty or invalid part"},
		{`.school='a'`, ReasonExpectedField, 0, "expected a field name"},
		{`1st='a'`, ReasonExpectedField, 0, "expected a field name"},
		{"status='\xff'", ReasonBadEncoding, 8, "not valid UTF-8 text (byte 0xff)"},
		{"status='a\x00'", ReasonBadEncoding, 9, "byte 0x00"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			e, err := ParseFilter(tt.in)
			if err == nil {
				t.Fatalf("ParseFilter = %s, want error", e)
			}
			qe := wantErr(t, err, CodeInvalidFilterField, tt.reason, tt.pos, tt.msg)
			if qe.Param != "filter" {
				t.Errorf("Param = %q, want filter", qe.Param)
			}
		})
	}
}

func TestExprStringHandBuilt(t *testing.T) {
	tests := []struct {
		e    Expr
		want string
	}{
		{and(pred("a", OpEq, "1"), or(pred("b", OpEq, "2"), pred("c", OpEq, "3"))), `a='1' AND (b='2' OR c='3')`},
		{or(pred("a", OpEq, "1"), and(pred("b", OpEq, "2"), pred("c", OpEq, "3"))), `a='1' OR b='2' AND c='3'`},
		{and(and(pred("a", OpEq, "1"), pred("b", OpEq, "2")), pred("c", OpEq, "3")), `(a='1' AND b='2') AND c='3'`},
		{pred("a", OpContains, "it's"), `a~'it''s'`},
	}
	for _, tt := range tests {
		if got := tt.e.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func TestEqual(t *testing.T) {
	a := and(pred("a", OpEq, "1"), pred("b", OpEq, "2"))
	tests := []struct {
		x, y Expr
		want bool
	}{
		{a, and(pred("a", OpEq, "1"), pred("b", OpEq, "2")), true},
		{a, or(pred("a", OpEq, "1"), pred("b", OpEq, "2")), false},
		{a, and(pred("a", OpEq, "1")), false},
		{a, pred("a", OpEq, "1"), false},
		{pred("a", OpEq, "1"), &Predicate{Field: "a", Op: OpEq, Value: "1", Pos: 9}, true},
		{pred("a", OpEq, "1"), pred("a", OpNe, "1"), false},
		{pred("a", OpEq, "1"), pred("a", OpEq, "2"), false},
		{nil, nil, true},
		{nil, a, false},
	}
	for i, tt := range tests {
		if got := Equal(tt.x, tt.y); got != tt.want {
			t.Errorf("%d: Equal = %v, want %v", i, got, tt.want)
		}
	}
}
