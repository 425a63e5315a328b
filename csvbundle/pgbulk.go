package csvbundle

// relaxMinRows is the size from which a file loaded into an empty PostgreSQL table is loaded with the
// table's secondary indexes and foreign keys dropped and rebuilt afterwards (store.PrepareBulkLoad).
var relaxMinRows = 10000 // a variable for tests

// relaxFor decides which tables to prepare for a bulk load for a records file: on PostgreSQL, when the file
// is large and its table was empty when the import started, the table and the join tables it owns (empty as well, since their
// rows refer to it); for a 1.1 users.csv also the roles table when that was empty. Loading many rows into
// an empty table is the initial load of a district; relaxing a table that already holds data would rebuild
// its indexes in full and lock out its readers for the whole import, so it is never done.
func (w *writer) relaxFor(fw *fileWrite) []string {
	if !w.copy || fw.f.rows < relaxMinRows || !fw.ix.empty {
		return nil
	}
	out := []string{fw.t.name}
	for _, c := range fw.cols {
		if c.kind == kRefs {
			out = append(out, c.join.table)
		}
	}
	if fw.f.spec.version == "1.1" && fw.t.name == "users" && w.im.idx["roles"].empty {
		out = append(out, "roles")
	}
	return out
}
