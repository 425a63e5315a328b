package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// AdminAccount is a person who signs in to the admin app or GraphQL, with one role: the SIS product
// security role (may provision connections and reveal secrets), analyst (read-only GraphQL), or auditor.
type AdminAccount struct{ ent.Schema }

func (AdminAccount) Fields() []ent.Field {
	return []ent.Field{
		field.String("username").Unique().NotEmpty().Annotations(orderBy("USERNAME")),
		field.String("display_name").Default(""),
		field.Enum("role").Values("sis_admin", "analyst", "auditor"),
		field.String("password_hash").Sensitive().Annotations(entgql.Skip()).Comment("argon2id, PHC string format."),
		field.Bool("disabled").Default(false),
		field.Time("created_at").Default(time.Now).Immutable(),
		field.Time("last_sign_in_at").Optional().Nillable(),
	}
}

func (AdminAccount) Edges() []ent.Edge {
	return []ent.Edge{edge.To("api_clients", APIClient.Type)}
}

func (AdminAccount) Annotations() []schema.Annotation { return gql() }

// APIClient lets analysts and automation reach GraphQL without a browser: client credentials bound to an
// admin account, whose role they carry.
type APIClient struct{ ent.Schema }

func (APIClient) Fields() []ent.Field {
	return []ent.Field{
		field.String("client_id").Unique().Immutable().NotEmpty(),
		field.String("name").NotEmpty(),
		field.String("secret_hash").Sensitive().Annotations(entgql.Skip()),
		field.Time("created_at").Default(time.Now).Immutable(),
		field.String("created_by").Default(""),
		field.Time("revoked_at").Optional().Nillable(),
		field.Time("last_used_at").Optional().Nillable(),
		field.Int("account_id"),
	}
}

func (APIClient) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("account", AdminAccount.Type).Ref("api_clients").Field("account_id").Unique().Required(),
	}
}

func (APIClient) Annotations() []schema.Annotation { return gql() }

// AuditEvent records one admin action, sign-in, secret reveal or vendor write: who, what, when, from where.
type AuditEvent struct{ ent.Schema }

func (AuditEvent) Fields() []ent.Field {
	return []ent.Field{
		field.Time("at").Default(time.Now).Immutable().Annotations(orderBy("AT")),
		field.String("actor").Immutable().Annotations(orderBy("ACTOR")).Comment("admin:NAME, vendor:ACCOUNT, system..."),
		field.String("action").Immutable().Annotations(orderBy("ACTION")).Comment("e.g. connection.create, secret.reveal, signin.failure"),
		field.String("target").Default("").Immutable().Comment("What was acted on, e.g. connection:LAKESIDE_canvas"),
		field.JSON("detail", map[string]any{}).Optional().Immutable().Annotations(entgql.Type("Map")),
		field.String("remote_addr").Default("").Immutable(),
	}
}

func (AuditEvent) Indexes() []ent.Index {
	return []ent.Index{index.Fields("at"), index.Fields("actor", "at"), index.Fields("action", "at")}
}

func (AuditEvent) Annotations() []schema.Annotation { return gql() }

// SigningKey is a key the OAuth 2 provider signs tokens with. Private keys are sealed with the server key.
// Keys rotate with overlap: a new key starts signing while the previous one is still published for
// verification until every token it signed has expired.
type SigningKey struct{ ent.Schema }

func (SigningKey) Fields() []ent.Field {
	return []ent.Field{
		field.String("kid").Unique().Immutable(),
		field.String("algorithm").Immutable(),
		field.Bytes("private_key_encrypted").Sensitive().Immutable(),
		field.Bytes("public_key").Immutable().Comment("PKIX DER"),
		field.Time("created_at").Default(time.Now).Immutable(),
		field.Time("signs_until").Comment("After this the key no longer signs new tokens."),
		field.Time("verifies_until").Comment("After this the key is no longer published or accepted."),
	}
}

func (SigningKey) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// AuthRequest is an in-flight authorization-code sign-in of the admin app (PKCE), kept in the database so
// that any server process can finish it.
type AuthRequest struct{ ent.Schema }

func (AuthRequest) Fields() []ent.Field {
	return []ent.Field{
		field.String("request_id").Unique().Immutable(),
		field.String("client_id"),
		field.String("redirect_uri"),
		field.String("state").Default(""),
		field.String("nonce").Default(""),
		field.Strings("scopes").Optional(),
		field.String("response_type").Default("code"),
		field.String("response_mode").Default(""),
		field.String("code_challenge").Default(""),
		field.String("code_challenge_method").Default(""),
		field.String("code").Optional().Nillable().Unique(),
		field.String("subject").Default("").Comment("The admin account's username once signed in."),
		field.Time("auth_time").Optional().Nillable(),
		field.Bool("done").Default(false),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

func (AuthRequest) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
