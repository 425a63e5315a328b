package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/store/storetest"
)

// web.New mounts the OneRoster facade: the discovery page, the documentation client, and the versions'
// endpoints behind token checks. Without a cache (Deps.Cache nil) the endpoints answer 503 server_busy in
// the version's shape instead of data; the facade's own tests run it over a real cache.
func TestFacadeMounted(t *testing.T) {
	s := startTestServer(t, storetest.Open(t, "sqlite3"))
	get := func(path, token string) (int, http.Header, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest("GET", s.URL+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var body map[string]any
		_ = json.Unmarshal(b, &body)
		return resp.StatusCode, resp.Header, body
	}
	if code, _, body := get("/ims/oneroster/", ""); code != 200 || body["documentation"] == nil || len(body["versions"].([]any)) != 2 {
		t.Errorf("discovery: %d %v", code, body)
	}
	if code, _, _ := get("/docs/", ""); code != 200 {
		t.Errorf("docs: %d", code)
	}
	code, h, body := get("/ims/oneroster/rostering/v1p2/users/", "")
	if code != 401 || body["imsx_codeMajor"] != "failure" || !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("no token: %d %v %v", code, h, body)
	}
	for _, v := range []struct{ version, path, shape string }{
		{"1.2", "/ims/oneroster/rostering/v1p2/users", "imsx_codeMajor"},
		{"1.1", "/ims/oneroster/v1p1/classes/x/students", "statusInfoSet"},
	} {
		cr, err := s.Svc.Create(context.Background(), provision.NewConnection{VendorName: "LMS " + v.version,
			DistrictPart: "lms" + strings.ReplaceAll(v.version, ".", ""), Version: v.version})
		if err != nil {
			t.Fatal(err)
		}
		code, h, body := get(v.path, s.token(t, cr.ClientID, cr.ClientSecret))
		if code != 503 || h.Get("Retry-After") == "" || body[v.shape] == nil {
			t.Errorf("%s without a cache: %d %v %v", v.path, code, h, body)
		}
	}
}
