package query

import (
	"slices"
	"testing"
)

func keyPaths(keys []SortKey) []string {
	var out []string
	for _, k := range keys {
		out = append(out, k.Path+" "+string(k.Direction))
	}
	return out
}

func TestParseSort(t *testing.T) {
	tests := []struct {
		name             string
		sort, orderBy    []string
		requested, known []string
		unknown          []string
		keys             []string
	}{
		{"absent", nil, nil, nil, nil, nil, []string{"sourcedId asc"}},
		{"one", []string{"familyName"}, nil, []string{"familyName"}, []string{"familyName"}, nil, []string{"familyName asc", "sourcedId asc"}},
		{"list", []string{"familyName,givenName"}, []string{"asc"}, []string{"familyName", "givenName"}, []string{"familyName", "givenName"}, nil,
			[]string{"familyName asc", "givenName asc", "sourcedId asc"}},
		{"desc", []string{"familyName"}, []string{"desc"}, []string{"familyName"}, []string{"familyName"}, nil, []string{"familyName desc", "sourcedId desc"}},
		{"orderBy case and space", []string{"familyName"}, []string{" DESC "}, []string{"familyName"}, []string{"familyName"}, nil, []string{"familyName desc", "sourcedId desc"}},
		{"orderBy alone", nil, []string{"desc"}, nil, nil, nil, []string{"sourcedId desc"}},
		{"unknown", []string{"foo"}, nil, []string{"foo"}, nil, []string{"foo"}, []string{"sourcedId asc"}},
		{"mixed", []string{"familyName, foo ,givenName"}, nil, []string{"familyName", "foo", "givenName"}, []string{"familyName", "givenName"}, []string{"foo"},
			[]string{"familyName asc", "givenName asc", "sourcedId asc"}},
		{"repeated params", []string{"familyName", "givenName"}, nil, []string{"familyName", "givenName"}, []string{"familyName", "givenName"}, nil,
			[]string{"familyName asc", "givenName asc", "sourcedId asc"}},
		{"duplicates", []string{"familyName,familyName"}, nil, []string{"familyName"}, []string{"familyName"}, nil, []string{"familyName asc", "sourcedId asc"}},
		{"blank", []string{""}, nil, nil, nil, nil, []string{"sourcedId asc"}},
		{"blank entries", []string{",familyName,,"}, nil, []string{"familyName"}, []string{"familyName"}, nil, []string{"familyName asc", "sourcedId asc"}},
		{"sourcedId first", []string{"sourcedId,familyName"}, nil, []string{"sourcedId", "familyName"}, []string{"sourcedId", "familyName"}, nil, []string{"sourcedId asc"}},
		{"sourcedId last", []string{"familyName,sourcedId"}, nil, []string{"familyName", "sourcedId"}, []string{"familyName", "sourcedId"}, nil, []string{"familyName asc", "sourcedId asc"}},
		{"not sortable", []string{"grades,school.sourcedId,password"}, nil, []string{"grades", "school.sourcedId", "password"}, nil,
			[]string{"grades", "school.sourcedId", "password"}, []string{"sourcedId asc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseSort(tt.sort, tt.orderBy, users)
			if err != nil {
				t.Fatal(err)
			}
			var known []string
			for _, k := range s.Known {
				known = append(known, k.Path)
			}
			if !slices.Equal(s.Requested, tt.requested) || !slices.Equal(known, tt.known) || !slices.Equal(s.Unknown, tt.unknown) {
				t.Errorf("requested %q known %q unknown %q, want %q %q %q", s.Requested, known, s.Unknown, tt.requested, tt.known, tt.unknown)
			}
			if got := keyPaths(s.Keys()); !slices.Equal(got, tt.keys) {
				t.Errorf("Keys = %q, want %q", got, tt.keys)
			}
		})
	}
}

func TestSortKeysWithoutDeclaredSourcedId(t *testing.T) {
	c := MustCatalogue(Field{Name: "title", Type: TypeString, Use: Sortable})
	s, err := ParseSort([]string{"title"}, nil, c)
	if err != nil {
		t.Fatal(err)
	}
	keys := s.Keys()
	if len(keys) != 2 || keys[1].Path != TieBreaker || keys[1].Field.Type != TypeString {
		t.Errorf("Keys = %+v", keys)
	}
	if got := keyPaths(Sort{}.Keys()); !slices.Equal(got, []string{"sourcedId asc"}) {
		t.Errorf("zero Sort Keys = %q", got)
	}
}

func TestParseSortErrors(t *testing.T) {
	many := make([]string, MaxListEntries+1)
	for i := range many {
		many[i] = "f" + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	tests := []struct {
		name          string
		sort, orderBy []string
		reason        Reason
		msg           string
	}{
		{"bad orderBy", nil, []string{"descending"}, ReasonBadOrderBy, "orderBy: 'descending' must be asc or desc"},
		{"empty orderBy", []string{"familyName"}, []string{""}, ReasonBadOrderBy, "orderBy: '' must be asc or desc"},
		{"repeated orderBy", nil, []string{"asc", "asc"}, ReasonRepeated, "orderBy is given more than once"},
		{"too many", many, nil, ReasonTooManyClauses, "sort names more than 100 fields"},
		{"too long", []string{string(make([]byte, MaxParamLength+1))}, nil, ReasonTooLong, "sort is 4097 bytes long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSort(tt.sort, tt.orderBy, users)
			wantErr(t, err, CodeInvalidData, tt.reason, NoPos, tt.msg)
		})
	}
}
