// Package settings holds the district's settings: stored in the database (so every server process agrees),
// typed here, with defaults for what was never set. Callers change settings through Update, which validates
// the result before anything is written.
package settings

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"time"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/setting"
)

// key is the row the district settings are stored under.
const key = "district"

// Settings are the district-wide settings.
type Settings struct {
	// DistrictName is shown in the admin app and the API's discovery page.
	DistrictName string `json:"districtName"`
	// SitePrefix is the 8-character prefix of every consumer key (PREFIX_districtpart).
	SitePrefix string `json:"sitePrefix"`
	// TokenLifetimeSeconds is how long an access token is valid.
	TokenLifetimeSeconds int `json:"tokenLifetimeSeconds"`
}

// Defaults are the settings of a new district.
func Defaults() Settings {
	return Settings{DistrictName: "Rollcall District", SitePrefix: "ROLLCALL", TokenLifetimeSeconds: 3600}
}

// TokenLifetime is TokenLifetimeSeconds as a duration.
func (s Settings) TokenLifetime() time.Duration { return time.Duration(s.TokenLifetimeSeconds) * time.Second }

var prefixPattern = regexp.MustCompile(`^[A-Za-z0-9]{8}$`)

// Validate reports the first setting that is out of range, saying what is allowed.
func (s Settings) Validate() error {
	if !prefixPattern.MatchString(s.SitePrefix) {
		return fmt.Errorf("site prefix %q: want exactly 8 letters or digits", s.SitePrefix)
	}
	if s.TokenLifetimeSeconds < 300 || s.TokenLifetimeSeconds > 86400 {
		return fmt.Errorf("token lifetime %ds: want between 300 (5 minutes) and 86400 (24 hours)", s.TokenLifetimeSeconds)
	}
	return nil
}

// Load returns the stored settings, with defaults for anything never stored.
func Load(ctx context.Context, c *ent.Client) (Settings, error) {
	s := Defaults()
	row, err := c.Setting.Query().Where(setting.Key(key)).Only(ctx)
	if ent.IsNotFound(err) {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal([]byte(row.Value), &s); err != nil {
		return s, fmt.Errorf("stored settings are not valid JSON: %w", err)
	}
	return s, nil
}

// Update loads the settings, applies change, validates the result and stores it. Nothing is written when
// change or validation fails. It returns the settings as stored.
func Update(ctx context.Context, c *ent.Client, change func(*Settings) error) (Settings, error) {
	s, err := Load(ctx, c)
	if err != nil {
		return s, err
	}
	if err := change(&s); err != nil {
		return s, err
	}
	if err := s.Validate(); err != nil {
		return s, err
	}
	b, err := json.Marshal(s)
	if err != nil {
		return s, err
	}
	err = c.Setting.Create().SetKey(key).SetValue(string(b)).SetUpdatedBy(actor.From(ctx)).
		OnConflictColumns(setting.FieldKey).UpdateValue().UpdateUpdatedAt().UpdateUpdatedBy().Exec(ctx)
	return s, err
}
