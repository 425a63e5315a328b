package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/ent/auditevent"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/store"
)

// runCLI runs rollcall with args against the data directory and returns the exit status and outputs.
func runCLI(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	args = append(args, "--data-dir", dir, "--public-url", "https://or.lakeside.example", "--log-level", "error")
	code := Main(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// decode parses JSON output into v or fails the test.
func decode(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("output is not JSON (%v):\n%s", err, s)
	}
}

type credentialsJSON struct {
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"`
	TokenURL     string `json:"tokenUrl"`
	BaseURL      string `json:"baseUrl"`
	DocsURL      string `json:"docsUrl"`
	Connection   struct {
		ID             int      `json:"id"`
		ConsumerKey    string   `json:"consumerKey"`
		ServiceAccount string   `json:"serviceAccount"`
		Version        string   `json:"version"`
		Types          []string `json:"types"`
		Partner        bool     `json:"partner"`
		Demographics   bool     `json:"demographics"`
		Status         string   `json:"status"`
		Enabled        bool     `json:"enabled"`
		ExpiresOn      string   `json:"expiresOn"`
		ValidDays      int      `json:"validDays"`
		CreatedBy      string   `json:"createdBy"`
	} `json:"connection"`
}

func TestConnectionCommands(t *testing.T) {
	for _, v := range []string{"ROLLCALL_DATABASE_URL", "ROLLCALL_SECRET_KEY", "ROLLCALL_PUBLIC_URL", "ROLLCALL_DATA_DIR"} {
		t.Setenv(v, "")
	}
	dir := t.TempDir()

	code, out, errOut := runCLI(t, dir, "connection", "create", "--vendor", "Canvas", "--purpose", "LMS roster",
		"--key", "canvas", "--version", "1.1", "--partner", "--types", "roster,gradebook", "--demographics")
	if code != 0 {
		t.Fatalf("create: exit %d: %s", code, errOut)
	}
	var cr credentialsJSON
	decode(t, out, &cr)
	c := cr.Connection
	if cr.ClientID != "ROLLCALL_canvas" || len(cr.ClientSecret) != provision.SecretLength ||
		cr.TokenURL != "https://or.lakeside.example/oauth/token" || cr.BaseURL != "https://or.lakeside.example/ims/oneroster/v1p1" ||
		cr.DocsURL != "https://or.lakeside.example/docs/" {
		t.Errorf("information to share: %+v", cr)
	}
	wantExpires := provision.DefaultExpiration(time.Now()).Format(time.DateOnly)
	if c.ConsumerKey != "ROLLCALL_canvas" || c.ServiceAccount != "svc_rollcall_canvas" || c.Version != "1.1" || !c.Partner ||
		!c.Demographics || strings.Join(c.Types, ",") != "roster,gradebook" || c.Status != "active" || !c.Enabled ||
		c.ExpiresOn != wantExpires || c.CreatedBy != "system:cli" {
		t.Errorf("connection: %+v", c)
	}
	if strings.Contains(errOut, cr.ClientSecret) {
		t.Error("the secret reached stderr (the log)")
	}

	// Refused input: clear message on stderr, non-zero exit, nothing on stdout.
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"connection", "create", "--vendor", "X", "--key", "canvas", "--version", "1.2"}, "already used by vendor Canvas"},
		{[]string{"connection", "create", "--vendor", "X", "--key", "bad/key", "--version", "1.2"}, "'/'"},
		{[]string{"connection", "create", "--vendor", "X", "--key", "x", "--version", "1.2", "--types", "gradebook"}, "roster-only"},
		{[]string{"connection", "create", "--vendor", "X", "--key", "x", "--version", "1.2", "--schools", "s404"}, `"s404" does not exist`},
		{[]string{"connection", "create", "--vendor", "X", "--key", "x", "--version", "1.2", "--expires", "2999-01-01"}, "latest allowed date"},
		{[]string{"connection", "renew", "ROLLCALL_nope"}, "not found"},
	} {
		code, out, errOut := runCLI(t, dir, tc.args...)
		if code == 0 || out != "" || !strings.Contains(errOut, tc.says) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want an error saying %q", tc.args, code, out, errOut, tc.says)
		}
	}
	if code, _, _ := runCLI(t, dir, "connection", "frobnicate"); code != 2 {
		t.Errorf("unknown subcommand: exit %d, want 2", code)
	}
	if code, _, _ := runCLI(t, dir, "connection", "revoke"); code != 2 {
		t.Errorf("revoke without KEY: exit %d, want 2", code)
	}

	// List, show-secret (audited), renew with the flag after KEY.
	code, out, errOut = runCLI(t, dir, "connection", "list")
	var views []provision.View
	decode(t, out, &views)
	if code != 0 || len(views) != 1 || views[0].ConsumerKey != "ROLLCALL_canvas" || !views[0].Indicators.Enabled {
		t.Errorf("list: exit %d %s %+v", code, errOut, views)
	}
	code, out, errOut = runCLI(t, dir, "connection", "show-secret", "ROLLCALL_canvas")
	var shown credentialsJSON
	decode(t, out, &shown)
	if code != 0 || shown.ClientSecret != cr.ClientSecret {
		t.Errorf("show-secret: exit %d %s", code, errOut)
	}
	expires := time.Now().UTC().AddDate(0, 6, 0).Format(time.DateOnly)
	code, out, errOut = runCLI(t, dir, "connection", "renew", "ROLLCALL_canvas", "--expires", expires)
	var renewed credentialsJSON
	decode(t, out, &renewed)
	if code != 0 || renewed.ClientSecret == cr.ClientSecret || len(renewed.ClientSecret) != provision.SecretLength ||
		renewed.Connection.ExpiresOn != expires {
		t.Errorf("renew: exit %d %s %+v", code, errOut, renewed)
	}

	// Revoke, twice.
	for i, already := range []bool{false, true} {
		code, out, errOut = runCLI(t, dir, "connection", "revoke", "ROLLCALL_canvas")
		var r struct {
			Revoked, AlreadyRevoked bool
			Connection              provision.View
		}
		decode(t, out, &r)
		if code != 0 || !r.Revoked || r.AlreadyRevoked != already || r.Connection.Status != "revoked" || r.Connection.Enabled || r.Connection.HasSecret {
			t.Errorf("revoke #%d: exit %d %s %+v", i+1, code, errOut, r)
		}
	}
	if code, _, errOut := runCLI(t, dir, "connection", "show-secret", "ROLLCALL_canvas"); code == 0 || !strings.Contains(errOut, "renew") {
		t.Errorf("show-secret of a revoked connection: exit %d %s", code, errOut)
	}

	// Admin accounts and API clients.
	old := stdin
	stdin = strings.NewReader("a long enough password\n")
	t.Cleanup(func() { stdin = old })
	code, out, errOut = runCLI(t, dir, "admin", "create", "Ana", "--role", "analyst", "--password-stdin")
	var admin map[string]any
	decode(t, out, &admin)
	if code != 0 || admin["username"] != "ana" || admin["role"] != "analyst" || admin["password"] != nil {
		t.Errorf("admin create: exit %d %s %v", code, errOut, admin)
	}
	code, out, errOut = runCLI(t, dir, "admin", "create", "root", "--role", "sis_admin")
	decode(t, out, &admin)
	if pw, _ := admin["password"].(string); code != 0 || len(pw) < provision.MinPasswordLength {
		t.Errorf("admin create with a generated password: exit %d %s %v", code, errOut, admin)
	}
	code, out, errOut = runCLI(t, dir, "apiclient", "create", "--account", "ana", "--name", "nightly report")
	var api provision.APIClientCredentials
	decode(t, out, &api)
	if code != 0 || !provision.IsAPIClientID(api.ClientID) || len(api.ClientSecret) != provision.SecretLength || api.Role != "analyst" {
		t.Errorf("apiclient create: exit %d %s %+v", code, errOut, api)
	}
	if code, out, _ := runCLI(t, dir, "apiclient", "revoke", api.ClientID); code != 0 || !strings.Contains(out, `"alreadyRevoked": false`) {
		t.Errorf("apiclient revoke: exit %d %s", code, out)
	}

	// Everything was audited as system:cli, and no secret or password is in the log.
	db, err := store.Open(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	evs := db.Client.AuditEvent.Query().Order(auditevent.ByID()).AllX(context.Background())
	var actions []string
	for _, e := range evs {
		actions = append(actions, e.Action)
		b, _ := json.Marshal(e.Detail)
		for _, s := range []string{cr.ClientSecret, renewed.ClientSecret, api.ClientSecret, "a long enough password"} {
			if strings.Contains(string(b)+e.Target, s) {
				t.Errorf("audit event %s holds a secret", e.Action)
			}
		}
		if e.Actor != "system:cli" || !strings.HasPrefix(e.RemoteAddr, "cli@") {
			t.Errorf("audit event %s by %q from %q", e.Action, e.Actor, e.RemoteAddr)
		}
	}
	want := "connection.create secret.reveal connection.renew connection.revoke admin.create admin.create apiclient.create apiclient.revoke"
	if got := strings.Join(actions, " "); got != want {
		t.Errorf("audit actions\n got %s\nwant %s", got, want)
	}
}
