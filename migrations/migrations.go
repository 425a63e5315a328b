// Package migrations holds Rollcall's versioned schema migrations, one folder per dialect (postgres/,
// sqlite/), generated from the ent schema by `go run ./migrations/gen NAME` and applied at start-up by
// package store. Never edit a released migration: add a new one.
package migrations

import "embed"

// FS holds postgres/*.sql and sqlite/*.sql.
//
//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS
