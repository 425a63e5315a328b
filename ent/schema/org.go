package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/rollcall/rollcall/oneroster"
)

// Org is an organization: the district, its schools, departments, and the state or national bodies above.
type Org struct{ ent.Schema }

func (Org) Mixin() []ent.Mixin { return []ent.Mixin{Record{}, Excludable{}} }

func (Org) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().Annotations(orderBy("NAME")),
		field.String("type").Validate(oneroster.OrgTypes.Validate).Annotations(orderBy("TYPE")),
		field.String("identifier").Default("").Comment("An external identifier such as the NCES id."),
		field.Int("parent_id").Optional().Nillable(),
	}
}

func (Org) Edges() []ent.Edge {
	return editEdges(
		edge.To("children", Org.Type).Annotations(entgql.RelayConnection()).From("parent").Field("parent_id").Unique(),
		edge.To("courses", Course.Type),
		edge.To("classes", Class.Type).Annotations(entgql.RelayConnection()),
		edge.To("enrollments", Enrollment.Type).Annotations(entgql.RelayConnection()),
		edge.To("roles", Role.Type).Annotations(entgql.RelayConnection()),
		edge.To("academic_sessions", AcademicSession.Type),
		edge.To("primary_users", User.Type),
		edge.To("line_items", LineItem.Type),
		edge.From("connections", Connection.Type).Ref("schools").Comment("Connections scoped to this school."),
	)
}

func (Org) Indexes() []ent.Index { return []ent.Index{index.Fields("type")} }

func (Org) Annotations() []schema.Annotation { return editable() }
