// Package demo generates a deterministic synthetic school district, for demonstrations, load tests and
// development: one district with elementary, middle and high schools, a school year with terms and grading
// periods, courses, classes, teachers, students with demographics, guardians, aides, counselors and
// administrators, their roles and the enrollments that tie them together.
//
// The contract of Generate:
//
//   - Deterministic: the same (Students, Seed) produce the same records with the same sourcedIds and field
//     values, on SQLite and PostgreSQL alike. Only dateLastModified (the record hook's wall clock) and the
//     database ids differ between runs. Nothing depends on the current date: the district's school year is
//     2026-2027 (schoolYear "2027").
//   - sourcedIds are UUID-shaped strings derived from the seed and a per-kind counter; a demographics record
//     shares its student's sourcedId.
//   - The data covers the awkward cases consumers must handle: names with apostrophes, spaces, hyphens and
//     letters outside ASCII; guardians linked to students as agents; a teacher working at two schools and a
//     middle school student taking a class at a high school (each with one primary role per org, and the
//     teacher with a secondary proctor role at the second school); tombstones (status tobedeleted): per school
//     a withdrawn student (user, role, demographics, enrollments), a dropped enrollment, and above elementary
//     a cancelled class.
//   - All or nothing: everything is written in one transaction, so a failure leaves the database unchanged.
//   - Only into an empty database: Generate refuses a database that already holds orgs.
//   - Fast: records are generated school by school, concurrently with writing the previous school, and written
//     in large batches. On SQLite, and for the small tables everywhere, through ent's bulk creates and hooks.
//     On PostgreSQL the big tables (users, agent links, demographics, roles, enrollments) bypass ent (see
//     copySink and store.PrepareBulkLoad): their foreign keys and secondary indexes are dropped and rebuilt within the
//     transaction, which locks those tables until it commits. 100,000 students take well under a minute.
//   - Hook fields: every record has dateLastModified (UTC, milliseconds) and modifiedBy set as the record hook
//     sets them, whichever path wrote it.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/rollcall/rollcall/ent"
	_ "github.com/rollcall/rollcall/ent/runtime" // the record hooks and field defaults
	"github.com/rollcall/rollcall/oneroster"
	"github.com/rollcall/rollcall/progress"
	"github.com/rollcall/rollcall/store"
)

// Limits on Options.Students: below the minimum some grades would have no students at all.
const (
	MinStudents = 50
	MaxStudents = 2_000_000
)

// Options configure Generate.
type Options struct {
	Students int       // number of students, MinStudents to MaxStudents
	Seed     int64     // any value; the same seed gives the same district
	Progress io.Writer // where progress is reported (see package progress); nil for none

	forceEnt bool            // tests: write through ent on PostgreSQL too, instead of COPY
	wrapSink func(sink) sink // tests: intercept writes
}

// Counts says how many records Generate wrote, tombstones included. The first line matches tables; the
// second breaks users down and counts agent links (user_agents rows).
type Counts struct {
	Orgs, AcademicSessions, Courses, Classes, Users, Roles, Enrollments, Demographics, Tombstones int
	Schools, Students, Teachers, Guardians, Agents                                                int
}

// String summarizes the counts in one line, for the command line.
func (c Counts) String() string {
	return fmt.Sprintf("%d orgs (%d schools), %d academic sessions, %d courses, %d classes, %d users "+
		"(%d students, %d teachers, %d guardians), %d roles, %d enrollments, %d demographics, %d agent links, "+
		"%d tombstones", c.Orgs, c.Schools, c.AcademicSessions, c.Courses, c.Classes, c.Users, c.Students,
		c.Teachers, c.Guardians, c.Roles, c.Enrollments, c.Demographics, c.Agents, c.Tombstones)
}

// ErrNotEmpty is returned (wrapped) when the database already holds orgs.
var ErrNotEmpty = errors.New("database is not empty")

// Generate builds the demo district for opt into db, which must be migrated and hold no orgs, and returns
// what it wrote. Progress is reported in students. The context's actor (package actor) is recorded as
// modifiedBy, "system" by default.
func Generate(ctx context.Context, db *store.DB, opt Options) (Counts, error) {
	if opt.Students < MinStudents || opt.Students > MaxStudents {
		return Counts{}, fmt.Errorf("demo: %d students: want %d to %d", opt.Students, MinStudents, MaxStudents)
	}
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return Counts{}, fmt.Errorf("demo: %w", err)
	}
	defer tx.Rollback() // a no-op after Commit
	es := &entSink{c: ent.NewClient(ent.Driver(txDriver{Conn: entsql.Conn{ExecQuerier: tx}, dia: db.Dialect})),
		limit: maxParams(db.Dialect)}
	// Checked within the transaction: on SQLite it holds the write lock already, so two runs cannot both pass.
	has, err := es.c.Org.Query().Exist(ctx)
	if err != nil {
		return Counts{}, fmt.Errorf("demo: checking that %s is empty: %w (is it migrated?)", db.Location, err)
	}
	if has {
		return Counts{}, fmt.Errorf("demo: %w: %s already holds organizations; the demo district is only "+
			"generated into an empty database: use a fresh data directory (or a new PostgreSQL database)",
			ErrNotEmpty, db.Location)
	}
	w := &writer{s: es}
	var bulk *store.BulkLoad
	if db.Dialect == dialect.Postgres && !opt.forceEnt {
		w.s = &copySink{entSink: es, tx: tx}
		if bulk, err = store.PrepareBulkLoad(ctx, tx, copyTables); err != nil {
			return Counts{}, fmt.Errorf("demo: %w", err)
		}
	}
	if opt.wrapSink != nil {
		w.s = opt.wrapSink(w.s)
	}
	g := newGenerator(opt.Students, opt.Seed)
	bar := progress.New(opt.Progress, "demo: students", int64(opt.Students))
	defer bar.Done()
	if err := w.district(ctx, g); err != nil {
		return Counts{}, fmt.Errorf("demo: %w", err)
	}

	// Generate the next school while the previous one is written. Generation only reads what it created
	// itself; the writer only sets ids.
	gctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan *batch, 1)
	go func() {
		defer close(batches)
		for _, sp := range g.schools {
			select {
			case batches <- g.school(sp):
			case <-gctx.Done():
				return
			}
		}
	}()
	for b := range batches {
		if err := w.write(ctx, b); err != nil {
			cancel()
			for range batches { // let the generator finish
			}
			return Counts{}, fmt.Errorf("demo: %w", err)
		}
		bar.Add(int64(b.nStudents))
	}
	if err := ctx.Err(); err != nil {
		return Counts{}, fmt.Errorf("demo: %w", err)
	}
	bar.Done()
	if err := bulk.Finish(ctx, tx, opt.Progress, "demo: indexes and keys"); err != nil {
		return Counts{}, fmt.Errorf("demo: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return Counts{}, fmt.Errorf("demo: committing: %w", err)
	}
	return w.counts, nil
}

// writer writes batches through a sink in reference order and counts what it wrote.
type writer struct {
	s      sink
	counts Counts
}

// district writes the district, its schools, the calendar and the district office.
func (w *writer) district(ctx context.Context, g *generator) error {
	schools := make([]*org, len(g.schools))
	for i, sp := range g.schools {
		schools[i] = sp.org
	}
	for _, os := range [][]*org{{g.district}, schools} {
		if err := w.s.orgs(ctx, os); err != nil {
			return err
		}
		w.counts.Orgs += len(os)
	}
	w.counts.Schools = len(schools)
	for _, ss := range [][]*session{{g.year}, g.terms, g.periods} {
		if err := w.s.sessions(ctx, ss); err != nil {
			return err
		}
		w.counts.AcademicSessions += len(ss)
	}
	return w.write(ctx, g.districtBatch())
}

// write writes one batch: users before what refers to them, courses before classes before enrollments.
func (w *writer) write(ctx context.Context, b *batch) error {
	c := &w.counts
	for _, us := range [][]*user{b.staff, b.students} {
		if err := w.s.users(ctx, us); err != nil {
			return err
		}
		for _, u := range us {
			c.Users++
			c.Agents += len(u.agents)
			tomb(c, u.status)
			switch u.kind {
			case "student":
				c.Students++
			case "teacher":
				c.Teachers++
			case "guardian":
				c.Guardians++
			}
		}
	}
	if err := w.s.demographics(ctx, b.students); err != nil {
		return err
	}
	for _, u := range b.students {
		c.Demographics++
		tomb(c, u.demo.status)
	}
	if err := w.s.roles(ctx, b.roles); err != nil {
		return err
	}
	for _, r := range b.roles {
		c.Roles++
		tomb(c, r.status)
	}
	if err := w.s.courses(ctx, b.courses); err != nil {
		return err
	}
	c.Courses += len(b.courses)
	if err := w.s.classes(ctx, b.classes); err != nil {
		return err
	}
	for _, cl := range b.classes {
		c.Classes++
		tomb(c, cl.status)
	}
	if err := w.s.enrollments(ctx, b.enrollments); err != nil {
		return err
	}
	for _, e := range b.enrollments {
		c.Enrollments++
		tomb(c, e.status)
	}
	return nil
}

func tomb(c *Counts, status string) {
	if strings.EqualFold(status, oneroster.StatusToBeDeleted) {
		c.Tombstones++
	}
}
