package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/ent/auditevent"
	"github.com/rollcall/rollcall/ent/org"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

// An SIS admin creates, edits, excludes and deletes roster records through GraphQL; every edit is audited,
// a bad edit says what was wrong and changes nothing, and other roles may not edit.
func TestRosterMutations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := startTestServer(t, db)
		admin := s.analystToken(t, provision.RoleSISAdmin)
		analyst := s.analystToken(t, provision.RoleAnalyst)
		d := db.Client.Org.Create().SetSourcedID("d1").SetName("Lakeside").SetType("district").SaveX(ctx)

		type orgOut struct {
			ID, SourcedID, Name, Type, Status, ModifiedBy string
			ExternalLmsExclude                            bool
			Parent                                        *struct{ SourcedID string }
		}
		const fields = `id sourcedID name type status modifiedBy externalLmsExclude parent { sourcedID }`
		create := `mutation($in: CreateOrgInput!) { createOrg(input: $in) { ` + fields + ` } }`
		var c struct{ CreateOrg orgOut }
		in := map[string]any{"sourcedID": "s-oak", "name": "Oak Elementary", "type": "school", "parentID": d.ID}
		if errs := gql(t, s, analyst, create, map[string]any{"in": in}, nil); errorCode(errs) != "FORBIDDEN" {
			t.Fatalf("analyst createOrg: %v, want FORBIDDEN", errs)
		}
		if errs := gql(t, s, admin, create, map[string]any{"in": in}, &c); errs != nil {
			t.Fatal(errs)
		}
		o := c.CreateOrg
		if o.SourcedID != "s-oak" || o.Parent == nil || o.Parent.SourcedID != "d1" || o.Status != "active" || !strings.HasPrefix(o.ModifiedBy, "admin:") {
			t.Fatalf("created org = %+v", o)
		}

		for _, tc := range []struct {
			name, query string
			vars        map[string]any
			code, msg   string
		}{
			{"unknown org type", create, map[string]any{"in": map[string]any{"sourcedID": "s-x", "name": "X", "type": "planet"}}, "INVALID_INPUT", "type"},
			{"duplicate sourcedId", create, map[string]any{"in": map[string]any{"sourcedID": "s-oak", "name": "Again", "type": "school"}}, "CONFLICT", "sourced_id"},
			{"empty sourcedId", create, map[string]any{"in": map[string]any{"sourcedID": "", "name": "X", "type": "school"}}, "INVALID_INPUT", "sourced_id"},
			{"update a missing org", `mutation { updateOrg(id: 999999, input: {name: "X"}) { id } }`, nil, "NOT_FOUND", ""},
			{"delete a district as a user", `mutation($id: ID!) { deleteUser(id: $id) }`, map[string]any{"id": d.ID}, "NOT_FOUND", "no user"},
		} {
			errs := gql(t, s, admin, tc.query, tc.vars, nil)
			if errorCode(errs) != tc.code || !strings.Contains(strings.ToLower(errs[0]["message"].(string)), tc.msg) {
				t.Errorf("%s: %v, want %s mentioning %q", tc.name, errs, tc.code, tc.msg)
			}
		}
		if n := db.Client.Org.Query().CountX(ctx); n != 2 {
			t.Errorf("orgs after refused edits = %d, want 2", n)
		}

		var u struct{ UpdateOrg orgOut }
		upd := `mutation($id: ID!) { updateOrg(id: $id, input: {name: "Oak Elementary School", externalLmsExclude: true}) { ` + fields + ` } }`
		if errs := gql(t, s, admin, upd, map[string]any{"id": o.ID}, &u); errs != nil {
			t.Fatal(errs)
		}
		if u.UpdateOrg.Name != "Oak Elementary School" || !u.UpdateOrg.ExternalLmsExclude || u.UpdateOrg.SourcedID != "s-oak" {
			t.Errorf("updated org = %+v", u.UpdateOrg)
		}
		if errs := gql(t, s, admin, `mutation($id: ID!) { deleteOrg(id: $id) }`, map[string]any{"id": o.ID}, nil); errs != nil {
			t.Fatal(errs)
		}
		gone := db.Client.Org.Query().Where(org.SourcedID("s-oak")).OnlyX(ctx)
		if gone.Status != "tobedeleted" {
			t.Errorf("deleted org status = %q, want a tombstone", gone.Status)
		}
		var actions []string
		for _, e := range db.Client.AuditEvent.Query().Where(auditevent.TargetEQ("org:s-oak")).Order(auditevent.ByID()).AllX(ctx) {
			actions = append(actions, e.Action)
		}
		if strings.Join(actions, ",") != "org.create,org.update,org.delete" {
			t.Errorf("audit of org:s-oak = %v", actions)
		}
	})
}
