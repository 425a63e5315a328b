package provision_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/ent/adminaccount"
	"github.com/rollcall/rollcall/ent/apiclient"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/secrets"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

func TestAPIClients(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		if _, err := f.svc.CreateAdmin(f.ctx, "root", provision.RoleSISAdmin, "root password 123"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.CreateAdmin(f.ctx, "ana", provision.RoleAnalyst, "analyst password 1"); err != nil {
			t.Fatal(err)
		}

		cr, err := f.svc.CreateAPIClient(f.ctx, "ana", "  nightly report ")
		if err != nil {
			t.Fatal(err)
		}
		if !provision.IsAPIClientID(cr.ClientID) || len(cr.ClientID) != 4+24 || cr.Name != "nightly report" ||
			cr.Account != "ana" || cr.Role != "analyst" || cr.Revoked || cr.CreatedBy != "admin:alice" ||
			cr.TokenURL != publicURL+"/oauth/token" {
			t.Errorf("created %+v", cr)
		}
		if len(cr.ClientSecret) != provision.SecretLength || !secretChars.MatchString(cr.ClientSecret) {
			t.Errorf("secret %q", cr.ClientSecret)
		}
		row := db.Client.APIClient.Query().Where(apiclient.ClientID(cr.ClientID)).OnlyX(ctx)
		if row.SecretHash != secrets.HashSecret(cr.ClientSecret) {
			t.Error("stored hash does not match")
		}
		e := f.onlyEvent(t, "apiclient.create", "apiclient:"+cr.ClientID)
		if e.Detail["account"] != "ana" || e.Detail["role"] != "analyst" {
			t.Errorf("apiclient.create detail %v", e.Detail)
		}
		if provision.IsAPIClientID("ROLLCALL_canvas") {
			t.Error("a consumer key taken for an API client id")
		}

		// Refused creates.
		if _, err := f.svc.CreateAPIClient(f.ctx, "nobody", "x"); !errors.Is(err, provision.ErrNotFound) {
			t.Errorf("unknown account: %v", err)
		}
		if _, err := f.svc.CreateAPIClient(f.ctx, "ana", " "); err == nil {
			t.Error("empty name accepted")
		}

		// Authentication.
		f.clock.Set(start.Add(time.Hour))
		c, err := f.svc.AuthenticateAPIClient(ctx, cr.ClientID, cr.ClientSecret)
		if err != nil || c.Edges.Account == nil || c.Edges.Account.Role != adminaccount.RoleAnalyst {
			t.Fatalf("AuthenticateAPIClient: %v, %+v", err, c)
		}
		if row := db.Client.APIClient.GetX(ctx, c.ID); row.LastUsedAt == nil || !row.LastUsedAt.Equal(start.Add(time.Hour)) {
			t.Errorf("last used %v", row.LastUsedAt)
		}
		if _, err := f.svc.AuthenticateAPIClient(ctx, cr.ClientID, wrongSecret(cr.ClientSecret)); !errors.Is(err, provision.ErrWrongSecret) {
			t.Errorf("wrong secret: %v", err)
		}
		if _, err := f.svc.AuthenticateAPIClient(ctx, "api_nothing", cr.ClientSecret); !errors.Is(err, provision.ErrUnknownClient) {
			t.Errorf("unknown client: %v", err)
		}

		// A disabled account's clients stop working; enabled again, they work.
		if err := f.svc.DisableAdmin(f.ctx, "ana"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AuthenticateAPIClient(ctx, cr.ClientID, cr.ClientSecret); !errors.Is(err, provision.ErrAdminDisabled) {
			t.Errorf("disabled account: %v", err)
		}
		if _, err := f.svc.CreateAPIClient(f.ctx, "ana", "another"); err == nil {
			t.Error("API client created for a disabled account")
		}
		if err := f.svc.EnableAdmin(f.ctx, "ana"); err != nil {
			t.Fatal(err)
		}

		// Listing and revoking.
		cr2, err := f.svc.CreateAPIClient(f.ctx, "root", "deploy script")
		if err != nil {
			t.Fatal(err)
		}
		all, err := f.svc.ListAPIClients(f.ctx, "")
		if err != nil || len(all) != 2 {
			t.Fatalf("list: %v, %v", all, err)
		}
		anas, err := f.svc.ListAPIClients(f.ctx, "ANA")
		if err != nil || len(anas) != 1 || anas[0].ClientID != cr.ClientID || anas[0].LastUsedAt == nil {
			t.Errorf("list of ana: %+v, %v", anas, err)
		}
		v, changed, err := f.svc.RevokeAPIClient(f.ctx, cr.ClientID)
		if err != nil || !changed || !v.Revoked || v.RevokedAt == nil {
			t.Fatalf("revoke: %+v, %v, %v", v, changed, err)
		}
		if _, err := f.svc.AuthenticateAPIClient(ctx, cr.ClientID, cr.ClientSecret); !errors.Is(err, provision.ErrAPIClientRevoked) {
			t.Errorf("revoked client: %v", err)
		}
		if db.Client.APIClient.GetX(ctx, v.ID).SecretHash != "" {
			t.Error("revoked client kept its secret hash")
		}
		if _, changed, err := f.svc.RevokeAPIClient(f.ctx, cr.ClientID); err != nil || changed {
			t.Errorf("second revoke: %v, %v", changed, err)
		}
		if _, _, err := f.svc.RevokeAPIClient(f.ctx, "api_nothing"); !errors.Is(err, provision.ErrNotFound) {
			t.Errorf("revoke unknown: %v", err)
		}
		f.onlyEvent(t, "apiclient.revoke", "apiclient:"+cr.ClientID)
		if _, err := f.svc.AuthenticateAPIClient(ctx, cr2.ClientID, cr2.ClientSecret); err != nil {
			t.Errorf("the other client still works: %v", err)
		}
		f.assertNoSecretInAudit(t, cr.ClientSecret, cr2.ClientSecret, "root password 123", "analyst password 1")
		if strings.Contains(cr.ClientSecret, cr.ClientID) {
			t.Error("id and secret overlap")
		}
	})
}
