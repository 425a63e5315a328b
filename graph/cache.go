package graph

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/cache"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/cachegeneration"
	"github.com/rollcall/rollcall/graph/model"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/settings"
)

// errNoCache is returned when the server runs without a OneRoster cache (tests that do not need one).
var errNoCache = errors.New("this server has no OneRoster cache")

// cacheStatus reports the published, running and last failed generations and the next scheduled refresh.
func (r *Resolver) cacheStatus(ctx context.Context) (*model.CacheStatus, error) {
	if r.deps.Cache == nil {
		return nil, errNoCache
	}
	st, err := r.deps.Cache.Status(ctx)
	if err != nil {
		return nil, err
	}
	set, err := settings.Load(ctx, r.db(ctx))
	if err != nil {
		return nil, err
	}
	now := r.now()
	out := &model.CacheStatus{Current: st.Current, Running: st.Running, LastFailure: st.LastFailure, Paused: set.CachePausedAt(now)}
	if next, ok := cache.Next(set, now); ok {
		out.NextScheduledAt = &next
	}
	return out, nil
}

// refreshCache starts a refresh in the background (it outlives the request) and returns its building
// generation at once; ErrRefreshRunning becomes a message saying what to do. The start is audited.
func (r *Resolver) refreshCache(ctx context.Context) (*ent.CacheGeneration, error) {
	if err := requireRole(ctx, provision.RoleSISAdmin); err != nil {
		return nil, err
	}
	if r.deps.Cache == nil {
		return nil, errNoCache
	}
	run, err := r.deps.Cache.Start(context.WithoutCancel(ctx), actor.From(ctx))
	if errors.Is(err, cache.ErrRefreshRunning) {
		return nil, fmt.Errorf("a OneRoster cache refresh is already running: wait for it to finish (see cacheStatus.running)")
	}
	if err != nil {
		return nil, err
	}
	go func() {
		// The outcome is recorded on the generation (and a failure alerts); nothing to do with it here.
		_, _ = run.Wait(context.WithoutCancel(ctx))
	}()
	g := run.Generation
	// The event is written outside the mutation's transaction: on SQLite the transaction would otherwise
	// wait for the refresh's writes to finish.
	err = audit.Record(ctx, r.client, audit.Event{Action: "cache.refresh", Target: fmt.Sprintf("cacheGeneration:%d", g.ID)})
	return g, err
}

// generationProgress is the share of live rows read: 1 once published, rows_done/rows_total while building.
func generationProgress(g *ent.CacheGeneration) float64 {
	switch {
	case g.Status == cachegeneration.StatusReady || g.Status == cachegeneration.StatusRetired:
		return 1
	case g.RowsTotal <= 0:
		return 0
	}
	return min(1, float64(g.RowsDone)/float64(g.RowsTotal))
}

// generationDuration is the seconds a build took, or has taken so far.
func generationDuration(g *ent.CacheGeneration, now time.Time) float64 {
	end := now
	if g.FinishedAt != nil {
		end = *g.FinishedAt
	}
	return max(0, end.Sub(g.StartedAt).Seconds())
}
