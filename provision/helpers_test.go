package provision_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/auditevent"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/secrets"
	"github.com/rollcall/rollcall/store"
)

const publicURL = "https://oneroster.lakeside.example"

// start is the tests' "now": the afternoon of 2026-03-10 (UTC).
var start = time.Date(2026, 3, 10, 15, 4, 5, 0, time.UTC)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// fixture is a service over a fresh database with a district, two active schools, a deleted school and a
// department, acting as admin:alice from 203.0.113.7.
type fixture struct {
	db    *store.DB
	c     *ent.Client
	svc   *provision.Service
	clock *clock
	ctx   context.Context
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	key := make([]byte, secrets.KeySize)
	rand.Read(key)
	sealer, err := secrets.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: start}
	f := &fixture{
		db: db, c: db.Client, clock: clk,
		svc: &provision.Service{Client: db.Client, Sealer: sealer, Config: config.Config{PublicURL: publicURL}, Now: clk.Now},
		ctx: audit.WithRemoteAddr(actor.With(context.Background(), actor.KindAdmin, "alice"), "203.0.113.7"),
	}
	bg := context.Background()
	d := f.c.Org.Create().SetSourcedID("d1").SetName("Lakeside District").SetType("district").SaveX(bg)
	f.c.Org.Create().SetSourcedID("s1").SetName("North Elementary").SetType("school").SetParent(d).SaveX(bg)
	f.c.Org.Create().SetSourcedID("s2").SetName("South Middle").SetType("school").SetParent(d).SaveX(bg)
	gone := f.c.Org.Create().SetSourcedID("s3").SetName("Old West").SetType("school").SetParent(d).SaveX(bg)
	f.c.Org.DeleteOne(gone).ExecX(bg) // soft delete: status tobedeleted
	f.c.Org.Create().SetSourcedID("dept1").SetName("Transportation").SetType("department").SetParent(d).SaveX(bg)
	return f
}

func date(s string) *time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &t
}

// create makes a connection or fails the test.
func (f *fixture) create(t *testing.T, nc provision.NewConnection) provision.Credentials {
	t.Helper()
	if nc.VendorName == "" {
		nc.VendorName = "Canvas"
	}
	if nc.Version == "" {
		nc.Version = "1.2"
	}
	cr, err := f.svc.Create(f.ctx, nc)
	if err != nil {
		t.Fatalf("Create(%+v): %v", nc, err)
	}
	return cr
}

// events returns the audit events with this action, oldest first.
func (f *fixture) events(t *testing.T, action string) []*ent.AuditEvent {
	t.Helper()
	evs, err := f.c.AuditEvent.Query().Where(auditevent.Action(action)).Order(auditevent.ByID()).All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// onlyEvent returns the single audit event with this action, checking who and from where.
func (f *fixture) onlyEvent(t *testing.T, action, target string) *ent.AuditEvent {
	t.Helper()
	evs := f.events(t, action)
	if len(evs) != 1 {
		t.Fatalf("want 1 %s event, got %d", action, len(evs))
	}
	e := evs[0]
	if e.Actor != "admin:alice" || e.RemoteAddr != "203.0.113.7" || e.Target != target {
		t.Errorf("%s event: actor %q remote %q target %q; want admin:alice, 203.0.113.7, %s", action, e.Actor, e.RemoteAddr, e.Target, target)
	}
	return e
}

// assertNoSecretInAudit fails if any audit event's detail, target or actor contains one of the secrets.
func (f *fixture) assertNoSecretInAudit(t *testing.T, secretValues ...string) {
	t.Helper()
	evs, err := f.c.AuditEvent.Query().All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) == 0 {
		t.Fatal("no audit events at all")
	}
	for _, e := range evs {
		b, _ := json.Marshal(e.Detail)
		all := string(b) + e.Target + e.Actor + e.Action
		for _, s := range secretValues {
			if s == "" {
				t.Fatal("empty secret passed to assertNoSecretInAudit")
			}
			if strings.Contains(all, s) {
				t.Errorf("audit event %s holds a secret: %s", e.Action, all)
			}
		}
	}
}

// wantValidation checks that err is a *provision.ValidationError about field whose message has all parts.
func wantValidation(t *testing.T, err error, field string, parts ...string) {
	t.Helper()
	var ve *provision.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a validation error about %s, got %v", field, err)
	}
	if ve.Field != field {
		t.Errorf("validation error field %q, want %q (%v)", ve.Field, field, err)
	}
	for _, p := range parts {
		if !strings.Contains(ve.Message, p) {
			t.Errorf("error %q does not say %q", ve.Message, p)
		}
	}
}
