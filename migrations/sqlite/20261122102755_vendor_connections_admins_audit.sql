-- +goose Up
-- create "api_clients" table
CREATE TABLE `api_clients` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `client_id` text NOT NULL, `name` text NOT NULL, `secret_hash` text NOT NULL, `created_at` datetime NOT NULL, `created_by` text NOT NULL DEFAULT (''), `revoked_at` datetime NULL, `last_used_at` datetime NULL, `account_id` integer NOT NULL, CONSTRAINT `api_clients_admin_accounts_api_clients` FOREIGN KEY (`account_id`) REFERENCES `admin_accounts` (`id`) ON DELETE NO ACTION);
-- set sequence for "api_clients" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("api_clients", 68719476736);
-- create index "api_clients_client_id_key" to table: "api_clients"
CREATE UNIQUE INDEX `api_clients_client_id_key` ON `api_clients` (`client_id`);
-- create "admin_accounts" table
CREATE TABLE `admin_accounts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `username` text NOT NULL, `display_name` text NOT NULL DEFAULT (''), `role` text NOT NULL, `password_hash` text NOT NULL, `disabled` bool NOT NULL DEFAULT (false), `created_at` datetime NOT NULL, `last_sign_in_at` datetime NULL);
-- set sequence for "admin_accounts" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("admin_accounts", 73014444032);
-- create index "admin_accounts_username_key" to table: "admin_accounts"
CREATE UNIQUE INDEX `admin_accounts_username_key` ON `admin_accounts` (`username`);
-- create "audit_events" table
CREATE TABLE `audit_events` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `at` datetime NOT NULL, `actor` text NOT NULL, `action` text NOT NULL, `target` text NOT NULL DEFAULT (''), `detail` json NULL, `remote_addr` text NOT NULL DEFAULT (''));
-- set sequence for "audit_events" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("audit_events", 77309411328);
-- create index "auditevent_at" to table: "audit_events"
CREATE INDEX `auditevent_at` ON `audit_events` (`at`);
-- create index "auditevent_actor_at" to table: "audit_events"
CREATE INDEX `auditevent_actor_at` ON `audit_events` (`actor`, `at`);
-- create index "auditevent_action_at" to table: "audit_events"
CREATE INDEX `auditevent_action_at` ON `audit_events` (`action`, `at`);
-- create "auth_requests" table
CREATE TABLE `auth_requests` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `request_id` text NOT NULL, `client_id` text NOT NULL, `redirect_uri` text NOT NULL, `state` text NOT NULL DEFAULT (''), `nonce` text NOT NULL DEFAULT (''), `scopes` json NULL, `response_type` text NOT NULL DEFAULT ('code'), `response_mode` text NOT NULL DEFAULT (''), `code_challenge` text NOT NULL DEFAULT (''), `code_challenge_method` text NOT NULL DEFAULT (''), `code` text NULL, `subject` text NOT NULL DEFAULT (''), `auth_time` datetime NULL, `done` bool NOT NULL DEFAULT (false), `created_at` datetime NOT NULL);
-- set sequence for "auth_requests" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("auth_requests", 81604378624);
-- create index "auth_requests_request_id_key" to table: "auth_requests"
CREATE UNIQUE INDEX `auth_requests_request_id_key` ON `auth_requests` (`request_id`);
-- create index "auth_requests_code_key" to table: "auth_requests"
CREATE UNIQUE INDEX `auth_requests_code_key` ON `auth_requests` (`code`);
-- create "connections" table
CREATE TABLE `connections` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `vendor_name` text NOT NULL, `purpose` text NOT NULL DEFAULT (''), `consumer_key` text NOT NULL, `secret_hash` text NULL, `secret_encrypted` blob NULL, `service_account` text NOT NULL, `expires_at` datetime NOT NULL, `status` text NOT NULL DEFAULT ('active'), `enabled` bool NOT NULL DEFAULT (true), `version` text NOT NULL, `partner` bool NOT NULL DEFAULT (false), `types` json NOT NULL, `demographics` bool NOT NULL DEFAULT (false), `all_schools` bool NOT NULL DEFAULT (true), `created_by` text NOT NULL DEFAULT (''), `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `revoked_at` datetime NULL, `last_token_at` datetime NULL);
-- set sequence for "connections" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("connections", 85899345920);
-- create index "connections_consumer_key_key" to table: "connections"
CREATE UNIQUE INDEX `connections_consumer_key_key` ON `connections` (`consumer_key`);
-- create index "connections_service_account_key" to table: "connections"
CREATE UNIQUE INDEX `connections_service_account_key` ON `connections` (`service_account`);
-- create "settings" table
CREATE TABLE `settings` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `key` text NOT NULL, `value` text NOT NULL, `updated_at` datetime NOT NULL, `updated_by` text NOT NULL DEFAULT (''));
-- set sequence for "settings" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("settings", 90194313216);
-- create index "settings_key_key" to table: "settings"
CREATE UNIQUE INDEX `settings_key_key` ON `settings` (`key`);
-- create "signing_keys" table
CREATE TABLE `signing_keys` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `kid` text NOT NULL, `algorithm` text NOT NULL, `private_key_encrypted` blob NOT NULL, `public_key` blob NOT NULL, `created_at` datetime NOT NULL, `signs_until` datetime NOT NULL, `verifies_until` datetime NOT NULL);
-- set sequence for "signing_keys" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("signing_keys", 94489280512);
-- create index "signing_keys_kid_key" to table: "signing_keys"
CREATE UNIQUE INDEX `signing_keys_kid_key` ON `signing_keys` (`kid`);
-- create "connection_schools" table
CREATE TABLE `connection_schools` (`connection_id` integer NOT NULL, `org_id` integer NOT NULL, PRIMARY KEY (`connection_id`, `org_id`), CONSTRAINT `connection_schools_connection_id` FOREIGN KEY (`connection_id`) REFERENCES `connections` (`id`) ON DELETE CASCADE, CONSTRAINT `connection_schools_org_id` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE CASCADE);

-- +goose Down
-- reverse: create "connection_schools" table
DROP TABLE `connection_schools`;
-- reverse: create index "signing_keys_kid_key" to table: "signing_keys"
DROP INDEX `signing_keys_kid_key`;
-- reverse: set sequence for "signing_keys" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "signing_keys";
-- reverse: create "signing_keys" table
DROP TABLE `signing_keys`;
-- reverse: create index "settings_key_key" to table: "settings"
DROP INDEX `settings_key_key`;
-- reverse: set sequence for "settings" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "settings";
-- reverse: create "settings" table
DROP TABLE `settings`;
-- reverse: create index "connections_service_account_key" to table: "connections"
DROP INDEX `connections_service_account_key`;
-- reverse: create index "connections_consumer_key_key" to table: "connections"
DROP INDEX `connections_consumer_key_key`;
-- reverse: set sequence for "connections" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "connections";
-- reverse: create "connections" table
DROP TABLE `connections`;
-- reverse: create index "auth_requests_code_key" to table: "auth_requests"
DROP INDEX `auth_requests_code_key`;
-- reverse: create index "auth_requests_request_id_key" to table: "auth_requests"
DROP INDEX `auth_requests_request_id_key`;
-- reverse: set sequence for "auth_requests" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "auth_requests";
-- reverse: create "auth_requests" table
DROP TABLE `auth_requests`;
-- reverse: create index "auditevent_action_at" to table: "audit_events"
DROP INDEX `auditevent_action_at`;
-- reverse: create index "auditevent_actor_at" to table: "audit_events"
DROP INDEX `auditevent_actor_at`;
-- reverse: create index "auditevent_at" to table: "audit_events"
DROP INDEX `auditevent_at`;
-- reverse: set sequence for "audit_events" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "audit_events";
-- reverse: create "audit_events" table
DROP TABLE `audit_events`;
-- reverse: create index "admin_accounts_username_key" to table: "admin_accounts"
DROP INDEX `admin_accounts_username_key`;
-- reverse: set sequence for "admin_accounts" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "admin_accounts";
-- reverse: create "admin_accounts" table
DROP TABLE `admin_accounts`;
-- reverse: create index "api_clients_client_id_key" to table: "api_clients"
DROP INDEX `api_clients_client_id_key`;
-- reverse: set sequence for "api_clients" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "api_clients";
-- reverse: create "api_clients" table
DROP TABLE `api_clients`;
