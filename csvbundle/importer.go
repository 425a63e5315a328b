package csvbundle

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/importrun"
	_ "github.com/rollcall/rollcall/ent/runtime" // the record hooks
	"github.com/rollcall/rollcall/progress"
	"github.com/rollcall/rollcall/store"
)

// Options configure Import.
type Options struct {
	DryRun   bool      // validate only: read and check everything, change nothing (the run is still recorded)
	Actor    string    // who runs the import, for ImportRun.actor; default: the context's actor (package actor)
	Progress io.Writer // where to draw progress bars (package progress); nil for none
	Limits   Limits    // caps on what the bundle may cost to read
	// Audit records an "import.start" event in the audit log when the run is recorded (admin actions: the
	// admin API, the CLI).
	Audit bool
	// Started, when set, is called with the run row as soon as it exists, before any work: an admin API can
	// answer with the run's id and let the import go on (its rows_done shows the progress).
	Started func(*ent.ImportRun)

	forceEnt  bool // tests: create through ent on PostgreSQL too, instead of COPY
	batchSize int  // tests: rows per batch (default 20000)
}

// progressEvery is how often a running import writes rows_done to its ImportRun row.
var progressEvery = time.Second // a variable for tests

// ImportPath opens the bundle at path (a folder or a zip file) and imports it (see Import). A bundle that
// cannot be opened (not a zip, unsafe entry names, a zip bomb) is recorded as a failed run as well.
func ImportPath(ctx context.Context, db *store.DB, path string, opt Options) (*ent.ImportRun, error) {
	src, err := Open(path, opt.Limits)
	if err != nil {
		im := newImporter(db, nil, opt)
		run, rerr := im.begin(ctx, pathBase(path))
		if rerr != nil {
			return nil, rerr
		}
		im.rep.add(Problem{Message: err.Error()})
		return im.finish(ctx, run, &ValidationError{Count: im.rep.count, Problems: im.rep.list})
	}
	defer src.Close()
	return Import(ctx, db, src, opt)
}

// Import imports a OneRoster 1.1 or 1.2 CSV bundle into db and returns the ImportRun that records it.
//
// The contract:
//   - The run row is created first and updated outside the data transaction: its rows_done and rows_total
//     advance while the import runs (on SQLite, whose single connection the transaction holds, only between
//     the two passes), and it survives a failed import with status failed, every problem counted and the first
//     MaxStoredProblems stored.
//   - Pass one reads every file and checks it completely: required columns, every cell, duplicate sourcedIds,
//     and every referenced sourcedId (in the bundle or the database). Any problem fails the import with a
//     *ValidationError listing them all, and nothing is written.
//   - Pass two applies the files in one transaction, in reference order. Rows are upserted by sourcedId: a
//     row equal to the stored record changes nothing (dateLastModified keeps its value); a new or changed one
//     is written with dateLastModified and modifiedBy ("import:RUN_ID") stamped as the record hook does. Only
//     the columns a file has are written. A bulk file tombstones (status tobedeleted, never a hard delete) the
//     records of its entity it does not list; a delta file applies only its rows. A row with status
//     tobedeleted tombstones its record. Any error rolls everything back.
//   - Writes are attributed to actor "import:RUN_ID"; the run's actor is opt.Actor or the context's actor.
func Import(ctx context.Context, db *store.DB, src Source, opt Options) (*ent.ImportRun, error) {
	im := newImporter(db, src, opt)
	run, err := im.begin(ctx, src.Name())
	if err != nil {
		return nil, err
	}
	return im.finish(ctx, run, im.run(actor.With(ctx, actor.KindImport, strconv.Itoa(run.ID))))
}

// importer is the state of one import.
type importer struct {
	db    *store.DB
	src   Source
	opt   Options
	lim   Limits
	man   *manifest
	rep   report
	files []*bundleFile
	idx   map[string]*index
	// counts per file: rows, created, updated, unchanged, tombstoned, skipped.
	counts map[string]map[string]int

	rec       *ent.ImportRun
	done      int64 // rows read, both passes together
	total     int64
	lastSave  time.Time
	inTx      bool
	bar       *progress.Bar
	validated bool
}

// bundleFile is a data file the manifest marks bulk or delta.
type bundleFile struct {
	spec *fileSpec
	mode Mode
	rows int
}

func newImporter(db *store.DB, src Source, opt Options) *importer {
	if opt.batchSize <= 0 {
		opt.batchSize = 20000
	}
	return &importer{db: db, src: src, opt: opt, lim: opt.Limits.withDefaults(), idx: map[string]*index{},
		counts: map[string]map[string]int{}}
}

func pathBase(p string) string {
	p = strings.TrimRight(p, `/\`)
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// begin records the run.
func (im *importer) begin(ctx context.Context, source string) (*ent.ImportRun, error) {
	who := im.opt.Actor
	if who == "" {
		who = actor.From(ctx)
	}
	run, err := im.db.Client.ImportRun.Create().SetActor(who).SetSource(source).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("recording the import: %w", err)
	}
	im.rec = run
	if im.opt.Audit {
		// Before the import's transaction: on SQLite it would hold the only writer.
		err := audit.Record(ctx, im.db.Client, audit.Event{Action: "import.start", Target: fmt.Sprintf("importRun:%d", run.ID),
			Detail: map[string]any{"source": source, "dryRun": im.opt.DryRun}})
		if err != nil {
			return nil, fmt.Errorf("auditing the import: %w", err)
		}
	}
	if im.opt.Started != nil {
		im.opt.Started(run)
	}
	return run, nil
}

func (im *importer) count(file, what string, n int) {
	if n == 0 {
		return
	}
	m := im.counts[file]
	if m == nil {
		m = map[string]int{}
		im.counts[file] = m
	}
	m[what] += n
}

// tick records n rows read, and now and then saves the progress in the run row.
func (im *importer) tick(n int) {
	im.done += int64(n)
	im.bar.Add(int64(n))
	if im.rec == nil || time.Since(im.lastSave) < progressEvery || (im.inTx && im.db.Dialect == dialect.SQLite) {
		return
	}
	im.lastSave = time.Now()
	im.saveProgress(context.Background())
}

func (im *importer) saveProgress(ctx context.Context) {
	total := max(im.total, im.done)
	// Progress is informational: a failure to record it must not fail the import.
	_ = im.db.Client.ImportRun.UpdateOneID(im.rec.ID).SetRowsDone(im.done).SetRowsTotal(total).Exec(ctx)
}

// run does the import proper; the returned error is recorded by finish.
func (im *importer) run(ctx context.Context) error {
	// A manifest problem that leaves the version known (a bad mode, a missing file) does not stop the
	// checks: the files that can be read are checked too, so that one run reports everything.
	im.man = readManifest(im.src, im.lim, &im.rep)
	if im.man == nil {
		return &ValidationError{Count: im.rep.count, Problems: im.rep.list}
	}
	_ = im.db.Client.ImportRun.UpdateOneID(im.rec.ID).SetVersion(im.man.Version).Exec(ctx)
	var missing []string // tables whose file the manifest announces but the bundle lacks
	for _, spec := range specs[im.man.Version] {
		if im.man.invalid[spec.name] {
			missing = append(missing, spec.table)
		}
		if mode := im.man.Files[spec.name]; mode == Bulk || mode == Delta {
			if !slices.Contains(im.src.Files(), spec.name) {
				missing = append(missing, spec.table)
				continue
			}
			im.files = append(im.files, &bundleFile{spec: spec, mode: mode})
		}
	}
	est, err := im.estimateRows()
	if err != nil {
		return err
	}
	im.total = est
	if !im.opt.DryRun {
		im.total = 2 * est
	}
	im.saveProgress(ctx)
	if err := im.loadIndexes(ctx); err != nil {
		return err
	}
	for _, t := range missing {
		if ix := im.idx[t]; ix != nil {
			ix.unknown = true // references to it cannot be checked: not reported as unknown
		}
	}
	im.bar = progress.New(im.opt.Progress, "import: checking rows", est)
	err = im.validate(ctx)
	im.bar.Done()
	if err != nil {
		return err
	}
	rows := 0
	for _, f := range im.files {
		im.count(f.spec.name, "rows", f.rows)
		rows += f.rows
	}
	im.done, im.total = int64(rows), int64(rows)
	if !im.opt.DryRun {
		im.total = 2 * int64(rows)
	}
	im.saveProgress(ctx)
	if im.rep.count > 0 {
		return &ValidationError{Count: im.rep.count, Problems: im.rep.list}
	}
	im.validated = true
	if im.opt.DryRun {
		return nil
	}
	im.bar = progress.New(im.opt.Progress, "import: writing rows", int64(rows))
	defer im.bar.Done()
	return im.write(ctx)
}

// estimateRows counts the lines of the data files, for the progress total before the exact count is known.
func (im *importer) estimateRows() (int64, error) {
	var n int64
	buf := make([]byte, 256<<10)
	for _, f := range im.files {
		rc, err := im.src.Open(f.spec.name)
		if err != nil {
			return 0, fmt.Errorf("opening %s: %w", f.spec.name, err)
		}
		for {
			k, err := rc.Read(buf)
			n += int64(bytes.Count(buf[:k], []byte{'\n'}))
			if err != nil {
				break // read errors are reported by the pass that parses the file
			}
		}
		rc.Close()
		n-- // the header
	}
	return max(n, 0), nil
}

// loadIndexes loads the sourcedIds of every table the bundle writes or refers to.
func (im *importer) loadIndexes(ctx context.Context) error {
	need, refd := []string{}, map[string]bool{}
	for _, f := range im.files {
		need = append(need, f.spec.table)
		if f.spec.kind != fRecords && f.spec.kind != fProfiles {
			refd[f.spec.table] = true // a link file's owners
		}
		for _, c := range f.spec.cols {
			if c.ref != "" {
				need, refd[c.ref] = append(need, c.ref), true
			}
		}
		if f.spec.table == "demographics" {
			need, refd["users"] = append(need, "users"), true
		}
		if f.spec.version == "1.1" && f.spec.table == "users" {
			need, refd["roles"] = append(need, "roles"), true
		}
	}
	slices.Sort(need)
	for _, t := range slices.Compact(need) {
		ix, err := im.index(ctx, t)
		if err != nil {
			return err
		}
		ix.refd = refd[t]
	}
	return nil
}

// finish records the outcome in the run row (even when ctx was cancelled) and returns the row and err.
func (im *importer) finish(ctx context.Context, run *ent.ImportRun, err error) (*ent.ImportRun, error) {
	ctx = context.WithoutCancel(ctx)
	im.bar.Done()
	upd := im.db.Client.ImportRun.UpdateOneID(run.ID).SetFinishedAt(time.Now()).SetRowsDone(im.done).
		SetRowsTotal(max(im.total, im.done)).SetCounts(im.counts)
	if im.man != nil {
		upd.SetVersion(im.man.Version)
	}
	var verr *ValidationError
	switch {
	case err == nil:
		upd.SetStatus(importrun.StatusSucceeded).SetMessage(im.summary())
	case errors.As(err, &verr):
		errs := make([]map[string]any, len(verr.Problems))
		for i, p := range verr.Problems {
			errs[i] = p.record()
		}
		upd.SetStatus(importrun.StatusFailed).SetErrors(errs).SetErrorCount(verr.Count).
			SetMessage(im.withWarnings(fmt.Sprintf("%v; nothing was changed", err)))
	default:
		upd.SetStatus(importrun.StatusFailed).SetErrorCount(1).
			SetErrors([]map[string]any{{"message": err.Error()}}).
			SetMessage(im.withWarnings(fmt.Sprintf("import failed: %v; nothing was changed", err)))
	}
	saved, uerr := upd.Save(ctx)
	if uerr != nil {
		return run, errors.Join(err, fmt.Errorf("recording the import's outcome: %w", uerr))
	}
	return saved, err
}

// summary is the one-line message of a successful run.
func (im *importer) summary() string {
	if im.opt.DryRun {
		return im.withWarnings(fmt.Sprintf("dry run: the OneRoster %s bundle is valid (%d rows in %d files); nothing was changed",
			im.man.Version, im.done, len(im.files)))
	}
	tot := map[string]int{}
	for _, m := range im.counts {
		for k, v := range m {
			tot[k] += v
		}
	}
	return im.withWarnings(fmt.Sprintf("imported OneRoster %s bundle (%d files, %d rows): %d created, %d updated, "+
		"%d unchanged, %d tombstoned, %d skipped", im.man.Version, len(im.files), tot["rows"], tot["created"],
		tot["updated"], tot["unchanged"], tot["tombstoned"], tot["skipped"]))
}

// maxMessageWarnings bounds the warnings quoted in a run's message.
const maxMessageWarnings = 20

// withWarnings appends the warnings to a message.
func (im *importer) withWarnings(msg string) string {
	ws := im.rep.warnings
	if len(ws) == 0 {
		return msg
	}
	more := ""
	if im.rep.nwarn > maxMessageWarnings {
		more = fmt.Sprintf("; and %d more", im.rep.nwarn-maxMessageWarnings)
		ws = ws[:maxMessageWarnings]
	}
	return msg + "; warnings: " + strings.Join(ws, "; ") + more
}
