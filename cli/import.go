package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/csvbundle"
	"github.com/rollcall/rollcall/ent"
)

func init() {
	register("import", "import a OneRoster 1.1 or 1.2 CSV bundle (zip or folder; -dry-run only checks it)", importCmd)
}

// importCmd imports the bundle at PATH. It prints the run's outcome and counts to stdout and every problem
// to stderr; an invalid bundle changes nothing and exits with status 1.
func importCmd(ctx context.Context, env *Env, args []string) error {
	var cfg config.Config
	fs := newFlags(env, "import", "PATH [-dry-run] [flags]\n\nPATH is a zip file or a folder holding manifest.csv and the data files")
	cfg.RegisterStorage(fs)
	dryRun := fs.Bool("dry-run", false, "only check the bundle: read and validate everything, change nothing")
	paths, err := parseWithArgs(fs, args, &cfg)
	if err != nil {
		return err
	}
	if len(paths) != 1 {
		return fmt.Errorf("%w: want exactly one PATH (a zip file or a folder), got %d", errUsage, len(paths))
	}
	log := logger(env, cfg)
	db, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	run, err := csvbundle.ImportPath(cliActor(ctx), db, paths[0], csvbundle.Options{DryRun: *dryRun, Progress: env.Stderr, Audit: true})
	if run != nil {
		printRun(env.Stdout, run)
	}
	var verr *csvbundle.ValidationError
	if errors.As(err, &verr) {
		for _, p := range verr.Problems {
			fmt.Fprintln(env.Stderr, p)
		}
		if verr.Count > len(verr.Problems) {
			fmt.Fprintf(env.Stderr, "... and %d more problems\n", verr.Count-len(verr.Problems))
		}
		return fmt.Errorf("%s: %d problems; nothing was changed", paths[0], verr.Count)
	}
	return err
}

// printRun writes a run's outcome and its counts per file.
func printRun(w io.Writer, run *ent.ImportRun) {
	fmt.Fprintf(w, "import %d %s: %s\n", run.ID, run.Status, run.Message)
	if len(run.Counts) == 0 {
		return
	}
	files := make([]string, 0, len(run.Counts))
	for f := range run.Counts {
		files = append(files, f)
	}
	slices.Sort(files)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	cols := []string{"rows", "created", "updated", "unchanged", "tombstoned", "skipped"}
	fmt.Fprint(tw, "file\t")
	for _, c := range cols {
		fmt.Fprintf(tw, "%s\t", c)
	}
	fmt.Fprintln(tw)
	for _, f := range files {
		fmt.Fprintf(tw, "%s\t", f)
		for _, c := range cols {
			fmt.Fprintf(tw, "%d\t", run.Counts[f][c])
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}

// parseWithArgs parses flags that may come before, between or after the positional arguments (the flag
// package alone stops at the first of them), validates the config, and returns the positional arguments.
func parseWithArgs(fs *flag.FlagSet, args []string, cfg *config.Config) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if err := cfg.Finish(); err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	return pos, nil
}
