package cli

import (
	"context"
	"fmt"
	"slices"
	"text/tabwriter"

	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/csvbundle"
)

func init() {
	register("export", "export the database as a OneRoster CSV bundle (-version 1.1|1.2 PATH; PATH.zip gives a zip)", exportCmd)
}

// exportCmd writes the database as a bulk bundle to PATH: a zip file when PATH ends in .zip, else a new (or
// empty) folder. It prints the rows written per file.
func exportCmd(ctx context.Context, env *Env, args []string) error {
	var cfg config.Config
	fs := newFlags(env, "export", "-version 1.1|1.2 PATH [flags]\n\nPATH ending in .zip gives a zip file, anything else a new (or empty) folder")
	cfg.RegisterStorage(fs)
	version := fs.String("version", "1.2", "OneRoster version of the bundle: 1.1 or 1.2")
	dates := fs.Bool("dates", false, "fill dateLastModified (left blank by default, so that the same data always gives the same files)")
	paths, err := parseWithArgs(fs, args, &cfg)
	if err != nil {
		return err
	}
	if len(paths) != 1 {
		return fmt.Errorf("%w: want exactly one PATH, got %d", errUsage, len(paths))
	}
	if *version != "1.1" && *version != "1.2" {
		return fmt.Errorf("%w: -version %q: want 1.1 or 1.2", errUsage, *version)
	}
	log := logger(env, cfg)
	db, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	counts, err := csvbundle.ExportPath(ctx, db, paths[0], csvbundle.ExportOptions{Version: *version,
		DateLastModified: *dates, Progress: env.Stderr})
	if err != nil {
		return err
	}
	files := make([]string, 0, len(counts))
	for f := range counts {
		files = append(files, f)
	}
	slices.Sort(files)
	fmt.Fprintf(env.Stdout, "exported OneRoster %s bundle to %s\n", *version, paths[0])
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "file\trows\t")
	for _, f := range files {
		fmt.Fprintf(tw, "%s\t%d\t\n", f, counts[f])
	}
	return tw.Flush()
}
