-- +goose Up
-- create "import_runs" table
CREATE TABLE `import_runs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `started_at` datetime NOT NULL, `finished_at` datetime NULL, `actor` text NOT NULL, `source` text NOT NULL, `version` text NOT NULL DEFAULT (''), `status` text NOT NULL DEFAULT ('running'), `rows_total` integer NOT NULL DEFAULT (0), `rows_done` integer NOT NULL DEFAULT (0), `counts` json NULL, `errors` json NULL, `error_count` integer NOT NULL DEFAULT (0), `message` text NOT NULL DEFAULT (''));
-- set sequence for "import_runs" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("import_runs", 98784247808);
-- create index "importrun_started_at" to table: "import_runs"
CREATE INDEX `importrun_started_at` ON `import_runs` (`started_at`);

-- +goose Down
-- reverse: create index "importrun_started_at" to table: "import_runs"
DROP INDEX `importrun_started_at`;
-- reverse: set sequence for "import_runs" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "import_runs";
-- reverse: create "import_runs" table
DROP TABLE `import_runs`;
