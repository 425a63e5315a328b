package csvbundle

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/ent/importrun"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

// badCase is a broken bundle and the problem it must be reported with.
type badCase struct {
	name   string
	break_ func(f map[string]string) // breaks the v12 sample
	lim    Limits
	want   Problem // File, Line, Column and Value must match; Message must contain want.Message
}

var badCases = []badCase{
	{"missing required column", func(f map[string]string) {
		f["users.csv"] = strings.Replace(f["users.csv"], ",givenName,", ",firstName,", 1)
	}, Limits{}, Problem{File: "users.csv", Line: 1, Column: "givenName", Message: "missing required column givenName"}},
	{"bad enum", func(f map[string]string) {
		f["orgs.csv"] = strings.Replace(f["orgs.csv"], ",school,HS-1,", ",skool,HS-1,", 1)
	}, Limits{}, Problem{File: "orgs.csv", Line: 2, Column: "type", Value: "skool", Message: "want a org type: one of department, district, local, national, school, state, or an ext: token"}},
	{"bad date", func(f map[string]string) {
		f["academicSessions.csv"] = strings.Replace(f["academicSessions.csv"], "2024-10-15", "2024-10-32", 1)
	}, Limits{}, Problem{File: "academicSessions.csv", Line: 5, Column: "endDate", Value: "2024-10-32", Message: "want a date YYYY-MM-DD"}},
	{"bad dateTime", func(f map[string]string) {
		f["lineItems.csv"] = strings.Replace(f["lineItems.csv"], "2024-09-08T23:59:59.000Z", "8 Sept 2024", 1)
	}, Limits{}, Problem{File: "lineItems.csv", Line: 2, Column: "dueDate", Value: "8 Sept 2024", Message: "want a dateTime"}},
	{"bad dateLastModified", func(f map[string]string) {
		f["orgs.csv"] = strings.Replace(f["orgs.csv"], "2024-07-01T00:00:00.000Z", "yesterday", 1)
	}, Limits{}, Problem{File: "orgs.csv", Line: 3, Column: "dateLastModified", Value: "yesterday", Message: "want a dateTime"}},
	{"unknown reference", func(f map[string]string) {
		f["enrollments.csv"] = strings.Replace(f["enrollments.csv"], ",org-ms,u-stu-2,student,false,,", ",org-ms,u-nobody,student,false,,", 1)
	}, Limits{}, Problem{File: "enrollments.csv", Line: 4, Column: "userSourcedId", Value: "u-nobody", Message: "unknown user: no user with this sourcedId in users.csv or the database"}},
	{"unknown reference to the same file", func(f map[string]string) {
		f["orgs.csv"] = strings.Replace(f["orgs.csv"], "HS-1,org-district", "HS-1,org-nowhere", 1)
	}, Limits{}, Problem{File: "orgs.csv", Line: 2, Column: "parentSourcedId", Value: "org-nowhere", Message: "unknown org"}},
	{"duplicate sourcedId", func(f map[string]string) {
		f["courses.csv"] += "crs-alg,,,as-year,Algebra again,ALG2,,org-hs,,\n"
	}, Limits{}, Problem{File: "courses.csv", Line: 4, Column: "sourcedId", Value: "crs-alg", Message: "duplicate sourcedId (first on line 2)"}},
	{"demographics without a user", func(f map[string]string) {
		f["demographics.csv"] += "u-ghost,,,,,,,,,,,,,,,\n"
	}, Limits{}, Problem{File: "demographics.csv", Line: 4, Column: "sourcedId", Value: "u-ghost", Message: "demographics share their user's sourcedId"}},
	{"delta row without status", func(f map[string]string) {
		f[ManifestFile] = strings.Replace(f[ManifestFile], "file.categories,bulk", "file.categories,delta", 1)
		f["categories.csv"] = "sourcedId,status,dateLastModified,title,weight\ncat-hw,,2024-01-01,Homework,0.25\n"
	}, Limits{}, Problem{File: "categories.csv", Line: 2, Column: "status", Message: "rows of a delta file need a status"}},
	{"bad status", func(f map[string]string) {
		f["categories.csv"] = strings.Replace(f["categories.csv"], "cat-hw,,", "cat-hw,deleted,", 1)
	}, Limits{}, Problem{File: "categories.csv", Line: 2, Column: "status", Value: "deleted", Message: "want active or tobedeleted"}},
	{"bad boolean", func(f map[string]string) {
		f["users.csv"] = strings.Replace(f["users.csv"], "u-stu-2,,,true,", "u-stu-2,,,yes,", 1)
	}, Limits{}, Problem{File: "users.csv", Line: 3, Column: "enabledUser", Value: "yes", Message: "want true or false"}},
	{"bad number", func(f map[string]string) {
		f["categories.csv"] = strings.Replace(f["categories.csv"], "0.25", "a quarter", 1)
	}, Limits{}, Problem{File: "categories.csv", Line: 2, Column: "weight", Value: "a quarter", Message: "want a number"}},
	{"bad userIds", func(f map[string]string) {
		f["users.csv"] = strings.Replace(f["users.csv"], "{SIS:1002}", "SIS=1002", 1)
	}, Limits{}, Problem{File: "users.csv", Line: 3, Column: "userIds", Value: "SIS=1002", Message: "want {type:identifier} items separated by commas"}},
	{"bad sourcedId", func(f map[string]string) {
		f["categories.csv"] = strings.Replace(f["categories.csv"], "cat-hw,", "cat hw,", 1)
	}, Limits{}, Problem{File: "categories.csv", Line: 2, Column: "sourcedId", Value: "cat hw", Message: "without spaces"}},
	{"wrong number of cells", func(f map[string]string) {
		f["categories.csv"] += "cat-x,,,Extra,0.1,surprise\n"
	}, Limits{}, Problem{File: "categories.csv", Line: 4, Message: "the row has 6 cells, the header has 5"}},
	{"unbalanced quotes", func(f map[string]string) {
		f["categories.csv"] = strings.Replace(f["categories.csv"], "cat-test,,,Tests & Quizzes", `cat-test,,,"Tests & Quizzes`, 1)
	}, Limits{}, Problem{File: "categories.csv", Line: 3, Message: "unbalanced quotes"}},
	{"bare quote", func(f map[string]string) {
		f["categories.csv"] = strings.Replace(f["categories.csv"], "Tests & Quizzes", `Tests "&" Quizzes`, 1)
	}, Limits{}, Problem{File: "categories.csv", Line: 3, Column: "title", Message: `bare " in an unquoted cell`}},
	{"invalid UTF-8", func(f map[string]string) {
		f["categories.csv"] = strings.Replace(f["categories.csv"], "Homework", "Devoirs \xe0 la maison", 1) // Latin-1 à
	}, Limits{}, Problem{File: "categories.csv", Line: 2, Column: "title", Message: "invalid UTF-8"}},
	{"NUL character", func(f map[string]string) {
		f["categories.csv"] = strings.Replace(f["categories.csv"], "Homework", "Home\x00work", 1)
	}, Limits{}, Problem{File: "categories.csv", Line: 2, Column: "title", Message: "NUL character"}},
	{"huge line", func(f map[string]string) {
		f["categories.csv"] += "cat-big,,," + strings.Repeat("x", 2<<20) + ",1\n"
	}, Limits{}, Problem{File: "categories.csv", Line: 4, Message: "record is longer than the limit of 1048576 bytes"}},
	{"empty file", func(f map[string]string) {
		f["categories.csv"] = ""
	}, Limits{}, Problem{File: "categories.csv", Message: "empty file: want a header row"}},
	{"metadata columns clash", func(f map[string]string) {
		f["categories.csv"] = "sourcedId,status,dateLastModified,title,weight,metadata.a,metadata.a.b\ncat-hw,,,Homework,,x,y\n"
	}, Limits{}, Problem{File: "categories.csv", Line: 1, Column: "metadata.a.b", Message: "clashes with column metadata.a"}},
	{"manifest names a missing file", func(f map[string]string) {
		delete(f, "categories.csv")
	}, Limits{}, Problem{File: ManifestFile, Line: 5, Column: "value", Value: "bulk", Message: "the manifest says categories.csv is bulk, but the bundle has no categories.csv"}},
	{"unknown version", func(f map[string]string) {
		f[ManifestFile] = strings.Replace(f[ManifestFile], "oneroster.version,1.2", "oneroster.version,1.3", 1)
	}, Limits{}, Problem{File: ManifestFile, Line: 3, Column: "value", Value: "1.3", Message: "unknown oneroster.version (want 1.1 or 1.2)"}},
	{"no version", func(f map[string]string) {
		f[ManifestFile] = strings.Replace(f[ManifestFile], "oneroster.version,1.2\n", "", 1)
	}, Limits{}, Problem{File: ManifestFile, Column: "propertyName", Value: "oneroster.version", Message: "missing property oneroster.version"}},
	{"bad mode", func(f map[string]string) {
		f[ManifestFile] = strings.Replace(f[ManifestFile], "file.orgs,bulk", "file.orgs,full", 1)
	}, Limits{}, Problem{File: ManifestFile, Line: 15, Column: "value", Value: "full", Message: "file.orgs: want absent, bulk or delta"}},
	{"bad manifest header", func(f map[string]string) {
		f[ManifestFile] = strings.Replace(f[ManifestFile], "propertyName,value", "property,value", 1)
	}, Limits{}, Problem{File: ManifestFile, Line: 1, Value: "property,value", Message: "the header must be exactly propertyName,value"}},
	{"no manifest", func(f map[string]string) {
		delete(f, ManifestFile)
	}, Limits{}, Problem{File: ManifestFile, Message: "the bundle has no manifest.csv"}},
	{"empty manifest", func(f map[string]string) {
		f[ManifestFile] = ""
	}, Limits{}, Problem{File: ManifestFile, Message: "empty file"}},
	{"bundle too big", func(f map[string]string) {}, Limits{MaxTotalBytes: 1000},
		Problem{Message: "more than the limit of 1000"}},
}

// check reports whether p matches want.
func (want Problem) matches(p Problem) bool {
	return p.File == want.File && p.Line == want.Line && p.Column == want.Column && p.Value == want.Value &&
		strings.Contains(p.Message, want.Message)
}

// TestBadInput breaks the 1.2 sample in one way each: the import must fail with exactly that problem, and
// change nothing (the bundle also changes a title, which must not be applied).
func TestBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clock(t, t1)
		mustImport(t, db, sample(t, "v12"))
		before := snapshot(t, db)
		clock(t, t2)
		for _, tc := range badCases {
			t.Run(tc.name, func(t *testing.T) {
				files := sample(t, "v12")
				files["resources.csv"] = strings.Replace(files["resources.csv"], "Algebra Workbook", "Algebra Workbook (2nd edition)", 1)
				tc.break_(files)
				run, err := importFiles(t, db, files, Options{Limits: tc.lim})
				var verr *ValidationError
				if !errors.As(err, &verr) {
					t.Fatalf("err = %v, want a *ValidationError", err)
				}
				if verr.Count != 1 || len(verr.Problems) != 1 || !tc.want.matches(verr.Problems[0]) {
					t.Errorf("problems (%d):\n%s\nwant: %s", verr.Count, problemList(verr.Problems), tc.want)
				}
				if run.Status != importrun.StatusFailed || run.ErrorCount != 1 || len(run.Errors) != 1 {
					t.Errorf("run: %+v", run)
				}
				if after := snapshot(t, db); after != before {
					t.Error("a failed import changed the database")
				}
			})
		}
	})
}

func problemList(ps []Problem) string {
	var sb strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&sb, "  %s\n", p)
	}
	return sb.String()
}

// TestEveryProblemIsReported breaks a bundle in three ways in three files: all three are reported.
func TestEveryProblemIsReported(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		files := sample(t, "v11")
		files["orgs.csv"] = strings.Replace(files["orgs.csv"], ",school,0601234-02,", ",campus,0601234-02,", 1)
		files["academicSessions.csv"] = strings.Replace(files["academicSessions.csv"], "2024-10-18", "18/10/2024", 1)
		files["enrollments.csv"] = strings.Replace(files["enrollments.csv"], "k-bio,s-high,st-kai,student", "k-bio,s-high,st-nobody,student", 1)
		run, err := importFiles(t, db, files, Options{})
		var verr *ValidationError
		if !errors.As(err, &verr) || verr.Count != 3 || run.ErrorCount != 3 || len(run.Errors) != 3 {
			t.Fatalf("err = %v, run errors %d %v", err, run.ErrorCount, run.Errors)
		}
		want := []Problem{
			{File: "orgs.csv", Line: 4, Column: "type", Value: "campus", Message: "want a org type"},
			{File: "academicSessions.csv", Line: 4, Column: "endDate", Value: "18/10/2024", Message: "want a date"},
			{File: "enrollments.csv", Line: 4, Column: "userSourcedId", Value: "st-nobody", Message: "unknown user"},
		}
		for i, w := range want {
			if !w.matches(verr.Problems[i]) {
				t.Errorf("problem %d: %s, want %s", i, verr.Problems[i], w)
			}
			if run.Errors[i]["file"] != w.File || run.Errors[i]["line"] != float64(w.Line) && run.Errors[i]["line"] != w.Line {
				t.Errorf("stored error %d: %v", i, run.Errors[i])
			}
		}
		if n := db.Client.Org.Query().CountX(context.Background()); n != 0 {
			t.Errorf("%d orgs written", n)
		}

		// A manifest problem does not hide the problems of the files.
		files = sample(t, "v11")
		files[ManifestFile] = strings.Replace(files[ManifestFile], "file.orgs,bulk", "file.orgs,everything", 1)
		files["courses.csv"] = strings.Replace(files["courses.csv"], "c-bio,,,y2025,", "c-bio,,,2025,", 1)
		_, err = importFiles(t, db, files, Options{})
		if !errors.As(err, &verr) || verr.Count != 2 || !strings.Contains(verr.Problems[0].Message, "file.orgs: want absent, bulk or delta") ||
			verr.Problems[1].Column != "schoolYearSourcedId" || !strings.Contains(verr.Problems[1].Message, "unknown academic session") {
			t.Errorf("err = %v: %s", err, problemList(verr.Problems))
		}
	})
}

// TestProblemsAreCapped: 1500 bad rows give 1500 problems, of which 1000 are kept.
func TestProblemsAreCapped(t *testing.T) {
	db := storetest.Open(t, "sqlite3")
	var sb strings.Builder
	sb.WriteString("sourcedId,status,dateLastModified,title\n")
	for i := range 1500 {
		fmt.Fprintf(&sb, "c%d,gone,,Title\n", i)
	}
	run, err := importFiles(t, db, map[string]string{ManifestFile: "propertyName,value\noneroster.version,1.1\nfile.categories,bulk\n",
		"categories.csv": sb.String()}, Options{})
	var verr *ValidationError
	if !errors.As(err, &verr) || verr.Count != 1500 || len(verr.Problems) != MaxStoredProblems ||
		run.ErrorCount != 1500 || len(run.Errors) != MaxStoredProblems {
		t.Fatalf("err %v; run: %d errors, %d stored", err, run.ErrorCount, len(run.Errors))
	}
}

// TestBOMAndCRLFAreAccepted: the sample with a byte order mark and CRLF line ends in every file imports as
// the plain sample does; unknown columns are ignored with a warning.
func TestBOMAndCRLFAreAccepted(t *testing.T) {
	db := storetest.Open(t, "sqlite3")
	files := sample(t, "v11")
	for n, c := range files {
		files[n] = "\xEF\xBB\xBF" + strings.ReplaceAll(c, "\n", "\r\n")
	}
	files["orgs.csv"] = strings.Replace(files["orgs.csv"], "parentSourcedId\r\n", "parentSourcedId,ext_color\r\n", 1)
	files["orgs.csv"] = strings.ReplaceAll(files["orgs.csv"], "d1\r\n", "d1,blue\r\n")
	files["orgs.csv"] = strings.Replace(files["orgs.csv"], "0601234,\r\n", "0601234,,red\r\n", 1)
	run := mustImport(t, db, files)
	if !strings.Contains(run.Message, `warnings: orgs.csv: unknown columns ignored: "ext_color"`) {
		t.Errorf("message %q", run.Message)
	}
	if d := diffFiles(readDir(t, filepath.Join("testdata", "export11")), export(t, db, "1.1")); d != "" {
		t.Errorf("BOM/CRLF bundle imports differently:\n%s", d)
	}
}

// zipOf builds a zip with the given entries.
func zipOf(t *testing.T, entries map[string]string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for n, c := range entries {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(c))
	}
	zw.Close()
	path := filepath.Join(t.TempDir(), "bundle.zip")
	os.WriteFile(path, buf.Bytes(), 0o644)
	return path
}

// lyingZip stores categories.csv as a 2 MB file whose header claims 100 bytes: reading it must fail.
func lyingZip(t *testing.T, files map[string]string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for n, c := range files {
		if n == "categories.csv" {
			c += strings.Repeat("cat-x,,,Padding,\n", 2<<20/16)
			var raw bytes.Buffer
			fw, _ := flate.NewWriter(&raw, flate.BestCompression)
			fw.Write([]byte(c))
			fw.Close()
			w, err := zw.CreateRaw(&zip.FileHeader{Name: n, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE([]byte(c)),
				CompressedSize64: uint64(raw.Len()), UncompressedSize64: 100})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(raw.Bytes())
			continue
		}
		w, _ := zw.Create(n)
		w.Write([]byte(c))
	}
	zw.Close()
	path := filepath.Join(t.TempDir(), "lying.zip")
	os.WriteFile(path, buf.Bytes(), 0o644)
	return path
}

// TestUnsafeZips: entries outside the root, in folders, too many or too big, and a file that is not a zip.
func TestUnsafeZips(t *testing.T) {
	db := storetest.Open(t, "sqlite3")
	good := sample(t, "v11")
	with := func(extra map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range good {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	many := map[string]string{}
	for i := range 100 {
		many[fmt.Sprintf("f%d.txt", i)] = "x"
	}
	cases := []struct {
		name string
		path string
		lim  Limits
		want string
	}{
		{"path traversal", zipOf(t, with(map[string]string{"../x.csv": "a"})), Limits{}, `zip entry "../x.csv" points outside the archive (path traversal)`},
		{"absolute path", zipOf(t, with(map[string]string{"/etc/x.csv": "a"})), Limits{}, `zip entry "/etc/x.csv" has an absolute path`},
		{"nested folder", zipOf(t, map[string]string{"bundle/manifest.csv": good[ManifestFile]}), Limits{}, `zip entry "bundle/manifest.csv" is inside a folder`},
		{"too many entries", zipOf(t, with(many)), Limits{}, "entries, more than the limit of 64"},
		{"zip bomb", zipOf(t, with(map[string]string{"pad.txt": strings.Repeat("0", 1<<20)})), Limits{MaxTotalBytes: 1 << 20}, "would inflate to more than the limit"},
		{"lying sizes", lyingZip(t, good), Limits{}, "zip: not a valid zip file"},
		{"not a zip", func() string {
			p := filepath.Join(t.TempDir(), "bundle.zip")
			os.WriteFile(p, []byte("hello"), 0o644)
			return p
		}(), Limits{}, "is not a readable zip file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			run, err := ImportPath(context.Background(), db, tc.path, Options{Limits: tc.lim})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if run.Status != importrun.StatusFailed || run.ErrorCount != 1 || !strings.Contains(run.Message, tc.want) {
				t.Errorf("run: %+v", run)
			}
		})
	}
	if n := db.Client.Org.Query().CountX(context.Background()); n != 0 {
		t.Errorf("%d orgs written", n)
	}
	if _, err := ImportPath(context.Background(), db, zipOf(t, good), Options{}); err != nil {
		t.Errorf("a good zip: %v", err)
	}
}
