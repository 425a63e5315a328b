package query

import (
	"slices"
	"testing"
)

func TestParseFields(t *testing.T) {
	tests := []struct {
		name                      string
		in                        []string
		requested, known, unknown []string
		all                       bool
	}{
		{"absent", nil, nil, nil, nil, true},
		{"list", []string{"givenName,familyName"}, []string{"givenName", "familyName"}, []string{"givenName", "familyName"}, nil, false},
		{"spaces", []string{" givenName , familyName "}, []string{"givenName", "familyName"}, []string{"givenName", "familyName"}, nil, false},
		{"unknown", []string{"givenName,foo"}, []string{"givenName", "foo"}, []string{"givenName"}, []string{"foo"}, false},
		{"only unknown", []string{"foo,bar"}, []string{"foo", "bar"}, nil, []string{"foo", "bar"}, true},
		{"repeated params", []string{"givenName", "familyName"}, []string{"givenName", "familyName"}, []string{"givenName", "familyName"}, nil, false},
		{"duplicates", []string{"givenName,givenName"}, []string{"givenName"}, []string{"givenName"}, nil, false},
		{"selectable only", []string{"password,grades,birthDate"}, []string{"password", "grades", "birthDate"}, []string{"password", "grades"}, []string{"birthDate"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseFields(tt.in, users)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(f.Requested, tt.requested) || !slices.Equal(f.Known, tt.known) || !slices.Equal(f.Unknown, tt.unknown) {
				t.Errorf("got %q %q %q, want %q %q %q", f.Requested, f.Known, f.Unknown, tt.requested, tt.known, tt.unknown)
			}
			if f.All() != tt.all {
				t.Errorf("All() = %v, want %v", f.All(), tt.all)
			}
		})
	}
}

func TestFieldsHas(t *testing.T) {
	f, _ := ParseFields([]string{"givenName"}, users)
	if !f.Has("givenName") || f.Has("familyName") {
		t.Errorf("Has: selection not honoured")
	}
	if !(Fields{}).Has("familyName") {
		t.Errorf("Has: no selection must select everything")
	}
}

func TestParseFieldsBlank(t *testing.T) {
	for _, in := range [][]string{{""}, {" "}, {"a,,b"}, {"a,"}, {",a"}, {"a", ""}} {
		_, err := ParseFields(in, users)
		qe := wantErr(t, err, CodeInvalidBlankSelectionField, ReasonEmpty, NoPos, "fields: a blank field name was given")
		if qe.Code.CodeMinor11() != "invalid_blank_selection_field" || qe.Code.CodeMinor12() != "invalid_selection_field" {
			t.Errorf("codes for %q: %s", in, qe.Code)
		}
	}
}
