package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/ent/auditevent"
	"github.com/rollcall/rollcall/store"
)

// bundleCLI runs rollcall with args (the data directory appended) and returns the exit status and outputs.
func bundleCLI(t *testing.T, dataDir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(context.Background(), append(args, "--data-dir", dataDir, "--log-level", "error"), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestImportExportCommands imports the 1.2 sample bundle, exports it as a folder and as a zip, and imports
// the zip into a second data directory: the exports must equal the exporter's golden files.
func TestImportExportCommands(t *testing.T) {
	sample := filepath.Join("..", "csvbundle", "testdata", "v12")
	golden := filepath.Join("..", "csvbundle", "testdata", "export12")
	data := t.TempDir()

	code, out, errOut := bundleCLI(t, data, "import", sample, "--dry-run")
	if code != 0 || !strings.Contains(out, "succeeded: dry run: the OneRoster 1.2 bundle is valid (54 rows in 21 files)") {
		t.Fatalf("dry run: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = bundleCLI(t, data, "import", sample)
	if code != 0 || !strings.Contains(out, "succeeded: imported OneRoster 1.2 bundle (21 files, 54 rows): 53 created") ||
		!strings.Contains(out, "users.csv     5        5") || !strings.Contains(errOut, "import: writing rows") {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errOut)
	}

	dir := filepath.Join(t.TempDir(), "out")
	zip := filepath.Join(t.TempDir(), "out.zip")
	for _, p := range []string{dir, zip} {
		if code, out, errOut := bundleCLI(t, data, "export", "--version", "1.2", p); code != 0 || !strings.Contains(out, "users.csv     5") {
			t.Fatalf("export %s: exit %d\n%s\n%s", p, code, out, errOut)
		}
	}
	want, _ := os.ReadDir(golden)
	for _, e := range want {
		a, _ := os.ReadFile(filepath.Join(golden, e.Name()))
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		if string(a) != string(b) {
			t.Errorf("exported %s differs from %s", e.Name(), golden)
		}
	}
	other := t.TempDir()
	if code, out, errOut := bundleCLI(t, other, "import", zip); code != 0 || !strings.Contains(out, "53 created") {
		t.Fatalf("import of the zip: exit %d\n%s\n%s", code, out, errOut)
	}
}

// TestImportCommandReportsProblems: an invalid bundle exits 1, lists every problem, and changes nothing.
func TestImportCommandReportsProblems(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "manifest.csv"), []byte("propertyName,value\noneroster.version,1.1\nfile.orgs,bulk\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "orgs.csv"), []byte("sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"+
		"d1,,,District,district,,\ns1,,,School,skool,,d9\n"), 0o644)
	data := t.TempDir()
	code, out, errOut := bundleCLI(t, data, "import", dir)
	if code != 1 || !strings.Contains(out, "failed: invalid bundle: 2 problems") ||
		!strings.Contains(errOut, `orgs.csv:3: column type: value "skool": want a org type`) ||
		!strings.Contains(errOut, `orgs.csv:3: column parentSourcedId: value "d9": unknown org`) ||
		!strings.Contains(errOut, "2 problems; nothing was changed") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, args := range [][]string{{"import"}, {"import", "a", "b"}, {"export", "--version", "1.3", "x"}, {"export"}} {
		if code, _, errOut := bundleCLI(t, data, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (usage)\n%s", args, code, errOut)
		}
	}
}

// The CLI's admin actions are in the audit log as system:cli: an import and a cache refresh.
func TestCLIImportAndRefreshAreAudited(t *testing.T) {
	data := t.TempDir()
	if code, out, errOut := bundleCLI(t, data, "import", filepath.Join("..", "csvbundle", "testdata", "v12")); code != 0 {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := bundleCLI(t, data, "cache", "refresh"); code != 0 || !strings.Contains(out, `"generation"`) {
		t.Fatalf("cache refresh: exit %d\n%s\n%s", code, out, errOut)
	}
	db, err := store.Open(context.Background(), "", data)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got []string
	for _, e := range db.Client.AuditEvent.Query().Order(auditevent.ByID()).AllX(context.Background()) {
		got = append(got, e.Actor+" "+e.Action+" "+strings.SplitN(e.Target, ":", 2)[0])
	}
	if want := "system:cli import.start importRun,system:cli cache.refresh cacheGeneration"; strings.Join(got, ",") != want {
		t.Errorf("audit log = %v, want %s", got, want)
	}
}
