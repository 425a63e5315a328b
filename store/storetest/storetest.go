// Package storetest gives tests a real, freshly migrated database of each dialect: a SQLite file in the
// test's temporary directory, and a new database on the PostgreSQL server named by ROLLCALL_TEST_POSTGRES
// (default: the local server, trust auth). PostgreSQL being down fails the test: nothing is skipped.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	_ "github.com/rollcall/rollcall/ent/runtime" // schema hooks
	"github.com/rollcall/rollcall/store"
)

// Dialects lists the databases every storage test runs on.
var Dialects = []string{dialect.SQLite, dialect.Postgres}

// PostgresURL is the server the tests create their databases on.
func PostgresURL() string {
	if u := os.Getenv("ROLLCALL_TEST_POSTGRES"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// Each runs fn as a subtest once per dialect, each with its own fresh, migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) { fn(t, Open(t, d)) })
	}
}

// Open returns a fresh, migrated database of the dialect, closed (and for PostgreSQL dropped) when the test ends.
func Open(t testing.TB, dia string) *store.DB {
	t.Helper()
	db := OpenEmpty(t, dia)
	if err := db.Migrate(context.Background(), slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatalf("migrating test database: %v", err)
	}
	return db
}

var seq atomic.Int64

// OpenEmpty returns a fresh database of the dialect without migrations applied.
func OpenEmpty(t testing.TB, dia string) *store.DB {
	t.Helper()
	ctx := context.Background()
	var dsn string
	switch dia {
	case dialect.SQLite:
		dsn = "sqlite:" + t.TempDir() + "/test.db"
	case dialect.Postgres:
		dsn = CreatePostgres(t)
	default:
		t.Fatalf("unknown dialect %q", dia)
	}
	db, err := store.Open(ctx, dsn, "")
	if err != nil {
		t.Fatalf("opening %s test database: %v", dia, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// CreatePostgres creates an empty database on the test server and returns its URL; it is dropped when the
// test ends.
func CreatePostgres(t testing.TB) string {
	t.Helper()
	base := PostgresURL()
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatalf("PostgreSQL URL %s: %v", base, err)
	}
	defer admin.Close()
	name := fmt.Sprintf("rollcall_t%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, seq.Add(1))
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("PostgreSQL is required for the tests and is not usable at %s: %v\n"+
			"start it (pg_ctlcluster <version> main start) or set ROLLCALL_TEST_POSTGRES", base, err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("postgres", base)
		if err != nil {
			return
		}
		defer a.Close()
		a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("PostgreSQL URL %s: %v", base, err)
	}
	u.Path = "/" + name
	if !strings.Contains(u.RawQuery, "sslmode") {
		u.RawQuery = "sslmode=disable"
	}
	return u.String()
}
