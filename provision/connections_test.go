package provision_test

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/secrets"
	"github.com/rollcall/rollcall/settings"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

var secretChars = regexp.MustCompile(`^[A-Za-z0-9]+$`)

func TestCreate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		cr := f.create(t, provision.NewConnection{VendorName: "  Canvas LMS ", Purpose: "Roster sync for Canvas",
			DistrictPart: "canvas", Version: "1.2"})

		// Information to share.
		want := provision.ShareInfo{ClientID: "ROLLCALL_canvas", ClientSecret: cr.ClientSecret,
			TokenURL: publicURL + "/oauth/token", BaseURL: publicURL + "/ims/oneroster/", DocsURL: publicURL + "/docs/",
			GuidelinesURL: publicURL + "/docs/guidelines"}
		if cr.ShareInfo != want {
			t.Errorf("share info\n got %+v\nwant %+v", cr.ShareInfo, want)
		}
		if len(cr.ClientSecret) < 32 || len(cr.ClientSecret) != provision.SecretLength || !secretChars.MatchString(cr.ClientSecret) {
			t.Errorf("secret %q: want %d letters and digits", cr.ClientSecret, provision.SecretLength)
		}
		if cr.Connection.Share.ClientSecret != "" {
			t.Error("the view's share info must not carry the secret")
		}

		// The view.
		v := cr.Connection
		if v.ConsumerKey != "ROLLCALL_canvas" || v.ServiceAccount != "svc_rollcall_canvas" || v.VendorName != "Canvas LMS" ||
			v.Purpose != "Roster sync for Canvas" || v.Version != "1.2" || v.Status != "active" || !v.Enabled || v.Partner ||
			v.Demographics || !v.AllSchools || len(v.Schools) != 0 || !v.HasSecret || !v.Usable {
			t.Errorf("view %+v", v)
		}
		if !slices.Equal(v.Types, []string{"roster"}) {
			t.Errorf("types %v, want [roster]", v.Types)
		}
		if v.ExpiresOn != "2027-03-10" || v.ValidDays != 365 {
			t.Errorf("expires %s, valid days %d; want the default 2027-03-10, 365", v.ExpiresOn, v.ValidDays)
		}
		if v.Indicators != (provision.Indicators{Enabled: true, Active: true, NotExpired: true}) {
			t.Errorf("indicators %+v, want all green", v.Indicators)
		}
		if v.CreatedBy != "admin:alice" {
			t.Errorf("created by %q", v.CreatedBy)
		}

		// Stored: hash matches, the sealed copy opens with its key's AAD only, nothing in plain text.
		row := db.Client.Connection.GetX(context.Background(), v.ID)
		if !secrets.SecretMatches(cr.ClientSecret, row.SecretHash) || row.SecretHash == cr.ClientSecret {
			t.Error("stored hash does not match the secret")
		}
		opened, err := f.svc.Sealer.Open(*row.SecretEncrypted, "connection:ROLLCALL_canvas")
		if err != nil || string(opened) != cr.ClientSecret {
			t.Errorf("sealed secret opens to %q, %v", opened, err)
		}
		if _, err := f.svc.Sealer.Open(*row.SecretEncrypted, "connection:ROLLCALL_other"); err == nil {
			t.Error("sealed secret opens with another connection's AAD")
		}
		if strings.Contains(string(*row.SecretEncrypted), cr.ClientSecret) {
			t.Error("secret stored in plain text")
		}

		// Audited, without the secret.
		e := f.onlyEvent(t, "connection.create", "connection:ROLLCALL_canvas")
		for k, want := range map[string]any{"vendor": "Canvas LMS", "key": "ROLLCALL_canvas", "version": "1.2",
			"partner": false, "schools": "all", "expires": "2027-03-10", "serviceAccount": "svc_rollcall_canvas"} {
			if e.Detail[k] != want {
				t.Errorf("audit detail %s = %v, want %v", k, e.Detail[k], want)
			}
		}
		f.assertNoSecretInAudit(t, cr.ClientSecret)
	})
}

func TestCreateOptions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		// A district's own prefix; the whole key may be typed; partner with every type; chosen schools.
		if _, err := settings.Update(f.ctx, db.Client, func(s *settings.Settings) error { s.SitePrefix = "LAKESIDE"; return nil }); err != nil {
			t.Fatal(err)
		}
		cr := f.create(t, provision.NewConnection{VendorName: "Schoology", DistrictPart: "LAKESIDE_schoology.v2",
			Version: "v1p2", Partner: true, Types: []string{"Assessment Sync", "gradebook", "roster", "gradebook"},
			SchoolSourcedIDs: []string{"s2", " s1 ", "s2"}, Demographics: true, ExpiresOn: date("2027-01-31")})
		v := cr.Connection
		if v.ConsumerKey != "LAKESIDE_schoology.v2" || cr.ClientID != v.ConsumerKey {
			t.Errorf("key %s", v.ConsumerKey)
		}
		if !slices.Equal(v.Types, []string{"roster", "gradebook", "assessment"}) || !v.Partner || !v.Demographics {
			t.Errorf("types %v partner %v demographics %v", v.Types, v.Partner, v.Demographics)
		}
		if v.AllSchools || !slices.Equal(v.Schools, []string{"s1", "s2"}) {
			t.Errorf("schools all=%v %v", v.AllSchools, v.Schools)
		}
		if v.ExpiresOn != "2027-01-31" {
			t.Errorf("expires %s", v.ExpiresOn)
		}
		e := f.onlyEvent(t, "connection.create", "connection:LAKESIDE_schoology.v2")
		if s, _ := e.Detail["schools"].([]any); len(s) != 2 {
			t.Errorf("audit schools %v", e.Detail["schools"])
		}

		// 1.1 base URL.
		cr = f.create(t, provision.NewConnection{VendorName: "Old LMS", DistrictPart: "old", Version: "1.1"})
		if cr.BaseURL != publicURL+"/ims/oneroster/v1p1" || cr.Connection.Version != "1.1" {
			t.Errorf("1.1 base URL %s version %s", cr.BaseURL, cr.Connection.Version)
		}
	})
}

func TestCreateRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.create(t, provision.NewConnection{VendorName: "Canvas", DistrictPart: "canvas"})
		ok := provision.NewConnection{VendorName: "V", DistrictPart: "fine", Version: "1.2"}
		with := func(change func(*provision.NewConnection)) provision.NewConnection {
			nc := ok
			change(&nc)
			return nc
		}
		for _, tc := range []struct {
			name  string
			nc    provision.NewConnection
			field string
			says  []string
		}{
			{"space in key", with(func(n *provision.NewConnection) { n.DistrictPart = "can vas" }), "districtPart", []string{"' '", "position 4"}},
			{"slash in key", with(func(n *provision.NewConnection) { n.DistrictPart = "canvas/1" }), "districtPart", []string{"'/'"}},
			{"accent in key", with(func(n *provision.NewConnection) { n.DistrictPart = "écoles" }), "districtPart", []string{"'é'", "position 1"}},
			{"empty key", with(func(n *provision.NewConnection) { n.DistrictPart = " " }), "districtPart", []string{"required"}},
			{"long key", with(func(n *provision.NewConnection) { n.DistrictPart = strings.Repeat("k", 41) }), "districtPart", []string{"at most 40"}},
			{"duplicate key", with(func(n *provision.NewConnection) { n.DistrictPart = "canvas" }), "districtPart",
				[]string{"consumer key ROLLCALL_canvas is already used by vendor Canvas"}},
			{"duplicate key other case", with(func(n *provision.NewConnection) { n.DistrictPart = "CANVAS" }), "districtPart",
				[]string{"ROLLCALL_CANVAS is already used by vendor Canvas", "ROLLCALL_canvas"}},
			{"no vendor", with(func(n *provision.NewConnection) { n.VendorName = "  " }), "vendorName", []string{"required"}},
			{"no version", with(func(n *provision.NewConnection) { n.Version = "" }), "version", []string{"1.1 or 1.2"}},
			{"bad version", with(func(n *provision.NewConnection) { n.Version = "1.0" }), "version", []string{`"1.0"`}},
			{"non-partner gradebook", with(func(n *provision.NewConnection) { n.Types = []string{"gradebook"} }), "types",
				[]string{"gradebook", "Digital Learning Partners", "roster-only"}},
			{"non-partner assessment", with(func(n *provision.NewConnection) { n.Types = []string{"assessment"} }), "types", []string{"roster-only"}},
			{"1.1 assessment", with(func(n *provision.NewConnection) {
				n.Version, n.Partner, n.Types = "1.1", true, []string{"assessment"}
			}), "types", []string{"1.1 has no assessment"}},
			{"unknown type", with(func(n *provision.NewConnection) { n.Types = []string{"attendance"} }), "types", []string{`"attendance"`}},
			{"unknown school", with(func(n *provision.NewConnection) { n.SchoolSourcedIDs = []string{"s1", "nope"} }), "schools",
				[]string{`school "nope" does not exist`}},
			{"not a school", with(func(n *provision.NewConnection) { n.SchoolSourcedIDs = []string{"d1", "dept1"} }), "schools",
				[]string{`org "d1" is a district`, `org "dept1" is a department`}},
			{"inactive school", with(func(n *provision.NewConnection) { n.SchoolSourcedIDs = []string{"s3"} }), "schools",
				[]string{`school "s3" is not active`, "tobedeleted"}},
			{"expires today", with(func(n *provision.NewConnection) { n.ExpiresOn = date("2026-03-10") }), "expiresOn",
				[]string{"must be after today", "2027-04-10"}},
			{"expired", with(func(n *provision.NewConnection) { n.ExpiresOn = date("2025-12-31") }), "expiresOn", []string{"after today"}},
			{"13 months and a day", with(func(n *provision.NewConnection) { n.ExpiresOn = date("2027-04-11") }), "expiresOn",
				[]string{"more than 13 months", "latest allowed date is 2027-04-10"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := f.svc.Create(f.ctx, tc.nc)
				wantValidation(t, err, tc.field, tc.says...)
			})
		}
		if n := db.Client.Connection.Query().CountX(context.Background()); n != 1 {
			t.Errorf("%d connections after refused creates, want 1", n)
		}
		if n := len(f.events(t, "connection.create")); n != 1 {
			t.Errorf("%d create events, want 1", n)
		}
	})
}

func TestExpirationLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		for i, tc := range []struct {
			now, expires, latest string
			ok                   bool
		}{
			{"2026-03-10", "2027-04-10", "2027-04-10", true}, // exactly 13 months
			{"2026-03-10", "2027-04-11", "2027-04-10", false},
			{"2026-03-10", "2026-03-11", "2027-04-10", true}, // tomorrow
			{"2026-03-10", "2026-03-10", "2027-04-10", false},
			{"2026-01-31", "2027-02-28", "2027-02-28", true}, // no February 31: the month's last day
			{"2026-01-31", "2027-03-01", "2027-02-28", false},
		} {
			f.clock.Set(date(tc.now).Add(23 * 3600e9)) // late in the day: the date is what counts
			_, err := f.svc.Create(f.ctx, provision.NewConnection{VendorName: "V", DistrictPart: "v" + string(rune('a'+i)),
				Version: "1.2", ExpiresOn: date(tc.expires)})
			if tc.ok && err != nil {
				t.Errorf("now %s, expires %s: %v", tc.now, tc.expires, err)
			}
			if !tc.ok {
				wantValidation(t, err, "expiresOn", tc.latest)
			}
			if got := provision.LatestExpiration(f.clock.Now()).Format("2006-01-02"); got != tc.latest {
				t.Errorf("latest at %s = %s, want %s", tc.now, got, tc.latest)
			}
		}
		// Default: one year, also from February 29.
		f.clock.Set(*date("2028-02-29"))
		cr := f.create(t, provision.NewConnection{DistrictPart: "leap"})
		if cr.Connection.ExpiresOn != "2029-02-28" {
			t.Errorf("default expiration from 2028-02-29: %s", cr.Connection.ExpiresOn)
		}
	})
}

func TestUpdate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		cr := f.create(t, provision.NewConnection{VendorName: "Canvas", DistrictPart: "canvas", Partner: true,
			Types: []string{"gradebook", "assessment"}})
		id := cr.Connection.ID
		str := func(s string) *string { return &s }
		yes, no := true, false
		schools := []string{"s1"}

		v, err := f.svc.Update(f.ctx, id, provision.Changes{VendorName: str("Canvas by Instructure"), Demographics: &yes,
			SchoolSourcedIDs: &schools, ExpiresOn: date("2026-12-31"), Enabled: &no})
		if err != nil {
			t.Fatal(err)
		}
		if v.VendorName != "Canvas by Instructure" || !v.Demographics || v.AllSchools || !slices.Equal(v.Schools, schools) ||
			v.ExpiresOn != "2026-12-31" || v.Enabled || v.ConsumerKey != "ROLLCALL_canvas" || v.ServiceAccount != "svc_rollcall_canvas" {
			t.Errorf("after update: %+v", v)
		}
		if v.Indicators != (provision.Indicators{Enabled: false, Active: true, NotExpired: true}) {
			t.Errorf("indicators of a disabled connection: %+v", v.Indicators)
		}
		e := f.onlyEvent(t, "connection.update", "connection:ROLLCALL_canvas")
		changes, _ := e.Detail["changes"].(map[string]any)
		if len(changes) != 5 {
			t.Errorf("audited changes %v, want vendorName, demographics, schools, expiresOn, enabled", changes)
		}
		if vn, _ := changes["vendorName"].(map[string]any); vn["from"] != "Canvas" || vn["to"] != "Canvas by Instructure" {
			t.Errorf("vendorName change %v", changes["vendorName"])
		}
		if sc, _ := changes["schools"].(map[string]any); sc["from"] != "all" {
			t.Errorf("schools change %v", changes["schools"])
		}

		// Same validation as Create.
		_, err = f.svc.Update(f.ctx, id, provision.Changes{ExpiresOn: date("2027-04-11")})
		wantValidation(t, err, "expiresOn", "2027-04-10")
		_, err = f.svc.Update(f.ctx, id, provision.Changes{Version: str("1.1")})
		wantValidation(t, err, "types", "1.1 has no assessment")
		bad := []string{"s3"}
		_, err = f.svc.Update(f.ctx, id, provision.Changes{SchoolSourcedIDs: &bad})
		wantValidation(t, err, "schools", `"s3"`)

		// Partner off drops gradebook and assessment; then 1.1 is fine.
		v, err = f.svc.Update(f.ctx, id, provision.Changes{Partner: &no, Version: str("1.1")})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(v.Types, []string{"roster"}) || v.Partner || v.Version != "1.1" {
			t.Errorf("after partner off: types %v partner %v version %s", v.Types, v.Partner, v.Version)
		}
		gb := []string{"roster", "gradebook"}
		_, err = f.svc.Update(f.ctx, id, provision.Changes{Types: &gb})
		wantValidation(t, err, "types", "roster-only")

		// Back to all schools; a change to nothing is not audited.
		none := []string{}
		if v, err = f.svc.Update(f.ctx, id, provision.Changes{SchoolSourcedIDs: &none}); err != nil || !v.AllSchools || len(v.Schools) != 0 {
			t.Errorf("all schools again: %+v, %v", v, err)
		}
		before := len(f.events(t, "connection.update"))
		if _, err := f.svc.Update(f.ctx, id, provision.Changes{VendorName: str("Canvas by Instructure")}); err != nil {
			t.Fatal(err)
		}
		if after := len(f.events(t, "connection.update")); after != before {
			t.Errorf("a no-op update was audited (%d -> %d events)", before, after)
		}
		if _, err := f.svc.Update(f.ctx, 999999, provision.Changes{Enabled: &yes}); !errors.Is(err, provision.ErrNotFound) {
			t.Errorf("update of a missing connection: %v", err)
		}
		f.assertNoSecretInAudit(t, cr.ClientSecret)
	})
}

func TestGetAndList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		a := f.create(t, provision.NewConnection{VendorName: "Zeta Reading", DistrictPart: "zeta", ExpiresOn: date("2026-06-01")})
		f.create(t, provision.NewConnection{VendorName: "Alpha Math", DistrictPart: "alpha", Purpose: "math practice"})
		c := f.create(t, provision.NewConnection{VendorName: "Mid LMS", DistrictPart: "mid", SchoolSourcedIDs: []string{"s2"}})
		if _, _, err := f.svc.Revoke(f.ctx, c.Connection.ID); err != nil {
			t.Fatal(err)
		}

		for _, ref := range []string{"ROLLCALL_zeta", "rollcall_ZETA", " ROLLCALL_zeta ", strconv.Itoa(a.Connection.ID)} {
			v, err := f.svc.Get(f.ctx, ref)
			if err != nil || v.ID != a.Connection.ID {
				t.Errorf("Get(%q) = %d, %v", ref, v.ID, err)
			}
		}
		if _, err := f.svc.Get(f.ctx, "ROLLCALL_nope"); !errors.Is(err, provision.ErrNotFound) {
			t.Errorf("Get of a missing key: %v", err)
		}
		if v, _ := f.svc.Get(f.ctx, "ROLLCALL_mid"); !slices.Equal(v.Schools, []string{"s2"}) {
			t.Errorf("Get loads schools: %v", v.Schools)
		}

		keys := func(opt provision.ListOptions) []string {
			t.Helper()
			vs, err := f.svc.List(f.ctx, opt)
			if err != nil {
				t.Fatalf("List(%+v): %v", opt, err)
			}
			var out []string
			for _, v := range vs {
				out = append(out, strings.TrimPrefix(v.ConsumerKey, "ROLLCALL_"))
			}
			return out
		}
		for _, tc := range []struct {
			opt  provision.ListOptions
			want []string
		}{
			{provision.ListOptions{}, []string{"alpha", "mid", "zeta"}},
			{provision.ListOptions{Desc: true}, []string{"zeta", "mid", "alpha"}},
			{provision.ListOptions{Sort: "expiresOn"}, []string{"zeta", "alpha", "mid"}},
			{provision.ListOptions{Status: "revoked"}, []string{"mid"}},
			{provision.ListOptions{Status: "active"}, []string{"alpha", "zeta"}},
			{provision.ListOptions{Search: "MATH"}, []string{"alpha"}},
			{provision.ListOptions{Search: "svc_rollcall_z"}, []string{"zeta"}},
		} {
			if got := keys(tc.opt); !slices.Equal(got, tc.want) {
				t.Errorf("List(%+v) = %v, want %v", tc.opt, got, tc.want)
			}
		}
		if _, err := f.svc.List(f.ctx, provision.ListOptions{Sort: "color"}); err == nil {
			t.Error("unknown sort accepted")
		}
		vs, _ := f.svc.List(f.ctx, provision.ListOptions{Search: "zeta"})
		if len(vs) != 1 || vs[0].ValidDays != 83 || vs[0].Share.ClientSecret != "" {
			t.Errorf("list view of zeta: %+v", vs)
		}
	})
}

func TestCreateConcurrentSameKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		keys := []string{"canvas", "Canvas", "CANVAS", "canvas", "canVas", "canvas"}
		errs := make(chan error, len(keys))
		for _, k := range keys {
			go func() {
				_, err := f.svc.Create(f.ctx, provision.NewConnection{VendorName: "Canvas", DistrictPart: k, Version: "1.2"})
				errs <- err
			}()
		}
		ok := 0
		for range keys {
			err := <-errs
			if err == nil {
				ok++
				continue
			}
			wantValidation(t, err, "districtPart", "already used")
		}
		if ok != 1 {
			t.Errorf("%d concurrent creates of one key succeeded, want 1", ok)
		}
		if n := len(f.events(t, "connection.create")); n != 1 {
			t.Errorf("%d create events, want 1", n)
		}
	})
}
