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

// User is one person: a student, teacher, guardian, aide or administrator. A person has one record whatever
// their roles; each role ties them to an org (see Role).
type User struct{ ent.Schema }

func (User) Mixin() []ent.Mixin { return []ent.Mixin{Record{}, Excludable{}} }

func (User) Fields() []ent.Field {
	return []ent.Field{
		field.String("username").Default("").Annotations(orderBy("USERNAME")),
		field.String("user_master_identifier").Default(""),
		field.JSON("user_ids", []oneroster.UserID{}).Optional().Annotations(entgql.Skip()),
		field.Bool("enabled_user").Default(true),
		field.String("given_name").NotEmpty().Annotations(orderBy("GIVEN_NAME")),
		field.String("family_name").NotEmpty().Annotations(orderBy("FAMILY_NAME")),
		field.String("middle_name").Default(""),
		field.String("preferred_first_name").Default(""),
		field.String("preferred_middle_name").Default(""),
		field.String("preferred_last_name").Default(""),
		field.String("pronouns").Default(""),
		field.String("identifier").Default("").Annotations(orderBy("IDENTIFIER")),
		field.String("email").Default("").Annotations(orderBy("EMAIL")),
		field.String("sms").Default(""),
		field.String("phone").Default(""),
		field.Strings("grades").Optional(),
		field.String("password").Default("").Sensitive().Annotations(noInput()).
			Comment("A password for the user's own use, published only where the standard allows."),
		field.Int("primary_org_id").Optional().Nillable(),
	}
}

func (User) Edges() []ent.Edge {
	return editEdges(
		edge.To("roles", Role.Type),
		edge.To("profiles", UserProfile.Type),
		edge.To("agents", User.Type).From("dependents"),
		edge.From("primary_org", Org.Type).Ref("primary_users").Field("primary_org_id").Unique(),
		edge.To("enrollments", Enrollment.Type).Annotations(entgql.RelayConnection()),
		edge.To("demographics", Demographic.Type).Unique(),
		edge.To("resources", Resource.Type),
		edge.To("results", Result.Type),
		edge.To("assessment_results", AssessmentResult.Type),
	)
}

func (User) Indexes() []ent.Index {
	return []ent.Index{index.Fields("family_name", "given_name"), index.Fields("email")}
}

func (User) Annotations() []schema.Annotation { return editable() }

// Role is one of a user's roles: a role (student, teacher, guardian...) at an org, primary or secondary.
type Role struct{ ent.Schema }

func (Role) Mixin() []ent.Mixin { return []ent.Mixin{Record{}} }

func (Role) Fields() []ent.Field {
	return []ent.Field{
		field.String("role").Validate(oneroster.UserRoles.Validate).Annotations(orderBy("ROLE")),
		field.String("role_type").Default("primary").Validate(oneroster.RoleTypes.Validate),
		field.String("begin_date").Optional().Nillable().Validate(oneroster.ValidateDate),
		field.String("end_date").Optional().Nillable().Validate(oneroster.ValidateDate),
		field.Int("user_id"),
		field.Int("org_id"),
		field.Int("profile_id").Optional().Nillable(),
	}
}

func (Role) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("roles").Field("user_id").Unique().Required(),
		edge.From("org", Org.Type).Ref("roles").Field("org_id").Unique().Required(),
		edge.From("profile", UserProfile.Type).Ref("roles").Field("profile_id").Unique(),
	}
}

func (Role) Indexes() []ent.Index {
	return []ent.Index{index.Fields("user_id"), index.Fields("org_id", "role")}
}

func (Role) Annotations() []schema.Annotation { return gql() }

// UserProfile is a user's account with a vendor's application, with its credentials.
type UserProfile struct{ ent.Schema }

func (UserProfile) Mixin() []ent.Mixin { return []ent.Mixin{Record{}} }

func (UserProfile) Fields() []ent.Field {
	return []ent.Field{
		field.String("profile_type").NotEmpty(),
		field.String("vendor_id").NotEmpty(),
		field.String("application_id").Default(""),
		field.String("description").Default(""),
		field.JSON("credentials", []oneroster.Credential{}).Optional().Sensitive().Annotations(entgql.Skip()),
		field.Int("user_id"),
	}
}

func (UserProfile) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("profiles").Field("user_id").Unique().Required(),
		edge.To("roles", Role.Type),
	}
}

func (UserProfile) Indexes() []ent.Index { return []ent.Index{index.Fields("user_id")} }

func (UserProfile) Annotations() []schema.Annotation { return gql() }
