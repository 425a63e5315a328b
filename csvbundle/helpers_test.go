package csvbundle

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/schema"
	"github.com/rollcall/rollcall/store"
)

// memSink collects an export in memory.
type memSink struct {
	files  map[string]*bytes.Buffer
	closed bool
}

func newMemSink() *memSink { return &memSink{files: map[string]*bytes.Buffer{}} }

func (s *memSink) Create(name string) (io.Writer, error) {
	b := &bytes.Buffer{}
	s.files[name] = b
	return b, nil
}
func (s *memSink) Close() error { s.closed = true; return nil }
func (s *memSink) Abort()       {}

// export exports db in version and returns the files.
func export(t *testing.T, db *store.DB, version string) map[string]string {
	t.Helper()
	s := newMemSink()
	if _, err := Export(context.Background(), db, s, ExportOptions{Version: version}); err != nil {
		t.Fatalf("export %s: %v", version, err)
	}
	out := map[string]string{}
	for n, b := range s.files {
		out[n] = b.String()
	}
	return out
}

// writeDir writes files into a new folder and returns it.
func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// readDir reads every file of a folder.
func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(b)
	}
	return out
}

// sample returns the files of a testdata bundle ("v11" or "v12"), to change before writing them out.
func sample(t *testing.T, name string) map[string]string {
	t.Helper()
	return readDir(t, filepath.Join("testdata", name))
}

// importFiles writes files to a folder and imports it.
func importFiles(t *testing.T, db *store.DB, files map[string]string, opt Options) (*ent.ImportRun, error) {
	t.Helper()
	return ImportPath(context.Background(), db, writeDir(t, files), opt)
}

// mustImport imports files and fails the test on any error.
func mustImport(t *testing.T, db *store.DB, files map[string]string) *ent.ImportRun {
	t.Helper()
	run, err := importFiles(t, db, files, Options{})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return run
}

// clock makes the record hook's clock (and the COPY path's, which reads the same) return at, so that tests
// can tell which import last touched a record.
func clock(t *testing.T, at time.Time) {
	t.Helper()
	prev := schema.Now
	schema.Now = func() time.Time { return at }
	t.Cleanup(func() { schema.Now = prev })
}

var (
	t1 = time.Date(2030, 1, 1, 10, 0, 0, 0, time.UTC)
	t2 = time.Date(2030, 1, 2, 10, 0, 0, 0, time.UTC)
)

// tables of OneRoster records, for snapshots.
var recordTables = []string{"orgs", "academic_sessions", "courses", "classes", "users", "roles", "user_profiles",
	"enrollments", "demographics", "resources", "categories", "score_scales", "line_items", "results"}

// snapshot renders every record as table|sourcedId|status|dateLastModified|modifiedBy, sorted, plus the rows
// of the join tables, so that two snapshots differ exactly when an import changed something.
func snapshot(t *testing.T, db *store.DB) string {
	t.Helper()
	var lines []string
	for _, tb := range recordTables {
		rows, err := db.SQL.Query(fmt.Sprintf(`SELECT "sourced_id", "status", "date_last_modified", "modified_by" FROM %q`, tb))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var sid, st, by string
			var dlm time.Time
			if err := rows.Scan(&sid, &st, &dlm, &by); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, strings.Join([]string{tb, sid, st, dlm.UTC().Format(time.RFC3339Nano), by}, "|"))
		}
		rows.Close()
	}
	for _, j := range []*join{classTerms, userAgents, classResources, courseResources, userResources} {
		lines = append(lines, fmt.Sprintf("%s: %d rows", j.table, count(t, db, j.table)))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func count(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.SQL.QueryRow(fmt.Sprintf(`SELECT COUNT(*) FROM %q`, table)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// record returns status, dateLastModified and modifiedBy of one record.
func record(t *testing.T, db *store.DB, table, sid string) (status string, dlm time.Time, by string) {
	t.Helper()
	err := db.SQL.QueryRow(fmt.Sprintf(`SELECT "status", "date_last_modified", "modified_by" FROM %q WHERE "sourced_id" = '%s'`,
		table, sid)).Scan(&status, &dlm, &by)
	if err == sql.ErrNoRows {
		t.Fatalf("%s %s does not exist", table, sid)
	}
	if err != nil {
		t.Fatal(err)
	}
	return status, dlm.UTC(), by
}

// replaceLine replaces the line of a file that starts with prefix (the sourcedId and a comma) by repl ("" deletes it).
func replaceLine(t *testing.T, files map[string]string, file, prefix, repl string) {
	t.Helper()
	lines := strings.SplitAfter(files[file], "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, prefix) {
			if repl == "" {
				lines[i] = ""
			} else {
				lines[i] = repl + "\n"
			}
			files[file] = strings.Join(lines, "")
			return
		}
	}
	t.Fatalf("%s has no line starting with %q", file, prefix)
}

// only keeps the manifest and the named files, marking the others absent, and sets the mode of the kept ones.
func only(t *testing.T, files map[string]string, mode Mode, keep ...string) map[string]string {
	t.Helper()
	version := "1.2"
	if strings.Contains(files[ManifestFile], "oneroster.version,1.1") {
		version = "1.1"
	}
	out := map[string]string{}
	m := "propertyName,value\nmanifest.version,1.0\noneroster.version," + version + "\n"
	for _, k := range keep {
		out[k] = files[k]
		m += "file." + strings.TrimSuffix(k, ".csv") + "," + string(mode) + "\n"
	}
	out[ManifestFile] = m
	return out
}
