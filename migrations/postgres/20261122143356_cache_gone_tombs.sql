-- +goose Up
-- modify "cache_links" table
ALTER TABLE "cache_links" ADD COLUMN "tomb_v1p2" text NULL, ADD COLUMN "tomb_v1p1" text NULL, ADD COLUMN "tomb_ms" bigint NULL;

-- +goose Down
-- reverse: modify "cache_links" table
ALTER TABLE "cache_links" DROP COLUMN "tomb_ms", DROP COLUMN "tomb_v1p1", DROP COLUMN "tomb_v1p2";
