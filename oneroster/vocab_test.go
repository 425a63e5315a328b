package oneroster

import "testing"

func TestValidators(t *testing.T) {
	tests := []struct {
		name string
		err  error
		ok   bool
	}{
		{"org type", OrgTypes.Validate("school"), true},
		{"org type ext", OrgTypes.Validate("ext:campus-1"), true},
		{"org type bad", OrgTypes.Validate("galaxy"), false},
		{"ext on closed vocabulary", RoleTypes.Validate("ext:x"), false},
		{"bare ext", OrgTypes.Validate("ext:"), false},
		{"score status with space", ScoreStatuses.Validate("fully graded"), true},
		{"date", ValidateDate("2026-02-28"), true},
		{"not a day", ValidateDate("2026-02-30"), false},
		{"datetime is not a date", ValidateDate("2026-02-01T00:00:00Z"), false},
		{"year", ValidateYear("2027"), true},
		{"short year", ValidateYear("27"), false},
		{"sourcedId", ValidateSourcedID("a-1_b.c"), true},
		{"sourcedId space", ValidateSourcedID("a b"), false},
		{"sourcedId empty", ValidateSourcedID(""), false},
		{"sourcedId non-ASCII", ValidateSourcedID("é"), false},
	}
	for _, tt := range tests {
		if (tt.err == nil) != tt.ok {
			t.Errorf("%s: err = %v, want ok=%v", tt.name, tt.err, tt.ok)
		}
	}
}

func TestScopeURIs(t *testing.T) {
	tests := []struct{ in, version, name string }{
		{"https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly", V1p2, "roster.readonly"},
		{"http://purl.imsglobal.org/spec/or/v1p1/scope/roster-core.readonly", V1p1, "roster-core.readonly"},
		{"https://purl.imsglobal.org/spec/or/v1p2/scope/", "", ""},
		{"roster.readonly", "", ""},
	}
	for _, tt := range tests {
		v, n, ok := ParseScopeURI(tt.in)
		if v != tt.version || n != tt.name || ok != (tt.version != "") {
			t.Errorf("ParseScopeURI(%q) = %q, %q, %v", tt.in, v, n, ok)
		}
		if ok && ScopeURI(v, n) != "https://"+tt.in[len("https://"):] && ScopeURI(v, n) != "https://"+tt.in[len("http://"):] {
			t.Errorf("ScopeURI(%q, %q) = %q does not round-trip", v, n, ScopeURI(v, n))
		}
	}
}
