package oauth

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
)

// Realm is the realm of Rollcall's WWW-Authenticate challenges.
const Realm = "Rollcall"

// Error codes of AuthError (RFC 6750 §3.1, plus server_error).
const (
	CodeInvalidToken      = "invalid_token"      // 401: missing, malformed, expired, revoked, not for this server
	CodeInsufficientScope = "insufficient_scope" // 403: a valid token that may not do this
	CodeServerError       = "server_error"       // 500: the check itself failed (database unreachable)
)

// AuthError is why a request's token was not accepted: the HTTP status (401, 403 or 500), an RFC 6750 error
// code, and a description safe to show the client. Callers render the body their way (the OneRoster facade
// renders OneRoster status payloads, GraphQL its own); the middleware always sets the WWW-Authenticate
// header first (see Challenge). The cause, if any, is kept for logs and never shown.
type AuthError struct {
	Status      int
	Code        string
	Description string
	Scope       string // for insufficient_scope: the scopes that would do, space-separated
	cause       error
}

func (e *AuthError) Error() string {
	if e.cause != nil {
		return e.Code + ": " + e.Description + ": " + e.cause.Error()
	}
	return e.Code + ": " + e.Description
}

func (e *AuthError) Unwrap() error { return e.cause }

// Challenge is the WWW-Authenticate value of the error (RFC 6750 §3), e.g.
// Bearer realm="Rollcall", error="invalid_token", error_description="the token has expired".
func (e *AuthError) Challenge() string {
	var b strings.Builder
	b.WriteString(`Bearer realm="` + Realm + `"`)
	if e.Code != "" && e.Code != CodeServerError {
		b.WriteString(`, error="` + e.Code + `"`)
	}
	if e.Description != "" {
		b.WriteString(`, error_description="` + quoteSafe(e.Description) + `"`)
	}
	if e.Scope != "" {
		b.WriteString(`, scope="` + quoteSafe(e.Scope) + `"`)
	}
	return b.String()
}

// quoteSafe keeps a header parameter inside its quotes: RFC 6750 allows %x20-21 / %x23-5B / %x5D-7E.
func quoteSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '\''
		}
		return r
	}, s)
}

// SetHeaders sets the challenge on a 401 or 403 response, and no-store.
func (e *AuthError) SetHeaders(w http.ResponseWriter) {
	if e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden {
		w.Header().Set("WWW-Authenticate", e.Challenge())
	}
	w.Header().Set("Cache-Control", "no-store")
}

// AsAuthError finds an AuthError in err's chain.
func AsAuthError(err error) (*AuthError, bool) {
	var ae *AuthError
	ok := errors.As(err, &ae)
	return ae, ok
}

// ErrorRenderer writes the body of a refused request. Headers (WWW-Authenticate, Cache-Control) are already
// set; the renderer must write the status code e.Status.
type ErrorRenderer func(w http.ResponseWriter, r *http.Request, e *AuthError)

// RenderJSON is the default ErrorRenderer: {"error": code, "error_description": description}.
func RenderJSON(w http.ResponseWriter, _ *http.Request, e *AuthError) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(e.Status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": e.Code, "error_description": e.Description})
}

func unauthorized(description string, cause error) *AuthError {
	return &AuthError{Status: http.StatusUnauthorized, Code: CodeInvalidToken, Description: description, cause: cause}
}

func forbidden(description, scope string) *AuthError {
	return &AuthError{Status: http.StatusForbidden, Code: CodeInsufficientScope, Description: description, Scope: scope}
}

func serverError(cause error) *AuthError {
	return &AuthError{Status: http.StatusInternalServerError, Code: CodeServerError,
		Description: "the token could not be checked; try again", cause: cause}
}
