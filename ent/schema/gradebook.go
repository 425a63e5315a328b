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

// Category groups line items (homework, tests...), optionally with a weight.
type Category struct{ ent.Schema }

func (Category) Mixin() []ent.Mixin { return []ent.Mixin{Record{}} }

func (Category) Fields() []ent.Field {
	return []ent.Field{
		field.String("title").NotEmpty().Annotations(orderBy("TITLE")),
		field.Float("weight").Optional().Nillable(),
		field.Int("class_id").Optional().Nillable().Comment("The class the category was created for, if any."),
	}
}

func (Category) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("class", Class.Type).Ref("categories").Field("class_id").Unique(),
		edge.To("line_items", LineItem.Type),
	}
}

func (Category) Annotations() []schema.Annotation { return gql() }

// LineItem is an assignment or other gradable item of a class.
type LineItem struct{ ent.Schema }

func (LineItem) Mixin() []ent.Mixin { return []ent.Mixin{Record{}} }

func (LineItem) Fields() []ent.Field {
	return []ent.Field{
		field.String("title").NotEmpty().Annotations(orderBy("TITLE")),
		field.String("description").Default(""),
		field.Time("assign_date"),
		field.Time("due_date").Annotations(orderBy("DUE_DATE")),
		field.Float("result_value_min").Optional().Nillable(),
		field.Float("result_value_max").Optional().Nillable(),
		field.JSON("learning_objective_set", []oneroster.LearningObjectiveSet{}).Optional().Annotations(entgql.Skip()),
		field.Int("class_id"),
		field.Int("school_id").Optional().Nillable(),
		field.Int("category_id").Optional().Nillable(),
		field.Int("academic_session_id").Optional().Nillable().Comment("The grading period or other session."),
		field.Int("score_scale_id").Optional().Nillable(),
	}
}

func (LineItem) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("class", Class.Type).Ref("line_items").Field("class_id").Unique().Required(),
		edge.From("school", Org.Type).Ref("line_items").Field("school_id").Unique(),
		edge.From("category", Category.Type).Ref("line_items").Field("category_id").Unique(),
		edge.From("academic_session", AcademicSession.Type).Ref("line_items").Field("academic_session_id").Unique(),
		edge.From("score_scale", ScoreScale.Type).Ref("line_items").Field("score_scale_id").Unique(),
		edge.To("results", Result.Type).Annotations(entgql.RelayConnection()),
	}
}

func (LineItem) Indexes() []ent.Index { return []ent.Index{index.Fields("class_id")} }

func (LineItem) Annotations() []schema.Annotation { return gql() }

// Result is a student's score on a line item.
type Result struct{ ent.Schema }

func (Result) Mixin() []ent.Mixin { return []ent.Mixin{Record{}} }

func (Result) Fields() []ent.Field {
	return append(scoreFields(),
		field.Int("line_item_id"),
		field.Int("student_id"),
		field.Int("class_id").Optional().Nillable(),
		field.Int("score_scale_id").Optional().Nillable(),
	)
}

func (Result) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("line_item", LineItem.Type).Ref("results").Field("line_item_id").Unique().Required(),
		edge.From("student", User.Type).Ref("results").Field("student_id").Unique().Required(),
		edge.From("class", Class.Type).Ref("results").Field("class_id").Unique(),
		edge.From("score_scale", ScoreScale.Type).Ref("results").Field("score_scale_id").Unique(),
	}
}

func (Result) Indexes() []ent.Index {
	return []ent.Index{index.Fields("line_item_id"), index.Fields("student_id")}
}

func (Result) Annotations() []schema.Annotation { return gql() }

// scoreFields are the fields a result and an assessment result share.
func scoreFields() []ent.Field {
	return []ent.Field{
		field.String("score_status").Validate(oneroster.ScoreStatuses.Validate),
		field.Float("score").Optional().Nillable().Comment("Kept as sent, also above resultValueMax."),
		field.String("text_score").Default(""),
		field.String("score_date").Validate(oneroster.ValidateDate),
		field.String("comment").Default(""),
		field.JSON("learning_objective_set", []oneroster.LearningObjectiveScoreSet{}).Optional().Annotations(entgql.Skip()),
		field.Bool("in_progress").Optional().Nillable(),
		field.Bool("incomplete").Optional().Nillable(),
		field.Bool("late").Optional().Nillable(),
		field.Bool("missing").Optional().Nillable(),
	}
}

// ScoreScale maps scores to another scale (letter grades, levels...) for a class.
type ScoreScale struct{ ent.Schema }

func (ScoreScale) Mixin() []ent.Mixin { return []ent.Mixin{Record{}} }

func (ScoreScale) Fields() []ent.Field {
	return []ent.Field{
		field.String("title").NotEmpty().Annotations(orderBy("TITLE")),
		field.String("type").NotEmpty(),
		field.JSON("score_scale_value", []oneroster.ScoreScaleValue{}).Annotations(entgql.Skip()),
		field.Int("class_id").Optional().Nillable(),
		field.Int("course_id").Optional().Nillable(),
	}
}

func (ScoreScale) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("class", Class.Type).Ref("score_scales").Field("class_id").Unique(),
		edge.From("course", Course.Type).Ref("score_scales").Field("course_id").Unique(),
		edge.To("line_items", LineItem.Type),
		edge.To("results", Result.Type),
		edge.To("assessment_line_items", AssessmentLineItem.Type),
		edge.To("assessment_results", AssessmentResult.Type),
	}
}

func (ScoreScale) Annotations() []schema.Annotation { return gql() }
