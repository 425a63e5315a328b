package schema

import (
	"encoding/json"
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// CacheGeneration is one build of the OneRoster cache (package cache): the published projection of the roster
// that vendors read. A generation is built while its status is building, becomes the current one when it is
// marked ready (readers always take the newest ready generation, so they never see a half-built one), is
// retired when a newer one is ready (kept for snapshot paging) and purged (its records deleted) after the
// retention period. A failed build keeps its row, with the error, for the admin's history.
type CacheGeneration struct{ ent.Schema }

func (CacheGeneration) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("status").Values("building", "ready", "failed", "retired").Default("building").
			Annotations(orderBy("STATUS")),
		field.String("triggered_by").Default("").Comment("Who asked: schedule, admin:NAME, cli..."),
		field.Time("started_at").Default(time.Now).Immutable().Annotations(orderBy("STARTED_AT")),
		field.Time("finished_at").Optional().Nillable().Comment("When the build became ready or failed."),
		field.Time("retired_at").Optional().Nillable().Comment("When a newer generation replaced this one."),
		field.Time("purged_at").Optional().Nillable().Comment("When its records were deleted (retention)."),
		field.Time("heartbeat_at").Optional().Nillable().Comment("Last sign of life of a running build."),
		field.Int64("rows_total").Default(0).Comment("Live rows to read, for progress."),
		field.Int64("rows_done").Default(0).Comment("Live rows read so far, for progress."),
		field.JSON("counts", map[string]int64{}).Optional().Annotations(entgql.Type("Map")).
			Comment("Records per collection (and per subset, e.g. users/student12), tombstones included."),
		field.JSON("changes", map[string]int64{}).Optional().Annotations(entgql.Type("Map")).
			Comment("Records per collection whose published content changed versus the previous generation."),
		field.String("error").Default("").Comment("Why the build failed."),
		field.Int64("stamp_ms").Default(0).Annotations(entgql.Skip()).
			Comment("Provisional dateLastModified (Unix ms) of changed records; replaced by the publish time."),
	}
}

func (CacheGeneration) Indexes() []ent.Index {
	return []ent.Index{index.Fields("status"), index.Fields("started_at")}
}

func (CacheGeneration) Annotations() []schema.Annotation { return gql() }

// CacheRecord is one version of one published OneRoster record: the exact JSON object each OneRoster version
// sends (pre-rendered), the values queries filter and sort on, and what decides who may see it. A version is
// shared by the generations gen_from <= G < gen_to (gen_to is a large sentinel while it is current), so a
// refresh writes only what changed. See package cache for the contracts of every column.
type CacheRecord struct{ ent.Schema }

func (CacheRecord) Fields() []ent.Field {
	return []ent.Field{
		field.Int16("collection").Comment("The collection's code (cache.Collection)."),
		field.String("sourced_id").Annotations(byteOrder()),
		field.Int("gen_from").Comment("The first generation this version belongs to."),
		field.Int("gen_to").Comment("The first generation it no longer belongs to (a sentinel while current)."),
		field.String("status").Comment("active or tobedeleted, as published."),
		field.Int64("modified_ms").Comment("The published dateLastModified, Unix milliseconds UTC."),
		field.Int64("hash").Comment("Hash of the published content (dateLastModified excluded)."),
		field.Int32("kinds").Default(0).Comment("Subset bits: school, term, gradingPeriod, student, teacher..."),
		field.Int8("scope").Default(0).Comment("0 every connection; 1 the school in school; 2 the schools linked."),
		field.String("school").Optional().Nillable().Annotations(byteOrder()).Comment("The school's sourcedId when scope is 1."),
		field.String("ref_a").Optional().Nillable().Annotations(byteOrder()).Comment("First parent reference (e.g. an enrollment's class)."),
		field.String("ref_b").Optional().Nillable().Annotations(byteOrder()).Comment("Second parent reference (e.g. an enrollment's user)."),
		field.JSON("doc", json.RawMessage{}).Comment("Filterable and sortable values by published field path."),
		field.Text("body_v1p2").Comment("The OneRoster 1.2 JSON object, hrefs relative to placeholder roots."),
		field.Text("body_v1p1").Optional().Nillable().Comment("The OneRoster 1.1 JSON object; NULL when equal to 1.2."),
	}
}

func (CacheRecord) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("collection", "sourced_id", "gen_to").Unique(),
		index.Fields("collection", "modified_ms"),
		index.Fields("collection", "school"),
		index.Fields("collection", "ref_a"),
		index.Fields("collection", "ref_b"),
		index.Fields("gen_to"),
		index.Fields("gen_from"),
	}
}

func (CacheRecord) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// CacheLink relates a record version to another record's sourcedId when one column cannot: the schools of a
// record seen by several schools (rel school), a class's terms (rel term), what a resource is assigned to
// (rel class, course, user), the schools that lost sight of a record still published (rel gone, with the
// tombstone frozen at the loss). It belongs to the version (collection, sourced_id, rec_from = its gen_from).
type CacheLink struct{ ent.Schema }

func (CacheLink) Fields() []ent.Field {
	return []ent.Field{
		field.Int16("collection"),
		field.String("sourced_id").Annotations(byteOrder()),
		field.Int("rec_from"),
		field.String("rel"),
		field.String("target").Annotations(byteOrder()),
		field.Text("tomb_v1p2").Optional().Nillable().
			Comment("rel gone: the 1.2 tombstone the lost school gets, frozen at the loss (dateLastModified zeroed)."),
		field.Text("tomb_v1p1").Optional().Nillable().Comment("rel gone: the 1.1 tombstone; NULL when equal to 1.2."),
		field.Int64("tomb_ms").Optional().Nillable().Comment("rel gone: the tombstone's dateLastModified (the loss), Unix ms."),
	}
}

func (CacheLink) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("rel", "target", "collection"),
		index.Fields("collection", "sourced_id", "rec_from"),
	}
}

func (CacheLink) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// CacheMark is a sparse position index of a generation: the sourcedId of every thousandth record of a
// collection (or of a subset, bit) in sourcedId order, so that a page at a large offset is an index seek.
type CacheMark struct{ ent.Schema }

func (CacheMark) Fields() []ent.Field {
	return []ent.Field{
		field.Int("generation_id"),
		field.Int16("collection"),
		field.Int32("bit").Comment("The subset's kinds bit, 0 for the whole collection."),
		field.Int64("n").Comment("The mark's number: it is the record at position n * the step."),
		field.String("sourced_id").Annotations(byteOrder()),
	}
}

func (CacheMark) Indexes() []ent.Index {
	return []ent.Index{index.Fields("generation_id", "collection", "bit", "n").Unique()}
}

func (CacheMark) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// CacheLock is a named lease that keeps two cache refreshes from overlapping, also across server processes
// sharing one database: a holder owns the lock until lease_until_ms and extends it while it works; a crashed
// holder's lease simply runs out.
type CacheLock struct{ ent.Schema }

func (CacheLock) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").Unique().Immutable(),
		field.String("holder").Default(""),
		field.Int64("acquired_ms").Default(0),
		field.Int64("lease_until_ms").Default(0),
	}
}

func (CacheLock) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// byteOrder gives a column PostgreSQL's "C" collation: sourcedIds compare and sort by byte, as Go and SQLite
// (whose migrations ignore column collations) do, and indexes compare with memcmp instead of the locale.
func byteOrder() entsql.Annotation { return entsql.Annotation{Collation: "C"} }
