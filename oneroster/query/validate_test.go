package query

import (
	"strings"
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestValidateValues(t *testing.T) {
	tests := []struct {
		in       string
		path     string
		field    string // declaration name; "" means same as path
		value    any
		dateOnly bool
	}{
		{`status='active'`, "status", "", "active", false},
		{`status='tobedeleted'`, "status", "", "tobedeleted", false},
		{`email='jane.doe@example.org'`, "email", "", "jane.doe@example.org", false},
		{`role='teacher'`, "role", "", "teacher", false},
		{`role='ext:coach'`, "role", "", "ext:coach", false},
		{`familyName~'smi'`, "familyName", "", "smi", false},
		{`familyName='O''Brien'`, "familyName", "", "O'Brien", false},
		{`givenName='Mary Ann'`, "givenName", "", "Mary Ann", false},
		{`dateLastModified>'2026-01-05'`, "dateLastModified", "", day(2026, 1, 5), true},
		{`dateLastModified>'2026-01-05T00:00:00.000Z'`, "dateLastModified", "", day(2026, 1, 5), false},
		{`dateLastModified>'2026-01-05T00:00:00Z'`, "dateLastModified", "", day(2026, 1, 5), false},
		{`dateLastModified>='2026-01-05T10:30:00.123456Z'`, "dateLastModified", "", time.Date(2026, 1, 5, 10, 30, 0, 123456000, time.UTC), false},
		{`dateLastModified<'2026-01-05T01:00:00+01:00'`, "dateLastModified", "", day(2026, 1, 5), false},
		{`dateLastModified>'2024-02-29'`, "dateLastModified", "", day(2024, 2, 29), true},
		{`birthDate='2010-02-28'`, "birthDate", "", day(2010, 2, 28), false},
		{`score>'5'`, "score", "", 5.0, false},
		{`score<='-1.5e2'`, "score", "", -150.0, false},
		{`score!='.5'`, "score", "", 0.5, false},
		{`enabledUser='true'`, "enabledUser", "", true, false},
		{`enabledUser!='false'`, "enabledUser", "", false, false},
		{`grades='05'`, "grades", "", "05", false},
		{`grades~'0'`, "grades", "", "0", false},
		{`school.sourcedId='s1'`, "school.sourcedId", "", "s1", false},
		{`class.sourcedId='c1'`, "class.sourcedId", "", "c1", false},
		{`roles.role='teacher'`, "roles.role", "", "teacher", false},
		{`roles.org.sourcedId='x'`, "roles.org.sourcedId", "", "x", false},
		{`userIds.identifier='u 1'`, "userIds.identifier", "", "u 1", false},
		{`metadata.x.y='z'`, "metadata.x.y", "metadata.*", "z", false},
		{`metadata.ext:foo='1'`, "metadata.ext:foo", "metadata.*", "1", false},
		{`sourcedId>'m'`, "sourcedId", "", "m", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			e, err := ParseFilter(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			c, err := Validate(e, users)
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			cmp, ok := c.(*Comparison)
			if !ok {
				t.Fatalf("Validate = %T, want *Comparison", c)
			}
			field := tt.field
			if field == "" {
				field = tt.path
			}
			if cmp.Path != tt.path || cmp.Field.Name != field || cmp.Op != e.(*Predicate).Op {
				t.Errorf("got path %q field %q op %s, want %q %q", cmp.Path, cmp.Field.Name, cmp.Op, tt.path, field)
			}
			if tm, ok := tt.value.(time.Time); ok {
				got, ok := cmp.Value.(time.Time)
				if !ok || !got.Equal(tm) || got.Location() != time.UTC {
					t.Errorf("Value = %#v, want %v in UTC", cmp.Value, tm)
				}
			} else if cmp.Value != tt.value {
				t.Errorf("Value = %#v (%T), want %#v (%T)", cmp.Value, cmp.Value, tt.value, tt.value)
			}
			if cmp.DateOnly != tt.dateOnly {
				t.Errorf("DateOnly = %v, want %v", cmp.DateOnly, tt.dateOnly)
			}
		})
	}
}

func TestValidateShape(t *testing.T) {
	e, err := ParseFilter(`status='active' AND role='teacher' OR grades='05'`)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Validate(e, users)
	if err != nil {
		t.Fatal(err)
	}
	or, ok := c.(*Junction)
	if !ok || or.Op != Or || len(or.Terms) != 2 {
		t.Fatalf("Validate = %#v, want OR of 2", c)
	}
	and, ok := or.Terms[0].(*Junction)
	if !ok || and.Op != And || len(and.Terms) != 2 {
		t.Fatalf("first term = %#v, want AND of 2", or.Terms[0])
	}
	if g := or.Terms[1].(*Comparison); !g.Field.Array || g.Value != "05" {
		t.Errorf("second term = %#v", g)
	}
	if c, err := Validate(nil, users); c != nil || err != nil {
		t.Errorf("Validate(nil) = %v, %v", c, err)
	}
}

func TestValidateErrors(t *testing.T) {
	tests := []struct {
		in     string
		code   Code
		reason Reason
		pos    int
		field  string
		msg    string // exact
	}{
		{`foo='bar'`, CodeInvalidFilterField, ReasonUnknownField, 0, "foo", "unknown filter field: foo"},
		{`status='active' AND foo='x'`, CodeInvalidFilterField, ReasonUnknownField, 20, "foo", "unknown filter field: foo"},
		{`FamilyName='x'`, CodeInvalidFilterField, ReasonUnknownField, 0, "FamilyName", "unknown filter field: FamilyName"},
		{`password='x'`, CodeInvalidFilterField, ReasonUnknownField, 0, "password", "unknown filter field: password"},
		{`metadata='x'`, CodeInvalidFilterField, ReasonUnknownField, 0, "metadata", "unknown filter field: metadata"},
		{`school.name='x'`, CodeInvalidFilterField, ReasonUnknownField, 0, "school.name", "unknown filter field: school.name"},
		{`dateLastModified>'2026-13-01'`, CodeInvalidData, ReasonBadValue, 0, "dateLastModified", "dateLastModified: '2026-13-01' is not a date or datetime"},
		{`dateLastModified>'2026-02-30'`, CodeInvalidData, ReasonBadValue, 0, "dateLastModified", "dateLastModified: '2026-02-30' is not a date or datetime"},
		{`dateLastModified>'2026-01-05T00:00:00'`, CodeInvalidData, ReasonBadValue, 0, "dateLastModified", "dateLastModified: '2026-01-05T00:00:00' is not a date or datetime"},
		{`dateLastModified>'2026-01-05 00:00:00Z'`, CodeInvalidData, ReasonBadValue, 0, "dateLastModified", "dateLastModified: '2026-01-05 00:00:00Z' is not a date or datetime"},
		{`dateLastModified>'2026-1-5'`, CodeInvalidData, ReasonBadValue, 0, "dateLastModified", "dateLastModified: '2026-1-5' is not a date or datetime"},
		{`dateLastModified>'yesterday'`, CodeInvalidData, ReasonBadValue, 0, "dateLastModified", "dateLastModified: 'yesterday' is not a date or datetime"},
		{`dateLastModified>'2026-01-05T25:00:00Z'`, CodeInvalidData, ReasonBadValue, 0, "dateLastModified", "dateLastModified: '2026-01-05T25:00:00Z' is not a date or datetime"},
		{`birthDate='2010-02-30'`, CodeInvalidData, ReasonBadValue, 0, "birthDate", "birthDate: '2010-02-30' is not a date (YYYY-MM-DD)"},
		{`birthDate='2010-02-28T00:00:00Z'`, CodeInvalidData, ReasonBadValue, 0, "birthDate", "birthDate: '2010-02-28T00:00:00Z' is not a date (YYYY-MM-DD)"},
		{`score>'abc'`, CodeInvalidData, ReasonBadValue, 0, "score", "score: 'abc' is not a number"},
		{`score>'0x10'`, CodeInvalidData, ReasonBadValue, 0, "score", "score: '0x10' is not a number"},
		{`score>'1_000'`, CodeInvalidData, ReasonBadValue, 0, "score", "score: '1_000' is not a number"},
		{`score>'NaN'`, CodeInvalidData, ReasonBadValue, 0, "score", "score: 'NaN' is not a number"},
		{`score>' 5'`, CodeInvalidData, ReasonBadValue, 0, "score", "score: ' 5' is not a number"},
		{`score>'1e999'`, CodeInvalidData, ReasonBadValue, 0, "score", "score: '1e999' is not a number in range"},
		{`enabledUser='yes'`, CodeInvalidData, ReasonBadValue, 0, "enabledUser", "enabledUser: 'yes' is not a boolean ('true' or 'false')"},
		{`enabledUser='TRUE'`, CodeInvalidData, ReasonBadValue, 0, "enabledUser", "enabledUser: 'TRUE' is not a boolean ('true' or 'false')"},
		{`status='inactive'`, CodeInvalidData, ReasonBadValue, 0, "status", "status: 'inactive' is not one of active, tobedeleted"},
		{`status='ext:x'`, CodeInvalidData, ReasonBadValue, 0, "status", "status: 'ext:x' is not one of active, tobedeleted"},
		{`role='ext:'`, CodeInvalidData, ReasonBadValue, 0, "role", "role: 'ext:' is not one of administrator, aide, guardian, parent, proctor, relative, student, teacher or an ext: token"},
		{`roles.role='boss''s'`, CodeInvalidData, ReasonBadValue, 0, "roles.role", "roles.role: 'boss''s' is not one of administrator, aide, guardian, parent, proctor, relative, student, teacher or an ext: token"},
		{`status~'act'`, CodeInvalidFilterField, ReasonOperator, 0, "status", "status: operator ~ (contains) is only allowed on text fields, not on an enum field"},
		{`score~'1'`, CodeInvalidFilterField, ReasonOperator, 0, "score", "score: operator ~ (contains) is only allowed on text fields, not on a number field"},
		{`dateLastModified~'2026'`, CodeInvalidFilterField, ReasonOperator, 0, "dateLastModified", "dateLastModified: operator ~ (contains) is only allowed on text fields, not on a datetime field"},
		{`enabledUser>'true'`, CodeInvalidFilterField, ReasonOperator, 0, "enabledUser", "enabledUser: operator > is not allowed on a boolean field (use = or !=)"},
		{`status<='active'`, CodeInvalidFilterField, ReasonOperator, 0, "status", "status: operator <= is not allowed on an enum field (use = or !=)"},
		{`grades>'05'`, CodeInvalidFilterField, ReasonOperator, 0, "grades", "grades: operator > is not allowed on a multi-valued field (use = or !=)"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			e, err := ParseFilter(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			c, err := Validate(e, users)
			if err == nil {
				t.Fatalf("Validate = %#v, want error", c)
			}
			qe := wantErr(t, err, tt.code, tt.reason, tt.pos, "")
			if qe.Msg != tt.msg || qe.Error() != tt.msg {
				t.Errorf("message = %q, want %q", qe.Msg, tt.msg)
			}
			if qe.Field != tt.field || qe.Param != "filter" {
				t.Errorf("Field, Param = %q, %q, want %q, filter", qe.Field, qe.Param, tt.field)
			}
		})
	}
}

func TestValidateLongValueIsShortenedInMessage(t *testing.T) {
	e, err := ParseFilter("score='" + strings.Repeat("1234567890", 7) + "é'")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Validate(e, users)
	qe := wantErr(t, err, CodeInvalidData, ReasonBadValue, 0, "…' is not a number")
	if len(qe.Msg) > 100 {
		t.Errorf("message too long: %q", qe.Msg)
	}
}

func TestCodeMinor(t *testing.T) {
	tests := []struct {
		c        Code
		v11, v12 string
	}{
		{CodeInvalidFilterField, "invalid_filter_field", "invalid_filter_field"},
		{CodeInvalidData, "invalid data", "invaliddata"},
		{CodeInvalidBlankSelectionField, "invalid_blank_selection_field", "invalid_selection_field"},
		{CodeInvalidSelectionField, "invalid_selection_field", "invalid_selection_field"},
		{CodeInvalidSortField, "invalid_sort_field", "invalid_sort_field"},
	}
	for _, tt := range tests {
		if got := tt.c.CodeMinor11(); got != tt.v11 {
			t.Errorf("%s.CodeMinor11() = %q, want %q", tt.c, got, tt.v11)
		}
		if got := tt.c.CodeMinor12(); got != tt.v12 {
			t.Errorf("%s.CodeMinor12() = %q, want %q", tt.c, got, tt.v12)
		}
	}
}
