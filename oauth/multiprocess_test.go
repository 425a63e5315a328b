package oauth_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/rollcall/rollcall/oauth"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

// twoProcesses opens one PostgreSQL database twice (separate *sql.DB and ent clients) and starts an
// independent server on each: separate providers, verifiers, caches and listeners, sharing only the
// database and the server key, like two replicas of one district.
func twoProcesses(t *testing.T) (a, b *server) {
	t.Helper()
	dsn := storetest.CreatePostgres(t)
	ctx := context.Background()
	var dbs [2]*store.DB
	for i := range dbs {
		db, err := store.Open(ctx, dsn, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	if err := dbs[0].Migrate(ctx, quiet); err != nil {
		t.Fatal(err)
	}
	key := newServerKey(t)
	a = startServer(t, dbs[0], setup{key: key})
	b = startServer(t, dbs[1], setup{key: key, publicURL: a.url})
	return a, b
}

// A live token stops working on a second, independent process within seconds of the revocation, and a
// renewal does not bring it back.
func TestRevokeReachesSecondProcess(t *testing.T) {
	t.Parallel()
	a, b := twoProcesses(t)
	cr := a.connection(provision.NewConnection{DistrictPart: "schoology", Version: "1.2"})
	tok := a.vendorToken(cr)

	// B knows A's key (from the database) and accepts the token; B's own tokens verify on A.
	if r := b.get("/test/v1p2/roster", tok); r.status != http.StatusOK {
		t.Fatalf("A's token on B: %d %s", r.status, r.raw)
	}
	if r := a.get("/test/v1p2/roster", b.vendorToken(cr)); r.status != http.StatusOK {
		t.Fatalf("B's token on A: %d %s", r.status, r.raw)
	}

	revokedAt := time.Now()
	if _, _, err := a.svc.Revoke(adminCtx(), cr.Connection.ID); err != nil {
		t.Fatal(err)
	}
	took := b.waitStatus("/test/v1p2/roster", tok, http.StatusUnauthorized, 5*time.Second)
	t.Logf("B refused the revoked connection's token %s after the revocation", took.Round(time.Millisecond))
	if since := time.Since(revokedAt); since > oauth.LivenessTTL+2*time.Second {
		t.Errorf("the revoked token worked on B for %s (waited %s), want at most ~%s", since, took, oauth.LivenessTTL)
	}

	// Renewing reinstates the connection with a new secret; tokens from before stay dead on both.
	renewed, err := a.svc.Renew(adminCtx(), cr.Connection.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(oauth.LivenessTTL + 100*time.Millisecond)
	for name, s := range map[string]*server{"A": a, "B": b} {
		if r := s.get("/test/v1p2/roster", tok); r.status != http.StatusUnauthorized {
			t.Errorf("pre-revocation token on %s after renewal: %d %s", name, r.status, r.raw)
		}
	}
	if r := b.get("/test/v1p2/roster", a.vendorToken(renewed)); r.status != http.StatusOK {
		t.Errorf("renewed connection's new token on B: %d %s", r.status, r.raw)
	}
}

// Two fresh processes asking for their first token at the same moment may both create a signing key:
// both keys are valid, published, and accepted by both.
func TestConcurrentKeyCreation(t *testing.T) {
	t.Parallel()
	a, b := twoProcesses(t)
	cr := a.connection(provision.NewConnection{DistrictPart: "race", Version: "1.2"})
	var wg sync.WaitGroup
	tokens := make([]string, 8)
	errs := make([]error, len(tokens))
	for i := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := a
			if i%2 == 1 {
				s = b
			}
			tokens[i], errs[i] = s.tryToken(cr)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("token %d: %v", i, err)
		}
	}
	for i, tok := range tokens {
		for name, s := range map[string]*server{"A": a, "B": b} {
			if r := s.get("/test/v1p2/roster", tok); r.status != http.StatusOK {
				t.Errorf("token %d on %s: %d %s", i, name, r.status, r.raw)
			}
		}
	}
	n := a.db.Client.SigningKey.Query().CountX(context.Background())
	if n < 1 || n > 2 {
		t.Errorf("%d signing keys after two processes started, want 1 or 2", n)
	}
}
