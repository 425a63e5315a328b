package csvbundle

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rollcall/rollcall/demo"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestBigImport measures a district-sized import into PostgreSQL: the demo generator makes a district of
// ROLLCALL_BIG_STUDENTS students, it is exported as a 1.2 zip, and the zip is imported into a new database
// (then once more, which must change nothing), and exported again (which must give the same files).
//
//	ROLLCALL_BIG_STUDENTS=100000 go test ./csvbundle -run TestBigImport -v -timeout 30m
func TestBigImport(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("ROLLCALL_BIG_STUDENTS"))
	if n == 0 {
		t.Skip("set ROLLCALL_BIG_STUDENTS (e.g. 100000) to run")
	}
	ctx := context.Background()
	// ROLLCALL_BIG_ZIP keeps the exported district between runs.
	zip := os.Getenv("ROLLCALL_BIG_ZIP")
	if zip == "" {
		zip = filepath.Join(t.TempDir(), "district.zip")
	}
	if _, err := os.Stat(zip); err != nil {
		src := storetest.Open(t, dialect.Postgres)
		start := time.Now()
		if _, err := demo.Generate(ctx, src, demo.Options{Students: n, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		t.Logf("demo district of %d students generated in %v", n, time.Since(start).Round(time.Millisecond))
		start = time.Now()
		counts, err := ExportPath(ctx, src, zip, ExportOptions{Version: "1.2"})
		if err != nil {
			t.Fatal(err)
		}
		fi, _ := os.Stat(zip)
		t.Logf("exported in %v: %d bytes zipped, rows %v", time.Since(start).Round(time.Millisecond), fi.Size(), counts)
	}

	dst := storetest.Open(t, dialect.Postgres)
	start := time.Now()
	run, err := ImportPath(ctx, dst, zip, Options{Progress: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	t.Logf("IMPORT of %d students into PostgreSQL: %v (max RSS of the test process so far %d MiB): %s",
		n, took.Round(time.Millisecond), ru.Maxrss/1024, run.Message)

	start = time.Now()
	run, err = ImportPath(ctx, dst, zip, Options{Progress: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("re-import (nothing changes) in %v: %s", time.Since(start).Round(time.Millisecond), run.Message)

	again := filepath.Join(t.TempDir(), "again.zip")
	if _, err := ExportPath(ctx, dst, again, ExportOptions{Version: "1.2"}); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(zip)
	b, _ := os.ReadFile(again)
	if string(a) != string(b) {
		t.Errorf("exporting the imported district gives other bytes (%d vs %d)", len(a), len(b))
	}
}
