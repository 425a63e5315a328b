package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/rollcall/rollcall/oneroster"
)

// Resource is a piece of vendor content (a course pack, an app) assigned to classes, courses or users.
type Resource struct{ ent.Schema }

func (Resource) Mixin() []ent.Mixin { return []ent.Mixin{Record{}} }

func (Resource) Fields() []ent.Field {
	return []ent.Field{
		field.String("title").Default("").Annotations(orderBy("TITLE")),
		field.Strings("roles").Optional(),
		field.String("importance").Optional().Nillable().Validate(oneroster.Importances.Validate),
		field.String("vendor_resource_id").NotEmpty(),
		field.String("vendor_id").Default(""),
		field.String("application_id").Default(""),
	}
}

func (Resource) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("classes", Class.Type).Ref("resources"),
		edge.From("courses", Course.Type).Ref("resources"),
		edge.From("users", User.Type).Ref("resources"),
	}
}

func (Resource) Annotations() []schema.Annotation { return gql() }
