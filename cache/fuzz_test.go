package cache

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/rollcall/rollcall/oneroster/query"
	"github.com/rollcall/rollcall/store/storetest"
)

// FuzzFilter feeds arbitrary filter and sort strings through parse, validate, compile and execute against a
// small SQLite cache: nothing may panic, and the only errors allowed are the query package's.
//
//	go test -run '^$' -fuzz FuzzFilter -fuzztime 60s ./cache/
func FuzzFilter(f *testing.F) {
	for _, s := range []string{
		"familyName='Smith'", "familyName~'o''b' AND roles.role='teacher'", "roles.org.sourcedId!='sA' OR userIds.identifier~'%_\\'",
		"dateLastModified>'2026-01-05'", "dateLastModified<='2026-01-05T00:00:00.0001Z'", "metadata.a.b='1'", "(a='1' OR b='2') AND c='3'",
		"enabledUser='true'", "grades='09'", "sourcedId>='st'", "primaryOrg.sourcedId='x' OR agents.sourcedId='y'", "familyName='",
		"score>'1e3'", "x", "",
	} {
		f.Add(s, "familyName,givenName")
	}
	db := storetest.Open(f, dialect.SQLite)
	newDistrict(f, db)
	c := New(db, Options{})
	refresh(f, c)
	f.Fuzz(func(t *testing.T, filter, sort string) {
		for _, coll := range []Collection{Users, Enrollments, LineItems} {
			vals := url.Values{"filter": {filter}, "sort": {sort}}
			p, err := query.Parse(vals, Catalogue(coll, "v1p2"), 0)
			var qe *query.Error
			if err != nil {
				if !errors.As(err, &qe) {
					t.Fatalf("parse error of type %T: %v", err, err)
				}
				continue
			}
			rows, err := c.List(context.Background(), Query{Collection: coll, Viewer: v12, Params: p})
			if err != nil {
				if !errors.As(err, &qe) {
					t.Fatalf("%s filter %q sort %q: %v", coll, filter, sort, err)
				}
				continue
			}
			n := 0
			for rows.Next() {
				n++
			}
			if err := rows.Err(); err != nil {
				t.Fatalf("%s filter %q sort %q: reading: %v", coll, filter, sort, err)
			}
			rows.Close()
			if n > rows.Total {
				t.Fatalf("%s filter %q: %d rows, total %d", coll, filter, n, rows.Total)
			}
		}
	})
}
