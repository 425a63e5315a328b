package cache

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/rollcall/rollcall/ent/cachegeneration"
	"github.com/rollcall/rollcall/settings"
)

// Scheduler runs the scheduled refreshes and the cleanup of old generations, as the district's settings say:
// daily at CacheRefreshTime, and with CacheHourly also on every hour from CacheHourlyFrom to CacheHourlyUntil,
// in CacheTimeZone, except while CachePaused. Settings are re-read every check, so changes apply without a
// restart. Several server processes may each run a Scheduler on one database: a scheduled time is refreshed
// once (a process skips it when a refresh started at or after it, or when another holds the lock).
type Scheduler struct {
	Cache *Cache
	// Every is how often the scheduler checks (default one minute).
	Every time.Duration
	// CleanupEvery is how often old generations are cleaned up (default five minutes).
	CleanupEvery time.Duration
}

// Scheduler returns a scheduler for the cache with the default intervals.
func (c *Cache) Scheduler() *Scheduler { return &Scheduler{Cache: c} }

// Run checks the schedule until ctx is done, refreshing when a scheduled time has passed since the last
// check. A scheduled time missed while no process ran is not made up (the next one comes); an admin can
// always refresh on demand. It returns ctx's error.
func (s *Scheduler) Run(ctx context.Context) error {
	c := s.Cache
	every, cleanEvery := s.Every, s.CleanupEvery
	if every <= 0 {
		every = time.Minute
	}
	if cleanEvery <= 0 {
		cleanEvery = 5 * time.Minute
	}
	last := c.now()
	lastClean := time.Time{}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		now := c.now()
		if err := s.check(ctx, last, now); err != nil && !errors.Is(err, context.Canceled) {
			c.opt.Logger.Warn("cache scheduler", "error", err)
		}
		last = now
		if now.Sub(lastClean) >= cleanEvery {
			if err := c.Cleanup(ctx); err != nil && !errors.Is(err, context.Canceled) {
				c.opt.Logger.Warn("cache cleanup", "error", err)
			}
			lastClean = now
		}
	}
}

// check refreshes if a scheduled time fell in (last, now].
func (s *Scheduler) check(ctx context.Context, last, now time.Time) error {
	c := s.Cache
	set, err := settings.Load(ctx, c.db.Client)
	if err != nil {
		return err
	}
	due, ok := Due(set, last, now)
	if !ok {
		return nil
	}
	if set.CachePausedAt(now) {
		c.opt.Logger.Info("cache refresh skipped: scheduled refreshes are paused", "due", due)
		return nil
	}
	started, err := c.db.Client.CacheGeneration.Query().Where(cachegeneration.StartedAtGTE(due)).Exist(ctx)
	if err != nil || started {
		return err
	}
	_, err = c.Refresh(ctx, "schedule")
	if errors.Is(err, ErrRefreshRunning) {
		return nil
	}
	return err
}

// Due returns the latest scheduled refresh time in (after, upTo], if any, for the settings' schedule.
func Due(set settings.Settings, after, upTo time.Time) (time.Time, bool) {
	var best time.Time
	found := false
	scheduled(set, after, upTo, func(t time.Time) {
		if t.After(after) && !t.After(upTo) && (!found || t.After(best)) {
			best, found = t, true
		}
	})
	return best, found
}

// Next returns the first scheduled refresh time after after (within a week), if the schedule has one and
// refreshes are not paused then.
func Next(set settings.Settings, after time.Time) (time.Time, bool) {
	upTo := after.AddDate(0, 0, 8)
	var best time.Time
	found := false
	scheduled(set, after, upTo, func(t time.Time) {
		if t.After(after) && !set.CachePausedAt(t) && (!found || t.Before(best)) {
			best, found = t, true
		}
	})
	return best, found
}

// scheduled calls fn with every scheduled time of the days from the day before after to upTo, in the
// schedule's time zone (fn filters the exact range).
func scheduled(set settings.Settings, after, upTo time.Time, fn func(time.Time)) {
	loc := set.CacheLocation()
	start := after.In(loc).AddDate(0, 0, -1)
	for d := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, loc); !d.After(upTo); d = d.AddDate(0, 0, 1) {
		if h, m, ok := clock(set.CacheRefreshTime); ok {
			fn(time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, loc))
		}
		if !set.CacheHourly {
			continue
		}
		fh, fm, ok1 := clock(set.CacheHourlyFrom)
		uh, _, ok2 := clock(set.CacheHourlyUntil)
		if !ok1 || !ok2 {
			continue
		}
		for h := fh; h <= uh; h++ {
			if h == fh && fm > 0 {
				continue
			}
			fn(time.Date(d.Year(), d.Month(), d.Day(), h, 0, 0, 0, loc))
		}
	}
}

// clock parses HH:MM.
func clock(s string) (h, m int, ok bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, 0, false
	}
	h, err1 := strconv.Atoi(s[:2])
	m, err2 := strconv.Atoi(s[3:])
	return h, m, err1 == nil && err2 == nil && h < 24 && m < 60
}
