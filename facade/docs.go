package facade

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"regexp"
	"sync"

	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/oneroster"
)

// DocsOpenAPIPath is where the documentation client serves the OpenAPI documents (add ?download=1 to save).
const DocsOpenAPIPath = "/docs/openapi/"

//go:embed openapi/*.json
var officialFS embed.FS

//go:embed static
var staticFS embed.FS

// openAPIDoc is one OpenAPI document the server publishes.
type openAPIDoc struct {
	name     string // file name under DocsOpenAPIPath
	title    string
	version  string
	root     string // the service root it describes
	official string // the official file it localizes ("" for the generated 1.1 document)
	aliases  []string
}

var openAPIDocs = []openAPIDoc{
	{"rostering-v1p2.json", "Rostering 1.2", oneroster.V1p2, RootRostering, "onerosterv1p2rostersservice_openapi3_v1p0.json",
		[]string{"onerosterv1p2rostersservice_openapi3_v1p0.json", "imsorv1p2_rostering_openapi3_v1p0.json"}},
	{"gradebook-v1p2.json", "Gradebook 1.2", oneroster.V1p2, RootGradebook, "onerosterv1p2gradebookservice_openapi3_v1p0.json",
		[]string{"onerosterv1p2gradebookservice_openapi3_v1p0.json", "imsorv1p2_gradebook_openapi3_v1p0.json"}},
	{"resources-v1p2.json", "Resources 1.2", oneroster.V1p2, RootResources, "onerosterv1p2resourcesservice_openapi3_v1p0.json",
		[]string{"onerosterv1p2resourcesservice_openapi3_v1p0.json", "imsorv1p2_resources_openapi3_v1p0.json"}},
	{"oneroster-v1p1.json", "OneRoster 1.1 (rostering and resources)", oneroster.V1p1, RootV1p1, "", nil},
}

// docs serves the REST documentation client and what it documents.
type docs struct {
	f    *Facade
	once sync.Once
	docs map[string][]byte // localized documents by name
	err  error
}

func newDocs(f *Facade) *docs { return &docs{f: f} }

func (d *docs) register(mux *http.ServeMux) {
	static, _ := fs.Sub(staticFS, "static")
	files := http.FileServerFS(static)
	mux.Handle("GET "+config.DocsPath+"{$}", d.page("index.html"))
	mux.Handle("GET "+config.DocsPath+"app.js", http.StripPrefix("/docs", files))
	mux.Handle("GET "+config.DocsPath+"app.css", http.StripPrefix("/docs", files))
	mux.HandleFunc("GET "+config.DocsPath+"routes.json", d.routesJSON)
	mux.HandleFunc("GET "+config.GuidelinesPath, d.guidelines)
	mux.HandleFunc("GET "+DocsOpenAPIPath+"{name}", func(w http.ResponseWriter, r *http.Request) {
		d.serveDoc(w, r, r.PathValue("name"))
	})
	for _, doc := range openAPIDocs {
		for _, alias := range doc.aliases {
			mux.HandleFunc("GET "+doc.root+"/discovery/"+alias, func(w http.ResponseWriter, r *http.Request) {
				d.serveDoc(w, r, doc.name)
			})
		}
	}
	mux.Handle(config.DocsPath, http.NotFoundHandler())
}

// page serves an embedded HTML page.
func (d *docs) page(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := staticFS.ReadFile("static/" + name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(b)
	})
}

// serveDoc serves a localized OpenAPI document.
func (d *docs) serveDoc(w http.ResponseWriter, r *http.Request, name string) {
	d.once.Do(d.build)
	b, ok := d.docs[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	if r.URL.Query().Get("download") != "" {
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	}
	_, _ = w.Write(b)
}

// build localizes the official documents and generates the 1.1 one, once.
func (d *docs) build() {
	d.docs = map[string][]byte{}
	cfg := d.f.opt.Config
	for _, doc := range openAPIDocs {
		var b []byte
		var err error
		if doc.official == "" {
			b, err = json.MarshalIndent(openAPI11(d.f.RoutesOf(oneroster.V1p1), cfg), "", "  ")
		} else if b, err = officialFS.ReadFile("openapi/" + doc.official); err == nil {
			b, err = Localize(b, cfg.PublicURL+doc.root, cfg.TokenURL())
		}
		if err != nil {
			d.f.log.Error("building the OpenAPI document", "name", doc.name, "err", err)
			continue
		}
		d.docs[doc.name] = b
	}
}

var tokenURLPattern = regexp.MustCompile(`("tokenUrl"\s*:\s*)"[^"]*"`)

// Localize rewrites an official OneRoster 1.2 OpenAPI document for this server: servers names the real
// service URL, and the client-credentials flow the real token URL. Everything else is kept byte for byte.
func Localize(doc []byte, serverURL, tokenURL string) ([]byte, error) {
	if n := len(tokenURLPattern.FindAllIndex(doc, -1)); n != 1 {
		return nil, fmt.Errorf("expected one tokenUrl, found %d", n)
	}
	tok, _ := json.Marshal(tokenURL)
	doc = tokenURLPattern.ReplaceAll(doc, append([]byte("${1}"), bytes.ReplaceAll(tok, []byte("$"), []byte("$$"))...))
	servers, _ := json.MarshalIndent([]map[string]string{{"url": serverURL,
		"description": "This server (the district's OneRoster provider)."}}, "    ", "    ")
	return replaceTopLevel(doc, "servers", servers)
}

// replaceTopLevel replaces the value of a top-level member of a JSON object, keeping the rest as it is.
func replaceTopLevel(doc []byte, key string, value []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("not a JSON object")
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		if t == key {
			end := int(dec.InputOffset())
			start := end - len(raw)
			out := append([]byte{}, doc[:start]...)
			out = append(out, value...)
			return append(out, doc[end:]...), nil
		}
	}
	return nil, fmt.Errorf("no %q member", key)
}

// routesJSON is the route table as the documentation client reads it.
func (d *docs) routesJSON(w http.ResponseWriter, r *http.Request) {
	type param struct {
		Name, In, Description string
	}
	type route struct {
		Version     string   `json:"version"`
		Service     string   `json:"service"`
		Method      string   `json:"method"`
		Path        string   `json:"path"`
		Operation   string   `json:"operationId"`
		Summary     string   `json:"summary"`
		Scopes      []string `json:"scopes"`
		Collection  bool     `json:"collection"`
		PathParams  []string `json:"pathParams"`
		ResponseKey string   `json:"responseKey"`
	}
	cfg := d.f.opt.Config
	out := struct {
		TokenURL   string  `json:"tokenUrl"`
		Discovery  string  `json:"discovery"`
		Guidelines string  `json:"guidelines"`
		MaxLimit   int     `json:"maxLimit"`
		OpenAPI    []Link  `json:"openapi"`
		Specs      []Link  `json:"specifications"`
		Routes     []route `json:"routes"`
	}{TokenURL: cfg.TokenURL(), Discovery: cfg.PublicURL + config.OneRosterPath + "/", Guidelines: cfg.PublicURL + config.GuidelinesPath,
		MaxLimit: d.f.opt.MaxLimit, Specs: Specifications}
	for _, doc := range openAPIDocs {
		out.OpenAPI = append(out.OpenAPI, Link{Title: doc.title, URL: DocsOpenAPIPath + doc.name})
	}
	for _, rt := range d.f.routes {
		var scopes []string
		for _, s := range rt.Scopes {
			scopes = append(scopes, oneroster.ScopeURI(rt.Version, s))
		}
		out.Routes = append(out.Routes, route{Version: rt.Version, Service: rt.Service, Method: rt.Method, Path: rt.FullPath(),
			Operation: rt.Operation, Summary: rt.Summary, Scopes: scopes, Collection: rt.Collection(),
			PathParams: pathParams(rt.Path), ResponseKey: rt.Key})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	_ = json.NewEncoder(w).Encode(out)
}

var wildcard = regexp.MustCompile(`\{([A-Za-z]+)\}`)

// pathParams lists the wildcards of a path template in order.
func pathParams(path string) []string {
	out := []string{}
	for _, m := range wildcard.FindAllStringSubmatch(path, -1) {
		out = append(out, m[1])
	}
	return out
}
