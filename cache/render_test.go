package cache

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rollcall/rollcall/oneroster"
	"github.com/rollcall/rollcall/oneroster/query"
	"github.com/rollcall/rollcall/settings"
	"github.com/rollcall/rollcall/store/storetest"
)

func TestAppendStringIsJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `O'Brien "quoted" \ back`, "tab\tnew\nline\r", "\x00\x01\x02\x03\x1f\x7f",
		"Élan – 東京 \u2028\u2029", "bad \xff utf8 \xc3"} {
		b := appendString(nil, s)
		if bytes.ContainsAny(b, placeholders) {
			t.Errorf("%q encodes with a placeholder byte: %q", s, b)
		}
		var back string
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%q -> %s: %v", s, b, err)
		}
		if utf8.ValidString(s) && back != s {
			t.Errorf("%q round-trips to %q", s, back)
		}
		if !utf8.ValidString(s) && back != strings.ToValidUTF8(s, "\uFFFD") && !strings.Contains(back, "\uFFFD") {
			t.Errorf("%q round-trips to %q", s, back)
		}
	}
}

func TestBodyHeaderStampAndTombstone(t *testing.T) {
	x := newRW(`we"ird\id`, "active", []byte(`{"a":1}`), true)
	x.str("title", "T")
	x.ref("school", Orgs, "s/1 x")
	r := &record{coll: Classes}
	x.end(r)
	if r.body11 != nil {
		t.Errorf("equal bodies kept twice")
	}
	if err := stamp(r.body12, 1767225600123); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	body := resolve(nil, r.body12, Hrefs{Rostering: "https://h/r"})
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	if m["sourcedId"] != `we"ird\id` || m["dateLastModified"] != "2026-01-01T00:00:00.123Z" || m["metadata"].(map[string]any)["a"] != 1.0 {
		t.Errorf("body %s", body)
	}
	if href := m["school"].(map[string]any)["href"]; href != "https://h/r/orgs/s%2F1%20x" {
		t.Errorf("href %v", href)
	}
	tomb, err := retomb(r.body12)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(tomb, []byte(`"status":"tobedeleted","dateLastModified":"`+dlmZero+`"`)) {
		t.Errorf("tombstone %s", tomb)
	}
	if _, err := retomb([]byte(`{"x":1}`)); err == nil {
		t.Error("a foreign body was taken for a record")
	}
	p := project(body, []string{"title", "metadata", "school"})
	m = nil
	if err := json.Unmarshal(p, &m); err != nil || len(m) != 3 || m["title"] != "T" {
		t.Errorf("projection %s: %v", p, err)
	}
	if got := string(project([]byte(`{"a":"x,}]","b":[{"c":"}"}],"d":1}`), []string{"b", "d"})); got != `{"b":[{"c":"}"}],"d":1}` {
		t.Errorf("projection with tricky strings: %s", got)
	}
}

// Every doc member a refresh writes is a field of the collection's catalogue (in one version or the other),
// and every filterable field that the fixture's records have is found in their docs: filters filter what is
// published.
func TestDocMatchesCatalogue(t *testing.T) {
	db := storetest.Open(t, "sqlite3")
	newDistrict(t, db)
	c := New(db, Options{})
	refresh(t, c)
	for _, coll := range AllCollections {
		seen := map[string]bool{}
		err := each(context.Background(), db.SQL, `SELECT doc FROM cache_records WHERE collection = ?`, func(r *sql.Rows) error {
			var doc []byte
			if err := r.Scan(&doc); err != nil {
				return err
			}
			var m map[string]any
			if err := json.Unmarshal(doc, &m); err != nil {
				return err
			}
			for k := range m {
				seen[k] = true
			}
			return nil
		}, coll.info().code)
		if err != nil {
			t.Fatal(err)
		}
		for k := range seen {
			found := false
			for _, v := range []string{oneroster.V1p1, oneroster.V1p2} {
				if cat := Catalogue(coll, v); cat != nil {
					if f, ok := cat.Lookup(k); ok && f.Use&query.Filterable != 0 || k == "metadata" {
						found = true
					}
				}
			}
			if !found {
				t.Errorf("%s: doc member %q is no filterable field", coll, k)
			}
		}
	}
}

func TestSettingsValidation(t *testing.T) {
	for _, tc := range []struct {
		change func(*settings.Settings)
		want   string
	}{
		{func(s *settings.Settings) { s.IdentifierSource = "ssn" }, "identifier source"},
		{func(s *settings.Settings) { s.EmailSource = "userIds:" }, "email source"},
		{func(s *settings.Settings) { s.ActiveSchoolYear = "26-27" }, "active school year"},
		{func(s *settings.Settings) { s.CacheRefreshTime = "25:00" }, "refresh time"},
		{func(s *settings.Settings) { s.CacheHourlyFrom, s.CacheHourlyUntil = "17:00", "07:00" }, "start is after"},
		{func(s *settings.Settings) { s.CacheTimeZone = "Mars/Base" }, "time zone"},
		{func(s *settings.Settings) { s.CacheRetentionMinutes = 1 }, "retention"},
		{func(s *settings.Settings) { s.CacheAlertWebhook = "ftp://x" }, "webhook"},
		{func(s *settings.Settings) { s.CachePausedUntil = "2026-13-01" }, "paused until"},
		{func(s *settings.Settings) { s.UsernameSource = "userIds:LDAP"; s.CacheTimeZone = "America/Chicago" }, ""},
	} {
		s := settings.Defaults()
		tc.change(&s)
		err := s.Validate()
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("want %q, got %v", tc.want, err)
		}
	}
}
