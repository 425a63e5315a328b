package oauth

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
)

// maxTokenRequestBody bounds a token request's form.
const maxTokenRequestBody = 64 << 10

// exchangeState is what one token request learns on its way through the library: the authenticated client
// (so the token request is built from the very row that was authenticated) and whether it was refused.
type exchangeState struct {
	client *client
	denied bool
}

type exchangeKey struct{}

func withExchange(ctx context.Context) (context.Context, *exchangeState) {
	st := &exchangeState{}
	return context.WithValue(ctx, exchangeKey{}, st), st
}

func exchangeFrom(ctx context.Context) *exchangeState {
	st, _ := ctx.Value(exchangeKey{}).(*exchangeState)
	return st
}

// noteDenied marks the current token request as a refused client authentication.
func noteDenied(ctx context.Context) {
	if st := exchangeFrom(ctx); st != nil {
		st.denied = true
	}
}

// tokenEndpoint wraps the library's token endpoint:
//
//   - parse: the form (bounded), and the client id from HTTP Basic or the form body;
//   - limit: every request per remote address, and failures per client id and per address: a blocked
//     caller gets 429 {"error":"slow_down"} with Retry-After seconds, before any secret is looked at;
//   - act: the library handles the grant; responses are never cached, a 401 answer to HTTP Basic carries
//     WWW-Authenticate, and a refused client (audited as token.denied) or a refused code (400 on
//     authorization_code) spends the failure budgets; a failure to check (database) does not.
func (p *Provider) tokenEndpoint(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions { // CORS preflight (the admin app's dev server): the library answers
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Pragma", "no-cache")
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeOAuthError(w, http.StatusMethodNotAllowed, "invalid_request", "use POST")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxTokenRequestBody)
		if err := r.ParseForm(); err != nil {
			writeOAuthError(w, http.StatusBadRequest, "invalid_request", "the request body is not a valid form")
			return
		}
		clientID, usedBasic := tokenClientID(r)
		addr := p.remoteAddr(r)
		now := time.Now()

		if wait, ok := p.tokenRequests.take(addr, now); !ok {
			tooMany(w, wait)
			return
		}
		if wait, blocked := p.tokenFailuresByAddr.blocked(addr, now); blocked {
			tooMany(w, wait)
			return
		}
		if wait, blocked := p.tokenFailuresByClient.blocked(clientID, now); blocked {
			tooMany(w, wait)
			return
		}

		ctx, st := withExchange(r.Context())
		rec := &statusRecorder{ResponseWriter: w, basic: usedBasic}
		next.ServeHTTP(rec, r.WithContext(ctx))

		codeRefused := rec.status == http.StatusBadRequest && r.PostForm.Get("grant_type") == string(oidc.GrantTypeCode)
		if st.denied || codeRefused {
			p.tokenFailuresByAddr.fail(addr, now)
			p.tokenFailuresByClient.fail(clientID, now)
		}
	})
}

// tokenClientID is the client id of a token request: from HTTP Basic (URL-decoded, as RFC 6749 §2.3.1
// encodes it) or from the form body.
func tokenClientID(r *http.Request) (id string, basic bool) {
	if u, _, ok := r.BasicAuth(); ok {
		if dec, err := url.QueryUnescape(u); err == nil {
			u = dec
		}
		return u, true
	}
	return strings.TrimSpace(r.PostForm.Get("client_id")), false
}

// statusRecorder remembers the status of the wrapped response and adds the Basic challenge to a 401.
type statusRecorder struct {
	http.ResponseWriter
	status int
	basic  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
		if code == http.StatusUnauthorized && s.basic {
			s.Header().Set("WWW-Authenticate", `Basic realm="`+Realm+`"`)
		}
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.WriteHeader(http.StatusOK)
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// tooMany answers 429 with Retry-After.
func tooMany(w http.ResponseWriter, wait time.Duration) {
	w.Header().Set("Retry-After", retryAfterSeconds(wait))
	writeOAuthError(w, http.StatusTooManyRequests, "slow_down",
		"too many requests or failed attempts; retry after "+retryAfterSeconds(wait)+" seconds")
}

// writeOAuthError writes an RFC 6749 §5.2 error body.
func writeOAuthError(w http.ResponseWriter, status int, code, description string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": description})
}
