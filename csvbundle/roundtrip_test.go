package csvbundle

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/export11 and testdata/export12 from the current exporter")

// diffFiles describes how two bundles differ, or returns "".
func diffFiles(a, b map[string]string) string {
	var out []string
	names := map[string]bool{}
	for n := range a {
		names[n] = true
	}
	for n := range b {
		names[n] = true
	}
	for n := range names {
		if a[n] != b[n] {
			out = append(out, fmt.Sprintf("%s differs:\n--- first\n%s--- second\n%s", n, a[n], b[n]))
		}
	}
	slices.Sort(out)
	return strings.Join(out, "\n")
}

// TestRoundTrip imports each sample, exports it (which must match the golden export), imports the export
// into an empty database and exports again: the two exports must be byte-identical, on both databases.
func TestRoundTrip(t *testing.T) {
	for _, v := range []string{"1.1", "1.2"} {
		name := "v1" + v[2:]
		golden := filepath.Join("testdata", "export1"+v[2:])
		t.Run(name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				mustImport(t, db, sample(t, name))
				first := export(t, db, v)
				if *updateGolden && db.Dialect == "sqlite3" {
					os.RemoveAll(golden)
					os.MkdirAll(golden, 0o755)
					for n, c := range first {
						os.WriteFile(filepath.Join(golden, n), []byte(c), 0o644)
					}
				}
				if d := diffFiles(readDir(t, golden), first); d != "" {
					t.Errorf("the export differs from %s (go test -update rewrites it):\n%s", golden, d)
				}
				fresh := storetest.Open(t, db.Dialect)
				mustImport(t, fresh, first)
				if d := diffFiles(first, export(t, fresh, v)); d != "" {
					t.Errorf("round trip is not exact:\n%s", d)
				}
			})
		})
	}
}

// TestRoundTripZip exports to a zip file and a folder with ExportPath, and imports both back.
func TestRoundTripZip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustImport(t, db, sample(t, "v12"))
		want := export(t, db, "1.2")
		for _, name := range []string{"bundle.zip", "bundle"} {
			path := filepath.Join(t.TempDir(), name)
			counts, err := ExportPath(ctx, db, path, ExportOptions{Version: "1.2"})
			if err != nil {
				t.Fatal(err)
			}
			if counts["users.csv"] != 5 || counts["userProfiles.csv"] != 3 {
				t.Errorf("counts %v", counts)
			}
			if name == "bundle" {
				if d := diffFiles(want, readDir(t, path)); d != "" {
					t.Errorf("folder export differs:\n%s", d)
				}
			}
			fresh := storetest.Open(t, db.Dialect)
			if _, err := ImportPath(ctx, fresh, path, Options{}); err != nil {
				t.Fatal(err)
			}
			if d := diffFiles(want, export(t, fresh, "1.2")); d != "" {
				t.Errorf("%s: round trip differs:\n%s", name, d)
			}
			if _, err := ExportPath(ctx, db, path, ExportOptions{Version: "1.2"}); name == "bundle" && err == nil {
				t.Error("exporting into a non-empty folder should fail")
			}
		}
		again := filepath.Join(t.TempDir(), "a.zip")
		ExportPath(ctx, db, again, ExportOptions{Version: "1.2"})
		other := filepath.Join(t.TempDir(), "b.zip")
		ExportPath(ctx, db, other, ExportOptions{Version: "1.2"})
		a, _ := os.ReadFile(again)
		b, _ := os.ReadFile(other)
		if string(a) != string(b) || len(a) == 0 {
			t.Error("two zip exports of the same data differ")
		}
	})
}

// TestExportSameOnBothDatabases: SQLite (ent) and PostgreSQL (COPY) must store the samples identically.
func TestExportSameOnBothDatabases(t *testing.T) {
	for _, v := range []string{"1.1", "1.2"} {
		var got []map[string]string
		for _, d := range storetest.Dialects {
			db := storetest.Open(t, d)
			mustImport(t, db, sample(t, "v1"+v[2:]))
			got = append(got, export(t, db, v))
		}
		if d := diffFiles(got[0], got[1]); d != "" {
			t.Errorf("%s: SQLite and PostgreSQL exports differ:\n%s", v, d)
		}
	}
}

// TestCrossVersion exports 1.2 data as 1.1 (and 1.1 data as 1.2): the result must be a valid bundle, and a
// round trip of it exact.
func TestCrossVersion(t *testing.T) {
	for _, c := range []struct{ from, to string }{{"v12", "1.1"}, {"v11", "1.2"}} {
		t.Run(c.from+"_as_"+c.to, func(t *testing.T) { crossVersion(t, c.from, c.to) })
	}
}

func crossVersion(t *testing.T, from, to string) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		mustImport(t, db, sample(t, from))
		first := export(t, db, to)
		fresh := storetest.Open(t, db.Dialect)
		mustImport(t, fresh, first)
		if d := diffFiles(first, export(t, fresh, to)); d != "" {
			t.Errorf("%s as %s: round trip differs:\n%s", from, to, d)
		}
		if to == "1.1" && !strings.Contains(first["users.csv"], `u-tea-1,active,,true,"org-hs,org-ms",teacher,`) {
			t.Errorf("1.1 users.csv:\n%s", first["users.csv"])
		}
	})
}

// TestExportDateLastModified fills dateLastModified on request.
func TestExportDateLastModified(t *testing.T) {
	db := storetest.Open(t, "sqlite3")
	clock(t, t1)
	mustImport(t, db, sample(t, "v11"))
	s := newMemSink()
	if _, err := Export(context.Background(), db, s, ExportOptions{Version: "1.1", DateLastModified: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s.files["orgs.csv"].String(), "d1,active,2030-01-01T10:00:00.000Z,") {
		t.Errorf("orgs.csv:\n%s", s.files["orgs.csv"])
	}
	if _, err := Export(context.Background(), db, newMemSink(), ExportOptions{Version: "2.0"}); err == nil {
		t.Error("version 2.0 accepted")
	}
}
