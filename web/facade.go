package web

import (
	"github.com/rollcall/rollcall/facade"
	"github.com/rollcall/rollcall/gradebook"
)

// mountFacade mounts the OneRoster REST API (1.1 under /ims/oneroster/v1p1, 1.2 under
// /ims/oneroster/{rostering,gradebook,resources}/v1p2), its discovery page (/ims/oneroster/), the REST
// documentation client (/docs/) and the consumer guidelines, reading from the published cache. The gradebook
// of both versions (package gradebook: its reads, and the partner vendors' writes, which go to the live tables
// and are published into the cache in the same transaction) plugs in as the facade's extra routes. Page-size and
// per-connection limits come from the -api-* flags or their environment variables (config.APIValue,
// facade.LimitsFromEnv); `rollcall serve` refuses to start with a malformed one, here it is logged and the
// defaults apply.
func (s *Server) mountFacade() {
	maxLimit, limits, err := facade.LimitsFromEnv(s.deps.Config.APIValue)
	if err != nil {
		s.deps.Log.Error("OneRoster API limits: using the defaults", "err", err)
		maxLimit, limits = 0, facade.Limits{}
	}
	opt := facade.Options{Config: s.deps.Config, Verifier: s.deps.Verifier, Log: s.deps.Log,
		MaxLimit: maxLimit, Limits: limits}
	if s.deps.DB != nil {
		opt.DB = s.deps.DB.Client
		opt.Extra = gradebook.New(s.deps.DB, s.deps.Cache, s.deps.Log).Routes()
	}
	if s.deps.Cache != nil {
		opt.Reader = facade.CacheReader(s.deps.Cache)
	}
	facade.New(opt).Register(s.mux)
}
