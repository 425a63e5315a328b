package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/rollcall/rollcall/oneroster"
)

// Enrollment puts a user in a class at a school, as a student, teacher, proctor or administrator.
type Enrollment struct{ ent.Schema }

func (Enrollment) Mixin() []ent.Mixin { return []ent.Mixin{Record{}, Excludable{}} }

func (Enrollment) Fields() []ent.Field {
	return []ent.Field{
		field.String("role").Validate(oneroster.EnrollmentRoles.Validate).Annotations(orderBy("ROLE")),
		field.Bool("primary").Default(false).Comment("Teachers only: the class's primary teacher."),
		field.String("begin_date").Optional().Nillable().Validate(oneroster.ValidateDate),
		field.String("end_date").Optional().Nillable().Validate(oneroster.ValidateDate),
		field.Int("user_id"),
		field.Int("class_id"),
		field.Int("school_id"),
	}
}

func (Enrollment) Edges() []ent.Edge {
	return editEdges(
		edge.From("user", User.Type).Ref("enrollments").Field("user_id").Unique().Required(),
		edge.From("class", Class.Type).Ref("enrollments").Field("class_id").Unique().Required(),
		edge.From("school", Org.Type).Ref("enrollments").Field("school_id").Unique().Required(),
	)
}

func (Enrollment) Indexes() []ent.Index {
	return []ent.Index{index.Fields("class_id", "role"), index.Fields("user_id"), index.Fields("school_id")}
}

func (Enrollment) Annotations() []schema.Annotation { return editable() }
