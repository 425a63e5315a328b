package schema

import (
	"context"
	"errors"
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"entgo.io/ent/schema/mixin"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/oneroster"
)

// Record is the mixin every OneRoster entity shares: the immutable sourcedId, the status that turns a record
// into a tombstone instead of deleting it, dateLastModified (maintained by a hook, never by callers), the
// free-form metadata object, and who last modified the row.
type Record struct{ mixin.Schema }

// Fields of every OneRoster record.
func (Record) Fields() []ent.Field {
	return []ent.Field{
		field.String("sourced_id").Unique().Immutable().Validate(oneroster.ValidateSourcedID).
			Annotations(entgql.OrderField("SOURCED_ID")).
			Comment("The OneRoster identifier; never changes once assigned."),
		field.String("status").Default(oneroster.StatusActive).Validate(oneroster.Statuses.Validate).
			Annotations(entgql.OrderField("STATUS")).
			Comment("active, or tobedeleted for a tombstone."),
		field.Time("date_last_modified").Annotations(entgql.OrderField("DATE_LAST_MODIFIED"), noInput()).
			Comment("Set on every change by the record hook, in UTC with millisecond precision."),
		field.JSON("metadata", map[string]any{}).Optional().Annotations(entgql.Type("Map")).
			Comment("Extensions, published as the OneRoster metadata object."),
		field.String("modified_by").Default(actor.System).Annotations(noInput()).
			Comment("Who made the last change: admin:NAME, import:ID, vendor:SERVICE_ACCOUNT or system."),
	}
}

// Indexes of every OneRoster record: delta syncs filter on dateLastModified.
func (Record) Indexes() []ent.Index {
	return []ent.Index{index.Fields("date_last_modified")}
}

// Hooks of every OneRoster record.
func (Record) Hooks() []ent.Hook {
	return []ent.Hook{stampRecord, softDelete}
}

// ErrSourcedIDImmutable is returned by any update that tries to change a sourcedId.
var ErrSourcedIDImmutable = errors.New("sourcedId cannot be changed once assigned")

// Now is the clock of the record hook; tests may replace it.
var Now = func() time.Time { return time.Now() }

// stampRecord refuses a changed sourcedId and stamps dateLastModified and modifiedBy on every create and update.
func stampRecord(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		if !m.Op().Is(ent.OpCreate | ent.OpUpdate | ent.OpUpdateOne) {
			return next.Mutate(ctx, m)
		}
		if m.Op().Is(ent.OpUpdate | ent.OpUpdateOne) {
			if _, changed := m.Field("sourced_id"); changed {
				return nil, ErrSourcedIDImmutable
			}
		}
		if err := m.SetField("date_last_modified", Now().UTC().Truncate(time.Millisecond)); err != nil {
			return nil, err
		}
		if err := m.SetField("modified_by", actor.From(ctx)); err != nil {
			return nil, err
		}
		return next.Mutate(ctx, m)
	})
}

// Excludable is the mixin of records that carry the External LMS Exclude flag: an excluded record, and what
// hangs beneath it, is not published to vendors.
type Excludable struct{ mixin.Schema }

// Fields of excludable records.
func (Excludable) Fields() []ent.Field {
	return []ent.Field{
		field.Bool("external_lms_exclude").Default(false).
			Comment("External LMS Exclude: hide this record and everything beneath it from the OneRoster API."),
	}
}

// gql is the GraphQL exposure shared by the OneRoster entities: a Relay connection on the Query type.
func gql() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection()}
}

// editable adds the GraphQL create and update inputs of a roster entity (the admin API's roster mutations).
// Only its own fields and the edges it holds a foreign key for are in the inputs (see editEdges).
func editable() []schema.Annotation {
	return append(gql(), entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()))
}

// noInput keeps a field or edge out of the GraphQL mutation inputs.
func noInput() entgql.Annotation {
	return entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)
}

// editEdges keeps the edges of an editable entity that it holds no foreign key for (children, enrollments,
// many-to-many links) out of its mutation inputs: an admin edits a record's own fields and parents, not the
// records that hang beneath it.
func editEdges(edges ...ent.Edge) []ent.Edge {
	for _, e := range edges {
		d := e.Descriptor()
		if d.Field == "" {
			d.Annotations = append(d.Annotations, noInput())
		}
		if d.Ref != nil && d.Ref.Field == "" { // edge.To(...).From(...): the To side is in d.Ref
			d.Ref.Annotations = append(d.Ref.Annotations, noInput())
		}
	}
	return edges
}

// orderBy exposes a field as a GraphQL order field.
func orderBy(name string) entgql.Annotation { return entgql.OrderField(name) }
