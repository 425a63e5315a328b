package provision

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/connection"
	"github.com/rollcall/rollcall/secrets"
	"github.com/rollcall/rollcall/settings"
	"github.com/rollcall/rollcall/store"
)

// NewConnection is what an admin enters to create a vendor connection.
type NewConnection struct {
	VendorName string `json:"vendorName"`
	Purpose    string `json:"purpose"`
	// DistrictPart is the consumer key after the site prefix and underscore. If the whole key is given
	// (PREFIX_part, with this district's prefix), the prefix is dropped.
	DistrictPart string `json:"districtPart"`
	// Version is "1.1" or "1.2" (see ParseVersion); required.
	Version string `json:"version"`
	// Partner marks the vendor as a Digital Learning Partner (may have gradebook and assessment types).
	Partner bool `json:"partner"`
	// Types are the connection types; roster is always added (see NormalizeTypes).
	Types []string `json:"types"`
	// SchoolSourcedIDs limits the connection to these schools; empty means all schools.
	SchoolSourcedIDs []string `json:"schools"`
	// Demographics allows reading demographics.
	Demographics bool `json:"demographics"`
	// ExpiresOn is the token expiration date (its calendar date counts); nil means one year from today.
	ExpiresOn *time.Time `json:"expiresOn"`
}

// Create validates nc and creates the connection, active and enabled, with a new random secret and its
// service account, in one transaction with the connection.create audit event. It returns the connection
// and the information to share, secret included: the only time besides Renew and the audited RevealSecret
// that the secret leaves the server. The secret is never logged or audited.
//
// Refused with a *ValidationError: a missing vendor name or version; a district part with characters other
// than letters, digits, '.', '-', '_' or longer than 40; a consumer key already used (in any case); an
// expiration date not after today or more than 13 months ahead; gradebook or assessment for a non-partner;
// assessment for 1.1; an unknown type; a school that does not exist, is not a school or is not active.
func (s *Service) Create(ctx context.Context, nc NewConnection) (Credentials, error) {
	if s.Sealer == nil {
		return Credentials{}, errors.New("provision: no server key to seal the secret with (Service.Sealer is nil)")
	}
	vendor, err := vendorName(nc.VendorName)
	if err != nil {
		return Credentials{}, err
	}
	why, err := purpose(nc.Purpose)
	if err != nil {
		return Credentials{}, err
	}
	version, err := ParseVersion(nc.Version)
	if err != nil {
		return Credentials{}, err
	}
	types, err := NormalizeTypes(nc.Types, nc.Partner, version)
	if err != nil {
		return Credentials{}, err
	}
	expires, err := s.expiration(nc.ExpiresOn)
	if err != nil {
		return Credentials{}, err
	}
	schoolIDs := cleanIDs(nc.SchoolSourcedIDs)
	secret := secrets.NewSecret(SecretLength)

	var created *ent.Connection
	err = s.inTx(ctx, func(c *ent.Client) error {
		st, err := settings.Load(ctx, c)
		if err != nil {
			return err
		}
		part := districtPart(nc.DistrictPart, st.SitePrefix)
		if err := ValidateDistrictPart(part); err != nil {
			return err
		}
		key := st.SitePrefix + "_" + part
		if err := keyAvailable(ctx, c, key); err != nil {
			return err
		}
		var ids []int
		if len(schoolIDs) > 0 {
			if ids, err = resolveSchools(ctx, c, schoolIDs); err != nil {
				return err
			}
		}
		created, err = c.Connection.Create().
			SetVendorName(vendor).
			SetPurpose(why).
			SetConsumerKey(key).
			SetSecretHash(secrets.HashSecret(secret)).
			SetSecretEncrypted(s.Sealer.Seal([]byte(secret), SecretAAD(key))).
			SetServiceAccount(ServiceAccountFor(key)).
			SetExpiresAt(expires).
			SetStatus(connection.StatusActive).
			SetEnabled(true).
			SetVersion(version).
			SetPartner(nc.Partner).
			SetTypes(types).
			SetDemographics(nc.Demographics).
			SetAllSchools(len(ids) == 0).
			AddSchoolIDs(ids...).
			SetCreatedBy(actor.From(ctx)).
			Save(ctx)
		if err != nil {
			return duplicateKey(key, err)
		}
		return audit.Record(ctx, c, audit.Event{Action: "connection.create", Target: target(key), Detail: map[string]any{
			"vendor":         vendor,
			"key":            key,
			"serviceAccount": created.ServiceAccount,
			"version":        VersionLabel(version),
			"types":          types,
			"partner":        nc.Partner,
			"demographics":   nc.Demographics,
			"schools":        schoolsDetail(len(ids) == 0, schoolIDs),
			"expires":        expires.Format(time.DateOnly),
		}})
	})
	if err != nil {
		return Credentials{}, err
	}
	created, err = load(ctx, s.Client, created.ID)
	if err != nil {
		return Credentials{}, err
	}
	return s.credentials(created, secret), nil
}

// SecretAAD is the associated data a connection's secret is sealed with, binding it to its consumer key.
func SecretAAD(consumerKey string) string { return "connection:" + consumerKey }

func target(key string) string { return "connection:" + key }

func (s *Service) credentials(c *ent.Connection, secret string) Credentials {
	v := s.view(c)
	share := v.Share
	share.ClientSecret = secret
	return Credentials{ShareInfo: share, Connection: v}
}

func schoolsDetail(all bool, ids []string) any {
	if all {
		return "all"
	}
	return ids
}

// keyAvailable refuses a consumer key that another connection already has, in any letter case (the service
// accounts derived from the keys must differ too).
func keyAvailable(ctx context.Context, c *ent.Client, key string) error {
	other, err := c.Connection.Query().Where(connection.ConsumerKeyEqualFold(key)).First(ctx)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if other.ConsumerKey != key {
		return invalid("districtPart", "consumer key %s is already used by vendor %s (as %s; keys differ in more than letter case)",
			key, other.VendorName, other.ConsumerKey)
	}
	return invalid("districtPart", "consumer key %s is already used by vendor %s", key, other.VendorName)
}

// duplicateKey turns a unique violation that a concurrent create slipped past keyAvailable into the same
// clear error.
func duplicateKey(key string, err error) error {
	var ce *store.ConstraintError
	if errors.As(store.Explain(err), &ce) && ce.Kind == "duplicate" {
		return invalid("districtPart", "consumer key %s is already used by another vendor", key)
	}
	return err
}

// Changes are the editable fields of a connection; nil leaves a field as it is. The consumer key and the
// service account never change.
type Changes struct {
	VendorName *string `json:"vendorName,omitempty"`
	Purpose    *string `json:"purpose,omitempty"`
	Version    *string `json:"version,omitempty"`
	// Partner false also removes the gradebook and assessment types.
	Partner      *bool     `json:"partner,omitempty"`
	Types        *[]string `json:"types,omitempty"`
	Demographics *bool     `json:"demographics,omitempty"`
	// SchoolSourcedIDs replaces the list of schools; an empty list means all schools.
	SchoolSourcedIDs *[]string  `json:"schools,omitempty"`
	ExpiresOn        *time.Time `json:"expiresOn,omitempty"`
	Enabled          *bool      `json:"enabled,omitempty"`
}

// Update applies ch to the connection with this id, with the validation of Create, and records a
// connection.update event with the before and after of each field that changed (no event when nothing
// changed). A revoked connection is read-only: ErrReadOnly until it is renewed. Turning Partner off drops
// the gradebook and assessment types; switching to 1.1 with the assessment type is refused.
func (s *Service) Update(ctx context.Context, id int, ch Changes) (View, error) {
	var out *ent.Connection
	err := s.inTx(ctx, func(c *ent.Client) error {
		cur, err := load(ctx, c, id)
		if err != nil {
			return err
		}
		if cur.Status == connection.StatusRevoked {
			return fmt.Errorf("connection %s: %w", cur.ConsumerKey, ErrReadOnly)
		}
		before := fieldsOf(cur)
		after := before
		if ch.VendorName != nil {
			if after.VendorName, err = vendorName(*ch.VendorName); err != nil {
				return err
			}
		}
		if ch.Purpose != nil {
			if after.Purpose, err = purpose(*ch.Purpose); err != nil {
				return err
			}
		}
		version := cur.Version
		if ch.Version != nil {
			if version, err = ParseVersion(*ch.Version); err != nil {
				return err
			}
			after.Version = VersionLabel(version)
		}
		if ch.Partner != nil {
			after.Partner = *ch.Partner
		}
		types := cur.Types
		if ch.Types != nil {
			types = *ch.Types // validated as given: gradebook for a non-partner is refused
		} else if !after.Partner {
			// Partner turned off: the partner-only types go with it.
			types = slices.DeleteFunc(slices.Clone(types), func(t string) bool { return t == TypeGradebook || t == TypeAssessment })
		}
		if after.Types, err = NormalizeTypes(types, after.Partner, version); err != nil {
			return err
		}
		if ch.Demographics != nil {
			after.Demographics = *ch.Demographics
		}
		var schoolIDs []int
		if ch.SchoolSourcedIDs != nil {
			after.Schools = cleanIDs(*ch.SchoolSourcedIDs)
			slices.Sort(after.Schools)
			if len(after.Schools) > 0 {
				if schoolIDs, err = resolveSchools(ctx, c, after.Schools); err != nil {
					return err
				}
			}
			if after.Schools == nil {
				after.Schools = []string{}
			}
			after.AllSchools = len(after.Schools) == 0
		}
		if ch.ExpiresOn != nil {
			e, err := s.expiration(ch.ExpiresOn)
			if err != nil {
				return err
			}
			after.ExpiresOn = e.Format(time.DateOnly)
		}
		if ch.Enabled != nil {
			after.Enabled = *ch.Enabled
		}
		diff := before.diff(after)
		if len(diff) == 0 {
			out = cur
			return nil
		}
		u := c.Connection.UpdateOneID(id).Where(connection.StatusEQ(connection.StatusActive)).
			SetVendorName(after.VendorName).
			SetPurpose(after.Purpose).
			SetVersion(version).
			SetPartner(after.Partner).
			SetTypes(after.Types).
			SetDemographics(after.Demographics).
			SetEnabled(after.Enabled)
		if ch.SchoolSourcedIDs != nil {
			u.ClearSchools().AddSchoolIDs(schoolIDs...).SetAllSchools(after.AllSchools)
		}
		if ch.ExpiresOn != nil {
			e, _ := ParseDate(after.ExpiresOn)
			u.SetExpiresAt(e)
		}
		if err := u.Exec(ctx); err != nil {
			if ent.IsNotFound(err) { // revoked since we read it
				return fmt.Errorf("connection %s: %w", cur.ConsumerKey, ErrReadOnly)
			}
			return err
		}
		if err := audit.Record(ctx, c, audit.Event{Action: "connection.update", Target: target(cur.ConsumerKey),
			Detail: map[string]any{"key": cur.ConsumerKey, "vendor": after.VendorName, "changes": diff}}); err != nil {
			return err
		}
		out, err = load(ctx, c, id)
		return err
	})
	if err != nil {
		return View{}, err
	}
	return s.view(out), nil
}

// editable are a connection's editable fields in comparable form, for the audit diff.
type editable struct {
	VendorName, Purpose, Version string
	Partner, Demographics        bool
	Types                        []string
	AllSchools                   bool
	Schools                      []string
	ExpiresOn                    string
	Enabled                      bool
}

func fieldsOf(c *ent.Connection) editable {
	v := ViewOf(config.Config{}, c, time.Time{})
	return editable{VendorName: v.VendorName, Purpose: v.Purpose, Version: v.Version, Partner: v.Partner,
		Demographics: v.Demographics, Types: v.Types, AllSchools: v.AllSchools, Schools: v.Schools,
		ExpiresOn: v.ExpiresOn, Enabled: v.Enabled}
}

// diff returns, for each field that differs, {"from": before, "to": after}, keyed by the JSON field name.
func (e editable) diff(a editable) map[string]any {
	d := map[string]any{}
	add := func(name string, from, to any, same bool) {
		if !same {
			d[name] = map[string]any{"from": from, "to": to}
		}
	}
	add("vendorName", e.VendorName, a.VendorName, e.VendorName == a.VendorName)
	add("purpose", e.Purpose, a.Purpose, e.Purpose == a.Purpose)
	add("version", e.Version, a.Version, e.Version == a.Version)
	add("partner", e.Partner, a.Partner, e.Partner == a.Partner)
	add("types", e.Types, a.Types, slices.Equal(e.Types, a.Types))
	add("demographics", e.Demographics, a.Demographics, e.Demographics == a.Demographics)
	add("schools", schoolsDetail(e.AllSchools, e.Schools), schoolsDetail(a.AllSchools, a.Schools),
		e.AllSchools == a.AllSchools && slices.Equal(e.Schools, a.Schools))
	add("expiresOn", e.ExpiresOn, a.ExpiresOn, e.ExpiresOn == a.ExpiresOn)
	add("enabled", e.Enabled, a.Enabled, e.Enabled == a.Enabled)
	return d
}
