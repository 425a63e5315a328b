package facade

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/rollcall/rollcall/oauth"
	"github.com/rollcall/rollcall/oneroster"
	"github.com/rollcall/rollcall/oneroster/query"
)

// Status codes of OneRoster status information (SPEC §4.2, §4.3).
const (
	majorSuccess     = "success"
	majorFailure     = "failure"
	majorUnsupported = "unsupported"
	severityWarning  = "warning"
	severityError    = "error"
)

// Error is a refused request as OneRoster reports it: an HTTP status and the status information of both
// versions (1.1 codeMinor tokens have spaces, 1.2 ones do not). Handlers return it; one renderer per version
// writes it. A Minor of "" leaves the codeMinor out (there is no token for, say, a wrong method).
type Error struct {
	Status      int
	Status11    int // the status in OneRoster 1.1 when it differs (1.1 has no 422: invalid data is a 400)
	Major       string
	Minor11     string
	Minor12     string
	Description string
	RetryAfter  int // seconds, for 429
}

func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Minor12, e.Description) }

// UnknownObject is the 404 of a sourcedId the connection cannot see (SPEC §3.6).
func UnknownObject(what, sourcedID string) *Error {
	return &Error{Status: http.StatusNotFound, Major: majorFailure, Minor11: "unknown object", Minor12: "unknownobject",
		Description: fmt.Sprintf("Unknown Object: no %s with sourcedId %s is available to this connection", what, quote(sourcedID))}
}

// UnknownPath is the 404 of a path that is no endpoint of the version.
func UnknownPath(path string) *Error {
	return &Error{Status: http.StatusNotFound, Major: majorFailure, Minor11: "unknown object", Minor12: "unknownobject",
		Description: "Unknown Object: " + quote(path) + " is not an endpoint of this OneRoster service; the list of endpoints is at /ims/oneroster/"}
}

// MethodNotAllowed is the 405 of a known path asked with another method.
func MethodNotAllowed(method string, allowed []string) *Error {
	return &Error{Status: http.StatusMethodNotAllowed, Major: majorUnsupported,
		Description: fmt.Sprintf("%s is not supported here; allowed: %s", method, strings.Join(allowed, ", "))}
}

// InvalidData is a 400 for a value the request cannot carry.
func InvalidData(description string) *Error {
	return &Error{Status: http.StatusBadRequest, Major: majorFailure, Minor11: "invalid data", Minor12: "invaliddata", Description: description}
}

// InvalidBody is the refusal of a request body that is well-formed JSON but says something the server cannot
// accept (a field of the wrong type, an unknown reference, a sourcedId that differs from the path's): 422
// invaliddata in OneRoster 1.2 (as the gradebook document declares), 400 "invalid data" in 1.1.
func InvalidBody(description string) *Error {
	return &Error{Status: http.StatusUnprocessableEntity, Status11: http.StatusBadRequest, Major: majorFailure,
		Minor11: "invalid data", Minor12: "invaliddata", Description: description}
}

// Forbidden is a 403 (scope, version, school scope).
func Forbidden(description string) *Error {
	return &Error{Status: http.StatusForbidden, Major: majorFailure, Minor11: "forbidden", Minor12: "forbidden", Description: description}
}

// TooManyRequests is the 429 of a connection over its rate or concurrency limit.
func TooManyRequests(retryAfter int, description string) *Error {
	return &Error{Status: http.StatusTooManyRequests, Major: majorFailure, Minor11: "server_busy", Minor12: "server_busy",
		Description: description, RetryAfter: max(retryAfter, 1)}
}

// Internal is the 500 of anything unexpected; the cause is logged, never shown.
func Internal() *Error {
	return &Error{Status: http.StatusInternalServerError, Major: majorFailure, Minor11: "internal_server_error",
		Minor12: "internal_server_error", Description: "the server could not answer this request; please try again later"}
}

// Unavailable is the 503 of a server with nothing published yet (no cache refresh has succeeded).
func Unavailable(description string) *Error {
	return &Error{Status: http.StatusServiceUnavailable, Major: majorFailure, Minor11: "server_busy", Minor12: "server_busy",
		Description: description, RetryAfter: 60}
}

// fromQuery maps a query parameter error (package query) to its 400.
func fromQuery(qe *query.Error) *Error {
	return &Error{Status: http.StatusBadRequest, Major: majorFailure, Minor11: qe.Code.CodeMinor11(),
		Minor12: qe.Code.CodeMinor12(), Description: qe.Msg}
}

// fromAuth maps a refused token (package oauth) to its 401, 403 or 500.
func fromAuth(ae *oauth.AuthError) *Error {
	switch ae.Status {
	case http.StatusUnauthorized:
		return &Error{Status: ae.Status, Major: majorFailure, Minor11: "unauthorized", Minor12: "unauthorisedrequest", Description: ae.Description}
	case http.StatusForbidden:
		return Forbidden(ae.Description)
	}
	return Internal()
}

// asError turns whatever a handler returned into an *Error; ok is false when it was unexpected (a 500).
func asError(err error) (e *Error, ok bool) {
	var fe *Error
	if errors.As(err, &fe) {
		return fe, true
	}
	var qe *query.Error
	if errors.As(err, &qe) {
		return fromQuery(qe), true
	}
	if ae, isAuth := oauth.AsAuthError(err); isAuth {
		return fromAuth(ae), ae.Status < 500
	}
	return Internal(), false
}

// status12 is OneRoster 1.2's imsx_StatusInfoDType (SPEC §4.3): the body itself, no wrapper.
type status12 struct {
	Major       string     `json:"imsx_codeMajor"`
	Severity    string     `json:"imsx_severity"`
	Description string     `json:"imsx_description,omitempty"`
	CodeMinor   *codeMinor `json:"imsx_CodeMinor,omitempty"`
}

type codeMinor struct {
	Fields []codeMinorField `json:"imsx_codeMinorField"`
}

type codeMinorField struct {
	Name  string `json:"imsx_codeMinorFieldName"`
	Value string `json:"imsx_codeMinorFieldValue"`
}

// status11 is one entry of OneRoster 1.1's statusInfoSet (SPEC §4.2).
type status11 struct {
	Major       string `json:"imsx_codeMajor"`
	Severity    string `json:"imsx_severity"`
	Description string `json:"imsx_description,omitempty"`
	Minor       string `json:"imsx_codeMinor,omitempty"`
}

// body renders the error as the version's JSON status information.
func (e *Error) body(version string) any {
	major := e.Major
	if major == "" {
		major = majorFailure
	}
	if version == oneroster.V1p1 {
		return map[string][]status11{"statusInfoSet": {{Major: major, Severity: severityError, Description: e.Description, Minor: e.Minor11}}}
	}
	s := status12{Major: major, Severity: severityError, Description: e.Description}
	if e.Minor12 != "" {
		s.CodeMinor = &codeMinor{Fields: []codeMinorField{{Name: "TargetEndSystem", Value: e.Minor12}}}
	}
	return s
}

// write sends the error in the version's shape.
func (e *Error) write(w http.ResponseWriter, version string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Del("X-Total-Count")
	h.Del("Link")
	if e.RetryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(e.RetryAfter))
	}
	status := e.Status
	if version == oneroster.V1p1 && e.Status11 != 0 {
		status = e.Status11
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(e.body(version))
}

// warnings11 renders query warnings (unknown sort or selection fields) as 1.1 statusInfoSet entries.
func warnings11(ws []query.Warning) []status11 {
	out := make([]status11, 0, len(ws))
	for _, w := range ws {
		out = append(out, status11{Major: majorSuccess, Severity: severityWarning, Description: w.Msg, Minor: w.Code.CodeMinor11()})
	}
	return out
}

// versionOfPath is the OneRoster version a path belongs to (1.2 unless it is under the 1.1 root).
func versionOfPath(path string) string {
	if path == RootV1p1 || strings.HasPrefix(path, RootV1p1+"/") {
		return oneroster.V1p1
	}
	return oneroster.V1p2
}

// RenderAuthError is the oauth.ErrorRenderer of the OneRoster endpoints: 401 and 403 bodies in the version's
// status information shape (the middleware has already set WWW-Authenticate).
func RenderAuthError(w http.ResponseWriter, r *http.Request, ae *oauth.AuthError) {
	e := fromAuth(ae)
	e.Status = ae.Status
	e.write(w, versionOfPath(r.URL.Path))
}

// quote renders caller text for a description: single-quoted and shortened.
func quote(s string) string {
	const maxLen = 80
	if len(s) > maxLen {
		s = strings.ToValidUTF8(s[:maxLen], "") + "…"
	}
	return "'" + s + "'"
}
