package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/demo"
	"github.com/rollcall/rollcall/store"
)

func init() {
	register("demo", "generate a deterministic synthetic district (-students N -seed S)", demoCmd)
}

func demoCmd(ctx context.Context, env *Env, args []string) error {
	var cfg config.Config
	fs := newFlags(env, "demo", "-students N [-seed S] [flags]")
	cfg.RegisterStorage(fs)
	students := fs.Int("students", 0, "how many students the district has (required, at least 1)")
	seed := fs.Int64("seed", 1, "random seed: the same seed and size always give the same district")
	if err := parse(fs, args, &cfg); err != nil {
		return err
	}
	if *students < 1 {
		return fmt.Errorf("%w: -students N is required (for example -students 2000)", errUsage)
	}
	log := logger(env, cfg)
	db, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	counts, err := demo.Generate(ctx, db, demo.Options{Students: *students, Seed: *seed, Progress: env.Stderr})
	if err != nil {
		return err
	}
	log.Info("demo district generated", "students", *students, "seed", *seed, "duration", time.Since(start).String())
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(counts)
}

// seedDemoIfEmpty generates a demo district when the database holds no orgs yet.
func seedDemoIfEmpty(ctx context.Context, env *Env, db *store.DB, students int, log *slog.Logger) error {
	n, err := db.Client.Org.Query().Count(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		log.Info("database already holds a district; not generating a demo", "orgs", n)
		return nil
	}
	counts, err := demo.Generate(ctx, db, demo.Options{Students: students, Seed: 1, Progress: env.Stderr})
	if err != nil {
		return fmt.Errorf("generating the demo district: %w", err)
	}
	log.Info("demo district generated", "counts", counts)
	return nil
}
