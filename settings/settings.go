// Package settings holds the district's settings: stored in the database (so every server process agrees),
// typed here, with defaults for what was never set. Callers change settings through Update, which validates
// the result before anything is written.
package settings

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	_ "time/tzdata" // time zones for the cache schedule, also where the system has no zoneinfo

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

	// What the OneRoster cache publishes, for every connection (package cache reads these at each refresh).

	// IdentifierSource fills a user's published identifier: "identifier" (the stored identifier),
	// "userMasterIdentifier", "username", "sourcedId", or "userIds:TYPE" (the user's userIds entry of that type).
	IdentifierSource string `json:"identifierSource"`
	// UsernameSource fills a user's published username: "username", "email", "identifier",
	// "userMasterIdentifier" or "userIds:TYPE".
	UsernameSource string `json:"usernameSource"`
	// EmailSource fills a user's published email: "email" (the stored address), "userIds:TYPE", or "none".
	EmailSource string `json:"emailSource"`
	// PublishGuardians publishes guardians, parents and relatives (and their roles, and agent links to them).
	PublishGuardians bool `json:"publishGuardians"`
	// PublishAides publishes aides (and their roles).
	PublishAides bool `json:"publishAides"`
	// ActiveSchoolYear, when set (YYYY, the year the school year ends), publishes only that school year's
	// academic sessions and the courses, classes and enrollments that belong to them; empty publishes all.
	ActiveSchoolYear string `json:"activeSchoolYear"`

	// When the OneRoster cache refreshes (package cache's Scheduler).

	// CacheRefreshTime is the daily refresh time, HH:MM in CacheTimeZone.
	CacheRefreshTime string `json:"cacheRefreshTime"`
	// CacheTimeZone is the IANA time zone of the schedule, e.g. America/Chicago.
	CacheTimeZone string `json:"cacheTimeZone"`
	// CacheHourly adds a refresh at the top of every hour from CacheHourlyFrom to CacheHourlyUntil (inclusive).
	CacheHourly      bool   `json:"cacheHourly"`
	CacheHourlyFrom  string `json:"cacheHourlyFrom"`
	CacheHourlyUntil string `json:"cacheHourlyUntil"`
	// CachePaused stops scheduled refreshes (on-demand ones still run), for instance until scheduling is
	// finalized at the start of a school year. With CachePausedUntil (YYYY-MM-DD) the pause ends that day.
	CachePaused      bool   `json:"cachePaused"`
	CachePausedUntil string `json:"cachePausedUntil"`
	// CacheRetentionMinutes is how long a replaced cache generation stays readable for clients paging a
	// snapshot (following Link headers) before it is deleted.
	CacheRetentionMinutes int `json:"cacheRetentionMinutes"`
	// CacheAlertWebhook, when set, receives a JSON POST for every failed refresh.
	CacheAlertWebhook string `json:"cacheAlertWebhook"`

	// Grade passback (package gradebook).

	// RefuseClosedGradingPeriods refuses vendors' result writes for a line item whose grading period (its
	// academic session) has ended: the end date is before today in CacheTimeZone.
	RefuseClosedGradingPeriods bool `json:"refuseClosedGradingPeriods"`
}

// FieldError is a setting refused by Validate: Field is its JSON name (cacheRefreshTime), Message says what
// is wrong and what is wanted.
type FieldError struct {
	Field, Message string
}

func (e *FieldError) Error() string { return e.Message }

func fieldError(field, format string, args ...any) error {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// Defaults are the settings of a new district.
func Defaults() Settings {
	return Settings{DistrictName: "Rollcall District", SitePrefix: "ROLLCALL", TokenLifetimeSeconds: 3600,
		IdentifierSource: "identifier", UsernameSource: "username", EmailSource: "email",
		PublishGuardians: true, PublishAides: true,
		CacheRefreshTime: "02:00", CacheTimeZone: "UTC", CacheHourlyFrom: "07:00", CacheHourlyUntil: "16:00",
		CacheRetentionMinutes: 180}
}

// CacheRetention is CacheRetentionMinutes as a duration.
func (s Settings) CacheRetention() time.Duration {
	return time.Duration(s.CacheRetentionMinutes) * time.Minute
}

// CacheLocation is the schedule's time zone (UTC if CacheTimeZone does not load, which Validate prevents).
func (s Settings) CacheLocation() *time.Location {
	if loc, err := time.LoadLocation(s.CacheTimeZone); err == nil {
		return loc
	}
	return time.UTC
}

// CachePausedAt reports whether scheduled refreshes are paused at t.
func (s Settings) CachePausedAt(t time.Time) bool {
	if !s.CachePaused {
		return false
	}
	if s.CachePausedUntil == "" {
		return true
	}
	return t.In(s.CacheLocation()).Format(time.DateOnly) < s.CachePausedUntil
}

var (
	clockPattern = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	yearPattern  = regexp.MustCompile(`^[0-9]{4}$`)
	typePattern  = regexp.MustCompile(`^userIds:[^\s]{1,64}$`)
)

// validSource reports whether v is one of the names or, when userIDs, a userIds:TYPE reference.
func validSource(v string, userIDs bool, names ...string) bool {
	for _, n := range names {
		if v == n {
			return true
		}
	}
	return userIDs && typePattern.MatchString(v)
}

// validatePublishing checks the settings that shape what the cache publishes and when it refreshes.
func (s Settings) validatePublishing() error {
	switch {
	case !validSource(s.IdentifierSource, true, "identifier", "userMasterIdentifier", "username", "sourcedId"):
		return fieldError("identifierSource", "identifier source %q: want identifier, userMasterIdentifier, username, sourcedId or userIds:TYPE", s.IdentifierSource)
	case !validSource(s.UsernameSource, true, "username", "email", "identifier", "userMasterIdentifier"):
		return fieldError("usernameSource", "username source %q: want username, email, identifier, userMasterIdentifier or userIds:TYPE", s.UsernameSource)
	case !validSource(s.EmailSource, true, "email", "none"):
		return fieldError("emailSource", "email source %q: want email, none or userIds:TYPE", s.EmailSource)
	case s.ActiveSchoolYear != "" && !yearPattern.MatchString(s.ActiveSchoolYear):
		return fieldError("activeSchoolYear", "active school year %q: want YYYY (the year the school year ends) or empty for all years", s.ActiveSchoolYear)
	case !clockPattern.MatchString(s.CacheRefreshTime):
		return fieldError("cacheRefreshTime", "cache refresh time %q: want HH:MM (24-hour clock)", s.CacheRefreshTime)
	case !clockPattern.MatchString(s.CacheHourlyFrom) || !clockPattern.MatchString(s.CacheHourlyUntil):
		return fieldError("cacheHourlyFrom", "hourly refresh hours %q to %q: want HH:MM (24-hour clock)", s.CacheHourlyFrom, s.CacheHourlyUntil)
	case s.CacheHourlyFrom > s.CacheHourlyUntil:
		return fieldError("cacheHourlyFrom", "hourly refresh hours %s to %s: the start is after the end", s.CacheHourlyFrom, s.CacheHourlyUntil)
	case s.CachePausedUntil != "" && !validDate(s.CachePausedUntil):
		return fieldError("cachePausedUntil", "cache paused until %q: want YYYY-MM-DD or empty", s.CachePausedUntil)
	case s.CacheRetentionMinutes < 10 || s.CacheRetentionMinutes > 7*24*60:
		return fieldError("cacheRetentionMinutes", "cache retention %d minutes: want between 10 and 10080 (a week)", s.CacheRetentionMinutes)
	}
	if _, err := time.LoadLocation(s.CacheTimeZone); err != nil || s.CacheTimeZone == "" || strings.EqualFold(s.CacheTimeZone, "local") {
		return fieldError("cacheTimeZone", "cache time zone %q: want an IANA time zone such as America/Chicago or UTC", s.CacheTimeZone)
	}
	if s.CacheAlertWebhook != "" {
		u, err := url.Parse(s.CacheAlertWebhook)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fieldError("cacheAlertWebhook", "cache alert webhook %q: want an absolute http(s) URL or empty", s.CacheAlertWebhook)
		}
	}
	return nil
}

func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil && len(s) == len(time.DateOnly)
}

// TokenLifetime is TokenLifetimeSeconds as a duration.
func (s Settings) TokenLifetime() time.Duration {
	return time.Duration(s.TokenLifetimeSeconds) * time.Second
}

var prefixPattern = regexp.MustCompile(`^[A-Za-z0-9]{8}$`)

// Validate reports the first setting that is out of range as a *FieldError naming it and saying what is
// allowed.
func (s Settings) Validate() error {
	if !prefixPattern.MatchString(s.SitePrefix) {
		return fieldError("sitePrefix", "site prefix %q: want exactly 8 letters or digits", s.SitePrefix)
	}
	if s.TokenLifetimeSeconds < 300 || s.TokenLifetimeSeconds > 86400 {
		return fieldError("tokenLifetimeSeconds", "token lifetime %ds: want between 300 (5 minutes) and 86400 (24 hours)", s.TokenLifetimeSeconds)
	}
	return s.validatePublishing()
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
