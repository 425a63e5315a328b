package facade

import (
	"html/template"
	"net/http"

	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/oneroster"
	"github.com/rollcall/rollcall/settings"
)

var guidelinesPage = template.Must(template.ParseFS(staticFS, "static/guidelines.tmpl"))

// guidelinesData is what the consumer guidelines quote: this server's real limits and schedule.
type guidelinesData struct {
	District         string
	TokenURL         string
	Discovery        string
	BaseV1p1         string
	BaseV1p2         string
	Docs             string
	MaxLimit         int
	DefaultLimit     int
	Rate             float64
	Burst            int
	Concurrent       int
	TokenMinutes     int
	RefreshTime      string
	TimeZone         string
	Hourly           bool
	HourlyFrom       string
	HourlyUntil      string
	Paused           bool
	PausedUntil      string
	RetentionMinutes int
	RefuseClosed     bool
}

// guidelines serves the consumer guidelines (config.GuidelinesPath), with the district's current settings.
func (d *docs) guidelines(w http.ResponseWriter, r *http.Request) {
	set := settings.Defaults()
	if d.f.opt.DB != nil {
		if s, err := settings.Load(r.Context(), d.f.opt.DB); err == nil {
			set = s
		} else {
			d.f.log.Warn("guidelines: loading settings", "err", err)
		}
	}
	cfg, l := d.f.opt.Config, d.f.limit.l
	data := guidelinesData{District: set.DistrictName, TokenURL: cfg.TokenURL(), Discovery: cfg.PublicURL + config.OneRosterPath + "/",
		BaseV1p1: cfg.BaseURL(oneroster.V1p1), BaseV1p2: cfg.PublicURL + RootRostering, Docs: cfg.DocsURL(),
		MaxLimit: d.f.opt.MaxLimit, DefaultLimit: 100, Rate: l.RatePerSecond, Burst: l.Burst, Concurrent: l.Concurrent,
		TokenMinutes: set.TokenLifetimeSeconds / 60, RefreshTime: set.CacheRefreshTime, TimeZone: set.CacheTimeZone,
		Hourly: set.CacheHourly, HourlyFrom: set.CacheHourlyFrom, HourlyUntil: set.CacheHourlyUntil,
		Paused: set.CachePaused, PausedUntil: set.CachePausedUntil, RetentionMinutes: set.CacheRetentionMinutes,
		RefuseClosed: set.RefuseClosedGradingPeriods}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	if err := guidelinesPage.Execute(w, data); err != nil {
		d.f.log.Warn("guidelines page", "err", err)
	}
}
