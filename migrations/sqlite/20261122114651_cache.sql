-- +goose Up
-- create "cache_generations" table
CREATE TABLE `cache_generations` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `status` text NOT NULL DEFAULT ('building'), `triggered_by` text NOT NULL DEFAULT (''), `started_at` datetime NOT NULL, `finished_at` datetime NULL, `retired_at` datetime NULL, `purged_at` datetime NULL, `heartbeat_at` datetime NULL, `rows_total` integer NOT NULL DEFAULT (0), `rows_done` integer NOT NULL DEFAULT (0), `counts` json NULL, `changes` json NULL, `error` text NOT NULL DEFAULT (''), `stamp_ms` integer NOT NULL DEFAULT (0));
-- set sequence for "cache_generations" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("cache_generations", 103079215104);
-- create index "cachegeneration_status" to table: "cache_generations"
CREATE INDEX `cachegeneration_status` ON `cache_generations` (`status`);
-- create index "cachegeneration_started_at" to table: "cache_generations"
CREATE INDEX `cachegeneration_started_at` ON `cache_generations` (`started_at`);
-- create "cache_links" table
CREATE TABLE `cache_links` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `collection` integer NOT NULL, `sourced_id` text NOT NULL, `rec_from` integer NOT NULL, `rel` text NOT NULL, `target` text NOT NULL);
-- set sequence for "cache_links" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("cache_links", 107374182400);
-- create index "cachelink_rel_target_collection" to table: "cache_links"
CREATE INDEX `cachelink_rel_target_collection` ON `cache_links` (`rel`, `target`, `collection`);
-- create index "cachelink_collection_sourced_id_rec_from" to table: "cache_links"
CREATE INDEX `cachelink_collection_sourced_id_rec_from` ON `cache_links` (`collection`, `sourced_id`, `rec_from`);
-- create "cache_locks" table
CREATE TABLE `cache_locks` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `holder` text NOT NULL DEFAULT (''), `acquired_ms` integer NOT NULL DEFAULT (0), `lease_until_ms` integer NOT NULL DEFAULT (0));
-- set sequence for "cache_locks" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("cache_locks", 111669149696);
-- create index "cache_locks_name_key" to table: "cache_locks"
CREATE UNIQUE INDEX `cache_locks_name_key` ON `cache_locks` (`name`);
-- create "cache_marks" table
CREATE TABLE `cache_marks` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `generation_id` integer NOT NULL, `collection` integer NOT NULL, `bit` integer NOT NULL, `n` integer NOT NULL, `sourced_id` text NOT NULL);
-- set sequence for "cache_marks" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("cache_marks", 120259084288);
-- create index "cachemark_generation_id_collection_bit_n" to table: "cache_marks"
CREATE UNIQUE INDEX `cachemark_generation_id_collection_bit_n` ON `cache_marks` (`generation_id`, `collection`, `bit`, `n`);
-- create "cache_records" table
CREATE TABLE `cache_records` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `collection` integer NOT NULL, `sourced_id` text NOT NULL, `gen_from` integer NOT NULL, `gen_to` integer NOT NULL, `status` text NOT NULL, `modified_ms` integer NOT NULL, `hash` integer NOT NULL, `kinds` integer NOT NULL DEFAULT (0), `scope` integer NOT NULL DEFAULT (0), `school` text NULL, `ref_a` text NULL, `ref_b` text NULL, `doc` json NOT NULL, `body_v1p2` text NOT NULL, `body_v1p1` text NULL);
-- set sequence for "cache_records" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("cache_records", 115964116992);
-- create index "cacherecord_collection_sourced_id_gen_to" to table: "cache_records"
CREATE UNIQUE INDEX `cacherecord_collection_sourced_id_gen_to` ON `cache_records` (`collection`, `sourced_id`, `gen_to`);
-- create index "cacherecord_collection_modified_ms" to table: "cache_records"
CREATE INDEX `cacherecord_collection_modified_ms` ON `cache_records` (`collection`, `modified_ms`);
-- create index "cacherecord_collection_school" to table: "cache_records"
CREATE INDEX `cacherecord_collection_school` ON `cache_records` (`collection`, `school`);
-- create index "cacherecord_collection_ref_a" to table: "cache_records"
CREATE INDEX `cacherecord_collection_ref_a` ON `cache_records` (`collection`, `ref_a`);
-- create index "cacherecord_collection_ref_b" to table: "cache_records"
CREATE INDEX `cacherecord_collection_ref_b` ON `cache_records` (`collection`, `ref_b`);
-- create index "cacherecord_gen_to" to table: "cache_records"
CREATE INDEX `cacherecord_gen_to` ON `cache_records` (`gen_to`);
-- create index "cacherecord_gen_from" to table: "cache_records"
CREATE INDEX `cacherecord_gen_from` ON `cache_records` (`gen_from`);

-- +goose Down
-- reverse: create index "cacherecord_gen_from" to table: "cache_records"
DROP INDEX `cacherecord_gen_from`;
-- reverse: create index "cacherecord_gen_to" to table: "cache_records"
DROP INDEX `cacherecord_gen_to`;
-- reverse: create index "cacherecord_collection_ref_b" to table: "cache_records"
DROP INDEX `cacherecord_collection_ref_b`;
-- reverse: create index "cacherecord_collection_ref_a" to table: "cache_records"
DROP INDEX `cacherecord_collection_ref_a`;
-- reverse: create index "cacherecord_collection_school" to table: "cache_records"
DROP INDEX `cacherecord_collection_school`;
-- reverse: create index "cacherecord_collection_modified_ms" to table: "cache_records"
DROP INDEX `cacherecord_collection_modified_ms`;
-- reverse: create index "cacherecord_collection_sourced_id_gen_to" to table: "cache_records"
DROP INDEX `cacherecord_collection_sourced_id_gen_to`;
-- reverse: set sequence for "cache_records" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "cache_records";
-- reverse: create "cache_records" table
DROP TABLE `cache_records`;
-- reverse: create index "cachemark_generation_id_collection_bit_n" to table: "cache_marks"
DROP INDEX `cachemark_generation_id_collection_bit_n`;
-- reverse: set sequence for "cache_marks" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "cache_marks";
-- reverse: create "cache_marks" table
DROP TABLE `cache_marks`;
-- reverse: create index "cache_locks_name_key" to table: "cache_locks"
DROP INDEX `cache_locks_name_key`;
-- reverse: set sequence for "cache_locks" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "cache_locks";
-- reverse: create "cache_locks" table
DROP TABLE `cache_locks`;
-- reverse: create index "cachelink_collection_sourced_id_rec_from" to table: "cache_links"
DROP INDEX `cachelink_collection_sourced_id_rec_from`;
-- reverse: create index "cachelink_rel_target_collection" to table: "cache_links"
DROP INDEX `cachelink_rel_target_collection`;
-- reverse: set sequence for "cache_links" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "cache_links";
-- reverse: create "cache_links" table
DROP TABLE `cache_links`;
-- reverse: create index "cachegeneration_started_at" to table: "cache_generations"
DROP INDEX `cachegeneration_started_at`;
-- reverse: create index "cachegeneration_status" to table: "cache_generations"
DROP INDEX `cachegeneration_status`;
-- reverse: set sequence for "cache_generations" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "cache_generations";
-- reverse: create "cache_generations" table
DROP TABLE `cache_generations`;
