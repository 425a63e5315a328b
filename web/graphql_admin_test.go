package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/ent/auditevent"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

// gql posts a GraphQL request with the token and decodes data into out; it returns the GraphQL errors.
func gql(t *testing.T, s *testServer, token, query string, vars map[string]any, out any) []map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest("POST", s.URL+config.GraphQLPath, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var env struct {
		Data   json.RawMessage
		Errors []map[string]any
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		t.Fatalf("HTTP %d: %v", resp.StatusCode, err)
	}
	if out != nil && len(env.Data) > 0 && string(env.Data) != "null" {
		if err := json.Unmarshal(env.Data, out); err != nil {
			t.Fatal(err)
		}
	}
	return env.Errors
}

func errorCode(errs []map[string]any) string {
	if len(errs) == 0 {
		return ""
	}
	ext, _ := errs[0]["extensions"].(map[string]any)
	code, _ := ext["code"].(string)
	return code
}

func TestProvisioningThroughGraphQL(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := startTestServer(t, db)
		ctx := context.Background()
		d := db.Client.Org.Create().SetSourcedID("d1").SetName("Lakeside").SetType("district").SaveX(ctx)
		school := db.Client.Org.Create().SetSourcedID("s1").SetName("O'Brien Elementary").SetType("school").SetParent(d).SaveX(ctx)
		admin := s.analystToken(t, provision.RoleSISAdmin)
		analyst := s.analystToken(t, provision.RoleAnalyst)

		var me struct {
			Me struct{ Username, Role string }
		}
		if errs := gql(t, s, admin, `{ me { username role } }`, nil, &me); errs != nil || me.Me.Role != "sis_admin" {
			t.Fatalf("me: %+v %v", me, errs)
		}

		const create = `mutation($in: CreateConnectionInput!) { createConnection(input: $in) {
			clientId clientSecret tokenUrl baseUrl docsUrl
			connection { id consumerKey status enabled validDays expiresOn schoolSourcedIDs
				indicators { enabled active notExpired } share { clientId clientSecret } } } }`
		in := map[string]any{"vendorName": "Canvas", "districtPart": "canvas", "version": "1.2", "schoolSourcedIDs": []string{"s1"}}
		var created struct {
			CreateConnection struct {
				ClientID, ClientSecret, TokenURL, BaseURL, DocsURL string
				Connection                                         struct {
					ID, ConsumerKey, Status, ExpiresOn string
					Enabled                            bool
					ValidDays                          int
					SchoolSourcedIDs                   []string
					Indicators                         struct{ Enabled, Active, NotExpired bool }
					Share                              struct{ ClientID, ClientSecret *string }
				}
			}
		}
		if errs := gql(t, s, analyst, create, map[string]any{"in": in}, nil); errorCode(errs) != "FORBIDDEN" {
			t.Fatalf("analyst creating a connection: errors %v, want FORBIDDEN", errs)
		}
		if errs := gql(t, s, admin, create, map[string]any{"in": in}, &created); errs != nil {
			t.Fatalf("create: %v", errs)
		}
		c := created.CreateConnection
		if c.ClientID != "ROLLCALL_canvas" || len(c.ClientSecret) < 32 || !strings.HasSuffix(c.TokenURL, config.TokenPath) ||
			c.Connection.ValidDays < 364 || !c.Connection.Indicators.Enabled || !c.Connection.Indicators.Active ||
			!c.Connection.Indicators.NotExpired || strings.Join(c.Connection.SchoolSourcedIDs, ",") != "s1" ||
			(c.Connection.Share.ClientSecret != nil && *c.Connection.Share.ClientSecret != "") {
			t.Fatalf("created = %+v", c)
		}
		s.token(t, c.ClientID, c.ClientSecret) // the credential works at the real token endpoint

		// Bad input says which field and why, and creates nothing.
		bad := map[string]any{"vendorName": "X", "districtPart": "bad key!", "version": "1.2"}
		errs := gql(t, s, admin, create, map[string]any{"in": bad}, nil)
		if errorCode(errs) != "INVALID_INPUT" || !strings.Contains(errs[0]["message"].(string), "!") {
			t.Errorf("bad key: %v", errs)
		}
		bad = map[string]any{"vendorName": "X", "districtPart": "far", "version": "1.2", "expiresOn": "2099-01-01"}
		if errs := gql(t, s, admin, create, map[string]any{"in": bad}, nil); errorCode(errs) != "INVALID_INPUT" {
			t.Errorf("expiration in 2099: %v", errs)
		}
		if n := db.Client.Connection.Query().CountX(ctx); n != 1 {
			t.Errorf("%d connections after refused creates, want 1", n)
		}

		var revealed struct{ RevealConnectionSecret string }
		id := c.Connection.ID
		if errs := gql(t, s, admin, `mutation($id: ID!) { revealConnectionSecret(id: $id) }`, map[string]any{"id": id}, &revealed); errs != nil ||
			revealed.RevealConnectionSecret != c.ClientSecret {
			t.Fatalf("reveal: %v", errs)
		}
		if n := db.Client.AuditEvent.Query().Where(auditevent.Action("secret.reveal")).CountX(ctx); n != 1 {
			t.Errorf("%d secret.reveal events, want 1", n)
		}

		var revoked struct {
			RevokeConnection struct {
				Status     string
				Enabled    bool
				Indicators struct{ Enabled, Active, NotExpired bool }
			}
		}
		if errs := gql(t, s, admin, `mutation($id: ID!) { revokeConnection(id: $id) { status enabled indicators { enabled active notExpired } } }`,
			map[string]any{"id": id}, &revoked); errs != nil {
			t.Fatal(errs)
		}
		if r := revoked.RevokeConnection; r.Status != "revoked" || r.Enabled || r.Indicators.Enabled || r.Indicators.Active || !r.Indicators.NotExpired {
			t.Errorf("after revoke: %+v", r)
		}
		if errs := gql(t, s, admin, `mutation($id: ID!) { updateConnection(id: $id, input: {vendorName: "Y"}) { id } }`,
			map[string]any{"id": id}, nil); errorCode(errs) != "CONFLICT" {
			t.Errorf("editing a revoked connection: %v, want CONFLICT", errs)
		}
		var renewed struct{ RenewConnection struct{ ClientSecret string } }
		if errs := gql(t, s, admin, `mutation($id: ID!) { renewConnection(id: $id) { clientSecret } }`, map[string]any{"id": id}, &renewed); errs != nil ||
			renewed.RenewConnection.ClientSecret == c.ClientSecret {
			t.Fatalf("renew: %v", errs)
		}

		var excl struct {
			SetExternalLmsExclude struct{ ExternalLmsExclude bool }
		}
		if errs := gql(t, s, admin, `mutation($id: ID!) { setExternalLmsExclude(id: $id, exclude: true) { ... on Org { externalLmsExclude } } }`,
			map[string]any{"id": school.ID}, &excl); errs != nil || !excl.SetExternalLmsExclude.ExternalLmsExclude {
			t.Fatalf("exclude: %v", errs)
		}
		if !db.Client.Org.GetX(ctx, school.ID).ExternalLmsExclude {
			t.Error("exclusion not stored")
		}

		if errs := gql(t, s, admin, `mutation { updateSettings(input: {sitePrefix: "TOOLONGPREFIX"}) { sitePrefix } }`, nil, nil); errs == nil ||
			!strings.Contains(errs[0]["message"].(string), "8") {
			t.Errorf("bad site prefix: %v", errs)
		}
		var st struct{ UpdateSettings struct{ SitePrefix string } }
		if errs := gql(t, s, admin, `mutation { updateSettings(input: {sitePrefix: "LAKESIDE"}) { sitePrefix } }`, nil, &st); errs != nil ||
			st.UpdateSettings.SitePrefix != "LAKESIDE" {
			t.Errorf("settings: %v %+v", errs, st)
		}
		for _, action := range []string{"connection.create", "connection.revoke", "connection.renew", "record.exclude", "settings.update"} {
			e, err := db.Client.AuditEvent.Query().Where(auditevent.Action(action)).First(ctx)
			if err != nil || !strings.HasPrefix(e.Actor, "admin:") || e.RemoteAddr != "127.0.0.1" {
				t.Errorf("audit %s: %v %+v", action, err, e)
			}
		}
	})
}
