package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Course is a course of study, offered by an org, taught through classes.
type Course struct{ ent.Schema }

func (Course) Mixin() []ent.Mixin { return []ent.Mixin{Record{}, Excludable{}} }

func (Course) Fields() []ent.Field {
	return []ent.Field{
		field.String("title").NotEmpty().Annotations(orderBy("TITLE")),
		field.String("course_code").Default("").Annotations(orderBy("COURSE_CODE")),
		field.Strings("grades").Optional(),
		field.Strings("subjects").Optional(),
		field.Strings("subject_codes").Optional(),
		field.Int("org_id").Optional().Nillable(),
		field.Int("school_year_id").Optional().Nillable(),
	}
}

func (Course) Edges() []ent.Edge {
	return editEdges(
		edge.From("org", Org.Type).Ref("courses").Field("org_id").Unique(),
		edge.From("school_year", AcademicSession.Type).Ref("courses").Field("school_year_id").Unique(),
		edge.To("classes", Class.Type),
		edge.To("resources", Resource.Type),
		edge.To("score_scales", ScoreScale.Type),
	)
}

func (Course) Annotations() []schema.Annotation { return editable() }
