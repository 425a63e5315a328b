package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ImportRun records one CSV bundle import: who ran it, when, from which file, what it changed per entity,
// and every error it found (an import with errors changes nothing).
type ImportRun struct{ ent.Schema }

func (ImportRun) Fields() []ent.Field {
	return []ent.Field{
		field.Time("started_at").Default(time.Now).Immutable().Annotations(orderBy("STARTED_AT")),
		field.Time("finished_at").Optional().Nillable(),
		field.String("actor").Immutable().Comment("Who ran it: admin:NAME, system:cli..."),
		field.String("source").Immutable().Comment("The bundle's file or folder name."),
		field.String("version").Default("").Comment("OneRoster version from the manifest: 1.1 or 1.2."),
		field.Enum("status").Values("running", "succeeded", "failed").Default("running").Annotations(orderBy("STATUS")),
		field.Int64("rows_total").Default(0).Comment("Rows to read, for progress."),
		field.Int64("rows_done").Default(0).Comment("Rows read so far, for progress."),
		field.JSON("counts", map[string]map[string]int{}).Optional().Annotations(entgql.Type("Map")).
			Comment("Per file: created, updated, unchanged, tombstoned."),
		field.JSON("errors", []map[string]any{}).Optional().Annotations(entgql.Skip()).
			Comment("Each error: file, line, column, value, message (the first 1000)."),
		field.Int("error_count").Default(0),
		field.String("message").Default("").Comment("A one-line outcome."),
	}
}

func (ImportRun) Indexes() []ent.Index { return []ent.Index{index.Fields("started_at")} }

func (ImportRun) Annotations() []schema.Annotation { return gql() }
