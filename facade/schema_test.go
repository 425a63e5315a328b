package facade_test

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The official OneRoster 1.2 documents (byte-for-byte copies of ../shared/oneroster/openapi, embedded by the
// facade), by service.
var officialDocs = map[string]string{
	"rostering": "openapi/onerosterv1p2rostersservice_openapi3_v1p0.json",
	"gradebook": "openapi/onerosterv1p2gradebookservice_openapi3_v1p0.json",
	"resources": "openapi/onerosterv1p2resourcesservice_openapi3_v1p0.json",
}

// oas is an OpenAPI document loaded for validation: its operations and a compiler for its component schemas.
type oas struct {
	name string
	doc  map[string]any
	c    *jsonschema.Compiler
	mu   sync.Mutex
	sch  map[string]*jsonschema.Schema
}

// loadOAS reads an OpenAPI 3.0 document. Its schemas are JSON Schema draft 4 with OpenAPI's extras (which the
// validator ignores); formats (date, date-time, uri) are asserted.
func loadOAS(t testing.TB, name string, raw []byte) *oas {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	c.AssertFormat()
	c.UseRegexpEngine(lookaheadRegexp)
	url := "mem:///" + name
	if err := c.AddResource(url, doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &oas{name: url, doc: doc.(map[string]any), c: c, sch: map[string]*jsonschema.Schema{}}
}

func loadOfficial(t testing.TB, service string) *oas {
	t.Helper()
	raw, err := os.ReadFile(officialDocs[service])
	if err != nil {
		t.Fatal(err)
	}
	return loadOAS(t, service+".json", raw)
}

// paths lists the document's paths with their methods.
func (o *oas) paths() map[string][]string {
	out := map[string][]string{}
	for p, item := range o.doc["paths"].(map[string]any) {
		for m := range item.(map[string]any) {
			out[p] = append(out[p], strings.ToUpper(m))
		}
	}
	return out
}

// operation returns the operation object of a path and method.
func (o *oas) operation(path, method string) map[string]any {
	item, _ := o.doc["paths"].(map[string]any)[path].(map[string]any)
	op, _ := item[strings.ToLower(method)].(map[string]any)
	return op
}

// responseSchema is the schema reference the document declares for a status (or its default response).
func (o *oas) responseSchema(path, method string, status int) (string, error) {
	op := o.operation(path, method)
	if op == nil {
		return "", fmt.Errorf("%s: no operation %s %s", o.name, method, path)
	}
	responses := op["responses"].(map[string]any)
	r, ok := responses[strconv.Itoa(status)].(map[string]any)
	if !ok {
		if r, ok = responses["default"].(map[string]any); !ok {
			return "", fmt.Errorf("%s %s: no response %d and no default", method, path, status)
		}
	}
	content, _ := r["content"].(map[string]any)
	media, _ := content["application/json"].(map[string]any)
	s, _ := media["schema"].(map[string]any)
	ref, _ := s["$ref"].(string)
	if ref == "" {
		return "", fmt.Errorf("%s %s %d: no JSON schema declared", method, path, status)
	}
	return ref, nil
}

// validate checks a body against a schema reference of the document ("#/components/schemas/X").
func (o *oas) validate(ref string, body []byte) error {
	o.mu.Lock()
	sch, ok := o.sch[ref]
	if !ok {
		var err error
		if sch, err = o.c.Compile(o.name + ref); err != nil {
			o.mu.Unlock()
			return fmt.Errorf("compiling %s: %w", ref, err)
		}
		o.sch[ref] = sch
	}
	o.mu.Unlock()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("not JSON: %w: %.200s", err, body)
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Errorf("%s: %w", ref, err)
	}
	return nil
}

// check validates a response of an operation against the schema the document declares for its status.
func (o *oas) check(t testing.TB, path, method string, r *response) {
	t.Helper()
	ref, err := o.responseSchema(path, method, r.Status)
	if err != nil {
		t.Errorf("%v", err)
		return
	}
	if err := o.validate(ref, r.Body); err != nil {
		t.Errorf("%s %s (HTTP %d) does not validate: %v\nbody: %.600s", method, path, r.Status, err, r.Body)
	}
}

// lookahead is a pattern made of an anchored literal prefix, negative lookaheads and the rest, as the gradebook
// document's learningObjectiveSet.source has it: ^/(?!case$)(?!unknown$)[a-z0-9]+$.
var lookahead = regexp.MustCompile(`^\^([^()\[\]*+?{}|\\.$]*)((?:\(\?![^()]*\))+)(.*)$`)

// lookaheadRegexp is Go's regexp engine, plus the one form of negative lookahead the official documents use
// (Go's RE2 has none): ^P(?!a)(?!b)R matches when ^PR does and neither ^P(?:a) nor ^P(?:b) does.
func lookaheadRegexp(s string) (jsonschema.Regexp, error) {
	re, err := regexp.Compile(s)
	if err == nil {
		return re, nil
	}
	m := lookahead.FindStringSubmatch(s)
	if m == nil {
		return nil, err
	}
	la := lookaheadRE{src: s, pos: regexp.MustCompile("^" + regexp.QuoteMeta(m[1]) + "(?:" + m[3] + ")")}
	for _, part := range regexp.MustCompile(`\(\?!([^()]*)\)`).FindAllStringSubmatch(m[2], -1) {
		neg, err := regexp.Compile("^" + regexp.QuoteMeta(m[1]) + "(?:" + part[1] + ")")
		if err != nil {
			return nil, err
		}
		la.neg = append(la.neg, neg)
	}
	return la, nil
}

type lookaheadRE struct {
	src string
	pos *regexp.Regexp
	neg []*regexp.Regexp
}

func (r lookaheadRE) String() string { return r.src }

func (r lookaheadRE) MatchString(s string) bool {
	for _, n := range r.neg {
		if n.MatchString(s) {
			return false
		}
	}
	return r.pos.MatchString(s)
}
