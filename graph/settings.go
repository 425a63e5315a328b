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
		if in.DistrictName != nil {
			s.DistrictName = *in.DistrictName
		}
		if in.SitePrefix != nil {
			s.SitePrefix = *in.SitePrefix
		}
		if in.TokenLifetimeSeconds != nil {
			s.TokenLifetimeSeconds = *in.TokenLifetimeSeconds
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &after, audit.Record(ctx, c, audit.Event{Action: "settings.update", Target: "settings:district",
		Detail: map[string]any{"before": before, "after": after}})
}
