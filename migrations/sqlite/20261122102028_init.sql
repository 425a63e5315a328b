-- +goose Up
-- create "academic_sessions" table
CREATE TABLE `academic_sessions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `sourced_id` text NOT NULL, `status` text NOT NULL DEFAULT ('active'), `date_last_modified` datetime NOT NULL, `metadata` json NULL, `modified_by` text NOT NULL DEFAULT ('system'), `external_lms_exclude` bool NOT NULL DEFAULT (false), `title` text NOT NULL, `type` text NOT NULL, `start_date` text NOT NULL, `end_date` text NOT NULL, `school_year` text NOT NULL, `parent_id` integer NULL, `org_id` integer NULL, CONSTRAINT `academic_sessions_academic_sessions_children` FOREIGN KEY (`parent_id`) REFERENCES `academic_sessions` (`id`) ON DELETE SET NULL, CONSTRAINT `academic_sessions_orgs_academic_sessions` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE SET NULL);
-- create index "academic_sessions_sourced_id_key" to table: "academic_sessions"
CREATE UNIQUE INDEX `academic_sessions_sourced_id_key` ON `academic_sessions` (`sourced_id`);
-- create index "academicsession_date_last_modified" to table: "academic_sessions"
CREATE INDEX `academicsession_date_last_modified` ON `academic_sessions` (`date_last_modified`);
-- create index "academicsession_type" to table: "academic_sessions"
CREATE INDEX `academicsession_type` ON `academic_sessions` (`type`);
-- create "assessment_line_items" table
CREATE TABLE `assessment_line_items` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `sourced_id` text NOT NULL, `status` text NOT NULL DEFAULT ('active'), `date_last_modified` datetime NOT NULL, `metadata` json NULL, `modified_by` text NOT NULL DEFAULT ('system'), `title` text NOT NULL, `description` text NOT NULL DEFAULT (''), `result_value_min` real NULL, `result_value_max` real NULL, `learning_objective_set` json NULL, `parent_id` integer NULL, `class_id` integer NULL, `score_scale_id` integer NULL, CONSTRAINT `assessment_line_items_assessment_line_items_children` FOREIGN KEY (`parent_id`) REFERENCES `assessment_line_items` (`id`) ON DELETE SET NULL, CONSTRAINT `assessment_line_items_classes_assessment_line_items` FOREIGN KEY (`class_id`) REFERENCES `classes` (`id`) ON DELETE SET NULL, CONSTRAINT `assessment_line_items_score_scales_assessment_line_items` FOREIGN KEY (`score_scale_id`) REFERENCES `score_scales` (`id`) ON DELETE SET NULL);
-- set sequence for "assessment_line_items" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("assessment_line_items", 4294967296);
-- create index "assessment_line_items_sourced_id_key" to table: "assessment_line_items"
CREATE UNIQUE INDEX `assessment_line_items_sourced_id_key` ON `assessment_line_items` (`sourced_id`);
-- create index "assessmentlineitem_date_last_modified" to table: "assessment_line_items"
CREATE INDEX `assessmentlineitem_date_last_modified` ON `assessment_line_items` (`date_last_modified`);
-- create "assessment_results" table
CREATE TABLE `assessment_results` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `sourced_id` text NOT NULL, `status` text NOT NULL DEFAULT ('active'), `date_last_modified` datetime NOT NULL, `metadata` json NULL, `modified_by` text NOT NULL DEFAULT ('system'), `score_status` text NOT NULL, `score` real NULL, `text_score` text NOT NULL DEFAULT (''), `score_date` text NOT NULL, `comment` text NOT NULL DEFAULT (''), `learning_objective_set` json NULL, `in_progress` bool NULL, `incomplete` bool NULL, `late` bool NULL, `missing` bool NULL, `score_percentile` real NULL, `assessment_line_item_id` integer NOT NULL, `score_scale_id` integer NULL, `student_id` integer NOT NULL, CONSTRAINT `assessment_results_assessment_line_items_results` FOREIGN KEY (`assessment_line_item_id`) REFERENCES `assessment_line_items` (`id`) ON DELETE NO ACTION, CONSTRAINT `assessment_results_score_scales_assessment_results` FOREIGN KEY (`score_scale_id`) REFERENCES `score_scales` (`id`) ON DELETE SET NULL, CONSTRAINT `assessment_results_users_assessment_results` FOREIGN KEY (`student_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- set sequence for "assessment_results" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("assessment_results", 8589934592);
-- create index "assessment_results_sourced_id_key" to table: "assessment_results"
CREATE UNIQUE INDEX `assessment_results_sourced_id_key` ON `assessment_results` (`sourced_id`);
-- create index "assessmentresult_date_last_modified" to table: "assessment_results"
CREATE INDEX `assessmentresult_date_last_modified` ON `assessment_results` (`date_last_modified`);
-- create index "assessmentresult_assessment_line_item_id" to table: "assessment_results"
CREATE INDEX `assessmentresult_assessment_line_item_id` ON `assessment_results` (`assessment_line_item_id`);
-- create index "assessmentresult_student_id" to table: "assessment_results"
CREATE INDEX `assessmentresult_student_id` ON `assessment_results` (`student_id`);
-- create "categories" table
CREATE TABLE `categories` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `sourced_id` text NOT NULL, `status` text NOT NULL DEFAULT ('active'), `date_last_modified` datetime NOT NULL, `metadata` json NULL, `modified_by` text NOT NULL DEFAULT ('system'), `title` text NOT NULL, `weight` real NULL, `class_id` integer NULL, CONSTRAINT `categories_classes_categories` FOREIGN KEY (`class_id`) REFERENCES `classes` (`id`) ON DELETE SET NULL);
-- set sequence for "categories" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("categories", 12884901888);
-- create index "categories_sourced_id_key" to table: "categories"
CREATE UNIQUE INDEX `categories_sourced_id_key` ON `categories` (`sourced_id`);
-- create index "category_date_last_modified" to table: "categories"
CREATE INDEX `category_date_last_modified` ON `categories` (`date_last_modified`);
-- create "classes" table
CREATE TABLE `classes` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `sourced_id` text NOT NULL, `status` text NOT NULL DEFAULT ('active'), `date_last_modified` datetime NOT NULL, `metadata` json NULL, `modified_by` text NOT NULL DEFAULT ('system'), `external_lms_exclude` bool NOT NULL DEFAULT (false), `title` text NOT NULL, `class_code` text NOT NULL DEFAULT (''), `class_type` text NOT NULL DEFAULT ('scheduled'), `location` text NOT NULL DEFAULT (''), `grades` json NULL, `subjects` json NULL, `subject_codes` json NULL, `periods` json NULL, `course_id` integer NOT NULL, `school_id` integer NOT NULL, CONSTRAINT `classes_courses_classes` FOREIGN KEY (`course_id`) REFERENCES `courses` (`id`) ON DELETE NO ACTION, CONSTRAINT `classes_orgs_classes` FOREIGN KEY (`school_id`) REFERENCES `orgs` (`id`) ON DELETE NO ACTION);
-- set sequence for "classes" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("classes", 17179869184);
-- create index "classes_sourced_id_key" to table: "classes"
CREATE UNIQUE INDEX `classes_sourced_id_key` ON `classes` (`sourced_id`);
-- create index "class_date_last_modified" to table: "classes"
CREATE INDEX `class_date_last_modified` ON `classes` (`date_last_modified`);
-- create index "class_school_id" to table: "classes"
CREATE INDEX `class_school_id` ON `classes` (`school_id`);
-- create index "class_course_id" to table: "classes"
CREATE INDEX `class_course_id` ON `classes` (`course_id`);
-- create "courses" table
CREATE TABLE `courses` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `sourced_id` text NOT NULL, `status` text NOT NULL DEFAULT ('active'), `date_last_modified` datetime NOT NULL, `metadata` json NULL, `modified_by` text NOT NULL DEFAULT ('system'), `external_lms_exclude` bool NOT NULL DEFAULT (false), `title` text NOT NULL, `course_code` text NOT NULL DEFAULT (''), `grades` json NULL, `subjects` json NULL, `subject_codes` json NULL, `school_year_id` integer NULL, `org_id` integer NULL, CONSTRAINT `courses_academic_sessions_courses` FOREIGN KEY (`school_year_id`) REFERENCES `academic_sessions` (`id`) ON DELETE SET NULL, CONSTRAINT `courses_orgs_courses` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE SET NULL);
-- set sequence for "courses" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("courses", 21474836480);
-- create index "courses_sourced_id_key" to table: "courses"
CREATE UNIQUE INDEX `courses_sourced_id_key` ON `courses` (`sourced_id`);
-- create index "course_date_last_modified" to table: "courses"
CREATE INDEX `course_date_last_modified` ON `courses` (`date_last_modified`);
-- create "demographics" table
CREATE TABLE `demographics` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `sourced_id` text NOT NULL, `status` text NOT NULL DEFAULT ('active'), `date_last_modified` datetime NOT NULL, `metadata` json NULL, `modified_by` text NOT NULL DEFAULT ('system'), `birth_date` text NULL, `sex` text NULL, `american_indian_or_alaska_native` bool NULL, `asian` bool NULL, `black_or_african_american` bool NULL, `native_hawaiian_or_other_pacific_islander` bool NULL, `white` bool NULL, `demographic_race_two_or_more_races` bool NULL, `hispanic_or_latino_ethnicity` bool NULL, `country_of_birth_code` text NOT NULL DEFAULT (''), `state_of_birth_abbreviation` text NOT NULL DEFAULT (''), `city_of_birth` text NOT NULL DEFAULT (''), `public_school_residence_status` text NOT NULL DEFAULT (''), `user_id` integer NULL, CONSTRAINT `demographics_users_demographics` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- set sequence for "demographics" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("demographics", 25769803776);
-- create index "demographics_sourced_id_key" to table: "demographics"
CREATE UNIQUE INDEX `demographics_sourced_id_key` ON `demographics` (`sourced_id`);
-- create index "demographics_user_id_key" to table: "demographics"
CREATE UNIQUE INDEX `demographics_user_id_key` ON `demographics` (`user_id`);
-- create index "demographic_date_last_modified" to table: "demographics"
CREATE INDEX `demographic_date_last_modified` ON `demographics` (`date_last_modified`);
-- create "enrollments" table
CREATE TABLE `enrollments` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `sourced_id` text NOT NULL, `status` text NOT NULL DEFAULT ('active'), `date_last_modified` datetime NOT NULL, `metadata` json NULL, `modified_by` text NOT NULL DEFAULT ('system'), `external_lms_exclude` bool NOT NULL DEFAULT (false), `role` text NOT NULL, `primary` bool NOT NULL DEFAULT (false), `begin_date` text NULL, `end_date` text NULL, `class_id` integer NOT NULL, `school_id` integer NOT NULL, `user_id` integer NOT NULL, CONSTRAINT `enrollments_classes_enrollments` FOREIGN KEY (`class_id`) REFERENCES `classes` (`id`) ON DELETE NO ACTION, CONSTRAINT `enrollments_orgs_enrollments` FOREIGN KEY (`school_id`) REFERENCES `orgs` (`id`) ON DELETE NO ACTION, CONSTRAINT `enrollments_users_enrollments` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- set sequence for "enrollments" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("enrollments", 30064771072);
-- create index "enrollments_sourced_id_key" to table: "enrollments"
CREATE UNIQUE INDEX `enrollments_sourced_id_key` ON `enrollments` (`sourced_id`);
-- create index "enrollment_date_last_modified" to table: "enrollments"
CREATE INDEX `enrollment_date_last_modified` ON `enrollments` (`date_last_modified`);
-- create index "enrollment_class_id_role" to table: "enrollments"
CREATE INDEX `enrollment_class_id_role` ON `enrollments` (`class_id`, `role`);
-- create index "enrollment_user_id" to table: "enrollments"
CREATE INDEX `enrollment_user_id` ON `enrollments` (`user_id`);
-- create index "enrollment_school_id" to table: "enrollments"
CREATE INDEX `enrollment_school_id` ON `enrollments` (`school_id`);
-- create "line_items" table
CREATE TABLE `line_items` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `sourced_id` text NOT NULL, `status` text NOT NULL DEFAULT ('active'), `date_last_modified` datetime NOT NULL, `metadata` json NULL, `modified_by` text NOT NULL DEFAULT ('system'), `title` text NOT NULL, `description` text NOT NULL DEFAULT (''), `assign_date` datetime NOT NULL, `due_date` datetime NOT NULL, `result_value_min` real NULL, `result_value_max` real NULL, `learning_objective_set` json NULL, `academic_session_id` integer NULL, `category_id` integer NULL, `class_id` integer NOT NULL, `school_id` integer NULL, `score_scale_id` integer NULL, CONSTRAINT `line_items_academic_sessions_line_items` FOREIGN KEY (`academic_session_id`) REFERENCES `academic_sessions` (`id`) ON DELETE SET NULL, CONSTRAINT `line_items_categories_line_items` FOREIGN KEY (`category_id`) REFERENCES `categories` (`id`) ON DELETE SET NULL, CONSTRAINT `line_items_classes_line_items` FOREIGN KEY (`class_id`) REFERENCES `classes` (`id`) ON DELETE NO ACTION, CONSTRAINT `line_items_orgs_line_items` FOREIGN KEY (`school_id`) REFERENCES `orgs` (`id`) ON DELETE SET NULL, CONSTRAINT `line_items_score_scales_line_items` FOREIGN KEY (`score_scale_id`) REFERENCES `score_scales` (`id`) ON DELETE SET NULL);
-- set sequence for "line_items" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("line_items", 34359738368);
-- create index "line_items_sourced_id_key" to table: "line_items"
CREATE UNIQUE INDEX `line_items_sourced_id_key` ON `line_items` (`sourced_id`);
-- create index "lineitem_date_last_modified" to table: "line_items"
CREATE INDEX `lineitem_date_last_modified` ON `line_items` (`date_last_modified`);
-- create index "lineitem_class_id" to table: "line_items"
CREATE INDEX `lineitem_class_id` ON `line_items` (`class_id`);
-- create "orgs" table
CREATE TABLE `orgs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `sourced_id` text NOT NULL, `status` text NOT NULL DEFAULT ('active'), `date_last_modified` datetime NOT NULL, `metadata` json NULL, `modified_by` text NOT NULL DEFAULT ('system'), `external_lms_exclude` bool NOT NULL DEFAULT (false), `name` text NOT NULL, `type` text NOT NULL, `identifier` text NOT NULL DEFAULT (''), `parent_id` integer NULL, CONSTRAINT `orgs_orgs_children` FOREIGN KEY (`parent_id`) REFERENCES `orgs` (`id`) ON DELETE SET NULL);
-- set sequence for "orgs" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("orgs", 38654705664);
-- create index "orgs_sourced_id_key" to table: "orgs"
CREATE UNIQUE INDEX `orgs_sourced_id_key` ON `orgs` (`sourced_id`);
-- create index "org_date_last_modified" to table: "orgs"
CREATE INDEX `org_date_last_modified` ON `orgs` (`date_last_modified`);
-- create index "org_type" to table: "orgs"
CREATE INDEX `org_type` ON `orgs` (`type`);
-- create "resources" table
CREATE TABLE `resources` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `sourced_id` text NOT NULL, `status` text NOT NULL DEFAULT ('active'), `date_last_modified` datetime NOT NULL, `metadata` json NULL, `modified_by` text NOT NULL DEFAULT ('system'), `title` text NOT NULL DEFAULT (''), `roles` json NULL, `importance` text NULL, `vendor_resource_id` text NOT NULL, `vendor_id` text NOT NULL DEFAULT (''), `application_id` text NOT NULL DEFAULT (''));
-- set sequence for "resources" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("resources", 42949672960);
-- create index "resources_sourced_id_key" to table: "resources"
CREATE UNIQUE INDEX `resources_sourced_id_key` ON `resources` (`sourced_id`);
-- create index "resource_date_last_modified" to table: "resources"
CREATE INDEX `resource_date_last_modified` ON `resources` (`date_last_modified`);
-- create "results" table
CREATE TABLE `results` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `sourced_id` text NOT NULL, `status` text NOT NULL DEFAULT ('active'), `date_last_modified` datetime NOT NULL, `metadata` json NULL, `modified_by` text NOT NULL DEFAULT ('system'), `score_status` text NOT NULL, `score` real NULL, `text_score` text NOT NULL DEFAULT (''), `score_date` text NOT NULL, `comment` text NOT NULL DEFAULT (''), `learning_objective_set` json NULL, `in_progress` bool NULL, `incomplete` bool NULL, `late` bool NULL, `missing` bool NULL, `class_id` integer NULL, `line_item_id` integer NOT NULL, `score_scale_id` integer NULL, `student_id` integer NOT NULL, CONSTRAINT `results_classes_results` FOREIGN KEY (`class_id`) REFERENCES `classes` (`id`) ON DELETE SET NULL, CONSTRAINT `results_line_items_results` FOREIGN KEY (`line_item_id`) REFERENCES `line_items` (`id`) ON DELETE NO ACTION, CONSTRAINT `results_score_scales_results` FOREIGN KEY (`score_scale_id`) REFERENCES `score_scales` (`id`) ON DELETE SET NULL, CONSTRAINT `results_users_results` FOREIGN KEY (`student_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- set sequence for "results" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("results", 47244640256);
-- create index "results_sourced_id_key" to table: "results"
CREATE UNIQUE INDEX `results_sourced_id_key` ON `results` (`sourced_id`);
-- create index "result_date_last_modified" to table: "results"
CREATE INDEX `result_date_last_modified` ON `results` (`date_last_modified`);
-- create index "result_line_item_id" to table: "results"
CREATE INDEX `result_line_item_id` ON `results` (`line_item_id`);
-- create index "result_student_id" to table: "results"
CREATE INDEX `result_student_id` ON `results` (`student_id`);
-- create "roles" table
CREATE TABLE `roles` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `sourced_id` text NOT NULL, `status` text NOT NULL DEFAULT ('active'), `date_last_modified` datetime NOT NULL, `metadata` json NULL, `modified_by` text NOT NULL DEFAULT ('system'), `role` text NOT NULL, `role_type` text NOT NULL DEFAULT ('primary'), `begin_date` text NULL, `end_date` text NULL, `org_id` integer NOT NULL, `user_id` integer NOT NULL, `profile_id` integer NULL, CONSTRAINT `roles_orgs_roles` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE NO ACTION, CONSTRAINT `roles_users_roles` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION, CONSTRAINT `roles_user_profiles_roles` FOREIGN KEY (`profile_id`) REFERENCES `user_profiles` (`id`) ON DELETE SET NULL);
-- set sequence for "roles" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("roles", 51539607552);
-- create index "roles_sourced_id_key" to table: "roles"
CREATE UNIQUE INDEX `roles_sourced_id_key` ON `roles` (`sourced_id`);
-- create index "role_date_last_modified" to table: "roles"
CREATE INDEX `role_date_last_modified` ON `roles` (`date_last_modified`);
-- create index "role_user_id" to table: "roles"
CREATE INDEX `role_user_id` ON `roles` (`user_id`);
-- create index "role_org_id_role" to table: "roles"
CREATE INDEX `role_org_id_role` ON `roles` (`org_id`, `role`);
-- create "score_scales" table
CREATE TABLE `score_scales` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `sourced_id` text NOT NULL, `status` text NOT NULL DEFAULT ('active'), `date_last_modified` datetime NOT NULL, `metadata` json NULL, `modified_by` text NOT NULL DEFAULT ('system'), `title` text NOT NULL, `type` text NOT NULL, `score_scale_value` json NOT NULL, `class_id` integer NULL, `course_id` integer NULL, CONSTRAINT `score_scales_classes_score_scales` FOREIGN KEY (`class_id`) REFERENCES `classes` (`id`) ON DELETE SET NULL, CONSTRAINT `score_scales_courses_score_scales` FOREIGN KEY (`course_id`) REFERENCES `courses` (`id`) ON DELETE SET NULL);
-- set sequence for "score_scales" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("score_scales", 55834574848);
-- create index "score_scales_sourced_id_key" to table: "score_scales"
CREATE UNIQUE INDEX `score_scales_sourced_id_key` ON `score_scales` (`sourced_id`);
-- create index "scorescale_date_last_modified" to table: "score_scales"
CREATE INDEX `scorescale_date_last_modified` ON `score_scales` (`date_last_modified`);
-- create "users" table
CREATE TABLE `users` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `sourced_id` text NOT NULL, `status` text NOT NULL DEFAULT ('active'), `date_last_modified` datetime NOT NULL, `metadata` json NULL, `modified_by` text NOT NULL DEFAULT ('system'), `external_lms_exclude` bool NOT NULL DEFAULT (false), `username` text NOT NULL DEFAULT (''), `user_master_identifier` text NOT NULL DEFAULT (''), `user_ids` json NULL, `enabled_user` bool NOT NULL DEFAULT (true), `given_name` text NOT NULL, `family_name` text NOT NULL, `middle_name` text NOT NULL DEFAULT (''), `preferred_first_name` text NOT NULL DEFAULT (''), `preferred_middle_name` text NOT NULL DEFAULT (''), `preferred_last_name` text NOT NULL DEFAULT (''), `pronouns` text NOT NULL DEFAULT (''), `identifier` text NOT NULL DEFAULT (''), `email` text NOT NULL DEFAULT (''), `sms` text NOT NULL DEFAULT (''), `phone` text NOT NULL DEFAULT (''), `grades` json NULL, `password` text NOT NULL DEFAULT (''), `primary_org_id` integer NULL, CONSTRAINT `users_orgs_primary_users` FOREIGN KEY (`primary_org_id`) REFERENCES `orgs` (`id`) ON DELETE SET NULL);
-- set sequence for "users" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("users", 60129542144);
-- create index "users_sourced_id_key" to table: "users"
CREATE UNIQUE INDEX `users_sourced_id_key` ON `users` (`sourced_id`);
-- create index "user_date_last_modified" to table: "users"
CREATE INDEX `user_date_last_modified` ON `users` (`date_last_modified`);
-- create index "user_family_name_given_name" to table: "users"
CREATE INDEX `user_family_name_given_name` ON `users` (`family_name`, `given_name`);
-- create index "user_email" to table: "users"
CREATE INDEX `user_email` ON `users` (`email`);
-- create "user_profiles" table
CREATE TABLE `user_profiles` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `sourced_id` text NOT NULL, `status` text NOT NULL DEFAULT ('active'), `date_last_modified` datetime NOT NULL, `metadata` json NULL, `modified_by` text NOT NULL DEFAULT ('system'), `profile_type` text NOT NULL, `vendor_id` text NOT NULL, `application_id` text NOT NULL DEFAULT (''), `description` text NOT NULL DEFAULT (''), `credentials` json NULL, `user_id` integer NOT NULL, CONSTRAINT `user_profiles_users_profiles` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- set sequence for "user_profiles" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("user_profiles", 64424509440);
-- create index "user_profiles_sourced_id_key" to table: "user_profiles"
CREATE UNIQUE INDEX `user_profiles_sourced_id_key` ON `user_profiles` (`sourced_id`);
-- create index "userprofile_date_last_modified" to table: "user_profiles"
CREATE INDEX `userprofile_date_last_modified` ON `user_profiles` (`date_last_modified`);
-- create index "userprofile_user_id" to table: "user_profiles"
CREATE INDEX `userprofile_user_id` ON `user_profiles` (`user_id`);
-- create "class_terms" table
CREATE TABLE `class_terms` (`class_id` integer NOT NULL, `academic_session_id` integer NOT NULL, PRIMARY KEY (`class_id`, `academic_session_id`), CONSTRAINT `class_terms_class_id` FOREIGN KEY (`class_id`) REFERENCES `classes` (`id`) ON DELETE CASCADE, CONSTRAINT `class_terms_academic_session_id` FOREIGN KEY (`academic_session_id`) REFERENCES `academic_sessions` (`id`) ON DELETE CASCADE);
-- create "class_resources" table
CREATE TABLE `class_resources` (`class_id` integer NOT NULL, `resource_id` integer NOT NULL, PRIMARY KEY (`class_id`, `resource_id`), CONSTRAINT `class_resources_class_id` FOREIGN KEY (`class_id`) REFERENCES `classes` (`id`) ON DELETE CASCADE, CONSTRAINT `class_resources_resource_id` FOREIGN KEY (`resource_id`) REFERENCES `resources` (`id`) ON DELETE CASCADE);
-- create "course_resources" table
CREATE TABLE `course_resources` (`course_id` integer NOT NULL, `resource_id` integer NOT NULL, PRIMARY KEY (`course_id`, `resource_id`), CONSTRAINT `course_resources_course_id` FOREIGN KEY (`course_id`) REFERENCES `courses` (`id`) ON DELETE CASCADE, CONSTRAINT `course_resources_resource_id` FOREIGN KEY (`resource_id`) REFERENCES `resources` (`id`) ON DELETE CASCADE);
-- create "user_agents" table
CREATE TABLE `user_agents` (`user_id` integer NOT NULL, `dependent_id` integer NOT NULL, PRIMARY KEY (`user_id`, `dependent_id`), CONSTRAINT `user_agents_user_id` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE, CONSTRAINT `user_agents_dependent_id` FOREIGN KEY (`dependent_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- create "user_resources" table
CREATE TABLE `user_resources` (`user_id` integer NOT NULL, `resource_id` integer NOT NULL, PRIMARY KEY (`user_id`, `resource_id`), CONSTRAINT `user_resources_user_id` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE, CONSTRAINT `user_resources_resource_id` FOREIGN KEY (`resource_id`) REFERENCES `resources` (`id`) ON DELETE CASCADE);

-- +goose Down
-- reverse: create "user_resources" table
DROP TABLE `user_resources`;
-- reverse: create "user_agents" table
DROP TABLE `user_agents`;
-- reverse: create "course_resources" table
DROP TABLE `course_resources`;
-- reverse: create "class_resources" table
DROP TABLE `class_resources`;
-- reverse: create "class_terms" table
DROP TABLE `class_terms`;
-- reverse: create index "userprofile_user_id" to table: "user_profiles"
DROP INDEX `userprofile_user_id`;
-- reverse: create index "userprofile_date_last_modified" to table: "user_profiles"
DROP INDEX `userprofile_date_last_modified`;
-- reverse: create index "user_profiles_sourced_id_key" to table: "user_profiles"
DROP INDEX `user_profiles_sourced_id_key`;
-- reverse: set sequence for "user_profiles" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "user_profiles";
-- reverse: create "user_profiles" table
DROP TABLE `user_profiles`;
-- reverse: create index "user_email" to table: "users"
DROP INDEX `user_email`;
-- reverse: create index "user_family_name_given_name" to table: "users"
DROP INDEX `user_family_name_given_name`;
-- reverse: create index "user_date_last_modified" to table: "users"
DROP INDEX `user_date_last_modified`;
-- reverse: create index "users_sourced_id_key" to table: "users"
DROP INDEX `users_sourced_id_key`;
-- reverse: set sequence for "users" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "users";
-- reverse: create "users" table
DROP TABLE `users`;
-- reverse: create index "scorescale_date_last_modified" to table: "score_scales"
DROP INDEX `scorescale_date_last_modified`;
-- reverse: create index "score_scales_sourced_id_key" to table: "score_scales"
DROP INDEX `score_scales_sourced_id_key`;
-- reverse: set sequence for "score_scales" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "score_scales";
-- reverse: create "score_scales" table
DROP TABLE `score_scales`;
-- reverse: create index "role_org_id_role" to table: "roles"
DROP INDEX `role_org_id_role`;
-- reverse: create index "role_user_id" to table: "roles"
DROP INDEX `role_user_id`;
-- reverse: create index "role_date_last_modified" to table: "roles"
DROP INDEX `role_date_last_modified`;
-- reverse: create index "roles_sourced_id_key" to table: "roles"
DROP INDEX `roles_sourced_id_key`;
-- reverse: set sequence for "roles" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "roles";
-- reverse: create "roles" table
DROP TABLE `roles`;
-- reverse: create index "result_student_id" to table: "results"
DROP INDEX `result_student_id`;
-- reverse: create index "result_line_item_id" to table: "results"
DROP INDEX `result_line_item_id`;
-- reverse: create index "result_date_last_modified" to table: "results"
DROP INDEX `result_date_last_modified`;
-- reverse: create index "results_sourced_id_key" to table: "results"
DROP INDEX `results_sourced_id_key`;
-- reverse: set sequence for "results" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "results";
-- reverse: create "results" table
DROP TABLE `results`;
-- reverse: create index "resource_date_last_modified" to table: "resources"
DROP INDEX `resource_date_last_modified`;
-- reverse: create index "resources_sourced_id_key" to table: "resources"
DROP INDEX `resources_sourced_id_key`;
-- reverse: set sequence for "resources" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "resources";
-- reverse: create "resources" table
DROP TABLE `resources`;
-- reverse: create index "org_type" to table: "orgs"
DROP INDEX `org_type`;
-- reverse: create index "org_date_last_modified" to table: "orgs"
DROP INDEX `org_date_last_modified`;
-- reverse: create index "orgs_sourced_id_key" to table: "orgs"
DROP INDEX `orgs_sourced_id_key`;
-- reverse: set sequence for "orgs" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "orgs";
-- reverse: create "orgs" table
DROP TABLE `orgs`;
-- reverse: create index "lineitem_class_id" to table: "line_items"
DROP INDEX `lineitem_class_id`;
-- reverse: create index "lineitem_date_last_modified" to table: "line_items"
DROP INDEX `lineitem_date_last_modified`;
-- reverse: create index "line_items_sourced_id_key" to table: "line_items"
DROP INDEX `line_items_sourced_id_key`;
-- reverse: set sequence for "line_items" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "line_items";
-- reverse: create "line_items" table
DROP TABLE `line_items`;
-- reverse: create index "enrollment_school_id" to table: "enrollments"
DROP INDEX `enrollment_school_id`;
-- reverse: create index "enrollment_user_id" to table: "enrollments"
DROP INDEX `enrollment_user_id`;
-- reverse: create index "enrollment_class_id_role" to table: "enrollments"
DROP INDEX `enrollment_class_id_role`;
-- reverse: create index "enrollment_date_last_modified" to table: "enrollments"
DROP INDEX `enrollment_date_last_modified`;
-- reverse: create index "enrollments_sourced_id_key" to table: "enrollments"
DROP INDEX `enrollments_sourced_id_key`;
-- reverse: set sequence for "enrollments" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "enrollments";
-- reverse: create "enrollments" table
DROP TABLE `enrollments`;
-- reverse: create index "demographic_date_last_modified" to table: "demographics"
DROP INDEX `demographic_date_last_modified`;
-- reverse: create index "demographics_user_id_key" to table: "demographics"
DROP INDEX `demographics_user_id_key`;
-- reverse: create index "demographics_sourced_id_key" to table: "demographics"
DROP INDEX `demographics_sourced_id_key`;
-- reverse: set sequence for "demographics" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "demographics";
-- reverse: create "demographics" table
DROP TABLE `demographics`;
-- reverse: create index "course_date_last_modified" to table: "courses"
DROP INDEX `course_date_last_modified`;
-- reverse: create index "courses_sourced_id_key" to table: "courses"
DROP INDEX `courses_sourced_id_key`;
-- reverse: set sequence for "courses" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "courses";
-- reverse: create "courses" table
DROP TABLE `courses`;
-- reverse: create index "class_course_id" to table: "classes"
DROP INDEX `class_course_id`;
-- reverse: create index "class_school_id" to table: "classes"
DROP INDEX `class_school_id`;
-- reverse: create index "class_date_last_modified" to table: "classes"
DROP INDEX `class_date_last_modified`;
-- reverse: create index "classes_sourced_id_key" to table: "classes"
DROP INDEX `classes_sourced_id_key`;
-- reverse: set sequence for "classes" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "classes";
-- reverse: create "classes" table
DROP TABLE `classes`;
-- reverse: create index "category_date_last_modified" to table: "categories"
DROP INDEX `category_date_last_modified`;
-- reverse: create index "categories_sourced_id_key" to table: "categories"
DROP INDEX `categories_sourced_id_key`;
-- reverse: set sequence for "categories" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "categories";
-- reverse: create "categories" table
DROP TABLE `categories`;
-- reverse: create index "assessmentresult_student_id" to table: "assessment_results"
DROP INDEX `assessmentresult_student_id`;
-- reverse: create index "assessmentresult_assessment_line_item_id" to table: "assessment_results"
DROP INDEX `assessmentresult_assessment_line_item_id`;
-- reverse: create index "assessmentresult_date_last_modified" to table: "assessment_results"
DROP INDEX `assessmentresult_date_last_modified`;
-- reverse: create index "assessment_results_sourced_id_key" to table: "assessment_results"
DROP INDEX `assessment_results_sourced_id_key`;
-- reverse: set sequence for "assessment_results" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "assessment_results";
-- reverse: create "assessment_results" table
DROP TABLE `assessment_results`;
-- reverse: create index "assessmentlineitem_date_last_modified" to table: "assessment_line_items"
DROP INDEX `assessmentlineitem_date_last_modified`;
-- reverse: create index "assessment_line_items_sourced_id_key" to table: "assessment_line_items"
DROP INDEX `assessment_line_items_sourced_id_key`;
-- reverse: set sequence for "assessment_line_items" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "assessment_line_items";
-- reverse: create "assessment_line_items" table
DROP TABLE `assessment_line_items`;
-- reverse: create index "academicsession_type" to table: "academic_sessions"
DROP INDEX `academicsession_type`;
-- reverse: create index "academicsession_date_last_modified" to table: "academic_sessions"
DROP INDEX `academicsession_date_last_modified`;
-- reverse: create index "academic_sessions_sourced_id_key" to table: "academic_sessions"
DROP INDEX `academic_sessions_sourced_id_key`;
-- reverse: create "academic_sessions" table
DROP TABLE `academic_sessions`;
