package store

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/lib/pq"
	"modernc.org/sqlite"
)

// ConstraintError is a write the database refused, explained in terms of the record rather than the driver.
type ConstraintError struct {
	Kind   string // "duplicate", "missing reference", "referenced", "required"
	Table  string // e.g. "orgs", when the database says
	Column string // e.g. "sourced_id", when the database says
	Value  string // the offending value, when the database says
	err    error
}

func (e *ConstraintError) Error() string {
	where := e.Table
	if e.Column != "" {
		where += "." + e.Column
	}
	if where == "" {
		where = "record"
	}
	switch e.Kind {
	case "duplicate":
		if e.Value != "" {
			return fmt.Sprintf("%s: %q already exists (values must be unique)", where, e.Value)
		}
		return fmt.Sprintf("%s: this value already exists (values must be unique)", where)
	case "missing reference":
		if e.Value != "" {
			return fmt.Sprintf("%s: refers to %s, which does not exist", where, e.Value)
		}
		return fmt.Sprintf("%s: refers to a record that does not exist", where)
	case "referenced":
		return fmt.Sprintf("%s: still referenced by other records; mark it tobedeleted instead", where)
	case "required":
		return fmt.Sprintf("%s: a value is required", where)
	}
	return e.err.Error()
}

func (e *ConstraintError) Unwrap() error { return e.err }

var (
	pqKey         = regexp.MustCompile(`^Key \(([^)]+)\)=\((.*)\) (already exists|is not present in table "([^"]+)"|is still referenced)`)
	sqliteUnique  = regexp.MustCompile(`UNIQUE constraint failed: ([a-z_]+)\.([a-z_]+)`)
	sqliteNotNull = regexp.MustCompile(`NOT NULL constraint failed: ([a-z_]+)\.([a-z_]+)`)
)

// Explain turns a database constraint violation into a *ConstraintError that names the table, column and
// value where the database says them. Other errors (including ent's own validation errors, which already
// say which field is wrong) are returned unchanged.
func Explain(err error) error {
	if err == nil {
		return nil
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		ce := &ConstraintError{Table: pqErr.Table, Column: pqErr.Column, err: err}
		if m := pqKey.FindStringSubmatch(pqErr.Detail); m != nil {
			ce.Column, ce.Value = m[1], m[2]
			if m[4] != "" {
				ce.Value = m[4] + " " + m[2]
			}
		}
		switch pqErr.Code {
		case "23505":
			ce.Kind = "duplicate"
		case "23503":
			ce.Kind = "missing reference"
			if strings.Contains(pqErr.Detail, "still referenced") {
				ce.Kind = "referenced"
			}
		case "23502":
			ce.Kind = "required"
		default:
			return err
		}
		return ce
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		msg := sqErr.Error()
		switch {
		case sqliteUnique.MatchString(msg):
			m := sqliteUnique.FindStringSubmatch(msg)
			return &ConstraintError{Kind: "duplicate", Table: m[1], Column: m[2], err: err}
		case sqliteNotNull.MatchString(msg):
			m := sqliteNotNull.FindStringSubmatch(msg)
			return &ConstraintError{Kind: "required", Table: m[1], Column: m[2], err: err}
		case strings.Contains(msg, "FOREIGN KEY constraint failed"):
			return &ConstraintError{Kind: "missing reference", err: err}
		}
	}
	return err
}
