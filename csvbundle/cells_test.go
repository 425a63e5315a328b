package csvbundle

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rollcall/rollcall/oneroster"
)

func isUTF8(s string) bool { return utf8.ValidString(s) }

func TestParseList(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"09", []string{"09"}}, {"09,10", []string{"09", "10"}}, {" 09 , 10 ,", []string{"09", "10"}}, {",,", nil},
	}
	for _, c := range cases {
		if got := parseList(c.in); !slices.Equal(got, c.want) {
			t.Errorf("parseList(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if _, err := formatList([]string{"a,b"}); err == nil {
		t.Error("formatList accepted an item with a comma")
	}
}

func TestParsePairs(t *testing.T) {
	cases := []struct {
		in, err string
		want    []oneroster.UserID
	}{
		{in: "{LDAP:jdoe}", want: []oneroster.UserID{{Type: "LDAP", Identifier: "jdoe"}}},
		{in: "{LDAP:jdoe@x.org}, {SIS:a:b,c}", want: []oneroster.UserID{{Type: "LDAP", Identifier: "jdoe@x.org"}, {Type: "SIS", Identifier: "a:b,c"}}},
		{in: "LDAP:jdoe", err: "want {type:identifier} items"},
		{in: "{LDAP:jdoe", err: "unclosed {"},
		{in: "{LDAP}", err: "is not {type:identifier}"},
		{in: "{:x}", err: "is not {type:identifier}"},
		{in: "{a:b}{c:d}", err: "want a comma"},
		{in: "{a:b},", err: "trailing comma"},
		{in: "{a:{b}", err: "is not"},
	}
	for _, c := range cases {
		got, err := parseUserIDs(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("parseUserIDs(%q) error %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("parseUserIDs(%q) = %v, %v", c.in, got, err)
		}
	}
	vs, err := parseScaleValues("{90 - 100:A},{0 - 89:B}")
	if err != nil || len(vs) != 2 || vs[0].ItemValueLHS != "90 - 100" || vs[1].ItemValueRHS != "B" {
		t.Errorf("parseScaleValues: %v %v", vs, err)
	}
}

func TestParseScalars(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2024-09-01T08:00:00.000Z", time.Date(2024, 9, 1, 8, 0, 0, 0, time.UTC), true},
		{"2024-09-01T08:00:00Z", time.Date(2024, 9, 1, 8, 0, 0, 0, time.UTC), true},
		{"2024-09-01T10:00:00+02:00", time.Date(2024, 9, 1, 8, 0, 0, 0, time.UTC), true},
		{"2024-09-01", time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC), true},
		{"2024-09-01 08:00", time.Time{}, false},
		{"2024-02-30", time.Time{}, false},
	} {
		got, err := parseDateTime(c.in)
		if (err == nil) != c.ok || !got.Equal(c.want) {
			t.Errorf("parseDateTime(%q) = %v, %v", c.in, got, err)
		}
	}
	if formatDateOrTime(time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)) != "2024-09-01" ||
		formatDateOrTime(time.Date(2024, 9, 1, 0, 0, 1, 0, time.UTC)) != "2024-09-01T00:00:01.000Z" {
		t.Error("formatDateOrTime")
	}
	for in, ok := range map[string]bool{"12": true, "-0.5": true, "1e3": true, "NaN": false, "Inf": false, "": false, "1,5": false} {
		if _, err := parseFloat(in); (err == nil) != ok {
			t.Errorf("parseFloat(%q): %v", in, err)
		}
	}
	for in, ok := range map[string]bool{"true": true, "FALSE": true, "yes": false, "1": false} {
		if _, err := parseBool(in); (err == nil) != ok {
			t.Errorf("parseBool(%q): %v", in, err)
		}
	}
}

// FuzzCells: every cell parser accepts or refuses without panicking, and what it accepts is written back by
// its formatter to a cell that parses to the same value; validSID agrees with oneroster.ValidateSourcedID.
func FuzzCells(f *testing.F) {
	for _, s := range []string{"{LDAP:jdoe},{SIS:1}", "09, 10,", "{a:b", "2024-01-01T00:00:00Z", "1e308", "x y", "{:}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ids, err := parseUserIDs(s); err == nil {
			out, err := formatUserIDs(ids)
			if err != nil {
				t.Fatalf("formatUserIDs(%v): %v", ids, err)
			}
			if back, err := parseUserIDs(out); err != nil || !slices.Equal(back, ids) {
				t.Fatalf("%q -> %v -> %q -> %v, %v", s, ids, out, back, err)
			}
		}
		if vs, err := parseScaleValues(s); err == nil {
			out, err := formatScaleValues(vs)
			if back, err2 := parseScaleValues(out); err != nil || err2 != nil || !slices.Equal(back, vs) {
				t.Fatalf("%q -> %v -> %q", s, vs, out)
			}
		}
		items := parseList(s)
		if out, err := formatList(items); err != nil || !slices.Equal(parseList(out), items) {
			t.Fatalf("list %q -> %q -> %q (%v)", s, items, out, err)
		}
		if tm, err := parseDateTime(s); err == nil {
			if back, err := parseDateTime(formatDateTime(tm)); err != nil || !back.Equal(tm.Truncate(time.Millisecond)) {
				t.Fatalf("dateTime %q -> %v -> %v", s, tm, back)
			}
		}
		if fl, err := parseFloat(s); err == nil {
			if back, err := parseFloat(formatFloat(fl)); err != nil || back != fl {
				t.Fatalf("float %q -> %v -> %v", s, fl, back)
			}
		}
		if validSID(s) != (oneroster.ValidateSourcedID(s) == nil) {
			t.Fatalf("validSID(%q) = %v disagrees with oneroster", s, validSID(s))
		}
	})
}
