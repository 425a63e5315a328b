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

// AssessmentLineItem is an assessment (or a part of one) whose results are reported (1.2 Assessment Results).
type AssessmentLineItem struct{ ent.Schema }

func (AssessmentLineItem) Mixin() []ent.Mixin { return []ent.Mixin{Record{}} }

func (AssessmentLineItem) Fields() []ent.Field {
	return []ent.Field{
		field.String("title").NotEmpty().Annotations(orderBy("TITLE")),
		field.String("description").Default(""),
		field.Float("result_value_min").Optional().Nillable(),
		field.Float("result_value_max").Optional().Nillable(),
		field.JSON("learning_objective_set", []oneroster.LearningObjectiveSet{}).Optional().Annotations(entgql.Skip()),
		field.Int("class_id").Optional().Nillable(),
		field.Int("parent_id").Optional().Nillable(),
		field.Int("score_scale_id").Optional().Nillable(),
	}
}

func (AssessmentLineItem) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("class", Class.Type).Ref("assessment_line_items").Field("class_id").Unique(),
		edge.To("children", AssessmentLineItem.Type).From("parent").Field("parent_id").Unique(),
		edge.From("score_scale", ScoreScale.Type).Ref("assessment_line_items").Field("score_scale_id").Unique(),
		edge.To("results", AssessmentResult.Type),
	}
}

func (AssessmentLineItem) Annotations() []schema.Annotation { return gql() }

// AssessmentResult is a student's result on an assessment line item.
type AssessmentResult struct{ ent.Schema }

func (AssessmentResult) Mixin() []ent.Mixin { return []ent.Mixin{Record{}} }

func (AssessmentResult) Fields() []ent.Field {
	return append(scoreFields(),
		field.Float("score_percentile").Optional().Nillable(),
		field.Int("assessment_line_item_id"),
		field.Int("student_id"),
		field.Int("score_scale_id").Optional().Nillable(),
	)
}

func (AssessmentResult) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("assessment_line_item", AssessmentLineItem.Type).Ref("results").Field("assessment_line_item_id").Unique().Required(),
		edge.From("student", User.Type).Ref("assessment_results").Field("student_id").Unique().Required(),
		edge.From("score_scale", ScoreScale.Type).Ref("assessment_results").Field("score_scale_id").Unique(),
	}
}

func (AssessmentResult) Indexes() []ent.Index {
	return []ent.Index{index.Fields("assessment_line_item_id"), index.Fields("student_id")}
}

func (AssessmentResult) Annotations() []schema.Annotation { return gql() }
