package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Connection is a vendor's OneRoster connection (the Provisioning tool's "vendor record"): the credentials
// a vendor's system uses, what they may reach, and their lifecycle (active, revoked, renewed).
type Connection struct{ ent.Schema }

func (Connection) Fields() []ent.Field {
	return []ent.Field{
		field.String("vendor_name").NotEmpty().Annotations(orderBy("VENDOR_NAME")),
		field.String("purpose").Default(""),
		field.String("consumer_key").Unique().Immutable().NotEmpty().Annotations(orderBy("CONSUMER_KEY")).
			Comment("The client id: the district's 8-character site prefix, an underscore, the district's part."),
		field.String("secret_hash").Optional().Sensitive().Annotations(entgql.Skip()).
			Comment("SHA-256 of the secret, for checking it; empty once revoked."),
		field.Bytes("secret_encrypted").Optional().Nillable().Sensitive().Annotations(entgql.Skip()).
			Comment("The secret sealed with the server key, for the audited 'show secret'; nil once revoked."),
		field.String("service_account").Unique().Immutable().
			Comment("The connection's own account name: the modified-by of everything the vendor writes."),
		field.Time("expires_at").Annotations(orderBy("EXPIRES_AT")).Comment("Token expiration date: midnight UTC starting that day; tokens are refused from then on."),
		field.Enum("status").Values("active", "revoked").Default("active").Annotations(orderBy("STATUS")),
		field.Bool("enabled").Default(true),
		field.Enum("version").Values("v1p1", "v1p2").Annotations(orderBy("VERSION")).Comment("OneRoster 1.1 or 1.2."),
		field.Bool("partner").Default(false).Comment("The vendor is a Digital Learning Partner: it may write grades."),
		field.Strings("types").Comment("Connection types: roster, gradebook, assessment."),
		field.Bool("demographics").Default(false).Comment("May read demographics."),
		field.Bool("all_schools").Default(true).Comment("All schools, or only the schools listed."),
		field.String("created_by").Default(""),
		field.Time("created_at").Default(time.Now).Immutable().Annotations(orderBy("CREATED_AT")),
		field.Time("updated_at").Default(time.Now).UpdateDefault(time.Now),
		field.Time("revoked_at").Optional().Nillable(),
		field.Time("last_token_at").Optional().Nillable().Comment("When the vendor last obtained a token."),
	}
}

func (Connection) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("schools", Org.Type).Comment("The schools a scoped connection may see."),
	}
}

func (Connection) Annotations() []schema.Annotation { return gql() }

// Setting is one district setting, stored as JSON under its key; package settings gives them types.
type Setting struct{ ent.Schema }

func (Setting) Fields() []ent.Field {
	return []ent.Field{
		field.String("key").Unique().Immutable().NotEmpty(),
		field.String("value").Comment("JSON"),
		field.Time("updated_at").Default(time.Now).UpdateDefault(time.Now),
		field.String("updated_by").Default(""),
	}
}

func (Setting) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
