package cache

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/cachegeneration"
	"github.com/rollcall/rollcall/progress"
	"github.com/rollcall/rollcall/settings"
)

// Refresh builds a new generation of the cache from the live data and publishes it: readers switch to it
// atomically when it is complete and never see it half-built. triggered says who asked (schedule, admin:NAME,
// cli). It returns ErrRefreshRunning at once if a refresh is already running, here or in another process on
// the same database. The current, running and failed generations are recorded (see Status); a failure also
// calls the alert hook and the CacheAlertWebhook setting. Old generations are cleaned up afterwards.
func (c *Cache) Refresh(ctx context.Context, triggered string) (*ent.CacheGeneration, error) {
	r, err := c.Start(ctx, triggered)
	if err != nil {
		return nil, err
	}
	return r.Wait(ctx)
}

// Running is a refresh that Start began: Generation is its building generation row, as first recorded.
type Running struct {
	Generation *ent.CacheGeneration
	c          *Cache
	l          *lease
	gb         *genBuild
	start      time.Time
}

// Start takes the refresh lock and records a new building generation, then returns without building: call
// Wait (in the caller's goroutine or another one) to build and publish it. It fails with ErrRefreshRunning
// when a refresh is already running anywhere on the database. A Running that is never waited on keeps the
// lock until its lease expires: always call Wait.
func (c *Cache) Start(ctx context.Context, triggered string) (*Running, error) {
	l, err := c.acquire(ctx)
	if err != nil {
		return nil, err
	}
	r, err := c.begin(ctx, l, triggered)
	if err != nil {
		l.release(ctx)
		return nil, err
	}
	return r, nil
}

// begin records the generation a refresh builds, under lease l.
func (c *Cache) begin(ctx context.Context, l *lease, triggered string) (*Running, error) {
	if err := c.abandonBuilding(ctx); err != nil {
		return nil, err
	}
	set, err := settings.Load(ctx, c.db.Client)
	if err != nil {
		return nil, fmt.Errorf("cache: loading settings: %w", err)
	}
	prev, err := c.db.Client.CacheGeneration.Query().Where(cachegeneration.StatusEQ(cachegeneration.StatusReady)).
		Order(ent.Desc(cachegeneration.FieldID)).First(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return nil, err
	}
	start := c.now()
	g, err := c.db.Client.CacheGeneration.Create().SetTriggeredBy(triggered).SetStartedAt(start).
		SetHeartbeatAt(start).SetStampMs(start.UnixMilli()).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("cache: recording the refresh: %w", err)
	}
	gb := &genBuild{c: c, id: g.ID, stampMs: start.UnixMilli(), set: set, counts: map[string]int64{}, changes: map[string]int64{}}
	if prev != nil {
		gb.prev = prev.ID
	}
	c.opt.Logger.Info("cache refresh started", "generation", g.ID, "triggered_by", triggered, "previous", gb.prev)
	return &Running{Generation: g, c: c, l: l, gb: gb, start: start}, nil
}

// Wait builds and publishes the generation Start recorded, then releases the lock. It returns the published
// generation, or the error (the generation is then recorded as failed, and the alert hook is called).
func (r *Running) Wait(ctx context.Context) (*ent.CacheGeneration, error) {
	c, gb := r.c, r.gb
	defer r.l.release(context.WithoutCancel(ctx))
	out, err := c.run(ctx, r.l, gb)
	if err == nil {
		c.opt.Logger.Info("cache refresh published", "generation", gb.id, "took", c.now().Sub(r.start).String(),
			"records", gb.total(), "changed", gb.totalChanges())
		if cerr := c.Cleanup(ctx); cerr != nil {
			c.opt.Logger.Warn("cache cleanup failed", "error", cerr)
		}
		return out, nil
	}
	c.fail(context.WithoutCancel(ctx), r.Generation, err)
	return nil, err
}

// run builds every collection with a heartbeat that keeps the lock and shows progress, then publishes.
func (c *Cache) run(ctx context.Context, l *lease, gb *genBuild) (*ent.CacheGeneration, error) {
	bctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	w, err := c.loadWorld(bctx, gb.set)
	if err != nil {
		return nil, fmt.Errorf("cache: reading the roster: %w", err)
	}
	gb.w = w
	total, err := c.liveRows(bctx)
	if err != nil {
		return nil, err
	}
	c.db.Client.CacheGeneration.UpdateOneID(gb.id).SetRowsTotal(total).Exec(bctx)
	bar := progress.New(c.opt.Progress, "cache: rows", total)
	stop := make(chan struct{})
	var hb sync.WaitGroup
	var shown int64 // rows already reported to bar; written by the heartbeat, then (after hb.Wait) here
	hb.Add(1)
	go func() {
		defer hb.Done()
		// Progress is recorded every second (at most); the lease is extended every Lease/4.
		every := min(max(c.opt.Lease/4, 50*time.Millisecond), time.Second)
		t := time.NewTicker(every)
		defer t.Stop()
		extended := time.Now()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
			}
			if time.Since(extended) >= c.opt.Lease/4 {
				if err := l.extend(bctx); err != nil {
					cancel(err)
					return
				}
				extended = time.Now()
			}
			done := gb.rowsDone.Load()
			bar.Add(done - shown)
			shown = done
			c.db.Client.CacheGeneration.UpdateOneID(gb.id).SetHeartbeatAt(c.now()).SetRowsDone(done).Exec(bctx)
		}
	}()
	err = gb.buildAll(bctx)
	close(stop)
	hb.Wait()
	bar.Add(gb.rowsDone.Load() - shown)
	bar.Done()
	if cause := context.Cause(bctx); err != nil && cause != nil && !errors.Is(cause, context.Canceled) {
		err = fmt.Errorf("%w (%v)", err, cause)
	}
	if err != nil {
		return nil, fmt.Errorf("cache: building generation %d: %w", gb.id, err)
	}
	if c.beforeFlip != nil {
		c.beforeFlip()
	}
	return c.flip(ctx, gb)
}

// job is one collection build and the collections it needs published first.
type job struct {
	coll Collection
	deps []Collection
	run  producer
}

// buildAll builds every collection, several at a time on PostgreSQL, each after those it depends on.
func (gb *genBuild) buildAll(ctx context.Context) error {
	w := gb.w
	var orgs, sessions []*record
	for _, o := range w.orgs {
		orgs = append(orgs, w.renderOrg(o))
	}
	for _, s := range w.sessions {
		sessions = append(sessions, w.renderSession(s))
	}
	gb.rowsDone.Add(int64(len(orgs) + len(sessions)))
	child := func(c Collection, deps ...Collection) job { return job{c, deps, childSpecs[c].producer(gb)} }
	jobs := []job{
		{Users, nil, gb.users()},
		{Enrollments, nil, gb.enrollments()},
		{Classes, nil, gb.classes()},
		{Orgs, nil, memoryProducer(orgs, gb.c.opt.BatchSize)},
		{AcademicSessions, nil, memoryProducer(sessions, gb.c.opt.BatchSize)},
		{Courses, nil, gb.courses()},
		{Resources, nil, gb.resources()},
		child(Demographics, Users),
		child(LineItems, Classes),
		child(Categories, Classes),
		child(ScoreScales, Classes),
		child(AssessmentLineItems, Classes),
		child(Results, LineItems, Users),
		child(AssessmentResults, AssessmentLineItems, Users),
	}
	workers := 1
	if gb.c.pg {
		workers = gb.c.opt.Workers
	}
	return runJobs(ctx, jobs, workers, gb.build)
}

// runJobs runs jobs on n workers, each once all its dependencies succeeded; it stops at the first error.
func runJobs(ctx context.Context, jobs []job, n int, build func(context.Context, Collection, producer) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	done := map[Collection]bool{}
	started := map[Collection]bool{}
	var firstErr error
	results := make(chan error)
	running := 0
	for {
		mu.Lock()
		for _, j := range jobs {
			if running >= n || firstErr != nil {
				break
			}
			ready := !started[j.coll]
			for _, d := range j.deps {
				ready = ready && done[d]
			}
			if !ready {
				continue
			}
			started[j.coll] = true
			running++
			go func(j job) {
				err := build(ctx, j.coll, j.run)
				mu.Lock()
				if err == nil {
					done[j.coll] = true
				}
				mu.Unlock()
				results <- err
			}(j)
		}
		idle := running == 0
		mu.Unlock()
		if idle {
			if firstErr == nil && len(done) < len(jobs) {
				return fmt.Errorf("cache: unsatisfiable build order")
			}
			return firstErr
		}
		if err := <-results; err != nil && firstErr == nil {
			firstErr = err
			cancel()
		}
		running--
	}
}

// liveRows counts the live rows a refresh reads, for progress.
func (c *Cache) liveRows(ctx context.Context) (int64, error) {
	var total int64
	for _, t := range []string{"orgs", "academic_sessions", "courses", "classes", "users", "enrollments", "demographics",
		"resources", "categories", "line_items", "results", "score_scales", "assessment_line_items", "assessment_results"} {
		var n int64
		if err := c.db.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+t).Scan(&n); err != nil {
			return 0, fmt.Errorf("cache: counting %s: %w", t, err)
		}
		total += n
	}
	return total, nil
}

func (gb *genBuild) total() int64 {
	var n int64
	for _, c := range AllCollections {
		n += gb.counts[string(c)]
	}
	return n
}

func (gb *genBuild) totalChanges() int64 {
	var n int64
	for _, v := range gb.changes {
		n += v
	}
	return n
}
