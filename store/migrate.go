package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"

	atlasmigrate "ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/sqltool"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	"github.com/pressly/goose/v3"

	"github.com/rollcall/rollcall/ent/migrate"
	"github.com/rollcall/rollcall/migrations"
)

// Migrate applies every pending migration of the database's dialect, in order, and logs each one.
func (db *DB) Migrate(ctx context.Context, log *slog.Logger) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	results, err := p.Up(ctx)
	for _, r := range results {
		log.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "duration", r.Duration.String())
	}
	if err != nil {
		return fmt.Errorf("applying migrations to %s: %w", db.Location, err)
	}
	return nil
}

// Pending reports how many migrations have not been applied yet.
func (db *DB) Pending(ctx context.Context) (int, error) {
	p, err := db.provider()
	if err != nil {
		return 0, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range st {
		if s.State == goose.StatePending {
			n++
		}
	}
	return n, nil
}

func (db *DB) provider() (*goose.Provider, error) {
	dir, gd := "postgres", goose.DialectPostgres
	if db.Dialect == dialect.SQLite {
		dir, gd = "sqlite", goose.DialectSQLite3
	}
	sub, err := fs.Sub(migrations.FS, dir)
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(gd, db.SQL, sub)
}

// Drift returns the SQL statements that would still be needed to bring the database to the ent schema.
// After Migrate it must be empty: anything else means the migrations and the schema disagree (run
// `go run ./migrations/gen NAME` after changing ent/schema).
func (db *DB) Drift(ctx context.Context) ([]string, error) {
	dir := &atlasmigrate.MemDir{}
	m, err := schema.NewMigrate(entsql.OpenDB(db.Dialect, db.SQL),
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeInspect),
		schema.WithDialect(db.Dialect),
		schema.WithFormatter(sqltool.GooseFormatter),
		schema.WithDropColumn(true),
		schema.WithDropIndex(true),
		schema.WithErrNoPlan(true),
	)
	if err != nil {
		return nil, err
	}
	err = m.NamedDiff(ctx, "drift", migrate.Tables...)
	if errors.Is(err, atlasmigrate.ErrNoPlan) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	files, err := dir.Files()
	if err != nil {
		return nil, err
	}
	var stmts []string
	for _, f := range files {
		for _, line := range strings.Split(string(f.Bytes()), "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "--") {
				stmts = append(stmts, line)
			}
		}
	}
	return stmts, nil
}
