// Package facade is the OneRoster REST API: OneRoster 1.2 under /ims/oneroster/rostering/v1p2 (all 41 paths of
// the official document) and /ims/oneroster/resources/v1p2 (5 paths), OneRoster 1.1 under /ims/oneroster/v1p1
// (the 41 rostering and 4 resources paths of SPEC §2.1), the gradebook of both versions through the routes
// package gradebook adds (/ims/oneroster/gradebook/v1p2, and 1.1's under /ims/oneroster/v1p1; a deleted
// gradebook record is 404 by sourcedId, where a rostering tombstone is still served), the discovery page at
// the base URL /ims/oneroster/, and the REST documentation client at /docs/ with the consumer guidelines at
// /docs/guidelines. It reads
// everything from the published cache (package cache) through the Reader interface, after the token checks
// of package oauth.
//
// # One route table
//
// Routes (routes.go) lists every operation once: version, service, path, operationId, summary, scopes, the
// collection and subset it reads, its envelope key, and the parents a nested path names. The table drives the
// ServeMux patterns (one per path, plus the trailing-slash twin of each collection, so that metrics are
// labelled by endpoint), the scope checks, the discovery page, the documentation client's endpoint list and
// the generated 1.1 OpenAPI document. Handlers return errors; one renderer per version writes them.
//
// Other packages add routes under the same roots through Options.Extra (the gradebook issue: its reads and
// writes of both versions), with a Route.Handler: they get routing, token, scope and rate checks, error
// rendering, discovery and documentation for free. The facade owns the roots on the mux: nothing else may
// register patterns below /ims/oneroster/.
//
// # Requests
//
// Every endpoint needs a vendor token of the route's version carrying one of the route's scopes (1.2:
// roster-core or roster for core reads, roster for relationship reads, roster-demographics, resource-core or
// resource; 1.1 the same names with the v1p1 prefix). A 1.1 token on a 1.2 path, or the reverse, is 403.
//
// Collections take limit (default 100, at most Options.MaxLimit, default 100,000: a larger limit is a 400,
// never a silent cut), offset, sort, orderBy, filter and fields (package oneroster/query parses and checks
// them against the cache's catalogue of the collection); they answer X-Total-Count and a Link header with
// first, prev, next and last that keep every other parameter and carry snapshot=<generation>, so a client
// following next reads one cache generation even when the cache refreshes mid-sync. Bodies are streamed:
// memory does not grow with the page. Single objects take fields.
//
// Nested paths check their parents first: a parent the connection cannot see (unknown, of the wrong subset
// such as a teacher's id under /students/{id}/classes, or a class not in the school of
// /schools/{s}/classes/{c}/...) is 404 unknownobject, not an empty 200. A school outside the schools of a
// school-limited connection, named as the parent of a nested path, is 403 forbidden (the connection is scoped);
// any record outside the connection's schools fetched by sourcedId is 404 unknownobject, as if it did not
// exist.
//
// # Errors
//
// OneRoster 1.2 errors are the imsx_StatusInfoDType object itself (imsx_codeMajor, imsx_severity,
// imsx_description, imsx_CodeMinor.imsx_codeMinorField[{imsx_codeMinorFieldName: TargetEndSystem,
// imsx_codeMinorFieldValue}]); OneRoster 1.1 errors are {"statusInfoSet":[{imsx_codeMajor, imsx_severity,
// imsx_description, imsx_codeMinor}]} with 1.1's tokens ("unknown object", "invalid data", ...). 1.1 collections
// and objects carry warnings for unknown sort or selection fields in a statusInfoSet beside the data; 1.2 has
// no room for them and simply returns full records in the default order. The token checks' 401 and 403 are
// rendered in the same shapes (RenderAuthError). A request body that is well-formed JSON but says something
// wrong (InvalidBody) is 422 invaliddata in 1.2 and 400 "invalid data" in 1.1. Bad input is never a 500.
//
// # Limits
//
// Each connection has a token bucket (DefaultRatePerSecond, DefaultBurst) and a cap on requests in flight
// (DefaultConcurrent); over either it gets 429 server_busy with Retry-After in seconds. The server reads
// ROLLCALL_API_MAX_LIMIT, ROLLCALL_API_RATE, ROLLCALL_API_BURST and ROLLCALL_API_CONCURRENCY at start-up
// (LimitsFromEnv; "off" turns the rate or the concurrency cap off).
//
// # Documentation
//
// /docs/ is a dependency-free explorer (static/, embedded): it lists every route of the table, gets a token
// from the token URL with a client id and secret, and sends requests to this server. It serves localized
// copies of the three official 1.2 documents (openapi/, byte for byte except servers and tokenUrl) and a 1.1
// document generated from the 1.1 routes and the 1.1 JSON Schemas of schema11.go, at /docs/openapi/NAME (add
// ?download=1 to save one), and the 1.2 ones also at {service root}/discovery/{official file name}.
package facade
