// Package store opens Rollcall's database, PostgreSQL in production or the embedded pure-Go SQLite by
// default, applies the versioned migrations, and hands out the ent client.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	_ "github.com/lib/pq"  // registers the "postgres" driver
	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver

	"github.com/rollcall/rollcall/ent"
)

// DB is an open database: the ent client and the *sql.DB beneath it.
type DB struct {
	Client  *ent.Client
	SQL     *sql.DB
	Dialect string // dialect.Postgres or dialect.SQLite
	// Location says where the data lives, for logs and messages (never includes a password).
	Location string
}

// Close closes the database.
func (db *DB) Close() error { return db.Client.Close() }

// Open connects to databaseURL, or when it is empty to the SQLite file rollcall.db under dataDir (created if
// needed). A PostgreSQL URL starts with postgres:// or postgresql://; a SQLite one with sqlite: or file:.
func Open(ctx context.Context, databaseURL, dataDir string) (*DB, error) {
	var (
		db       *sql.DB
		dia, loc string
		err      error
	)
	switch {
	case databaseURL == "":
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return nil, fmt.Errorf("creating data directory %s: %w", dataDir, err)
		}
		path := filepath.Join(dataDir, "rollcall.db")
		db, err = openSQLite(path)
		dia, loc = dialect.SQLite, path
	case strings.HasPrefix(databaseURL, "postgres://"), strings.HasPrefix(databaseURL, "postgresql://"):
		db, err = sql.Open("postgres", databaseURL)
		dia, loc = dialect.Postgres, redact(databaseURL)
	case strings.HasPrefix(databaseURL, "sqlite:"), strings.HasPrefix(databaseURL, "file:"):
		path := strings.TrimPrefix(strings.TrimPrefix(databaseURL, "sqlite:"), "file:")
		db, err = openSQLite(path)
		dia, loc = dialect.SQLite, path
	default:
		return nil, fmt.Errorf("database URL %q: want postgres://..., sqlite:PATH, or nothing for the embedded default", redact(databaseURL))
	}
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connecting to %s: %w (is the database running and the URL right?)", loc, err)
	}
	if dia == dialect.Postgres {
		db.SetMaxOpenConns(32)
		db.SetMaxIdleConns(16)
	}
	client := ent.NewClient(ent.Driver(entsql.OpenDB(dia, db)))
	return &DB{Client: client, SQL: db, Dialect: dia, Location: loc}, nil
}

// openSQLite opens a SQLite file with foreign keys on (ent requires them), WAL, and a busy timeout so that a
// writer waits for another instead of failing.
func openSQLite(path string) (*sql.DB, error) {
	// The path goes into a URI: escape what would end it early (a test name can put a # in a directory).
	escaped := strings.NewReplacer("%", "%25", "#", "%23", "?", "%3F").Replace(path)
	dsn := "file:" + escaped + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("opening SQLite %s: %w", path, err)
	}
	// One writer at a time is what SQLite supports; a single connection also keeps in-memory databases whole.
	db.SetMaxOpenConns(1)
	return db, nil
}

// redact hides the password of a database URL.
func redact(u string) string {
	at := strings.LastIndex(u, "@")
	scheme := strings.Index(u, "://")
	if at < 0 || scheme < 0 {
		return u
	}
	creds := u[scheme+3 : at]
	if i := strings.Index(creds, ":"); i >= 0 {
		return u[:scheme+3] + creds[:i] + ":***" + u[at:]
	}
	return u
}
