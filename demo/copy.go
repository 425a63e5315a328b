package demo

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/lib/pq"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/ent/schema"
)

// copyTables are the tables copySink loads with COPY.
var copyTables = []string{"users", "user_agents", "demographics", "roles", "enrollments"}

// copySink writes the large tables of a PostgreSQL database, leaving the small ones to ent: demographics,
// roles, enrollments and agent links with COPY, users with one INSERT from arrays per 10,000 rows, which
// returns their ids. Bypassing ent also bypasses its hooks, so copySink stamps date_last_modified (UTC,
// millisecond precision, from schema.Now) and modified_by (the actor of the context) itself, as the record
// hook does. It never writes ids: the database assigns them from each table's range of ent's global ids.
// Generate prepares copyTables for the bulk load before the first write and finishes it before committing
// (store.PrepareBulkLoad).
type copySink struct {
	*entSink
	tx *sql.Tx
}

// stamp is what the record hook would set on a new record.
func stamp() time.Time { return schema.Now().UTC().Truncate(time.Millisecond) }

// copyRows streams n rows into table with COPY FROM STDIN; row(i) returns the values of row i in the order of
// cols (nil for NULL).
func (s *copySink) copyRows(ctx context.Context, table string, cols []string, n int, row func(i int) []any) error {
	if n == 0 {
		return nil
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = pq.QuoteIdentifier(c)
	}
	stmt, err := s.tx.PrepareContext(ctx, fmt.Sprintf("COPY %s (%s) FROM STDIN", pq.QuoteIdentifier(table),
		strings.Join(quoted, ", ")))
	if err != nil {
		return fmt.Errorf("copying into %s: %w", table, err)
	}
	defer stmt.Close()
	for i := range n {
		if _, err := stmt.ExecContext(ctx, row(i)...); err != nil {
			return fmt.Errorf("copying into %s: %w", table, err)
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil { // flushes and ends the COPY
		return fmt.Errorf("copying into %s: %w", table, err)
	}
	return nil
}

// jsonOrNull encodes v as JSON text for a jsonb column, or NULL when v is empty (as ent leaves unset fields).
func jsonOrNull[T any](v []T) sql.NullString {
	if len(v) == 0 {
		return sql.NullString{}
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // plain strings and structs of strings always encode
	}
	return sql.NullString{String: string(b), Valid: true}
}

func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// insertUsers inserts users from one array per column and returns the ids the database gave them. COPY cannot
// return ids, and reading them back afterwards would depend on the planner's view of a table that grows
// within one transaction; an INSERT from unnest is nearly as fast and answers directly.
const insertUsers = `INSERT INTO users (sourced_id, status, username, user_master_identifier, user_ids, enabled_user,
	given_name, family_name, middle_name, preferred_first_name, pronouns, identifier, email, sms, phone, grades,
	primary_org_id, date_last_modified, modified_by)
SELECT u.*, $18::timestamptz, $19::text FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[],
	$6::bool[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
	$15::text[], $16::jsonb[], $17::bigint[]) AS u
RETURNING sourced_id, id`

func (s *copySink) users(ctx context.Context, us []*user) error {
	by := actor.From(ctx)
	err := chunks(us, 10000, 1, func(part []*user) error {
		n := len(part)
		// Text columns in the order of the statement: sourced_id, status, username, user_master_identifier,
		// given_name, family_name, middle_name, preferred_first_name, pronouns, identifier, email, sms, phone.
		text := make([][]string, 13)
		for i := range text {
			text[i] = make([]string, n)
		}
		userIDs, grades := make([]sql.NullString, n), make([]sql.NullString, n)
		enabled, orgs := make([]bool, n), make([]int64, n)
		bySID := make(map[string]*user, n)
		for i, u := range part {
			for j, v := range [...]string{u.sid, u.status, u.username, u.masterID, u.given, u.family, u.middle,
				u.preferred, u.pronouns, u.identifier, u.email, u.sms, u.phone} {
				text[j][i] = v
			}
			userIDs[i], grades[i] = jsonOrNull(u.userIDs), jsonOrNull(u.grades)
			enabled[i], orgs[i] = u.enabled, int64(u.primaryOrg.id)
			bySID[u.sid] = u
		}
		args := []any{pq.Array(text[0]), pq.Array(text[1]), pq.Array(text[2]), pq.Array(text[3]),
			pq.Array(userIDs), pq.Array(enabled)}
		for _, col := range text[4:] {
			args = append(args, pq.Array(col))
		}
		args = append(args, pq.Array(grades), pq.Array(orgs), stamp(), by)
		rows, err := s.tx.QueryContext(ctx, insertUsers, args...)
		if err != nil {
			return fmt.Errorf("writing users: %w", err)
		}
		defer rows.Close()
		found := 0
		for rows.Next() {
			var sid string
			var id int
			if err := rows.Scan(&sid, &id); err != nil {
				return fmt.Errorf("writing users: %w", err)
			}
			if u := bySID[sid]; u != nil {
				u.id = id
				found++
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("writing users: %w", err)
		}
		if found != n {
			return fmt.Errorf("writing users: the database returned %d ids for %d users", found, n)
		}
		return nil
	})
	if err != nil {
		return err
	}
	type link struct{ user, agent int }
	var links []link
	for _, u := range us {
		for _, a := range u.agents {
			links = append(links, link{u.id, a.id})
		}
	}
	// The agents edge's join table: user_id is the user, dependent_id the agent (as ent writes AddAgentIDs).
	return s.copyRows(ctx, "user_agents", []string{"user_id", "dependent_id"}, len(links), func(i int) []any {
		return []any{int64(links[i].user), int64(links[i].agent)}
	})
}

var demographicCols = append([]string{"sourced_id", "status", "date_last_modified", "modified_by", "birth_date",
	"sex"}, append(raceColumns, "country_of_birth_code", "state_of_birth_abbreviation", "city_of_birth",
	"public_school_residence_status", "user_id")...)

func (s *copySink) demographics(ctx context.Context, us []*user) error {
	by := actor.From(ctx)
	return s.copyRows(ctx, "demographics", demographicCols, len(us), func(i int) []any {
		u := us[i]
		d := u.demo
		return []any{u.sid, d.status, stamp(), by, d.birthDate, d.sex, d.race[0], d.race[1], d.race[2], d.race[3],
			d.race[4], d.race[5], d.race[6], d.country, d.state, d.city, d.residence, int64(u.id)}
	})
}

var roleCols = []string{"sourced_id", "status", "date_last_modified", "modified_by", "role", "role_type",
	"user_id", "org_id"}

func (s *copySink) roles(ctx context.Context, rs []*role) error {
	by := actor.From(ctx)
	return s.copyRows(ctx, "roles", roleCols, len(rs), func(i int) []any {
		r := rs[i]
		return []any{r.sid, r.status, stamp(), by, r.role, r.roleType, int64(r.user.id), int64(r.org.id)}
	})
}

var enrollmentCols = []string{"sourced_id", "status", "date_last_modified", "modified_by", "role", "primary",
	"begin_date", "end_date", "user_id", "class_id", "school_id"}

func (s *copySink) enrollments(ctx context.Context, es []*enrollment) error {
	by := actor.From(ctx)
	return s.copyRows(ctx, "enrollments", enrollmentCols, len(es), func(i int) []any {
		e := es[i]
		return []any{e.sid, e.status, stamp(), by, e.role, e.primary, orNil(e.begin), orNil(e.end),
			int64(e.user.id), int64(e.class.id), int64(e.school.id)}
	})
}
