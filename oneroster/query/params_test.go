package query

import (
	"net/url"
	"slices"
	"testing"
)

func mustQuery(t *testing.T, raw string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestParseParams(t *testing.T) {
	tests := []struct {
		name   string
		raw    string
		filter string // canonical; "" means none
		page   Page
		encode string
	}{
		{"empty", "", "", Page{100, 0}, "limit=100&offset=0"},
		{"delta bare date", "filter=dateLastModified%3E%272026-01-05%27", "dateLastModified>'2026-01-05'", Page{100, 0},
			"filter=dateLastModified%3E%272026-01-05%27&limit=100&offset=0"},
		{"delta datetime", "filter=dateLastModified%3E%272026-01-05T00%3A00%3A00.000Z%27&limit=5000", "dateLastModified>'2026-01-05T00:00:00.000Z'", Page{5000, 0},
			"filter=dateLastModified%3E%272026-01-05T00%3A00%3A00.000Z%27&limit=5000&offset=0"},
		{"spec example", "filter=familyName%3D%27jones%27", "familyName='jones'", Page{100, 0}, "filter=familyName%3D%27jones%27&limit=100&offset=0"},
		{"plus as space", "filter=status+%3D+%27active%27+AND+givenName%3D%27Mary+Ann%27", "status='active' AND givenName='Mary Ann'", Page{100, 0},
			"filter=status%3D%27active%27%20AND%20givenName%3D%27Mary%20Ann%27&limit=100&offset=0"},
		{"everything", "x=1&fields=givenName,foo&offset=20&orderBy=desc&sort=familyName,bar&limit=10&access_token=secret&" +
			"filter=familyName%3D%27O%27%27Brien%27%20AND%20givenName%3D%27Mary%20Ann%27&a=2&a=1",
			"familyName='O''Brien' AND givenName='Mary Ann'", Page{10, 20},
			"filter=familyName%3D%27O%27%27Brien%27%20AND%20givenName%3D%27Mary%20Ann%27&sort=familyName,bar&orderBy=desc&fields=givenName,foo&limit=10&offset=20&a=2&a=1&x=1"},
		{"orderBy asc omitted", "sort=familyName&orderBy=asc", "", Page{100, 0}, "sort=familyName&limit=100&offset=0"},
		{"ampersand in value", "filter=familyName%3D%27A%26B%27", "familyName='A&B'", Page{100, 0}, "filter=familyName%3D%27A%26B%27&limit=100&offset=0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(mustQuery(t, tt.raw), users, 50000)
			if err != nil {
				t.Fatal(err)
			}
			if tt.filter == "" && (p.Filter != nil || p.Where != nil) {
				t.Errorf("Filter = %v, want none", p.Filter)
			}
			if tt.filter != "" && (p.Filter == nil || p.Filter.String() != tt.filter || p.Where == nil) {
				t.Errorf("Filter = %v, want %s", p.Filter, tt.filter)
			}
			if p.Page != tt.page {
				t.Errorf("Page = %+v, want %+v", p.Page, tt.page)
			}
			enc := p.Encode()
			if enc != tt.encode {
				t.Errorf("Encode() =\n %s\nwant\n %s", enc, tt.encode)
			}
			again, err := Parse(mustQuery(t, enc), users, 50000)
			if err != nil {
				t.Fatalf("re-Parse(Encode()): %v", err)
			}
			if again.Encode() != enc || !Equal(again.Filter, p.Filter) || again.Page != p.Page {
				t.Errorf("re-Parse(Encode()) differs: %s", again.Encode())
			}
		})
	}
}

func TestParamsEncodePageAndExtra(t *testing.T) {
	p, err := Parse(mustQuery(t, "limit=10&offset=20&filter=role%3D%27teacher%27&access_token=t&Limit=7"), users, 100)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.EncodePage(3, 500), "filter=role%3D%27teacher%27&limit=3&offset=500&Limit=7"; got != want {
		t.Errorf("EncodePage = %s, want %s", got, want)
	}
	if _, ok := p.Extra["access_token"]; ok {
		t.Error("access_token kept in Extra")
	}
}

func TestParamsWarnings(t *testing.T) {
	p, err := Parse(mustQuery(t, "sort=familyName,nickname&fields=givenName,shoeSize,nickname"), users, 100)
	if err != nil {
		t.Fatal(err)
	}
	want := []Warning{
		{Code: CodeInvalidSortField, Param: "sort", Field: "nickname", Msg: "unknown sort field: nickname"},
		{Code: CodeInvalidSelectionField, Param: "fields", Field: "shoeSize", Msg: "unknown selection field: shoeSize"},
		{Code: CodeInvalidSelectionField, Param: "fields", Field: "nickname", Msg: "unknown selection field: nickname"},
	}
	if got := p.Warnings(); !slices.Equal(got, want) {
		t.Errorf("Warnings = %+v, want %+v", got, want)
	}
	if keys := keyPaths(p.Sort.Keys()); !slices.Equal(keys, []string{"familyName asc", "sourcedId asc"}) {
		t.Errorf("Keys = %q", keys)
	}
}

func TestParseParamsErrors(t *testing.T) {
	tests := []struct {
		name   string
		raw    string
		code   Code
		reason Reason
		param  string
	}{
		{"empty filter", "filter=", CodeInvalidFilterField, ReasonEmpty, "filter"},
		{"repeated filter", "filter=status%3D%27active%27&filter=role%3D%27teacher%27", CodeInvalidFilterField, ReasonRepeated, "filter"},
		{"syntax", "filter=status%3Dactive", CodeInvalidFilterField, ReasonUnquotedValue, "filter"},
		{"unknown filter field", "filter=foo%3D%27x%27", CodeInvalidFilterField, ReasonUnknownField, "filter"},
		{"bad date", "filter=dateLastModified%3E%272026-13-01%27", CodeInvalidData, ReasonBadValue, "filter"},
		{"orderBy", "orderBy=up", CodeInvalidData, ReasonBadOrderBy, "orderBy"},
		{"blank fields", "fields=", CodeInvalidBlankSelectionField, ReasonEmpty, "fields"},
		{"limit above max", "limit=101", CodeInvalidData, ReasonOutOfRange, "limit"},
		{"limit zero", "limit=0", CodeInvalidData, ReasonOutOfRange, "limit"},
		{"offset", "offset=-1", CodeInvalidData, ReasonOutOfRange, "offset"},
		{"first error wins", "limit=0&filter=foo%3D%27x%27", CodeInvalidFilterField, ReasonUnknownField, "filter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(mustQuery(t, tt.raw), users, 100)
			if err == nil {
				t.Fatalf("Parse = %+v, want error", p)
			}
			if qe := wantErr(t, err, tt.code, tt.reason, -2, ""); qe.Param != tt.param {
				t.Errorf("Param = %q, want %q", qe.Param, tt.param)
			}
		})
	}
}
