package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

// GraphQL answers admin and API-client tokens only: no token is 401, a vendor's token is 403.
func TestGraphQLRequiresAnAdminToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := startTestServer(t, db)
		ctx := context.Background()
		db.Client.Org.Create().SetSourcedID("d1").SetName("Lakeside").SetType("district").ExecX(ctx)
		vendor, err := s.Svc.Create(ctx, provision.NewConnection{VendorName: "Canvas", DistrictPart: "canvas", Version: "1.2"})
		if err != nil {
			t.Fatal(err)
		}
		query := `{"query":"{ orgs(first: 5) { totalCount edges { node { sourcedID name } } } }"}`
		tests := []struct {
			name   string
			token  string
			status int
		}{
			{"no token", "", http.StatusUnauthorized},
			{"garbage token", "not-a-jwt", http.StatusUnauthorized},
			{"vendor token", s.token(t, vendor.ClientID, vendor.ClientSecret), http.StatusForbidden},
			{"analyst API client", s.analystToken(t, provision.RoleAnalyst), http.StatusOK},
			{"auditor API client", s.analystToken(t, provision.RoleAuditor), http.StatusOK},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				req, _ := http.NewRequest("POST", s.URL+config.GraphQLPath, strings.NewReader(query))
				req.Header.Set("Content-Type", "application/json")
				if tt.token != "" {
					req.Header.Set("Authorization", "Bearer "+tt.token)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				if resp.StatusCode != tt.status {
					t.Fatalf("HTTP %d, want %d", resp.StatusCode, tt.status)
				}
				if tt.status == http.StatusUnauthorized && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("401 without a Bearer challenge: %q", resp.Header.Get("WWW-Authenticate"))
				}
				if tt.status != http.StatusOK {
					return
				}
				var body struct {
					Data struct {
						Orgs struct {
							TotalCount int
							Edges      []struct {
								Node struct{ SourcedID, Name string }
							}
						}
					}
					Errors []any
				}
				if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || len(body.Errors) > 0 {
					t.Fatalf("decode: %v, errors %v", err, body.Errors)
				}
				if body.Data.Orgs.TotalCount != 1 || body.Data.Orgs.Edges[0].Node.Name != "Lakeside" {
					t.Errorf("orgs = %+v", body.Data.Orgs)
				}
			})
		}
	})
}
