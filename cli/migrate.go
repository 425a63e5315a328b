package cli

import (
	"context"
	"fmt"

	"github.com/rollcall/rollcall/config"
)

func init() {
	register("migrate", "apply pending database migrations (-check: report schema drift)", migrateCmd)
}

func migrateCmd(ctx context.Context, env *Env, args []string) error {
	var cfg config.Config
	fs := newFlags(env, "migrate", "[-check] [flags]")
	cfg.RegisterStorage(fs)
	check := fs.Bool("check", false, "after migrating, fail if the database still differs from the ent schema")
	if err := parse(fs, args, &cfg); err != nil {
		return err
	}
	log := logger(env, cfg)
	db, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(env.Stdout, "database %s is up to date\n", db.Location)
	if !*check {
		return nil
	}
	stmts, err := db.Drift(ctx)
	if err != nil {
		return err
	}
	for _, s := range stmts {
		fmt.Fprintln(env.Stdout, s)
	}
	if len(stmts) > 0 {
		return fmt.Errorf("the migrations and the ent schema disagree (%d statements above); run `go run ./migrations/gen NAME`", len(stmts))
	}
	fmt.Fprintln(env.Stdout, "no drift: migrations match the ent schema")
	return nil
}
