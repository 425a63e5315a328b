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

// Class is a section: one offering of a course at a school, in one or more terms.
type Class struct{ ent.Schema }

func (Class) Mixin() []ent.Mixin { return []ent.Mixin{Record{}, Excludable{}} }

func (Class) Fields() []ent.Field {
	return []ent.Field{
		field.String("title").NotEmpty().Annotations(orderBy("TITLE")),
		field.String("class_code").Default("").Annotations(orderBy("CLASS_CODE")),
		field.String("class_type").Default("scheduled").Validate(oneroster.ClassTypes.Validate),
		field.String("location").Default(""),
		field.Strings("grades").Optional(),
		field.Strings("subjects").Optional(),
		field.Strings("subject_codes").Optional(),
		field.Strings("periods").Optional(),
		field.Int("course_id"),
		field.Int("school_id"),
	}
}

func (Class) Edges() []ent.Edge {
	return editEdges(
		edge.From("course", Course.Type).Ref("classes").Field("course_id").Unique().Required(),
		edge.From("school", Org.Type).Ref("classes").Field("school_id").Unique().Required(),
		edge.To("terms", AcademicSession.Type),
		edge.To("enrollments", Enrollment.Type).Annotations(entgql.RelayConnection()),
		edge.To("resources", Resource.Type),
		edge.To("categories", Category.Type),
		edge.To("line_items", LineItem.Type),
		edge.To("results", Result.Type).Annotations(entgql.RelayConnection()),
		edge.To("score_scales", ScoreScale.Type),
		edge.To("assessment_line_items", AssessmentLineItem.Type),
	)
}

func (Class) Indexes() []ent.Index {
	return []ent.Index{index.Fields("school_id"), index.Fields("course_id")}
}

func (Class) Annotations() []schema.Annotation { return editable() }
