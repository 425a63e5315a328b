package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/auditevent"
	"github.com/rollcall/rollcall/ent/importrun"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
	"github.com/rollcall/rollcall/web"
)

// zipDir zips the files of a bundle folder, replacing files by name with the given contents.
func zipDir(t *testing.T, dir string, replace map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if r, ok := replace[e.Name()]; ok {
			b = []byte(r)
		}
		w, _ := zw.Create(e.Name())
		w.Write(b)
	}
	zw.Close()
	return buf.Bytes()
}

func upload(t *testing.T, s *testServer, token string, bundle []byte) (int, map[string]any) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "district.zip")
	fw.Write(bundle)
	mw.Close()
	req, _ := http.NewRequest("POST", s.URL+web.ImportsPath, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func waitRun(t *testing.T, c *ent.Client, id int) *ent.ImportRun {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		run := c.ImportRun.GetX(context.Background(), id)
		if run.Status != importrun.StatusRunning {
			return run
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("import %d still running after 60s", id)
	return nil
}

func TestUploadBundle(t *testing.T) {
	db := storetest.Open(t, "postgres")
	s := startTestServer(t, db)
	admin := s.analystToken(t, provision.RoleSISAdmin)
	analyst := s.analystToken(t, provision.RoleAnalyst)
	good := zipDir(t, "../csvbundle/testdata/v12", nil)

	if code, _ := upload(t, s, "", good); code != http.StatusUnauthorized {
		t.Errorf("no token: %d", code)
	}
	if code, _ := upload(t, s, analyst, good); code != http.StatusForbidden {
		t.Errorf("analyst: %d", code)
	}

	code, out := upload(t, s, admin, good)
	if code != http.StatusAccepted {
		t.Fatalf("upload: %d %v", code, out)
	}
	run := waitRun(t, db.Client, int(out["id"].(float64)))
	if run.Status != importrun.StatusSucceeded || run.Source != "district.zip" || run.Actor != "admin:ana_sis_admin" {
		t.Fatalf("run = %+v", run)
	}
	if n := db.Client.Org.Query().CountX(context.Background()); n == 0 {
		t.Error("the bundle's orgs were not imported")
	}

	// A bundle with an error is recorded as failed, with the error, and changes nothing.
	before := db.Client.Org.Query().CountX(context.Background())
	bad := zipDir(t, "../csvbundle/testdata/v12", map[string]string{
		"orgs.csv": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\nnew-org,,,New,galaxy,,\n",
	})
	code, out = upload(t, s, admin, bad)
	if code != http.StatusAccepted {
		t.Fatalf("bad upload: %d %v", code, out)
	}
	run = waitRun(t, db.Client, int(out["id"].(float64)))
	if run.Status != importrun.StatusFailed || run.ErrorCount == 0 || len(run.Errors) == 0 {
		t.Fatalf("bad bundle run = %+v", run)
	}
	var got struct {
		Node struct {
			Status   string
			Problems []map[string]any
		}
	}
	if errs := gql(t, s, analyst, `query($id: ID!) { node(id: $id) { ... on ImportRun { status problems } } }`,
		map[string]any{"id": run.ID}, &got); errs != nil || len(got.Node.Problems) == 0 ||
		!strings.Contains(fmt.Sprint(got.Node.Problems[0]), "galaxy") {
		t.Errorf("the import's problems through GraphQL: %+v %v", got, errs)
	}
	if after := db.Client.Org.Query().CountX(context.Background()); after != before {
		t.Errorf("orgs %d -> %d after a failed import", before, after)
	}
}

// gqlUpload sends importBundle as a GraphQL multipart request (operations, map, the file part).
func gqlUpload(t *testing.T, s *testServer, token string, bundle []byte, dryRun bool) (int, []map[string]any) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	ops, _ := json.Marshal(map[string]any{
		"query":     `mutation($f: Upload!, $dry: Boolean) { importBundle(file: $f, dryRun: $dry) { id status source } }`,
		"variables": map[string]any{"f": nil, "dry": dryRun},
	})
	mw.WriteField("operations", string(ops))
	mw.WriteField("map", `{"0": ["variables.f"]}`)
	fw, _ := mw.CreateFormFile("0", "nightly.zip")
	fw.Write(bundle)
	mw.Close()
	req, _ := http.NewRequest("POST", s.URL+"/graphql", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			ImportBundle *struct{ ID, Status, Source string }
		}
		Errors []map[string]any
	}
	json.NewDecoder(resp.Body).Decode(&out)
	if out.Data.ImportBundle == nil {
		return 0, out.Errors
	}
	var id int
	fmt.Sscan(out.Data.ImportBundle.ID, &id)
	return id, out.Errors
}

// importBundle is the same import through GraphQL's multipart upload: audited, refused to analysts, and a
// dry run changes nothing.
func TestImportBundleThroughGraphQL(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := startTestServer(t, db)
		admin := s.analystToken(t, provision.RoleSISAdmin)
		analyst := s.analystToken(t, provision.RoleAnalyst)
		good := zipDir(t, "../csvbundle/testdata/v12", nil)
		if _, errs := gqlUpload(t, s, analyst, good, false); errorCode(errs) != "FORBIDDEN" {
			t.Fatalf("analyst importBundle: %v", errs)
		}
		id, errs := gqlUpload(t, s, admin, good, true)
		if errs != nil || id == 0 {
			t.Fatalf("dry run: %d %v", id, errs)
		}
		if run := waitRun(t, db.Client, id); run.Status != importrun.StatusSucceeded || run.Source != "nightly.zip" {
			t.Fatalf("dry run = %+v", run)
		}
		if n := db.Client.Org.Query().CountX(ctx); n != 0 {
			t.Fatalf("a dry run wrote %d orgs", n)
		}
		id, errs = gqlUpload(t, s, admin, good, false)
		if errs != nil {
			t.Fatal(errs)
		}
		if run := waitRun(t, db.Client, id); run.Status != importrun.StatusSucceeded || run.Actor != "admin:ana_sis_admin" {
			t.Fatalf("import = %+v", run)
		}
		if n := db.Client.Org.Query().CountX(ctx); n == 0 {
			t.Error("the bundle's orgs were not imported")
		}
		if n := db.Client.AuditEvent.Query().Where(auditevent.Action("import.start")).CountX(ctx); n != 2 {
			t.Errorf("import.start audit events = %d, want 2", n)
		}
	})
}
