package csvbundle

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rollcall/rollcall/oneroster"
	"github.com/rollcall/rollcall/progress"
	"github.com/rollcall/rollcall/store"
)

// ExportOptions configure Export.
type ExportOptions struct {
	Version string // "1.1" or "1.2"
	// DateLastModified fills the dateLastModified column with each record's. By default it is left blank, as
	// the 1.2.1 CSV binding asks of bulk files, so that exporting the same data always gives the same bytes.
	DateLastModified bool
	Progress         io.Writer // where to draw a progress bar; nil for none
}

// Export writes the database as a OneRoster bundle of opt.Version to sink and closes it (or aborts it after
// an error). It returns the rows written per file.
//
// The contract:
//   - Every file of the version that has rows is written and marked bulk in manifest.csv; the others are
//     marked absent. A bulk bundle is a complete snapshot: importing it elsewhere tombstones what it lacks.
//   - Tombstones are included, with status tobedeleted (active records say active), so that nothing an
//     active record refers to is missing and a round trip keeps them. dateLastModified is blank unless
//     opt.DateLastModified.
//   - Rows are ordered by sourcedId (bytewise), columns as SPEC §8, then metadata.* columns (sorted) for the
//     metadata keys the records have (nested objects flattened with dots). Files use CRLF line ends.
//   - Deterministic: the same data gives the same bytes (zip entries carry a fixed date), and importing an
//     export into an empty database and exporting again gives identical files.
//   - Link rows (classResources, userProfiles' credentials, learning objectives...) whose own sourcedIds are not
//     stored get sourcedIds made from what they link. A 1.1 export maps 1.2-only roles (principal, counselor,
//     the administrator roles) to administrator and leaves sex values 1.1 lacks blank; its users.csv lists a
//     user's orgs (primary org first) with the role at the primary org.
//   - It reads in one transaction, so the bundle is a consistent snapshot.
func Export(ctx context.Context, db *store.DB, sink Sink, opt ExportOptions) (counts map[string]int, err error) {
	defer func() {
		if err != nil {
			sink.Abort()
		} else {
			err = sink.Close()
		}
	}()
	list, ok := specs[opt.Version]
	if !ok {
		return nil, fmt.Errorf("unknown OneRoster version %q: want 1.1 or 1.2", opt.Version)
	}
	var txo *sql.TxOptions
	if db.Dialect == dialect.Postgres {
		txo = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	tx, err := db.SQL.BeginTx(ctx, txo)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	defer tx.Rollback()
	ex := &exporter{tx: tx, dia: db.Dialect, opt: opt, sids: map[string]map[int]string{}, counts: map[string]int{},
		bar: progress.New(opt.Progress, "export: rows", -1)}
	defer ex.bar.Done()
	var present []*fileSpec
	for _, spec := range list {
		has, err := ex.hasRows(ctx, spec)
		if err != nil {
			return nil, err
		}
		if has {
			present = append(present, spec)
		}
	}
	if err := ex.manifest(sink, list, present); err != nil {
		return nil, err
	}
	for _, spec := range present {
		w, err := sink.Create(spec.name)
		if err != nil {
			return nil, fmt.Errorf("export: %s: %w", spec.name, err)
		}
		cw := newCSVWriter(w)
		if spec.kind == fRecords || spec.kind == fProfiles {
			err = ex.records(ctx, spec, cw)
		} else {
			err = ex.linkRows(ctx, spec, cw)
		}
		if err == nil {
			err = cw.flush()
		}
		if err != nil {
			return nil, fmt.Errorf("export: %s: %w", spec.name, err)
		}
	}
	return ex.counts, nil
}

// ExportPath exports to path: a zip file when it ends in .zip, else a new (or empty) folder.
func ExportPath(ctx context.Context, db *store.DB, path string, opt ExportOptions) (map[string]int, error) {
	if _, ok := specs[opt.Version]; !ok {
		return nil, fmt.Errorf("unknown OneRoster version %q: want 1.1 or 1.2", opt.Version)
	}
	sink, err := PathSink(path)
	if err != nil {
		return nil, err
	}
	return Export(ctx, db, sink, opt)
}

type exporter struct {
	tx     *sql.Tx
	dia    string
	opt    ExportOptions
	sids   map[string]map[int]string // per table: id -> sourcedId
	school map[int]int               // class id -> school id
	counts map[string]int
	bar    *progress.Bar
}

func (ex *exporter) manifest(sink Sink, list, present []*fileSpec) error {
	w, err := sink.Create(ManifestFile)
	if err != nil {
		return err
	}
	cw := newCSVWriter(w)
	cw.write([]string{"propertyName", "value"})
	cw.write([]string{"manifest.version", "1.0"})
	cw.write([]string{"oneroster.version", ex.opt.Version})
	names := make([]string, len(list))
	for i, s := range list {
		names[i] = s.name
	}
	slices.Sort(names)
	for _, n := range names {
		mode := Absent
		if slices.ContainsFunc(present, func(s *fileSpec) bool { return s.name == n }) {
			mode = Bulk
		}
		cw.write([]string{"file." + strings.TrimSuffix(n, ".csv"), string(mode)})
	}
	cw.write([]string{"source.systemName", "Rollcall"})
	return cw.flush()
}

// hasRows reports whether a file would have rows.
func (ex *exporter) hasRows(ctx context.Context, spec *fileSpec) (bool, error) {
	q := fmt.Sprintf(`SELECT 1 FROM %q`, spec.table)
	switch spec.kind {
	case fJoin:
		q = fmt.Sprintf(`SELECT 1 FROM %q`, spec.join.table)
	case fScaleLink:
		q += ` WHERE "score_scale_id" IS NOT NULL`
	case fLOSet:
		q += ` WHERE "learning_objective_set" IS NOT NULL`
	}
	var one int
	err := ex.tx.QueryRowContext(ctx, q+" LIMIT 1").Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}

// orderBySID sorts bytewise on both databases (PostgreSQL's default collation may not).
func (ex *exporter) orderBySID() string {
	if ex.dia == dialect.Postgres {
		return ` ORDER BY "sourced_id" COLLATE "C"`
	}
	return ` ORDER BY "sourced_id"`
}

// loadSIDs loads the sourcedIds of table t, once.
func (ex *exporter) loadSIDs(ctx context.Context, t string) error {
	if _, ok := ex.sids[t]; ok {
		return nil
	}
	m := map[int]string{}
	rows, err := ex.tx.QueryContext(ctx, fmt.Sprintf(`SELECT "id", "sourced_id" FROM %q`, t))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var i int
		var s string
		if err := rows.Scan(&i, &s); err != nil {
			return err
		}
		m[i] = s
	}
	if err := rows.Err(); err != nil {
		return err
	}
	ex.sids[t] = m
	return nil
}

// sid returns the sourcedId of record id of table t.
func (ex *exporter) sid(ctx context.Context, t string, id int) (string, error) {
	if err := ex.loadSIDs(ctx, t); err != nil {
		return "", err
	}
	s, ok := ex.sids[t][id]
	if !ok {
		return "", fmt.Errorf("%s record %d not found", t, id)
	}
	return s, nil
}

// exportCols lists the stored fields a records file reads.
func exportCols(spec *fileSpec) []wcol {
	var out []wcol
	for i, c := range spec.cols {
		switch c.kind {
		case kRefs:
			out = append(out, wcol{kind: kRefs, ci: i, ref: c.ref, join: c.join})
		case kCheck, kIgnore, kRole11, kCred:
		default:
			out = append(out, wcol{field: c.field, kind: c.kind, ci: i, ref: c.ref})
		}
	}
	if spec.kind == fProfiles {
		out = append(out, wcol{field: "credentials", kind: kCreds, ci: -1})
	}
	return out
}

// records writes a records file.
func (ex *exporter) records(ctx context.Context, spec *fileSpec, cw *csvWriter) error {
	keys, err := ex.metaKeys(ctx, spec.table)
	if err != nil {
		return err
	}
	header := []string{"sourcedId", "status", "dateLastModified"}
	for _, c := range spec.cols {
		header = append(header, c.name)
	}
	for _, k := range keys {
		header = append(header, metaPrefix+k)
	}
	if err := cw.write(header); err != nil {
		return err
	}
	cols := exportCols(spec)
	q := []string{`"id"`, `"sourced_id"`, `"status"`, `"date_last_modified"`, `"metadata"`}
	links := map[int]map[int][]int{} // per column: owner -> targets
	for i, c := range cols {
		if c.kind == kRefs {
			if links[i], err = ex.joinAll(ctx, c.join); err != nil {
				return err
			}
			continue
		}
		q = append(q, strconv.Quote(c.field))
	}
	// Everything a row refers to is loaded first: PostgreSQL runs one query at a time per transaction.
	for _, c := range spec.cols {
		if c.ref != "" {
			if err := ex.loadSIDs(ctx, c.ref); err != nil {
				return err
			}
		}
	}
	if err := ex.loadSIDs(ctx, "orgs"); err != nil {
		return err
	}
	if spec.table == "line_items" || spec.table == "score_scales" {
		if _, err := ex.schoolOf(ctx, 0); err != nil {
			return err
		}
	}
	var roles map[int][]role11
	if spec.version == "1.1" && spec.table == "users" {
		if roles, err = ex.allRoles(ctx); err != nil {
			return err
		}
	}
	rows, err := ex.tx.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM %q`, strings.Join(q, ","), spec.table)+ex.orderBySID())
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int
		var sid, status string
		var dlm time.Time
		var meta []byte
		dest := []any{&id, &sid, &status, &dlm, &meta}
		for _, c := range cols {
			if c.kind != kRefs {
				dest = append(dest, scanDest(c.kind))
			}
		}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		vals := make([]any, len(spec.cols))
		k := 5
		var creds any
		for i, c := range cols {
			var v any
			if c.kind == kRefs {
				v = links[i][id]
			} else {
				if v, err = decode(c.kind, dest[k]); err != nil {
					return err
				}
				k++
			}
			if c.ci < 0 {
				creds = v
			} else {
				vals[c.ci] = v
			}
		}
		m, err := decodeMeta(meta)
		if err != nil {
			return err
		}
		base := []string{sid, status, ""}
		if ex.opt.DateLastModified {
			base[2] = formatDateTime(dlm)
		}
		cells, err := ex.cells(ctx, spec, vals, roles[id], status)
		if err != nil {
			return fmt.Errorf("%s %s: %w", tables[spec.table].label, sid, err)
		}
		for _, k := range keys {
			cells = append(cells, metaCell(m, k))
		}
		if err := ex.writeRecord(cw, spec, append(base, cells...), creds); err != nil {
			return err
		}
	}
	return rows.Err()
}

// writeRecord writes a record's row; a user profile has one row per credential (at least one).
func (ex *exporter) writeRecord(cw *csvWriter, spec *fileSpec, cells []string, creds any) error {
	if spec.kind != fProfiles {
		ex.counts[spec.name]++
		ex.bar.Add(1)
		return cw.write(cells)
	}
	cs, _ := creds.([]oneroster.Credential)
	if len(cs) == 0 {
		cs = []oneroster.Credential{{}}
	}
	ci := 3 + slices.IndexFunc(spec.cols, func(c col) bool { return c.kind == kCred })
	for _, c := range cs {
		cells[ci], cells[ci+1], cells[ci+2] = c.Type, c.Username, c.Password
		ex.counts[spec.name]++
		ex.bar.Add(1)
		if err := cw.write(cells); err != nil {
			return err
		}
	}
	return nil
}
