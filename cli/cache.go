package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/cache"
	"github.com/rollcall/rollcall/config"
)

func init() {
	register("cache", "refresh the OneRoster cache now, or show its status (cache refresh|status)", cacheCmd)
}

// cacheCmd runs "rollcall cache refresh" (build and publish a new generation now; refused while another
// refresh runs, also in a server process) and "rollcall cache status" (current, running and failed
// generations), printing JSON on stdout.
func cacheCmd(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || (args[0] != "refresh" && args[0] != "status") {
		return fmt.Errorf("%w: want \"cache refresh\" or \"cache status\"", errUsage)
	}
	sub := args[0]
	var cfg config.Config
	fs := newFlags(env, "cache "+sub, "[flags]")
	cfg.RegisterStorage(fs)
	if err := parse(fs, args[1:], &cfg); err != nil {
		return err
	}
	log := logger(env, cfg)
	db, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	c := cache.New(db, cache.Options{Logger: log, Progress: env.Stderr})
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	if sub == "status" {
		st, err := c.Status(ctx)
		if err != nil {
			return err
		}
		return enc.Encode(st)
	}
	start := time.Now()
	ctx = cliActor(ctx)
	run, err := c.Start(ctx, "cli")
	if err != nil {
		return err
	}
	if err := audit.Record(ctx, db.Client, audit.Event{Action: "cache.refresh", Target: fmt.Sprintf("cacheGeneration:%d", run.Generation.ID)}); err != nil {
		log.Warn("auditing the refresh", "error", err)
	}
	g, err := run.Wait(ctx)
	if err != nil {
		return err
	}
	return enc.Encode(map[string]any{"generation": g.ID, "published": g.FinishedAt, "took": time.Since(start).String(),
		"counts": g.Counts, "changes": g.Changes})
}
