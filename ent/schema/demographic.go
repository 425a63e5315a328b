package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/rollcall/rollcall/oneroster"
)

// Demographic holds a user's demographics; by the standard's rule it shares the user's sourcedId.
type Demographic struct{ ent.Schema }

func (Demographic) Mixin() []ent.Mixin { return []ent.Mixin{Record{}} }

func (Demographic) Fields() []ent.Field {
	return []ent.Field{
		field.String("birth_date").Optional().Nillable().Validate(oneroster.ValidateDate),
		field.String("sex").Optional().Nillable().Validate(oneroster.Sexes.Validate),
		field.Bool("american_indian_or_alaska_native").Optional().Nillable(),
		field.Bool("asian").Optional().Nillable(),
		field.Bool("black_or_african_american").Optional().Nillable(),
		field.Bool("native_hawaiian_or_other_pacific_islander").Optional().Nillable(),
		field.Bool("white").Optional().Nillable(),
		field.Bool("demographic_race_two_or_more_races").Optional().Nillable(),
		field.Bool("hispanic_or_latino_ethnicity").Optional().Nillable(),
		field.String("country_of_birth_code").Default(""),
		field.String("state_of_birth_abbreviation").Default(""),
		field.String("city_of_birth").Default(""),
		field.String("public_school_residence_status").Default(""),
		field.Int("user_id").Optional().Nillable(),
	}
}

func (Demographic) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("demographics").Field("user_id").Unique(),
	}
}

func (Demographic) Annotations() []schema.Annotation { return gql() }
