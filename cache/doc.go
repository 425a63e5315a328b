// Package cache is the published OneRoster cache and its query engine: what vendors see. Vendors never read
// the live tables admins edit; a refresh renders every record of every collection, in both OneRoster
// versions, into the cache, and List and Get answer every OneRoster read from it. The REST facade and GraphQL
// share it, so "what does connection X see" has one answer.
//
// # Generations and versions
//
// A refresh builds a generation (ent CacheGeneration). Records are stored as versions (ent CacheRecord) that
// belong to a range of generations, gen_from <= G < gen_to: a refresh compares each record's published
// content (a hash of its bodies, status and visibility; dateLastModified excluded) with the version the
// previous generation has, and writes a new version only when it differs, so a refresh writes what changed
// and a generation costs nothing for unchanged records. A generation is built while its status is building
// (readers never see it: they read the newest ready one, picked per request), then published in one
// transaction (flip): marked ready, the previous one retired. Retired generations stay readable for snapshot
// paging for the CacheRetentionMinutes setting (3 hours by default), then Cleanup deletes the versions no
// readable generation needs. Position marks (ent CacheMark: every 1000th sourcedId of each collection and
// subset, per generation) make a page at a large offset an index seek.
//
// # What is published
//
// Each record's body is rendered exactly as each version sends it: field order of the standard, booleans as
// "true"/"false", empty optional fields omitted (never null), dateLastModified in UTC with milliseconds. The
// 1.1 body (user role and orgs, no 1.2-only fields) is stored only where it differs from the 1.2 body.
// GUIDRef hrefs are stored as a placeholder byte (\x01 rostering, \x02 gradebook, \x03 resources; bytes
// JSON text never contains unescaped) followed by "/collection/sourcedId"; List and Get replace it with the
// caller's Hrefs (see HrefsFor), so the cache does not depend on the public URL.
//
// External LMS Exclude cascades: an excluded org hides the orgs, courses, classes and enrollments beneath it
// (and the users whose every role is there); an excluded course hides its classes; an excluded class its
// enrollments and gradebook records; an excluded user their enrollments, demographics and results; an
// excluded academic session its descendants and the classes in them (and their enrollments). A deleted live
// record (status tobedeleted) hides what hangs beneath it the same way. The settings apply too: the
// identifier, username and email sources, guardians and aides (unpublished, they disappear with their roles
// and agent links), and the active school year (sessions of other years are hidden like excluded ones).
//
// A live record that is deleted is published as a tombstone rendered from its live row. A record that is
// hidden (excluded, beneath something hidden, unpublished by a setting) or gone from the live data is
// published as a tombstone made of the body it was last published with (status tobedeleted), and seen by the
// same connections; a hidden record that was never published is not published at all. A record's
// dateLastModified changes only when its published content changes; a changed record is stamped with the
// time its generation is published (the flip), not the time its build started, so that a delta sync made
// during the build still sees it.
//
// A record can also stay published and leave the sight of some schools: a student who transfers, a user whose
// role at an excluded school is no longer published, a class that moves to another school (and its gradebook
// records with it). Connections limited to those schools get it as a tombstone, frozen at the loss: a
// connection never gets data published after its schools lost sight of the record. A new version records the
// schools the version before it was seen by and it is not (rule of scope: scope 1 its school, scope 2 its
// linked schools, scope 0 every school), as cache_links rel gone (target "" for "every school", when a
// record every connection saw becomes limited to some schools), with bit 16 of kinds set. Each gone link
// holds its frozen tombstone: the bodies of the version before the loss (the last ones those schools saw;
// status tobedeleted) and the time of the loss (the new version's dateLastModified: the flip's time for a
// refresh, the write's for PublishGradebook). A version also keeps the earlier version's gone links with
// their tombstones unchanged, except those of the schools it is seen by again, so a school stays gone until
// the record is visible there again, and a record seen by every connection again has none; a school that is
// seen by again and lost again gets a new tombstone, and "" and a school may both be gone, lost at different
// times. A school-limited connection that sees a record only through gone links (none of its schools sees
// it, and one of them or "" is gone) gets, of the gone links of its schools and "", the tombstone of the
// latest loss (it saw the record until then): that body, with the loss time as dateLastModified, the same
// bytes whatever the record becomes later. For it the record is tobedeleted and last modified at the loss
// everywhere: Get, List of the collection, its subsets and a gone school's records (Scope.School), filters
// and sorts on status and dateLastModified (a delta after the loss does not return it again), and the exact
// totals; filters on the other fields never match it (they would compare the record's current values), and
// a sort on them orders it by its current values. Subsets (students, teachers...) are those of the current
// version. A gradebook record seen this way leaves that connection's lists (except deltas) as a deleted one
// does. Connections that see the record through another school, and connections to every school, get it
// unchanged and pay nothing for this. Gone links written before tombstones were frozen (no tombstone) give
// the version's body as a tombstone with its dateLastModified.
//
// # Reading
//
// Catalogue gives the fields of a collection per version for query.Parse. List runs a collection query
// (Query: collection, Viewer, parsed parameters, Scope for subset and nested paths, an optional pinned
// Generation, Hrefs) and returns Rows: the exact total and a stream of bodies to write between
// {"key":[ and ]} (Rows.WriteJSON writes the envelope). Filters and sorts compile to SQL for PostgreSQL and
// SQLite (see compile.go for the semantics); field names come from the catalogue only and values are always
// bound. Get returns one record (single-object GETs, parents of nested paths, GraphQL). Viewer (ViewerFor a
// connection) decides visibility in one place.
//
// # Writing
//
// Refresh builds and publishes a generation; Scheduler runs refreshes on the district's schedule; Status
// reports the current, running and failed ones. Vendors' gradebook writes call PublishGradebook inside their
// transaction, which makes the change visible at once.
package cache
