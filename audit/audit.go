// Package audit records who did what, when and from where: every provisioning action, sign-in, secret
// reveal and vendor write. Events are written through the caller's ent client, so an event recorded inside
// a transaction commits or rolls back with the change it describes. Details never hold secrets.
package audit

import (
	"context"
	"net"
	"net/http"
	"strings"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/ent"
)

// Event is one audited action.
type Event struct {
	Action string         // dotted verb, e.g. "connection.create", "secret.reveal", "signin.failure"
	Target string         // what was acted on, e.g. "connection:LAKESIDE_canvas"
	Detail map[string]any // what changed; never secrets
}

type remoteKey struct{}

// WithRemoteAddr returns a context whose audit events record addr as their origin.
func WithRemoteAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, remoteKey{}, addr)
}

// RemoteAddr returns the origin recorded in ctx, or "".
func RemoteAddr(ctx context.Context) string {
	s, _ := ctx.Value(remoteKey{}).(string)
	return s
}

// Middleware puts each request's client address into its context for the audit log: client(r) when given
// (clientaddr.Resolver.Addr, which believes X-Forwarded-For only from trusted proxies), else the TCP peer.
// When the request carries an X-Forwarded-For that was not believed, its first entry is recorded as a note
// ("192.0.2.7 (forwarded for 198.51.100.1)").
func Middleware(client func(*http.Request) string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		peer := r.RemoteAddr
		if host, _, err := net.SplitHostPort(peer); err == nil {
			peer = host
		}
		addr := peer
		if client != nil {
			addr = client(r)
		}
		if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" && addr == peer {
			addr += " (forwarded for " + strings.TrimSpace(strings.Split(fwd, ",")[0]) + ")"
		}
		next.ServeHTTP(w, r.WithContext(WithRemoteAddr(r.Context(), addr)))
	})
}

// Record writes the event, attributed to the actor of ctx.
func Record(ctx context.Context, c *ent.Client, e Event) error {
	return c.AuditEvent.Create().
		SetActor(actor.From(ctx)).
		SetAction(e.Action).
		SetTarget(e.Target).
		SetDetail(e.Detail).
		SetRemoteAddr(RemoteAddr(ctx)).
		Exec(ctx)
}
