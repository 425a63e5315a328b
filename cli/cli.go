// Package cli implements the rollcall subcommands. Each subcommand is one file with one function that
// parses its flags, opens what it needs, and calls into the packages that do the work.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"sort"

	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/telemetry"
)

// command is one subcommand: run gets the arguments after the subcommand's name.
type command struct {
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

// Env is what every command writes to.
type Env struct {
	Stdout, Stderr io.Writer
}

var commands = map[string]command{}

func register(name, summary string, run func(ctx context.Context, env *Env, args []string) error) {
	commands[name] = command{summary: summary, run: run}
}

// errUsage marks an error that is the caller's mistake: it is printed without a stack of context, and the
// process exits with status 2.
var errUsage = errors.New("usage")

// Main runs the subcommand named by args[0] and returns the process exit status.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	env := &Env{Stdout: stdout, Stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "rollcall: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	if err := cmd.run(ctx, env, args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "rollcall %s: %v\n", args[0], err)
		if errors.Is(err, errUsage) {
			return 2
		}
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: rollcall COMMAND [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nrun 'rollcall COMMAND -h' for a command's flags")
}

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(env *Env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "usage: rollcall %s %s\n\nflags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args and validates the config; a bad flag is a usage error.
func parse(fs *flag.FlagSet, args []string, cfg *config.Config) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if err := cfg.Finish(); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}

// openMigrated opens the configured database and applies pending migrations.
func openMigrated(ctx context.Context, cfg config.Config, log *slog.Logger) (*store.DB, error) {
	db, err := store.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx, log); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// logger returns the JSON logger commands write their structured logs with (to stderr, keeping stdout for
// machine-readable output).
func logger(env *Env, cfg config.Config) *slog.Logger {
	return telemetry.NewLogger(env.Stderr, cfg.LogLevel)
}
