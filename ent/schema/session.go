package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/rollcall/rollcall/oneroster"
)

// AcademicSession is a school year, semester, term or grading period; sessions nest through parent/children.
type AcademicSession struct{ ent.Schema }

func (AcademicSession) Mixin() []ent.Mixin { return []ent.Mixin{Record{}, Excludable{}} }

func (AcademicSession) Fields() []ent.Field {
	return []ent.Field{
		field.String("title").NotEmpty().Annotations(orderBy("TITLE")),
		field.String("type").Validate(oneroster.SessionTypes.Validate).Annotations(orderBy("TYPE")),
		field.String("start_date").Validate(oneroster.ValidateDate).Annotations(orderBy("START_DATE")).
			Comment("Inclusive, YYYY-MM-DD."),
		field.String("end_date").Validate(oneroster.ValidateDate).Comment("Exclusive, YYYY-MM-DD."),
		field.String("school_year").Validate(oneroster.ValidateYear).Comment("The year the school year ends."),
		field.Int("parent_id").Optional().Nillable(),
		field.Int("org_id").Optional().Nillable().Comment("The school or district whose calendar this is."),
	}
}

func (AcademicSession) Edges() []ent.Edge {
	return editEdges(
		edge.To("children", AcademicSession.Type).From("parent").Field("parent_id").Unique(),
		edge.From("org", Org.Type).Ref("academic_sessions").Field("org_id").Unique(),
		edge.From("classes", Class.Type).Ref("terms"),
		edge.To("courses", Course.Type),
		edge.To("line_items", LineItem.Type),
	)
}

func (AcademicSession) Indexes() []ent.Index { return []ent.Index{index.Fields("type")} }

func (AcademicSession) Annotations() []schema.Annotation { return editable() }
