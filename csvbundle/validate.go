package csvbundle

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rollcall/rollcall/oneroster"
)

// index knows the sourcedIds of one table: those in the database (with their ids) and those the bundle's
// file for the table lists, in one map so that a sourcedId in both is held once.
type index struct {
	table string
	recs  map[string]entry
	file  string // the bundle's file for the table, for messages
	// refd says whether something in the bundle refers to the table, so that the ids of the records the import
	// creates are needed (COPY then draws them first instead of leaving them to the column default).
	refd bool
	// empty says the table held no record when the import started.
	empty bool
	// unknown says the bundle should have held this table's file and does not, so references to it are not
	// checked (the missing file is the problem reported).
	unknown bool
}

type entry struct {
	id   int
	line int32 // the line of the bundle's file that lists it; 0 when the file does not
	inDB bool  // in the database: loaded at the start, or created by this import
	dead bool  // status tobedeleted in the database
}

// has reports whether a record with sourcedId sid exists in the bundle or in the database.
func (ix *index) has(sid string) bool {
	if ix.unknown {
		return true
	}
	_, ok := ix.recs[sid]
	return ok
}

// stored returns the database entry of sid.
func (ix *index) stored(sid string) (entry, bool) {
	e, ok := ix.recs[sid]
	return e, ok && e.inDB
}

// setStored records that sid is in the database with id and status.
func (ix *index) setStored(sid string, id int, dead bool) {
	e := ix.recs[sid]
	e.id, e.inDB, e.dead = id, true, dead
	// Assigning replaces the map's key with the one given: a cell would keep its whole row alive.
	ix.recs[strings.Clone(sid)] = e
}

// list records that the bundle's file lists sid on line; it returns the earlier line when it already did.
func (ix *index) list(sid string, line int) (first int32, dup bool) {
	e := ix.recs[sid]
	if e.line > 0 {
		return e.line, true
	}
	e.line = int32(line)
	ix.recs[strings.Clone(sid)] = e // see setStored
	return 0, false
}

// index returns the index of table t, loading its sourcedIds from the database on first use.
func (im *importer) index(ctx context.Context, t string) (*index, error) {
	if ix := im.idx[t]; ix != nil {
		return ix, nil
	}
	ix := &index{table: t, recs: map[string]entry{}}
	rows, err := im.db.SQL.QueryContext(ctx, fmt.Sprintf(`SELECT "sourced_id", "id", "status" FROM %q`, t))
	if err != nil {
		return nil, fmt.Errorf("reading the sourcedIds of %s: %w", t, err)
	}
	defer rows.Close()
	for rows.Next() {
		var sid, status string
		var id int
		if err := rows.Scan(&sid, &id, &status); err != nil {
			return nil, fmt.Errorf("reading the sourcedIds of %s: %w", t, err)
		}
		ix.recs[sid] = entry{id: id, inDB: true, dead: status != oneroster.StatusActive}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the sourcedIds of %s: %w", t, err)
	}
	ix.empty = len(ix.recs) == 0
	im.idx[t] = ix
	return ix, nil
}

// pendingRef is a reference to the file's own table, checked once the whole file has been read.
type pendingRef struct {
	line        int
	column, sid string
}

// validate reads every data file once and checks it completely (columns, cells, duplicates, references),
// adding every problem to im.rep. It writes nothing.
func (im *importer) validate(ctx context.Context) error {
	for _, f := range im.files {
		if err := im.validateFile(ctx, f); err != nil {
			return err
		}
	}
	return nil
}

// openFile opens a data file and reads its header; it returns a nil layout (with the problem reported) when
// the file cannot be read.
func (im *importer) openFile(f *bundleFile, rep *report) (io.Closer, *recordReader, *layout, error) {
	rc, err := im.src.Open(f.spec.name)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("opening %s: %w", f.spec.name, err)
	}
	rr := newRecordReader(rc, im.lim.MaxRecordBytes)
	header, _, err := rr.Read()
	switch {
	case errors.Is(err, io.EOF):
		rep.add(Problem{File: f.spec.name, Message: "empty file: want a header row with the column names"})
		return rc, nil, nil, nil
	case err != nil:
		im.readProblem(rep, f.spec.name, nil, err)
		return rc, nil, nil, nil
	}
	return rc, rr, newLayout(f.spec, f.mode, header, rep), nil
}

// readProblem reports a record that could not be read; it returns false when the file cannot go on.
func (im *importer) readProblem(rep *report, file string, l *layout, err error) bool {
	var re *readError
	if !errors.As(err, &re) {
		msg := fmt.Sprintf("cannot read: %v", err)
		if errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrChecksum) {
			msg += " (the zip entry does not match its header: it may have been tampered with)"
		}
		rep.add(Problem{File: file, Message: msg})
		return false
	}
	p := Problem{File: file, Line: re.Line, Message: re.Msg}
	if l != nil && re.Field >= 0 {
		p.Column = l.columnName(re.Field)
	}
	rep.add(p)
	return !re.Fatal
}

// columnName names the cell at index i of a row.
func (l *layout) columnName(i int) string {
	switch i {
	case l.sid:
		return "sourcedId"
	case l.stat:
		return "status"
	case l.dlm:
		return "dateLastModified"
	}
	for j, k := range l.idx {
		if k == i {
			return l.spec.cols[j].name
		}
	}
	for _, m := range l.meta {
		if m.idx == i {
			return m.name
		}
	}
	return fmt.Sprintf("#%d", i+1)
}

func (im *importer) validateFile(ctx context.Context, f *bundleFile) error {
	spec := f.spec
	c, rr, l, err := im.openFile(f, &im.rep)
	if err != nil {
		return err
	}
	defer c.Close()
	own := im.idx[spec.table]
	records := spec.kind == fRecords || spec.kind == fProfiles
	if records {
		own.file = spec.name
	}
	complete := false
	defer func() {
		if !complete && records {
			own.unknown = true // the rows that could not be read are not reported as unknown references
		}
	}()
	if l == nil {
		return nil
	}
	var pending []pendingRef
	local := map[string]int32{} // sourcedIds of link rows
	pairs := map[string]int32{} // what link rows link, to find the same link twice
	var prev *row
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, line, err := rr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if !im.readProblem(&im.rep, spec.name, l, err) {
				return nil
			}
			continue
		}
		im.tick(1)
		f.rows++
		r := l.parse(rec, line, &im.rep.problems)
		if r == nil {
			continue
		}
		switch spec.kind {
		case fRecords, fProfiles:
			cont := spec.kind == fProfiles && prev != nil && r.sid == prev.sid
			if !cont {
				if first, dup := own.list(r.sid, line); dup {
					im.rep.add(Problem{File: spec.name, Line: line, Column: "sourcedId", Value: r.sid,
						Message: fmt.Sprintf("duplicate sourcedId (first on line %d)", first)})
				}
			}
			if cont {
				for i, c := range spec.cols {
					if c.kind != kCred && r.vals[i] != prev.vals[i] {
						im.rep.add(Problem{File: spec.name, Line: line, Column: c.name, Message: fmt.Sprintf("userProfile %s "+
							"continues from line %d with another %s: its rows may differ only in the credential columns",
							r.sid, prev.line, c.name)})
					}
				}
			}
			if spec.table == "demographics" && !r.bare && !im.idx["users"].has(r.sid) {
				im.rep.add(Problem{File: spec.name, Line: line, Column: "sourcedId", Value: r.sid, Message: "no user " +
					"with this sourcedId in users.csv or the database (demographics share their user's sourcedId)"})
			}
		default:
			if first, dup := local[r.sid]; dup {
				im.rep.add(Problem{File: spec.name, Line: line, Column: "sourcedId", Value: r.sid,
					Message: fmt.Sprintf("duplicate sourcedId (first on line %d)", first)})
			} else {
				local[strings.Clone(r.sid)] = int32(line)
			}
			if key, what := linkKey(spec, r); key != "" {
				if first, dup := pairs[key]; dup {
					im.rep.add(Problem{File: spec.name, Line: line, Message: fmt.Sprintf("%s already given on line %d", what, first)})
				} else {
					pairs[key] = int32(line)
				}
			}
		}
		prev = r
		if r.bare {
			continue
		}
		pending = im.checkRefs(spec, r, pending)
	}
	complete = true
	for _, p := range pending {
		if !own.has(p.sid) {
			im.rep.add(unknownRef(spec, p.line, p.column, p.sid, own))
		}
	}
	return nil
}

// linkKey identifies what a link row links, and describes it, for link files; "" for other rows.
func linkKey(spec *fileSpec, r *row) (string, string) {
	owner, _ := r.vals[spec.owner].(string)
	switch spec.kind {
	case fJoin:
		target, _ := r.vals[spec.target].(string)
		return owner + "\x00" + target, fmt.Sprintf("the link of %s to resource %s is", owner, target)
	case fScaleLink:
		return owner, fmt.Sprintf("a score scale for %s %s is", tables[spec.table].label, owner)
	case fLOSet:
		src, _ := r.vals[1].(string)
		id, _ := r.vals[2].(string)
		return owner + "\x00" + src + "\x00" + id, fmt.Sprintf("learning objective %s:%s of %s is", src, id, owner)
	}
	return "", ""
}

// checkRefs checks that every sourcedId the row names exists; references to the file's own table are
// returned as pending, since the record may come later in the file.
func (im *importer) checkRefs(spec *fileSpec, r *row, pending []pendingRef) []pendingRef {
	for i := range spec.cols {
		c := &spec.cols[i]
		var sids []string
		switch v := r.vals[i].(type) {
		case string:
			if c.kind == kRef || c.kind == kCheck {
				sids = []string{v}
			}
		case []string:
			if c.kind == kRefs || c.kind == kOrgs11 {
				sids = v
			}
		}
		for _, sid := range sids {
			if sid == "" {
				continue
			}
			if c.ref == spec.table && (spec.kind == fRecords || spec.kind == fProfiles) {
				pending = append(pending, pendingRef{line: r.line, column: c.name, sid: strings.Clone(sid)})
				continue
			}
			if ix := im.idx[c.ref]; !ix.has(sid) {
				im.rep.add(unknownRef(spec, r.line, c.name, sid, ix))
			}
		}
	}
	return pending
}

func unknownRef(spec *fileSpec, line int, column, sid string, ix *index) Problem {
	where := "the database"
	if ix.file != "" {
		where = ix.file + " or the database"
	}
	return Problem{File: spec.name, Line: line, Column: column, Value: sid,
		Message: fmt.Sprintf("unknown %s: no %s with this sourcedId in %s", tables[ix.table].label, tables[ix.table].label, where)}
}
