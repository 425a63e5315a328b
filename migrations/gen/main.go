// Command gen writes a new versioned migration for each dialect from the difference between the migrations
// already in migrations/ and the ent schema. It replays the existing files on an empty development database
// (a temporary SQLite file, and a temporary database on the local PostgreSQL) and writes goose files.
//
//	go run ./migrations/gen NAME
//
// ROLLCALL_DEV_POSTGRES names the PostgreSQL server to borrow (default: the local one, database test).
package main

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"ariga.io/atlas/sql/sqltool"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	_ "github.com/lib/pq"
	_ "modernc.org/sqlite"

	"github.com/rollcall/rollcall/ent/migrate"
)

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: go run ./migrations/gen NAME   (a short snake_case name for the change)")
	}
	name := os.Args[1]
	ctx := context.Background()
	if err := sqliteDiff(ctx, name); err != nil {
		log.Fatalf("sqlite: %v", err)
	}
	if err := postgresDiff(ctx, name); err != nil {
		log.Fatalf("postgres: %v", err)
	}
}

func sqliteDiff(ctx context.Context, name string) error {
	tmp, err := os.MkdirTemp("", "rollcall-migrategen")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(tmp, "dev.db")+"?_pragma=foreign_keys(1)")
	if err != nil {
		return err
	}
	defer db.Close()
	return diff(ctx, db, dialect.SQLite, "migrations/sqlite", name)
}

func postgresDiff(ctx context.Context, name string) error {
	base := os.Getenv("ROLLCALL_DEV_POSTGRES")
	if base == "" {
		base = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	admin, err := sql.Open("postgres", base)
	if err != nil {
		return err
	}
	defer admin.Close()
	dev := fmt.Sprintf("rollcall_migrategen_%d", time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+dev); err != nil {
		return fmt.Errorf("creating development database (is PostgreSQL running?): %w", err)
	}
	defer admin.ExecContext(ctx, "DROP DATABASE "+dev)
	db, err := sql.Open("postgres", fmt.Sprintf("postgres://postgres@127.0.0.1:5432/%s?sslmode=disable", dev))
	if err != nil {
		return err
	}
	defer db.Close()
	return diff(ctx, db, dialect.Postgres, "migrations/postgres", name)
}

func diff(ctx context.Context, db *sql.DB, dia, dir, name string) error {
	d, err := sqltool.NewGooseDir(dir)
	if err != nil {
		return err
	}
	m, err := schema.NewMigrate(entsql.OpenDB(dia, db),
		schema.WithDir(d),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(dia),
		schema.WithFormatter(sqltool.GooseFormatter),
		schema.WithDropColumn(true),
		schema.WithDropIndex(true),
	)
	if err != nil {
		return err
	}
	if err := m.NamedDiff(ctx, name, migrate.Tables...); err != nil {
		return err
	}
	log.Printf("%s: up to date with the ent schema", dir)
	return nil
}
