// Package csvbundle imports and exports OneRoster 1.1 and 1.2 CSV bundles (SPEC §8): a zip file or a folder
// holding manifest.csv and one file per entity.
//
// # Import
//
// Import (or ImportPath) reads a bundle in two passes and records the run in an ImportRun row, which it keeps
// up to date outside the data transaction (see Import for the exact contract):
//
//  1. Check everything, write nothing: the manifest (oneroster.version 1.1 or 1.2, a mode per file, every
//     bulk or delta file present), each file's header (required columns, no column twice), every cell (enum,
//     date, dateTime, boolean, number, list and {type:identifier} syntax, sourcedIds), duplicate sourcedIds
//     within a file, and every referenced sourcedId, which must be in the bundle or already in the database.
//     Every problem is reported with its file, line, column, value and what was expected; an import with any
//     problem changes nothing.
//  2. Apply the files in one transaction, in reference order (orgs, sessions, courses, classes, users...).
//     Rows are upserted by sourcedId; a row equal to its stored record is skipped, so re-importing a bundle
//     changes nothing and moves no dateLastModified. Only the columns a file has are written: a 1.1 users.csv
//     leaves a user's 1.2-only fields alone. New and changed records go through ent (bulk creates, update
//     mutations), so the record hook stamps dateLastModified and modifiedBy ("import:RUN_ID"); on PostgreSQL
//     new records are created with COPY instead, stamped exactly as the hook does.
//
// Modes: a bulk file replaces what it covers: records of its entity that it does not list become tombstones
// (status tobedeleted; nothing is ever hard-deleted), and a bulk link file (classResources...) removes the
// links it does not list. A delta file applies only its rows. In both, a row with status tobedeleted tombstones
// its record; a delta row may be "status-only" (every data cell blank), and tombstones an existing record (a
// tombstone for an unknown sourcedId is skipped with a warning). Bulk rows may leave status and
// dateLastModified blank (active); delta rows need both. The CSV dateLastModified is checked, not stored:
// the stored one says when Rollcall's copy changed, which is what delta consumers filter on.
//
// Mapping onto the data model:
//   - 1.1 users.csv: role and orgSourcedIds become Role records, one per org, each roleType primary (it is the
//     user's only role there; 1.2 asks for exactly one primary role per org), with sourcedId USER~ORG; the
//     first org is the user's primaryOrg. The row is the user's complete role list: other roles of the user are
//     tombstoned, and the roles follow the user's status (also when a bulk users.csv drops the user).
//   - 1.2 roles.csv and userProfiles.csv map to Role and UserProfile; consecutive userProfiles rows with one
//     sourcedId are one profile with one credential per row.
//   - demographics share their user's sourcedId (the user must exist).
//   - classResources, courseResources and userResources are the resource links of classes, courses and users;
//     lineItemScoreScales and resultScoreScales set a line item's or result's score scale;
//     *LearningObjectiveIds list their learning objectives. These rows have no record of their own: their
//     sourcedId, title and userResources' orgSourcedId/classSourcedId are checked but not stored, and a
//     changed link updates (and stamps) its owner. scoreScales.orgSourcedId is checked and not stored either:
//     exports write the class's school.
//   - metadata.NAME columns set metadata keys (dots nest: metadata.jp.kanaGivenName is {"jp":{"kanaGivenName"}});
//     a blank cell removes the key, keys without a column are kept. Unknown columns are ignored with a warning
//     in the run's message.
//   - Lenient where producers differ: status "inactive" reads as tobedeleted, booleans in any letter case,
//     dateTimes with or without fractional seconds or as plain dates, demographics' first column may be named
//     userSourcedId (1.0), manifest keys may carry the 1.2 trailing "*", missing file.* keys mean absent, and
//     1.1 resultValueMin/Max and score may be blank (1.2 made them optional), so 1.2 data exported as 1.1
//     imports again.
//
// Bad input gets a problem and changes nothing: malformed CSV (unbalanced quotes, a bare quote, text after a
// closing quote), invalid UTF-8 or NUL characters, a record longer than Limits.MaxRecordBytes (1 MiB), an
// empty file, a manifest that names missing files or an unknown version, and zips with entries outside the
// root (../, absolute paths), in folders, too many entries, or more than Limits.MaxTotalBytes uncompressed (a
// zip bomb). A UTF-8 byte order mark and CRLF line ends are accepted.
//
// Memory stays bounded by the number of records, not the size of the files: files are streamed (twice), and
// only sourcedId maps (sourcedId -> id, and the sourcedIds each file lists) are kept, plus the rows of the small
// link files.
//
// # Export
//
// Export (or ExportPath) writes the database as a bulk bundle of either version, tombstones included (status
// tobedeleted), rows ordered by sourcedId; see Export. Importing an export into an empty database and
// exporting again gives byte-identical files.
package csvbundle
