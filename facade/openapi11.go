package facade

import (
	"strings"

	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/oneroster"
)

// scopeDescriptions11 describe the 1.1 scopes the routes use.
var scopeDescriptions11 = map[string]string{
	oneroster.ScopeRosterCore:         "The core rostering reads: all or one of the orgs, schools, academic sessions, terms, grading periods, courses, classes, users, students, teachers and enrollments.",
	oneroster.ScopeRoster:             "All rostering reads (the core reads and the relationship reads), except demographics.",
	oneroster.ScopeRosterDemographics: "The demographics reads.",
	oneroster.ScopeResource:           "All resources reads.",
	oneroster.ScopeGradebook:          "All gradebook reads.",
	oneroster.ScopeGradebookCreatePut: "Creating and replacing gradebook objects.",
	oneroster.ScopeGradebookDelete:    "Deleting gradebook objects.",
}

// openAPI11 generates the OpenAPI 3.0 document of the 1.1 API from its route table, in the style of the
// official 1.2 documents (same parameters, envelopes and status payload conventions, 1.1 shapes).
func openAPI11(routes []Route, cfg config.Config) schema {
	paths := schema{}
	tags := map[string]bool{}
	for _, rt := range routes {
		item, _ := paths[rt.Path].(schema)
		if item == nil {
			item = schema{}
			paths[rt.Path] = item
		}
		tag := strings.ToUpper(rt.Service[:1]) + rt.Service[1:]
		tags[tag] = true
		item[strings.ToLower(rt.Method)] = operation11(rt, tag)
	}
	var tagList []schema
	for _, t := range []string{"Rostering", "Resources", "Gradebook"} {
		if tags[t] {
			tagList = append(tagList, schema{"name": t, "description": "OneRoster 1.1 " + strings.ToLower(t) + " endpoints."})
		}
	}
	scopes := schema{}
	for name, desc := range scopeDescriptions11 {
		scopes[oneroster.ScopeURI(oneroster.V1p1, name)] = desc
	}
	comps := schema{
		"securitySchemes": schema{"OAuth2CC": schema{"type": "oauth2",
			"description": "OAuth 2 client credentials: POST grant_type=client_credentials to the token URL with the client id and secret as HTTP Basic.",
			"flows":       schema{"clientCredentials": schema{"tokenUrl": cfg.TokenURL(), "scopes": scopes}}}},
		"schemas": schemas11(),
	}
	return schema{
		"openapi": "3.0.0",
		"info": schema{
			"version": "1.1",
			"title":   "OneRoster 1.1 REST API (rostering, resources and gradebook)",
			"description": "The OneRoster 1.1 endpoints of this server, generated from its route table. 1EdTech published no " +
				"OpenAPI document for 1.1; this one follows the conventions of the official 1.2 documents with the 1.1 data " +
				"model: users carry role and orgs, errors and warnings are a statusInfoSet array of imsx_codeMajor, " +
				"imsx_severity, imsx_description and imsx_codeMinor (with 1.1's tokens: 'unknown object', 'invalid data', ...).",
		},
		"servers":    []schema{{"url": cfg.PublicURL + RootV1p1, "description": "This server (the district's OneRoster provider)."}},
		"tags":       tagList,
		"paths":      paths,
		"components": comps,
	}
}

// operation11 documents one 1.1 route.
func operation11(rt Route, tag string) schema {
	var params []schema
	for _, p := range pathParams(rt.Path) {
		params = append(params, schema{"name": p, "in": "path", "required": true, "style": "simple",
			"description": "The sourcedId of the " + paramNoun(p) + ".", "schema": schema{"type": "string"}})
	}
	if rt.Collection() {
		params = append(params,
			queryParam("limit", "The largest number of records in the page (default 100).", schema{"type": "integer", "format": "int32", "default": 100, "minimum": 1}),
			queryParam("offset", "The number of the first record of the page (0-based).", schema{"type": "integer", "format": "int32", "default": 0, "minimum": 0}),
			queryParam("sort", "The field to sort by (ties are broken by sourcedId).", schema{"type": "string"}),
			queryParam("orderBy", "asc or desc.", schema{"type": "string", "enum": []string{"asc", "desc"}}),
			queryParam("filter", "A filter such as status='active' AND dateLastModified>'2026-01-05' (URL-encoded).", schema{"type": "string"}))
	}
	if rt.Method == "GET" {
		params = append(params, queryParam("fields", "The fields to return, comma-separated.", schema{"type": "array", "items": schema{"type": "string"}}))
	}
	if rt.Method != "GET" {
		return writeOperation11(rt, tag, params)
	}
	ok := schema{"description": "Success. 1.1 warnings (unknown sort or selection fields) ride along in statusInfoSet.",
		"content": schema{"application/json": schema{"schema": ref(schemaName11(rt))}}}
	if rt.Collection() {
		ok["headers"] = schema{
			"X-Total-Count": schema{"description": "The number of records matching the request, before paging.", "schema": schema{"type": "integer"}},
			"Link":          schema{"description": "first, prev, next and last pages (RFC 8288), keeping every other parameter.", "schema": schema{"type": "string"}},
		}
	}
	return schema{
		"operationId": rt.Operation,
		"summary":     rt.Summary,
		"tags":        []string{tag},
		"parameters":  params,
		"security":    []schema{{"OAuth2CC": scopes11(rt)}},
		"responses": schema{
			"200":     ok,
			"400":     fail11("invalid_filter_field (an unknown filter field), invalid_blank_selection_field, or invalid data (a bad value, limit, offset or orderBy)."),
			"401":     fail11("unauthorized: a missing, expired or revoked token."),
			"403":     fail11("forbidden: the token lacks the scope, is for OneRoster 1.2, or names a school outside the connection's schools."),
			"404":     fail11("unknown object: the sourcedId (or a parent's) is not available to this connection."),
			"429":     fail11("server_busy: too many requests; retry after Retry-After seconds."),
			"500":     fail11("internal_server_error."),
			"default": fail11("Any other failure."),
		},
	}
}

// fail11 is a failure response of the 1.1 document.
func fail11(desc string) schema {
	return schema{"description": desc, "content": schema{"application/json": schema{"schema": ref("StatusInfoSetDType")}}}
}

func scopes11(rt Route) []string {
	var scopes []string
	for _, s := range rt.Scopes {
		scopes = append(scopes, oneroster.ScopeURI(oneroster.V1p1, s))
	}
	return scopes
}

// writeOperation11 documents a 1.1 gradebook write: PUT (the single envelope in, 201 created or 200
// replaced, no body) or DELETE (204).
func writeOperation11(rt Route, tag string, params []schema) schema {
	responses := schema{
		"400":     fail11("invalid data: the body is not the object's JSON, names something unknown, or differs from the path."),
		"401":     fail11("unauthorized: a missing, expired or revoked token."),
		"403":     fail11("forbidden: the token lacks the scope, the connection may not write gradebook data, or the record lies outside the connection's schools."),
		"404":     fail11("unknown object: the sourcedId is not available to this connection."),
		"429":     fail11("server_busy: too many requests; retry after Retry-After seconds."),
		"500":     fail11("internal_server_error."),
		"default": fail11("Any other failure."),
	}
	op := schema{"operationId": rt.Operation, "summary": rt.Summary, "tags": []string{tag}, "parameters": params,
		"security": []schema{{"OAuth2CC": scopes11(rt)}}, "responses": responses}
	if rt.Method == "DELETE" {
		responses["204"] = schema{"description": "Deleted: the object leaves every later read (a delta filter on dateLastModified still lists its tombstone)."}
		return op
	}
	responses["201"] = schema{"description": "Created."}
	responses["200"] = schema{"description": "Replaced (the object existed)."}
	op["requestBody"] = schema{"required": true, "description": "The object, in its single envelope; its sourcedId, if given, is the path's.",
		"content": schema{"application/json": schema{"schema": ref(schemaName11(rt))}}}
	return op
}

func queryParam(name, desc string, s schema) schema {
	return schema{"name": name, "in": "query", "required": false, "style": "form", "allowEmptyValue": false,
		"description": desc, "schema": s}
}

// paramNoun turns "classSourcedId" into "class" and "sourcedId" into "object".
func paramNoun(p string) string {
	if n := strings.TrimSuffix(p, "SourcedId"); n != p {
		return n
	}
	return "object"
}
