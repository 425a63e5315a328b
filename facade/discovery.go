package facade

import (
	"encoding/json"
	"html/template"
	"net/http"
	"strings"

	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/oauth"
	"github.com/rollcall/rollcall/oneroster"
)

// Specifications are the standards the API implements, linked from the discovery page and the documentation.
var Specifications = []Link{
	{Title: "OneRoster 1.2 (1EdTech)", URL: "https://www.imsglobal.org/spec/oneroster/v1p2"},
	{Title: "OneRoster 1.2 REST binding", URL: "https://www.imsglobal.org/spec/oneroster/v1p2/bind/rest"},
	{Title: "OneRoster 1.1 (1EdTech)", URL: "https://www.imsglobal.org/oneroster-v11-final-specification"},
	{Title: "OneRoster 1.2 OpenAPI documents (official)", URL: "https://purl.imsglobal.org/spec/or/v1p2/schema/openapi/"},
}

// Link is a titled URL.
type Link struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Endpoint is one line of the discovery page.
type Endpoint struct {
	Method      string   `json:"method"`
	URL         string   `json:"url"`
	Operation   string   `json:"operationId"`
	Description string   `json:"description"`
	Scopes      []string `json:"scopes"`
}

// VersionInfo is what the discovery page says about one OneRoster version.
type VersionInfo struct {
	Version   string     `json:"version"` // "1.1" or "1.2"
	BaseURLs  []string   `json:"baseUrls"`
	OpenAPI   []Link     `json:"openapi"`
	Endpoints []Endpoint `json:"endpoints"`
}

// Discovery is the base URL's document.
type Discovery struct {
	Name           string        `json:"name"`
	Specifications []Link        `json:"specifications"`
	Documentation  string        `json:"documentation"` // the REST documentation client
	Guidelines     string        `json:"guidelines"`
	TokenURL       string        `json:"tokenUrl"`
	Versions       []VersionInfo `json:"versions"`
}

// discoveryFor builds the discovery document for the versions asked.
func (f *Facade) discoveryFor(versions []string) Discovery {
	cfg := f.opt.Config
	d := Discovery{Name: "OneRoster API", Specifications: Specifications, Documentation: cfg.DocsURL(),
		Guidelines: cfg.PublicURL + config.GuidelinesPath, TokenURL: cfg.TokenURL()}
	for _, v := range versions {
		vi := VersionInfo{Version: humanVersion(v)}
		if v == oneroster.V1p1 {
			vi.BaseURLs = []string{cfg.PublicURL + RootV1p1}
		} else {
			vi.BaseURLs = []string{cfg.PublicURL + RootRostering, cfg.PublicURL + RootGradebook, cfg.PublicURL + RootResources}
		}
		for _, doc := range openAPIDocs {
			if doc.version == v {
				vi.OpenAPI = append(vi.OpenAPI, Link{Title: doc.title, URL: cfg.PublicURL + DocsOpenAPIPath + doc.name})
			}
		}
		for _, r := range f.RoutesOf(v) {
			var scopes []string
			for _, s := range r.Scopes {
				scopes = append(scopes, oneroster.ScopeURI(v, s))
			}
			vi.Endpoints = append(vi.Endpoints, Endpoint{Method: r.Method, URL: cfg.PublicURL + r.FullPath(),
				Operation: r.Operation, Description: r.Summary, Scopes: scopes})
		}
		d.Versions = append(d.Versions, vi)
	}
	return d
}

func humanVersion(v string) string {
	if v == oneroster.V1p1 {
		return "1.1"
	}
	return "1.2"
}

// discovery answers the base URL (/ims/oneroster/, and the version roots): a page for a browser, JSON for a
// client. A vendor token narrows it to the token's version; without one (or with one that does not check out)
// both versions are listed. Under a version root, only that version is listed.
func (f *Facade) discovery(w http.ResponseWriter, r *http.Request) {
	versions := []string{oneroster.V1p2, oneroster.V1p1}
	path := strings.TrimSuffix(r.URL.Path, "/")
	switch {
	case path == RootV1p1:
		versions = versions[1:]
	case path != config.OneRosterPath:
		versions = versions[:1]
	case r.Header.Get("Authorization") != "" && f.verify != nil:
		if p, err := f.verify.Authenticate(r); err == nil && p.Kind == oauth.KindVendor {
			versions = []string{p.Version}
		}
	}
	d := f.discoveryFor(versions)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Add("Vary", "Accept, Authorization")
	if wantsHTML(r) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = discoveryPage.Execute(w, d)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(d)
}

// wantsHTML reports whether the client prefers HTML to JSON (a browser).
func wantsHTML(r *http.Request) bool {
	accept := r.Header.Get("Accept")
	html, jsn := strings.Index(accept, "text/html"), strings.Index(accept, "application/json")
	return html >= 0 && (jsn < 0 || html < jsn)
}

var discoveryPage = template.Must(template.New("discovery").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>OneRoster API</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/docs/app.css"></head>
<body><main class="page">
<h1>OneRoster API</h1>
<p>This is the base URL of the district's OneRoster API. Get an access token with the OAuth 2 client credentials
grant at <code>{{.TokenURL}}</code> (your client id and secret, HTTP Basic), then call the endpoints below with
<code>Authorization: Bearer &lt;token&gt;</code>.</p>
<h2>Specifications</h2>
<ul>{{range .Specifications}}<li><a href="{{.URL}}">{{.Title}}</a></li>{{end}}</ul>
<h2>Documentation</h2>
<ul><li><a href="{{.Documentation}}">REST documentation client</a>: every endpoint, and a console to try them</li>
<li><a href="{{.Guidelines}}">Consumer guidelines</a>: how to sync well against this server</li></ul>
{{range .Versions}}<h2>OneRoster {{.Version}}</h2>
<p>Base URL{{if gt (len .BaseURLs) 1}}s{{end}}: {{range $i, $u := .BaseURLs}}{{if $i}}, {{end}}<code>{{$u}}</code>{{end}}.
OpenAPI: {{range $i, $d := .OpenAPI}}{{if $i}}, {{end}}<a href="{{$d.URL}}">{{$d.Title}}</a>{{end}}.</p>
<table class="endpoints"><thead><tr><th>Method</th><th>Endpoint</th><th>Description</th></tr></thead><tbody>
{{range .Endpoints}}<tr><td>{{.Method}}</td><td><code>{{.URL}}</code></td><td>{{.Description}}</td></tr>
{{end}}</tbody></table>{{end}}
</main></body></html>
`))
