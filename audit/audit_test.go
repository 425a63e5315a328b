package audit_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/clientaddr"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

func TestRecordCarriesActorAndOrigin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var ctx context.Context
		h := audit.Middleware(nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { ctx = r.Context() }))
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = "192.0.2.7:5555"
		req.Header.Set("X-Forwarded-For", "198.51.100.1, 10.0.0.1")
		h.ServeHTTP(httptest.NewRecorder(), req)
		ctx = actor.With(ctx, actor.KindAdmin, "alice")
		if err := audit.Record(ctx, db.Client, audit.Event{Action: "connection.revoke", Target: "connection:K", Detail: map[string]any{"why": "test"}}); err != nil {
			t.Fatal(err)
		}
		e := db.Client.AuditEvent.Query().OnlyX(ctx)
		if e.Actor != "admin:alice" || e.Action != "connection.revoke" || e.Target != "connection:K" ||
			e.RemoteAddr != "192.0.2.7 (forwarded for 198.51.100.1)" || e.Detail["why"] != "test" || e.At.IsZero() {
			t.Errorf("event = %+v", e)
		}
	})
}

// Behind a trusted proxy the audit log records the client the proxy saw.
func TestMiddlewareBelievesTrustedProxies(t *testing.T) {
	trusted, err := clientaddr.Parse("192.0.2.0/24")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ peer, want string }{
		{"192.0.2.7:5555", "198.51.100.1"},
		{"203.0.113.9:5555", "203.0.113.9 (forwarded for 198.51.100.1)"},
	} {
		var got string
		h := audit.Middleware(trusted.Addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = audit.RemoteAddr(r.Context()) }))
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = tc.peer
		req.Header.Set("X-Forwarded-For", "198.51.100.1")
		h.ServeHTTP(httptest.NewRecorder(), req)
		if got != tc.want {
			t.Errorf("peer %s: %q, want %q", tc.peer, got, tc.want)
		}
	}
}

func TestRecordInsideARolledBackTransactionLeavesNothing(t *testing.T) {
	db := storetest.Open(t, "postgres")
	ctx := context.Background()
	tx, err := db.Client.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := audit.Record(ctx, tx.Client(), audit.Event{Action: "x"}); err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	if n := db.Client.AuditEvent.Query().CountX(ctx); n != 0 {
		t.Errorf("%d events after rollback, want 0", n)
	}
}
