package graph

import (
	"context"

	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/graph/model"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/settings"
)

// updateSettings applies the fields that are set, validates, stores and audits the change.
func (r *Resolver) updateSettings(ctx context.Context, in model.SettingsInput) (*settings.Settings, error) {
	if err := requireRole(ctx, provision.RoleSISAdmin); err != nil {
		return nil, err
	}
	c := r.db(ctx)
	before, err := settings.Load(ctx, c)
	if err != nil {
		return nil, err
	}
	after, err := settings.Update(ctx, c, func(s *settings.Settings) error {
		applySettings(s, in)
		return nil
	})
	if err != nil {
		return nil, explain(err)
	}
	return &after, audit.Record(ctx, c, audit.Event{Action: "settings.update", Target: "settings:district",
		Detail: map[string]any{"before": before, "after": after}})
}

// applySettings copies the fields set in the input onto s.
func applySettings(s *settings.Settings, in model.SettingsInput) {
	set(&s.DistrictName, in.DistrictName)
	set(&s.SitePrefix, in.SitePrefix)
	set(&s.TokenLifetimeSeconds, in.TokenLifetimeSeconds)
	set(&s.IdentifierSource, in.IdentifierSource)
	set(&s.UsernameSource, in.UsernameSource)
	set(&s.EmailSource, in.EmailSource)
	set(&s.PublishGuardians, in.PublishGuardians)
	set(&s.PublishAides, in.PublishAides)
	set(&s.ActiveSchoolYear, in.ActiveSchoolYear)
	set(&s.CacheRefreshTime, in.CacheRefreshTime)
	set(&s.CacheTimeZone, in.CacheTimeZone)
	set(&s.CacheHourly, in.CacheHourly)
	set(&s.CacheHourlyFrom, in.CacheHourlyFrom)
	set(&s.CacheHourlyUntil, in.CacheHourlyUntil)
	set(&s.CachePaused, in.CachePaused)
	set(&s.CachePausedUntil, in.CachePausedUntil)
	set(&s.CacheRetentionMinutes, in.CacheRetentionMinutes)
	set(&s.CacheAlertWebhook, in.CacheAlertWebhook)
	set(&s.RefuseClosedGradingPeriods, in.RefuseClosedGradingPeriods)
}

// set assigns *v to *dst when v is set.
func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
