package facade_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/facade"
	"github.com/rollcall/rollcall/provision"
)

// TestAPIBehaviour covers what the conformance walk does not: paging links, parameters, field selection,
// subsets, scopes, methods, unknown paths. One server on SQLite (the dialect does not matter here).
func TestAPIBehaviour(t *testing.T) {
	e := newEnv(t, "sqlite3")
	c12, c11 := e.connect(t, "1.2"), e.connect(t, "1.1")
	tok, tok11 := c12.tok(t), c11.tok(t)
	r12, r11 := facade.RootRostering, facade.RootV1p1

	t.Run("links keep the stride and every parameter", func(t *testing.T) {
		r := e.get(t, tok, r12+"/users?limit=100&offset=150&sort=familyName&fields=sourcedId,familyName&filter="+q("status='active'")).must(t, 200, "page")
		total := r.Total(t)
		l := links(r.Header.Get("Link"))
		want := map[string]string{"first": "0", "prev": "50", "next": "250", "last": itoa(150 + ((total-1-150)/100)*100)}
		for rel, off := range want {
			u, err := url.Parse(l[rel])
			if err != nil || u.Query().Get("offset") != off || u.Query().Get("limit") != "100" || u.Query().Get("sort") != "familyName" ||
				u.Query().Get("filter") != "status='active'" || u.Query().Get("fields") != "sourcedId,familyName" ||
				!strings.HasPrefix(l[rel], e.Cfg.PublicURL+r12+"/users?") {
				t.Errorf("%s: %q (want offset %s)", rel, l[rel], off)
			}
		}
		lastPage := e.get(t, tok, l["last"]).must(t, 200, "last page")
		if ll := links(lastPage.Header.Get("Link")); ll["next"] != "" || ll["last"] != "" || ll["prev"] == "" {
			t.Errorf("last page links: %v", ll)
		}
		if first := links(e.get(t, tok, r12+"/users").Header.Get("Link")); first["prev"] != "" || first["next"] == "" {
			t.Errorf("first page links: %v", first)
		}
	})

	t.Run("bad parameters are 400s", func(t *testing.T) {
		for query, minor := range map[string]string{
			"limit=abc": "invaliddata", "limit=-1": "invaliddata", "offset=-5": "invaliddata", "orderBy=sideways": "invaliddata",
			"limit=100001": "invaliddata", "filter=" + q("givenName='unterminated"): "invalid_filter_field",
			"fields=": "invalid_selection_field", "fields=a,,b": "invalid_selection_field", "filter=%zz": "invaliddata",
			"snapshot=abc": "invaliddata", "filter=" + q("enabledUser='maybe'"): "invaliddata",
		} {
			r := e.get(t, tok, r12+"/users?"+query)
			if r.Status != 400 || !strings.Contains(string(r.Body), `"imsx_codeMinorFieldValue":"`+minor+`"`) {
				t.Errorf("?%s: HTTP %d %s, want 400 %s", query, r.Status, r.Body, minor)
			}
		}
		r := e.get(t, tok11, r11+"/users?fields=")
		if r.Status != 400 || !strings.Contains(string(r.Body), `"imsx_codeMinor":"invalid_blank_selection_field"`) {
			t.Errorf("1.1 blank fields: %d %s", r.Status, r.Body)
		}
	})

	t.Run("field selection", func(t *testing.T) {
		u := e.get(t, tok, r12+"/users?limit=1").must(t, 200, "users").Records(t, "users")[0]
		sid := u["sourcedId"].(string)
		one := e.get(t, tok, r12+"/users/"+sid+"?fields=givenName,familyName").must(t, 200, "fields").JSON(t)["user"].(map[string]any)
		if len(one) != 2 || one["givenName"] != u["givenName"] {
			t.Errorf("fields=givenName,familyName: %v", one)
		}
		full := e.get(t, tok, r12+"/users/"+sid+"?fields=noSuchField").must(t, 200, "unknown field").JSON(t)["user"].(map[string]any)
		if len(full) != len(u) {
			t.Errorf("1.2 unknown selection field: want the full record, got %v", full)
		}
		w := e.get(t, tok11, r11+"/users/"+sid+"?fields=givenName,noSuchField").must(t, 200, "1.1 warning").JSON(t)
		if len(w["user"].(map[string]any)) != 1 || !strings.Contains(toJSON(w["statusInfoSet"]), "invalid_selection_field") {
			t.Errorf("1.1 unknown selection field: %v", w)
		}
	})

	t.Run("subsets", func(t *testing.T) {
		teacher := e.get(t, tok, r12+"/teachers?limit=1").must(t, 200, "teachers").Records(t, "users")[0]["sourcedId"].(string)
		e.get(t, tok, r12+"/teachers/"+teacher).must(t, 200, "a teacher")
		e.get(t, tok, r12+"/students/"+teacher).must(t, 404, "a teacher as a student")
		e.get(t, tok, r12+"/students/"+teacher+"/classes").must(t, 404, "a teacher's classes as a student's")
		e.get(t, tok, r12+"/teachers/"+teacher+"/classes").must(t, 200, "a teacher's classes")
		for _, rec := range e.get(t, tok, r12+"/schools?limit=100").must(t, 200, "schools").Records(t, "orgs") {
			if rec["type"] != "school" {
				t.Errorf("/schools lists %v", rec)
			}
		}
		for _, rec := range e.get(t, tok, r12+"/terms?limit=100").must(t, 200, "terms").Records(t, "academicSessions") {
			if rec["type"] != "term" {
				t.Errorf("/terms lists %v", rec)
			}
		}
	})

	t.Run("scopes", func(t *testing.T) {
		core := c12.tokenWithScope(t, "https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly")
		e.get(t, core, r12+"/classes").must(t, 200, "core read with roster-core")
		cl := e.get(t, core, r12+"/classes?limit=1").Records(t, "classes")[0]["sourcedId"].(string)
		r := e.get(t, core, r12+"/classes/"+cl+"/students").must(t, 403, "relationship read with roster-core")
		if !strings.Contains(string(r.Body), `"forbidden"`) || !strings.Contains(r.Header.Get("WWW-Authenticate"), "insufficient_scope") {
			t.Errorf("403: %s %v", r.Body, r.Header)
		}
		e.get(t, core, r12+"/demographics").must(t, 403, "demographics with roster-core")
		e.get(t, core, facade.RootResources+"/resources").must(t, 403, "resources with roster-core")
		ctx := e.ctx
		cr, err := e.Svc.Create(ctx, provision.NewConnection{VendorName: "No demographics", DistrictPart: "nodemo", Version: "1.2"})
		if err != nil {
			t.Fatal(err)
		}
		nd := &conn{Key: cr.ClientID, Secret: cr.ClientSecret, env: e}
		e.get(t, nd.tok(t), r12+"/demographics").must(t, 403, "demographics without access")
		e.get(t, nd.tok(t), r12+"/users").must(t, 200, "users without demographics access")
	})

	t.Run("methods and unknown paths", func(t *testing.T) {
		r := e.do(t, "POST", tok, r12+"/users", nil).must(t, 405, "POST")
		if r.Header.Get("Allow") != "GET, HEAD, OPTIONS" || !strings.Contains(string(r.Body), `"imsx_codeMajor":"unsupported"`) {
			t.Errorf("405: %v %s", r.Header, r.Body)
		}
		e.do(t, "OPTIONS", "", r12+"/users/", nil).must(t, 204, "OPTIONS")
		h := e.do(t, "HEAD", tok, r12+"/users", nil).must(t, 200, "HEAD")
		if h.Header.Get("X-Total-Count") == "" || len(h.Body) != 0 {
			t.Errorf("HEAD: %v, %d bytes", h.Header, len(h.Body))
		}
		for path, shape := range map[string]string{r12 + "/nope": `"imsx_CodeMinor"`, r11 + "/nope/deeper": `"statusInfoSet"`,
			facade.RootResources + "/users": `"unknownobject"`, "/ims/oneroster/v1p3/users": `"imsx_CodeMinor"`,
			r12 + "/users/a/b/c": `"unknownobject"`} {
			r := e.get(t, tok, path).must(t, 404, path)
			if !strings.Contains(string(r.Body), shape) {
				t.Errorf("%s: %s", path, r.Body)
			}
		}
	})
}

// TestDiscoveryAndDocs checks the base URL page and the documentation client.
func TestDiscoveryAndDocs(t *testing.T) {
	e := newEnv(t, "sqlite3")
	var d facade.Discovery
	decode := func(r *response) facade.Discovery {
		var d facade.Discovery
		if err := json.Unmarshal(r.Body, &d); err != nil {
			t.Fatalf("discovery: %v %s", err, r.Body)
		}
		return d
	}
	d = decode(e.get(t, "", "/ims/oneroster/").must(t, 200, "discovery"))
	// 1.2: 41 rostering, 5 resources and 35 gradebook operations; 1.1: 41, 4 and 16 (SPEC §2.1, §2.2).
	if len(d.Versions) != 2 || len(d.Versions[0].Endpoints) != 81 || len(d.Versions[1].Endpoints) != 61 ||
		d.Documentation != e.Cfg.DocsURL() || d.TokenURL != e.Cfg.TokenURL() || len(d.Specifications) == 0 {
		t.Errorf("discovery without a token: %+v", d)
	}
	for _, ep := range d.Versions[0].Endpoints {
		if ep.Description == "" || !strings.HasPrefix(ep.URL, e.Cfg.PublicURL+"/ims/oneroster/") {
			t.Errorf("endpoint %+v", ep)
		}
	}
	d = decode(e.get(t, e.connect(t, "1.1").tok(t), "/ims/oneroster").must(t, 200, "discovery with a 1.1 token"))
	if len(d.Versions) != 1 || d.Versions[0].Version != "1.1" {
		t.Errorf("discovery with a 1.1 token: %+v", d.Versions)
	}
	d = decode(e.get(t, "", facade.RootV1p1).must(t, 200, "the 1.1 base URL"))
	if len(d.Versions) != 1 || d.Versions[0].Version != "1.1" {
		t.Errorf("the 1.1 base URL lists %+v", d.Versions)
	}
	page := e.do(t, "GET", "", "/ims/oneroster/", http.Header{"Accept": {"text/html,application/xhtml+xml,*/*"}}).must(t, 200, "page")
	if !strings.HasPrefix(page.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(page.Body), "/docs/") ||
		!strings.Contains(string(page.Body), "The students enrolled in a class.") || !strings.Contains(string(page.Body), "/docs/guidelines") {
		t.Errorf("discovery page: %.300s", page.Body)
	}

	index := e.get(t, "", config.DocsPath).must(t, 200, "docs")
	if !strings.Contains(string(index.Body), "REST documentation client") || strings.Contains(string(index.Body), "https://cdn") {
		t.Errorf("docs page: %.300s", index.Body)
	}
	e.get(t, "", "/docs/app.js").must(t, 200, "app.js")
	e.get(t, "", "/docs/app.css").must(t, 200, "app.css")
	e.get(t, "", "/docs/nope").must(t, 404, "unknown docs file")
	var routes struct {
		TokenURL string           `json:"tokenUrl"`
		Routes   []map[string]any `json:"routes"`
	}
	json.Unmarshal(e.get(t, "", "/docs/routes.json").must(t, 200, "routes").Body, &routes)
	if len(routes.Routes) != 142 || routes.TokenURL != e.Cfg.TokenURL() {
		t.Errorf("routes.json: %d routes, token URL %q", len(routes.Routes), routes.TokenURL)
	}
	for name, root := range map[string]string{"rostering-v1p2.json": facade.RootRostering, "resources-v1p2.json": facade.RootResources,
		"gradebook-v1p2.json": facade.RootGradebook, "oneroster-v1p1.json": facade.RootV1p1} {
		r := e.get(t, "", facade.DocsOpenAPIPath+name+"?download=1").must(t, 200, name)
		var doc struct {
			Servers []struct {
				URL string `json:"url"`
			} `json:"servers"`
			Paths      map[string]any `json:"paths"`
			Components struct {
				SecuritySchemes struct {
					OAuth2CC struct {
						Flows struct {
							ClientCredentials struct {
								TokenURL string `json:"tokenUrl"`
							} `json:"clientCredentials"`
						} `json:"flows"`
					} `json:"OAuth2CC"`
				} `json:"securitySchemes"`
			} `json:"components"`
		}
		if err := json.Unmarshal(r.Body, &doc); err != nil || len(doc.Servers) != 1 || doc.Servers[0].URL != e.Cfg.PublicURL+root ||
			doc.Components.SecuritySchemes.OAuth2CC.Flows.ClientCredentials.TokenURL != e.Cfg.TokenURL() || len(doc.Paths) == 0 ||
			!strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("%s: %v %+v", name, err, doc.Servers)
		}
	}
	e.get(t, "", facade.RootRostering+"/discovery/onerosterv1p2rostersservice_openapi3_v1p0.json").must(t, 200, "discovery location")
	e.get(t, "", facade.RootResources+"/discovery/imsorv1p2_resources_openapi3_v1p0.json").must(t, 200, "discovery alias")

	g := string(e.get(t, "", config.GuidelinesPath).must(t, 200, "guidelines").Body)
	for _, want := range []string{"100000", "tobedeleted", "60 minutes", "Retry-After", "dateLastModified&gt;'2026-01-05'", "02:00", "weekly",
		"Grade passback", "Gradebook Sync", "sourcedIdPairs", "extra credit"} {
		if !strings.Contains(strings.ToLower(g), strings.ToLower(want)) {
			t.Errorf("guidelines do not mention %q", want)
		}
	}
}

// tokenWithScope gets a token asking for specific scopes.
func (c *conn) tokenWithScope(t *testing.T, scope string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {scope}}
	req, _ := http.NewRequest("POST", c.env.URL+config.TokenPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(c.Key), url.QueryEscape(c.Secret))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
		Scope       string `json:"scope"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.AccessToken == "" || !slices.Contains(strings.Fields(body.Scope), scope) {
		t.Fatalf("token with scope %s: %d %v %+v", scope, resp.StatusCode, err, body)
	}
	return body.AccessToken
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func toJSON(v any) string { b, _ := json.Marshal(v); return string(b) }
