// Package gradebook is grade passback: the OneRoster gradebook of both versions, reads and writes, for
// partner vendors. Service.Routes returns its routes for facade.Options.Extra: OneRoster 1.2's 35 operations
// of the official gradebook document under /ims/oneroster/gradebook/v1p2 (categories, line items, results,
// score scales, assessment line items and results; the nested reads; PUT, POST and DELETE) and OneRoster
// 1.1's 16 under /ims/oneroster/v1p1 (categories, line items, results: reads, PUT, DELETE, nested reads; 1.1
// has no POST). The facade does routing, token, scope and rate checks and error rendering; reads are its
// built-in reader over the published cache; writes are this package's handlers.
//
// # Who may write
//
// Scopes are negotiated per connection (provision.AllowedScopes gives write scopes only to partners with
// the Gradebook Sync type, and assessment scopes only with Assessment Sync); every write checks the
// connection again (partner, type) and is refused with 403 otherwise. Writes stay inside the connection's
// schools: a record the body names that exists but lies outside a school-limited connection's schools is
// 403; a path parent it cannot see is 404 unknownobject (a school outside its schools, 403), as for reads.
// A live record the connection does not see may not be replaced (403) or deleted (404).
//
// # What a write does
//
//   - PUT /<collection>/{sourcedId} creates the record (201) or replaces it (200), no body; a PUT of a
//     deleted record brings it back (201). Replacing means every member the version has is taken from the
//     body (absent optional members are cleared); a 1.1 PUT leaves the 1.2-only fields alone. The same PUT
//     twice changes nothing visible (the cache keeps dateLastModified when the published content is equal).
//   - POST (1.2) creates every record of the body, all or none, under sourcedIds the server allocates (random
//     UUIDs) and answers 201 {"sourcedIdPairs":[{"suppliedSourcedId","allocatedSourcedId"}]}.
//   - DELETE soft-deletes (the ent mixin turns it into status tobedeleted) and answers 204; the record leaves
//     every later read: 404 by sourcedId and absent from lists, except a delta filter on dateLastModified (or
//     status), which still lists the tombstone. A line item's (assessment line item's) results go with it.
//
// Each write runs in one transaction as the connection's service account (provision.VendorContext: the
// record hook stamps modified_by "vendor:<service account>"), publishes what it changed into the cache
// (cache.PublishGradebook, before the commit: the writer's next read sees it) and records an audit event
// gradebook.<entity>.<put|post|delete> with the target <entity>:<sourcedId>. Rows are locked FOR UPDATE on
// PostgreSQL; a write that lost the race to create the same sourcedId (unique violation) or hit a
// serialization failure is run again, so concurrent PUTs of one record make one record and lose none.
//
// # Validation
//
// Nothing is changed when a body is refused. Malformed JSON is 400 invalid data in both versions; JSON that
// says something wrong is 422 invaliddata in 1.2 (the document's code for it) and 400 "invalid data" in 1.1,
// with a message naming the member ("lineItem.dueDate: 'next week' is not a date-time ..."): a wrong envelope
// key, a body sourcedId different from the path's, a missing required member, an unknown member (the schemas
// are closed), a value of the wrong type, a non-numeric score, an unknown scoreStatus (1.1 without ext:), a
// date or date-time that is not one, a reference to a class, line item, category, score scale, session or
// student the connection does not see, a student not enrolled in the line item's class, a school that is
// not the class's. Required members are the standard's, except sourcedId (the path's), status and
// dateLastModified (the server's) and 1.2's lineItem.school (the class's). GUIDRefs may omit href and type.
// Scores above resultValueMax (extra credit) are kept as sent. With the district setting
// RefuseClosedGradingPeriods, a result written or deleted for a line item whose grading period ended before
// today (in the settings' time zone) is refused with 422 and the period's end date.
package gradebook
