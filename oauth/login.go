package oauth

import (
	"context"
	_ "embed"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/provision"
)

// LoginPath is the admin app's sign-in page: GET shows the form for ?authRequestID=..., POST checks it.
const LoginPath = "/login"

//go:embed login.html
var loginHTML string

var loginPage = template.Must(template.New("login").Parse(loginHTML))

// loginView is what the sign-in page shows.
type loginView struct {
	Action        string // where the form posts
	AdminURL      string // where to start over
	AuthRequestID string // empty: the request is gone, no form
	Username      string
	Error         string
}

// signIn serves the sign-in page of the admin app's authorization code flow. The auth request lives in
// the database, so any server process can show the form, check the password, and finish the request.
type signIn struct {
	store      *storage
	creds      CredentialChecker
	log        *slog.Logger
	byUser     *buckets
	byAddr     *buckets
	callback   func(ctx context.Context, authRequestID string) string // the provider's callback (needs the issuer in ctx)
	remoteAddr func(*http.Request) string
	action     string
	adminURL   string
}

func (s *signIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		s.show(w, r)
	case http.MethodPost:
		s.submit(w, r)
	default:
		h.Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// show renders the form for a pending auth request, or says the link is no longer valid.
func (s *signIn) show(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("authRequestID")
	if _, err := s.store.pendingAuthRequest(r.Context(), id); err != nil {
		s.gone(w, r, err)
		return
	}
	s.render(w, http.StatusOK, loginView{AuthRequestID: id})
}

// submit parses the form, validates the auth request and the rate limits, checks the password, and on
// success marks the auth request done (subject, auth time) and sends the browser to the provider's
// callback, which issues the code. provision.AuthenticateAdmin records last_sign_in_at. Every checked attempt is audited (signin.success / signin.failure,
// with the username and remote address; never the password).
func (s *signIn) submit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "the form could not be read", http.StatusBadRequest)
		return
	}
	id := r.PostForm.Get("authRequestID")
	username := strings.TrimSpace(r.PostForm.Get("username"))
	username = clip(username, 128) // no account name is this long; keep audit entries and limiter keys small
	password := r.PostForm.Get("password")
	ctx := r.Context()

	if _, err := s.store.pendingAuthRequest(ctx, id); err != nil {
		s.gone(w, r, err)
		return
	}
	view := loginView{AuthRequestID: id, Username: username}
	if username == "" || password == "" {
		view.Error = "Enter your username and password."
		s.render(w, http.StatusBadRequest, view)
		return
	}
	now := time.Now()
	addr := s.remoteAddr(r)
	wait, blocked := s.byAddr.blocked(addr, now)
	if w2, b2 := s.byUser.blocked(strings.ToLower(username), now); b2 && (!blocked || w2 > wait) {
		wait, blocked = w2, true
	}
	if blocked {
		w.Header().Set("Retry-After", retryAfterSeconds(wait))
		view.Error = "Too many failed sign-ins. Wait " + retryAfterSeconds(wait) + " seconds and try again."
		s.render(w, http.StatusTooManyRequests, view)
		return
	}

	actx := actor.With(ctx, actor.KindAdmin, username)
	acct, err := s.creds.AuthenticateAdmin(ctx, username, password)
	if err != nil && !isSignInRefusal(err) {
		s.log.Error("checking an admin password", "username", username, "err", err)
		view.Error = "Sign-in is unavailable right now. Try again shortly."
		s.render(w, http.StatusInternalServerError, view)
		return
	}
	if err != nil {
		s.byAddr.fail(addr, now)
		s.byUser.fail(strings.ToLower(username), now)
		s.audit(actx, "signin.failure", username, map[string]any{"username": username, "reason": err.Error()})
		view.Error = "Wrong username or password."
		if errors.Is(err, provision.ErrAdminDisabled) { // only said after a matching password
			view.Error = "This account is disabled. Ask a Rollcall administrator to enable it."
		}
		s.render(w, http.StatusUnauthorized, view)
		return
	}
	if err := s.store.completeAuthRequest(ctx, id, acct.Username, s.store.now()); err != nil {
		s.gone(w, r, err)
		return
	}
	s.audit(actx, "signin.success", acct.Username, map[string]any{"username": acct.Username, "role": string(acct.Role)})
	http.Redirect(w, r, s.callback(ctx, id), http.StatusSeeOther)
}

// gone answers a sign-in whose auth request is unknown, expired or finished (or could not be read).
func (s *signIn) gone(w http.ResponseWriter, r *http.Request, err error) {
	if !errors.Is(err, errAuthRequestGone) && !ent.IsNotFound(err) {
		s.log.Error("reading a sign-in request", "err", err)
		s.render(w, http.StatusInternalServerError, loginView{Error: "Sign-in is unavailable right now. Try again shortly."})
		return
	}
	s.render(w, http.StatusBadRequest, loginView{Error: "This sign-in link has expired or was already used."})
}

func (s *signIn) render(w http.ResponseWriter, status int, v loginView) {
	v.Action, v.AdminURL = s.action, s.adminURL
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := loginPage.Execute(w, v); err != nil {
		s.log.Error("rendering the sign-in page", "err", err)
	}
}

func (s *signIn) audit(ctx context.Context, action, username string, detail map[string]any) {
	if err := audit.Record(ctx, s.store.db, audit.Event{Action: action, Target: "admin:" + username, Detail: detail}); err != nil {
		s.log.Error("recording a sign-in", "action", action, "err", err)
	}
}
