package provision

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/connection"
	"github.com/rollcall/rollcall/ent/org"
	"github.com/rollcall/rollcall/ent/predicate"
)

// ShareInfo is the "Information to share" with the vendor. ClientSecret is set only where the secret is
// being shown: right after Create and Renew, and by the audited RevealSecret.
type ShareInfo struct {
	ClientID      string `json:"clientId"`
	ClientSecret  string `json:"clientSecret,omitempty"`
	TokenURL      string `json:"tokenUrl"`
	BaseURL       string `json:"baseUrl"`
	DocsURL       string `json:"docsUrl"`
	GuidelinesURL string `json:"guidelinesUrl"`
}

// Share returns the information to share for connection c, without the secret.
func Share(cfg config.Config, c *ent.Connection) ShareInfo {
	return ShareInfo{
		ClientID:      c.ConsumerKey,
		TokenURL:      cfg.TokenURL(),
		BaseURL:       cfg.BaseURL(string(c.Version)),
		DocsURL:       cfg.DocsURL(),
		GuidelinesURL: cfg.PublicURL + config.GuidelinesPath,
	}
}

// View is a connection as the Provisioning tool shows it, with what the server computes: the three status
// indicators and the valid days at the service's clock, and the information to share (without the secret).
type View struct {
	ID             int    `json:"id"`
	VendorName     string `json:"vendorName"`
	Purpose        string `json:"purpose"`
	ConsumerKey    string `json:"consumerKey"`
	ServiceAccount string `json:"serviceAccount"` // "Campus user account name"; never editable
	Version        string `json:"version"`        // "1.1" or "1.2"
	Partner        bool   `json:"partner"`        // Digital Learning Partner
	// Types are the connection types in canonical order: roster, then gradebook, then assessment.
	Types        []string `json:"types"`
	Demographics bool     `json:"demographics"`
	AllSchools   bool     `json:"allSchools"`
	// Schools are the sourcedIds of the chosen schools, sorted; empty when AllSchools.
	Schools     []string   `json:"schools"`
	Status      string     `json:"status"` // "active" or "revoked"
	Enabled     bool       `json:"enabled"`
	HasSecret   bool       `json:"hasSecret"`
	ExpiresOn   string     `json:"expiresOn"` // YYYY-MM-DD: the credentials are expired from this date on
	ValidDays   int        `json:"validDays"`
	Indicators  Indicators `json:"indicators"`
	Usable      bool       `json:"usable"` // may obtain tokens now (Usable returns nil)
	CreatedBy   string     `json:"createdBy"`
	CreatedAt   time.Time  `json:"createdAt"`
	UpdatedAt   time.Time  `json:"updatedAt"`
	RevokedAt   *time.Time `json:"revokedAt"`
	LastTokenAt *time.Time `json:"lastTokenAt"`
	Share       ShareInfo  `json:"share"`
}

// Credentials are a connection's view together with the information to share including the secret, as
// returned by Create, Renew and RevealSecret. The share fields are at the top level of the JSON.
type Credentials struct {
	ShareInfo
	Connection View `json:"connection"`
}

// ViewOf builds the view of c at now. c's schools must be loaded unless it covers all schools.
func ViewOf(cfg config.Config, c *ent.Connection, now time.Time) View {
	schools := []string{}
	if !c.AllSchools {
		for _, o := range c.Edges.Schools {
			schools = append(schools, o.SourcedID)
		}
		slices.Sort(schools)
	}
	types := slices.Clone(c.Types)
	if types == nil {
		types = []string{}
	}
	return View{
		ID:             c.ID,
		VendorName:     c.VendorName,
		Purpose:        c.Purpose,
		ConsumerKey:    c.ConsumerKey,
		ServiceAccount: c.ServiceAccount,
		Version:        VersionLabel(c.Version),
		Partner:        c.Partner,
		Types:          types,
		Demographics:   c.Demographics,
		AllSchools:     c.AllSchools,
		Schools:        schools,
		Status:         string(c.Status),
		Enabled:        c.Enabled,
		HasSecret:      c.SecretHash != "",
		ExpiresOn:      c.ExpiresAt.UTC().Format(time.DateOnly),
		ValidDays:      ValidDays(c, now),
		Indicators:     StatusIndicators(c, now),
		Usable:         Usable(c, now) == nil,
		CreatedBy:      c.CreatedBy,
		CreatedAt:      c.CreatedAt,
		UpdatedAt:      c.UpdatedAt,
		RevokedAt:      c.RevokedAt,
		LastTokenAt:    c.LastTokenAt,
		Share:          Share(cfg, c),
	}
}

func (s *Service) view(c *ent.Connection) View { return ViewOf(s.Config, c, s.now()) }

// withSchools eager-loads the sourcedIds of a connection's schools.
func withSchools(q *ent.OrgQuery) { q.Select(org.FieldID, org.FieldSourcedID) }

// load returns the connection with this id, schools loaded.
func load(ctx context.Context, c *ent.Client, id int) (*ent.Connection, error) {
	conn, err := c.Connection.Query().Where(connection.ID(id)).WithSchools(withSchools).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, fmt.Errorf("connection %d: %w", id, ErrNotFound)
	}
	return conn, err
}

// Get returns the connection named by idOrKey: its database id in decimal, or its consumer key (case
// does not matter: keys are unique regardless of case).
func (s *Service) Get(ctx context.Context, idOrKey string) (View, error) {
	c, err := s.find(ctx, s.Client, idOrKey)
	if err != nil {
		return View{}, err
	}
	return s.view(c), nil
}

func (s *Service) find(ctx context.Context, client *ent.Client, idOrKey string) (*ent.Connection, error) {
	ref := strings.TrimSpace(idOrKey)
	var where predicate.Connection
	if id, err := strconv.Atoi(ref); err == nil {
		where = connection.ID(id)
	} else {
		where = connection.ConsumerKeyEqualFold(ref)
	}
	c, err := client.Connection.Query().Where(where).WithSchools(withSchools).First(ctx)
	if ent.IsNotFound(err) {
		return nil, fmt.Errorf("connection %q: %w", ref, ErrNotFound)
	}
	return c, err
}

// ListOptions filter and sort List. The zero value lists every connection by vendor name.
type ListOptions struct {
	// Search matches vendor name, consumer key, purpose or service account, ignoring case.
	Search string `json:"search"`
	// Status is "active", "revoked" or "" for both.
	Status string `json:"status"`
	// Enabled, when set, keeps only connections whose client-enabled flag has this value.
	Enabled *bool `json:"enabled"`
	// Sort is one of vendorName (default), consumerKey, expiresOn, createdAt, status, version, lastTokenAt.
	Sort string `json:"sort"`
	// Desc reverses the order.
	Desc bool `json:"desc"`
}

var sortFields = map[string]string{
	"vendorName":  connection.FieldVendorName,
	"consumerKey": connection.FieldConsumerKey,
	"expiresOn":   connection.FieldExpiresAt,
	"createdAt":   connection.FieldCreatedAt,
	"status":      connection.FieldStatus,
	"version":     connection.FieldVersion,
	"lastTokenAt": connection.FieldLastTokenAt,
}

// List returns the connections matching opt, each with its computed indicators and valid days.
func (s *Service) List(ctx context.Context, opt ListOptions) ([]View, error) {
	q := s.Client.Connection.Query().WithSchools(withSchools)
	if t := strings.TrimSpace(opt.Search); t != "" {
		q.Where(connection.Or(connection.VendorNameContainsFold(t), connection.ConsumerKeyContainsFold(t),
			connection.PurposeContainsFold(t), connection.ServiceAccountContainsFold(t)))
	}
	switch opt.Status {
	case "":
	case string(connection.StatusActive), string(connection.StatusRevoked):
		q.Where(connection.StatusEQ(connection.Status(opt.Status)))
	default:
		return nil, invalid("status", "status %q: want active, revoked or nothing for both", opt.Status)
	}
	if opt.Enabled != nil {
		q.Where(connection.Enabled(*opt.Enabled))
	}
	sortBy := opt.Sort
	if sortBy == "" {
		sortBy = "vendorName"
	}
	field, ok := sortFields[sortBy]
	if !ok {
		names := make([]string, 0, len(sortFields))
		for n := range sortFields {
			names = append(names, n)
		}
		slices.Sort(names)
		return nil, invalid("sort", "sort %q: want one of %s", opt.Sort, strings.Join(names, ", "))
	}
	dir := sql.OrderAsc()
	if opt.Desc {
		dir = sql.OrderDesc()
	}
	q.Order(sql.OrderByField(field, dir).ToFunc(), sql.OrderByField(connection.FieldID, dir).ToFunc())
	conns, err := q.All(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := make([]View, len(conns))
	for i, c := range conns {
		out[i] = ViewOf(s.Config, c, now)
	}
	return out, nil
}
