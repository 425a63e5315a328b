-- +goose Up
-- add column "tomb_v1p2" to table: "cache_links"
ALTER TABLE `cache_links` ADD COLUMN `tomb_v1p2` text NULL;
-- add column "tomb_v1p1" to table: "cache_links"
ALTER TABLE `cache_links` ADD COLUMN `tomb_v1p1` text NULL;
-- add column "tomb_ms" to table: "cache_links"
ALTER TABLE `cache_links` ADD COLUMN `tomb_ms` integer NULL;

-- +goose Down
-- reverse: add column "tomb_ms" to table: "cache_links"
ALTER TABLE `cache_links` DROP COLUMN `tomb_ms`;
-- reverse: add column "tomb_v1p1" to table: "cache_links"
ALTER TABLE `cache_links` DROP COLUMN `tomb_v1p1`;
-- reverse: add column "tomb_v1p2" to table: "cache_links"
ALTER TABLE `cache_links` DROP COLUMN `tomb_v1p2`;
