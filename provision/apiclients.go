package provision

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/adminaccount"
	"github.com/rollcall/rollcall/ent/apiclient"
	"github.com/rollcall/rollcall/secrets"
)

// APIClientPrefix starts every API client id. Consumer keys cannot start with it (their site prefix is 8
// letters or digits), so a token endpoint can tell the two kinds of client apart with IsAPIClientID.
const APIClientPrefix = "api_"

// ErrAPIClientRevoked: the API client was revoked.
var ErrAPIClientRevoked = errors.New("the API client is revoked")

// IsAPIClientID reports whether clientID names an API client rather than a vendor connection.
func IsAPIClientID(clientID string) bool { return strings.HasPrefix(clientID, APIClientPrefix) }

// APIClientView is an API client without its secret hash.
type APIClientView struct {
	ID         int        `json:"id"`
	ClientID   string     `json:"clientId"`
	Name       string     `json:"name"`
	Account    string     `json:"account"` // the admin account's username
	Role       string     `json:"role"`    // the account's role, which the client's tokens carry
	Revoked    bool       `json:"revoked"`
	CreatedAt  time.Time  `json:"createdAt"`
	CreatedBy  string     `json:"createdBy"`
	RevokedAt  *time.Time `json:"revokedAt"`
	LastUsedAt *time.Time `json:"lastUsedAt"`
}

// APIClientCredentials are a new API client with its secret, shown once.
type APIClientCredentials struct {
	APIClientView
	ClientSecret string `json:"clientSecret"`
	TokenURL     string `json:"tokenUrl,omitempty"`
}

func apiClientView(c *ent.APIClient) APIClientView {
	v := APIClientView{ID: c.ID, ClientID: c.ClientID, Name: c.Name, Revoked: c.RevokedAt != nil,
		CreatedAt: c.CreatedAt, CreatedBy: c.CreatedBy, RevokedAt: c.RevokedAt, LastUsedAt: c.LastUsedAt}
	if a := c.Edges.Account; a != nil {
		v.Account, v.Role = a.Username, string(a.Role)
	}
	return v
}

// CreateAPIClient creates client credentials bound to the admin account (which must exist and be
// enabled), recording apiclient.create. The tokens of the client carry the account's role. Only the
// secret's hash is stored: the returned secret is the only copy.
func (s *Service) CreateAPIClient(ctx context.Context, accountUsername, name string) (APIClientCredentials, error) {
	name = strings.TrimSpace(name)
	if n := utf8.RuneCountInString(name); n == 0 || n > 200 {
		return APIClientCredentials{}, invalid("name", "the API client's name is required (at most 200 characters), e.g. the script or tool that uses it")
	}
	clientID := APIClientPrefix + strings.ToLower(secrets.NewSecret(24))
	secret := secrets.NewSecret(SecretLength)
	var created *ent.APIClient
	err := s.inTx(ctx, func(c *ent.Client) error {
		a, err := findAdmin(ctx, c, accountUsername)
		if err != nil {
			return err
		}
		if a.Disabled {
			return invalid("account", "admin account %s is disabled: enable it before giving it an API client", a.Username)
		}
		created, err = c.APIClient.Create().SetClientID(clientID).SetName(name).
			SetSecretHash(secrets.HashSecret(secret)).SetCreatedBy(actor.From(ctx)).SetAccountID(a.ID).Save(ctx)
		if err != nil {
			return err
		}
		created.Edges.Account = a
		return audit.Record(ctx, c, audit.Event{Action: "apiclient.create", Target: "apiclient:" + clientID,
			Detail: map[string]any{"clientId": clientID, "name": name, "account": a.Username, "role": string(a.Role)}})
	})
	if err != nil {
		return APIClientCredentials{}, err
	}
	out := APIClientCredentials{APIClientView: apiClientView(created), ClientSecret: secret}
	if s.Config.PublicURL != "" {
		out.TokenURL = s.Config.TokenURL()
	}
	return out, nil
}

// ListAPIClients returns the API clients, of one account when accountUsername is not empty, newest first.
func (s *Service) ListAPIClients(ctx context.Context, accountUsername string) ([]APIClientView, error) {
	q := s.Client.APIClient.Query().WithAccount().Order(apiclient.ByCreatedAt(), apiclient.ByID())
	if u := strings.ToLower(strings.TrimSpace(accountUsername)); u != "" {
		q.Where(apiclient.HasAccountWith(adminaccount.Username(u)))
	}
	cs, err := q.All(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]APIClientView, 0, len(cs))
	for i := len(cs) - 1; i >= 0; i-- {
		out = append(out, apiClientView(cs[i]))
	}
	return out, nil
}

// RevokeAPIClient revokes the API client (its secret hash is deleted, revoked_at set), recording
// apiclient.revoke. Revoking a revoked client changes nothing and records nothing: changed is false.
func (s *Service) RevokeAPIClient(ctx context.Context, clientID string) (v APIClientView, changed bool, err error) {
	var out *ent.APIClient
	err = s.inTx(ctx, func(c *ent.Client) error {
		cur, err := c.APIClient.Query().Where(apiclient.ClientID(strings.TrimSpace(clientID))).WithAccount().Only(ctx)
		if ent.IsNotFound(err) {
			return fmt.Errorf("API client %q: %w", clientID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		out = cur
		if cur.RevokedAt != nil {
			return nil
		}
		now := s.now()
		n, err := c.APIClient.Update().Where(apiclient.ID(cur.ID), apiclient.RevokedAtIsNil()).
			SetRevokedAt(now).SetSecretHash("").Save(ctx)
		if err != nil || n == 0 {
			return err
		}
		changed, cur.RevokedAt = true, &now
		return audit.Record(ctx, c, audit.Event{Action: "apiclient.revoke", Target: "apiclient:" + cur.ClientID,
			Detail: map[string]any{"clientId": cur.ClientID, "name": cur.Name, "account": cur.Edges.Account.Username}})
	})
	if err != nil {
		return APIClientView{}, false, err
	}
	return apiClientView(out), changed, nil
}

// AuthenticateAPIClient checks an API client's credentials for the token endpoint and returns the client
// with its account loaded (Edges.Account, whose Role the token carries), recording last_used_at. Errors:
// ErrUnknownClient or ErrWrongSecret (both ErrInvalidClient), ErrAPIClientRevoked whatever the secret (a
// revoked client has none), and after a matching secret ErrAdminDisabled when the account is disabled.
func (s *Service) AuthenticateAPIClient(ctx context.Context, clientID, secret string) (*ent.APIClient, error) {
	c, err := s.Client.APIClient.Query().Where(apiclient.ClientID(clientID)).WithAccount().Only(ctx)
	if ent.IsNotFound(err) {
		secrets.SecretMatches(secret, dummyHash)
		return nil, ErrUnknownClient
	}
	if err != nil {
		return nil, err
	}
	if c.RevokedAt != nil {
		return c, ErrAPIClientRevoked
	}
	if !secrets.SecretMatches(secret, c.SecretHash) {
		return nil, ErrWrongSecret
	}
	if c.Edges.Account == nil || c.Edges.Account.Disabled {
		return c, ErrAdminDisabled
	}
	now := s.now()
	if err := s.Client.APIClient.UpdateOneID(c.ID).SetLastUsedAt(now).Exec(ctx); err != nil {
		return nil, err
	}
	c.LastUsedAt = &now
	return c, nil
}
