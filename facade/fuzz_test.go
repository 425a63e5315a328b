package facade_test

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/facade"
)

// fuzzPaths are the endpoints the fuzzer asks, {id} standing for a fuzzed sourcedId.
var fuzzPaths = []string{
	facade.RootRostering + "/users", facade.RootRostering + "/enrollments/", facade.RootRostering + "/classes/{id}/students",
	facade.RootRostering + "/schools/{id}/classes/{id}/enrollments", facade.RootRostering + "/users/{id}",
	facade.RootRostering + "/terms/{id}/gradingPeriods", facade.RootV1p1 + "/users", facade.RootV1p1 + "/demographics/{id}",
	facade.RootV1p1 + "/schools/{id}/students", facade.RootResources + "/users/{id}/resources",
}

// FuzzRequest sends random query strings and sourcedIds to the whole server (through its handler, with real
// tokens of both versions): whatever comes in, the answer is a OneRoster body and never a 500.
func FuzzRequest(f *testing.F) {
	e := newEnv(f, "sqlite3")
	toks := map[string]string{"v1p2": e.connect(f, "1.2").tok(f), "v1p1": e.connect(f, "1.1").tok(f)}
	for i, s := range []string{"", "limit=10&offset=5", "filter=" + q("familyName='O''Brien' AND status='active'"),
		"filter=" + q("(roles.role='teacher' OR role='student') AND dateLastModified>'2026-01-05'"), "fields=a,,b", "%zz=1",
		"limit=99999999999999999999", "sort=familyName,noSuch&orderBy=DESC", "filter=" + q("metadata.x.y~'%_\\'"),
		"filter=dateLastModified%3E%272026-01-05T00:00:00.000Z%27", "snapshot=1&limit=1", "fields=sourcedId&fields=givenName",
		"filter=" + q("grades='09'") + "&filter=x", "offset=2147483648", "filter=" + q("score>'1e400'"), "limit=%00"} {
		f.Add(uint8(i), s, "4c1f-ok")
	}
	f.Add(uint8(2), "", "../../users")
	f.Add(uint8(4), "fields=givenName", "%2F%2e%2e")
	f.Fuzz(func(t *testing.T, which uint8, rawQuery, id string) {
		path := fuzzPaths[int(which)%len(fuzzPaths)]
		path = strings.ReplaceAll(path, "{id}", url.PathEscape(id))
		req := httptest.NewRequest("GET", "/", nil)
		req.URL.Path, req.URL.RawPath, req.URL.RawQuery = "", "", rawQuery
		u, err := url.Parse(path)
		if err != nil {
			return
		}
		req.URL.Path, req.URL.RawPath = u.Path, u.RawPath
		version := "v1p2"
		if strings.HasPrefix(path, facade.RootV1p1) {
			version = "v1p1"
		}
		req.Header.Set("Authorization", "Bearer "+toks[version])
		rec := httptest.NewRecorder()
		e.Handler.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("GET %s?%s: HTTP %d: %s", path, rawQuery, rec.Code, rec.Body)
		}
		if rec.Code >= 300 && rec.Code < 400 {
			return // the mux cleaning the path (//, /./): a redirect, before any handler
		}
		var body map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("GET %s?%s: HTTP %d, not JSON: %.300s", path, rawQuery, rec.Code, rec.Body)
		}
		if rec.Code >= 400 {
			_, v11 := body["statusInfoSet"]
			_, v12 := body["imsx_codeMajor"]
			if v11 != (version == "v1p1") || v12 != (version == "v1p2") {
				t.Fatalf("GET %s?%s: HTTP %d in the wrong shape: %s", path, rawQuery, rec.Code, rec.Body)
			}
		}
	})
}
