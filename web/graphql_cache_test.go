package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/demo"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/auditevent"
	"github.com/rollcall/rollcall/ent/org"
	"github.com/rollcall/rollcall/ent/role"
	"github.com/rollcall/rollcall/ent/user"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

type generation struct {
	ID, Status, TriggeredBy, Error string
	Progress, DurationSeconds      float64
	RowsTotal, RowsDone            int
	Counts                         map[string]int
}

type cacheStatus struct {
	Current, Running, LastFailure *generation
	Paused                        bool
	NextScheduledAt               *time.Time
}

const cacheStatusQuery = `{ cacheStatus { paused nextScheduledAt
	current { id status triggeredBy progress durationSeconds rowsTotal rowsDone counts }
	running { id status progress } lastFailure { id error } } }`

// An admin refreshes the OneRoster cache through GraphQL, watches it publish, and reads a record as a
// school-limited connection gets it; an analyst may look but not refresh.
func TestCacheThroughGraphQL(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Generate(ctx, db, demo.Options{Students: demo.MinStudents, Seed: 7}); err != nil {
			t.Fatal(err)
		}
		s := startTestServer(t, db, withCache)
		admin := s.analystToken(t, provision.RoleSISAdmin)
		analyst := s.analystToken(t, provision.RoleAnalyst)

		var st struct{ CacheStatus cacheStatus }
		if errs := gql(t, s, analyst, cacheStatusQuery, nil, &st); errs != nil {
			t.Fatal(errs)
		}
		if st.CacheStatus.Current != nil || st.CacheStatus.Running != nil || st.CacheStatus.Paused ||
			st.CacheStatus.NextScheduledAt == nil || !st.CacheStatus.NextScheduledAt.After(time.Now()) {
			t.Fatalf("status before any refresh = %+v", st.CacheStatus)
		}
		if errs := gql(t, s, analyst, `mutation { refreshCache { id } }`, nil, nil); errorCode(errs) != "FORBIDDEN" {
			t.Fatalf("analyst refreshCache: %v, want FORBIDDEN", errs)
		}
		var started struct{ RefreshCache generation }
		if errs := gql(t, s, admin, `mutation { refreshCache { id status triggeredBy } }`, nil, &started); errs != nil {
			t.Fatal(errs)
		}
		if started.RefreshCache.Status != "building" || !strings.HasPrefix(started.RefreshCache.TriggeredBy, "admin:") {
			t.Fatalf("refreshCache = %+v", started.RefreshCache)
		}
		deadline := time.Now().Add(60 * time.Second)
		for st.CacheStatus.Current == nil && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
			if errs := gql(t, s, admin, cacheStatusQuery, nil, &st); errs != nil {
				t.Fatal(errs)
			}
		}
		cur := st.CacheStatus.Current
		if cur == nil || cur.ID != started.RefreshCache.ID || cur.Status != "ready" || cur.Progress != 1 ||
			cur.RowsDone != cur.RowsTotal || cur.Counts["users"] == 0 || cur.DurationSeconds <= 0 {
			t.Fatalf("published generation = %+v (status %+v)", cur, st.CacheStatus)
		}
		if st.CacheStatus.Running != nil || st.CacheStatus.LastFailure != nil {
			t.Errorf("after publishing: running %+v, last failure %+v", st.CacheStatus.Running, st.CacheStatus.LastFailure)
		}
		if n := db.Client.AuditEvent.Query().Where(auditevent.Action("cache.refresh")).CountX(ctx); n != 1 {
			t.Errorf("cache.refresh audit events = %d, want 1", n)
		}

		// A connection limited to one school sees that school's student, not another school's.
		schools := db.Client.Org.Query().Where(org.Type("school")).Order(ent.Asc(org.FieldSourcedID)).Limit(2).AllX(ctx)
		studentOf := func(school *ent.Org) *ent.User {
			return db.Client.User.Query().Where(user.PrimaryOrgID(school.ID), user.StatusEQ("active"),
				user.HasRolesWith(role.Role("student"))).FirstX(ctx)
		}
		in, out := studentOf(schools[0]), studentOf(schools[1])
		creds, err := s.Svc.Create(ctx, provision.NewConnection{VendorName: "Reading Co", DistrictPart: "reading",
			Version: "1.2", SchoolSourcedIDs: []string{schools[0].SourcedID}})
		if err != nil {
			t.Fatal(err)
		}
		type view struct {
			Version, Path string
			Visible       bool
			Record        map[string]any
			Reason        *string
		}
		var v struct{ OneRosterView view }
		q := `query($c: ID!, $id: String!) { oneRosterView(connectionID: $c, collection: "users", sourcedId: $id) {
			version path visible record reason } }`
		if errs := gql(t, s, analyst, q, map[string]any{"c": creds.Connection.ID, "id": in.SourcedID}, &v); errs != nil {
			t.Fatal(errs)
		}
		if !v.OneRosterView.Visible || v.OneRosterView.Record["sourcedId"] != in.SourcedID || v.OneRosterView.Version != "v1p2" ||
			v.OneRosterView.Path != "/ims/oneroster/rostering/v1p2/users/"+in.SourcedID || v.OneRosterView.Record["roles"] == nil {
			t.Errorf("view of a student of the connection's school = %+v", v.OneRosterView)
		}
		if errs := gql(t, s, analyst, q, map[string]any{"c": creds.Connection.ID, "id": out.SourcedID}, &v); errs != nil {
			t.Fatal(errs)
		}
		if v.OneRosterView.Visible || v.OneRosterView.Record != nil || v.OneRosterView.Reason == nil ||
			!strings.Contains(*v.OneRosterView.Reason, "schools this connection is limited to") {
			t.Errorf("view of another school's student = %+v", v.OneRosterView)
		}
		errs := gql(t, s, analyst, `{ oneRosterView(connectionID: 1, collection: "pupils", sourcedId: "x") { visible } }`, nil, nil)
		if len(errs) == 0 || !strings.Contains(errs[0]["message"].(string), `collection "pupils"`) {
			t.Errorf("unknown collection: %v", errs)
		}

		// writtenBy names the vendor whose service account last wrote a line item; district records have none.
		class := db.Client.Class.Query().FirstX(ctx)
		vctx := provision.VendorContext(ctx, db.Client.Connection.GetX(ctx, creds.Connection.ID))
		now := time.Now()
		db.Client.LineItem.Create().SetSourcedID("li-vendor").SetTitle("Quiz 1").SetAssignDate(now).SetDueDate(now).
			SetClassID(class.ID).ExecX(vctx)
		db.Client.LineItem.Create().SetSourcedID("li-district").SetTitle("Final").SetAssignDate(now).SetDueDate(now).
			SetClassID(class.ID).ExecX(ctx)
		var lis struct {
			LineItems struct {
				Edges []struct {
					Node struct {
						SourcedID  string
						ModifiedBy string
						WrittenBy  *struct{ VendorName string }
					}
				}
			}
		}
		if errs := gql(t, s, analyst, `{ lineItems(orderBy: {field: TITLE}) { edges { node { sourcedID modifiedBy writtenBy { vendorName } } } } }`, nil, &lis); errs != nil {
			t.Fatal(errs)
		}
		got := map[string]string{}
		for _, e := range lis.LineItems.Edges {
			got[e.Node.SourcedID] = "-"
			if e.Node.WrittenBy != nil {
				got[e.Node.SourcedID] = e.Node.WrittenBy.VendorName
			}
		}
		if got["li-vendor"] != "Reading Co" || got["li-district"] != "-" {
			t.Errorf("writtenBy = %v", got)
		}
	})
}

// The schedule, what is published and the grading-period rule are district settings in GraphQL; a bad value
// is refused with the reason and changes nothing.
func TestCacheSettingsThroughGraphQL(t *testing.T) {
	db := storetest.Open(t, "sqlite3")
	s := startTestServer(t, db, withCache)
	admin := s.analystToken(t, provision.RoleSISAdmin)
	type settingsOut struct {
		CacheRefreshTime, CacheTimeZone, IdentifierSource string
		CachePaused, RefuseClosedGradingPeriods          bool
		CacheRetentionMinutes                             int
	}
	const fields = `cacheRefreshTime cacheTimeZone identifierSource cachePaused refuseClosedGradingPeriods cacheRetentionMinutes`
	m := `mutation($in: SettingsInput!) { updateSettings(input: $in) { ` + fields + ` } }`
	errs := gql(t, s, admin, m, map[string]any{"in": map[string]any{"cacheRefreshTime": "25:00", "cachePaused": true}}, nil)
	if len(errs) == 0 || !strings.Contains(errs[0]["message"].(string), "HH:MM") || errorCode(errs) != "INVALID_INPUT" ||
		errs[0]["extensions"].(map[string]any)["field"] != "cacheRefreshTime" {
		t.Fatalf("bad refresh time: %v", errs)
	}
	var out struct{ UpdateSettings settingsOut }
	in := map[string]any{"cacheRefreshTime": "05:30", "cacheTimeZone": "America/Chicago", "cachePaused": true,
		"refuseClosedGradingPeriods": true, "identifierSource": "userIds:SIS", "cacheRetentionMinutes": 240}
	if errs := gql(t, s, admin, m, map[string]any{"in": in}, &out); errs != nil {
		t.Fatal(errs)
	}
	want := settingsOut{CacheRefreshTime: "05:30", CacheTimeZone: "America/Chicago", IdentifierSource: "userIds:SIS",
		CachePaused: true, RefuseClosedGradingPeriods: true, CacheRetentionMinutes: 240}
	if out.UpdateSettings != want {
		t.Errorf("updated settings = %+v, want %+v", out.UpdateSettings, want)
	}
	var st struct{ CacheStatus cacheStatus }
	if errs := gql(t, s, admin, cacheStatusQuery, nil, &st); errs != nil {
		t.Fatal(errs)
	}
	if !st.CacheStatus.Paused || st.CacheStatus.NextScheduledAt != nil {
		t.Errorf("paused without end: status = %+v", st.CacheStatus)
	}
}

// Queries nested too deeply are refused before anything runs; GraphiQL's deep introspection is not.
func TestDepthLimit(t *testing.T) {
	db := storetest.Open(t, "sqlite3")
	s := startTestServer(t, db)
	analyst := s.analystToken(t, provision.RoleAnalyst)
	deep := `{ users(first: 1) { edges { node { enrollments(first: 1) { edges { node { class { school { parent {
		children(first: 1) { edges { node { parent { parent { parent { sourcedID } } } } } } } } } } } } } } } }`
	errs := gql(t, s, analyst, deep, nil, nil)
	if len(errs) == 0 || !strings.Contains(errs[0]["message"].(string), "levels deep") {
		t.Fatalf("a 16-level query: %v, want the depth limit", errs)
	}
	intro := "{ __schema { types { name fields { type { " + strings.Repeat("ofType { ", 12) + "name" +
		strings.Repeat(" }", 12) + " } } } } }"
	if errs := gql(t, s, analyst, intro, nil, nil); errs != nil {
		t.Errorf("deep introspection refused: %v", errs)
	}
	fine := `fragment U on User { enrollments(first: 1) { edges { node { class { title } } } } }
		{ users(first: 1) { edges { node { ...U } } } }`
	if errs := gql(t, s, analyst, fine, nil, nil); errs != nil {
		t.Errorf("a 7-level query with a fragment: %v", errs)
	}
}
