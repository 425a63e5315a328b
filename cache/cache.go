package cache

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/cachegeneration"
	"github.com/rollcall/rollcall/store"
)

// Errors callers match with errors.Is.
var (
	// ErrRefreshRunning: another refresh (in this or another process) holds the refresh lock.
	ErrRefreshRunning = errors.New("cache: a refresh is already running")
	// ErrNoGeneration: nothing was ever published; run a refresh.
	ErrNoGeneration = errors.New("cache: nothing is published yet (no cache refresh has succeeded)")
	// ErrNotFound: no record with that sourcedId is visible to the viewer (or it is not of the subset asked).
	ErrNotFound = errors.New("cache: record not found")
	// ErrForbidden: the viewer may not read the collection at all (demographics without access, a 1.2-only
	// collection for a 1.1 connection).
	ErrForbidden = errors.New("cache: the connection may not read this collection")
)

// Options tune a Cache. The zero value is usable.
type Options struct {
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger receives refresh progress and failures (default: discard).
	Logger *slog.Logger
	// OnFailure is called after a refresh fails, in addition to the CacheAlertWebhook setting.
	OnFailure func(ctx context.Context, f Failure)
	// HTTPClient posts alerts to the webhook (default: a client with a 10 s timeout).
	HTTPClient *http.Client
	// BatchSize is how many records are rendered and written at a time (default 2000).
	BatchSize int
	// Workers is how many collections a PostgreSQL refresh builds at once (default 2; SQLite builds one at a time).
	Workers int
	// Lease is how long the refresh lock holds without being extended (default 2 minutes); a refresh extends
	// it every Lease/4, so a crashed process blocks refreshes for at most Lease.
	Lease time.Duration
	// Progress, when set, receives a progress bar of each refresh (package progress).
	Progress io.Writer
}

// Failure describes a failed refresh, for the alert hook and webhook.
type Failure struct {
	Generation  int       `json:"generation"`
	TriggeredBy string    `json:"triggeredBy"`
	StartedAt   time.Time `json:"startedAt"`
	FailedAt    time.Time `json:"failedAt"`
	Error       string    `json:"error"`
}

// Cache is the published OneRoster cache of one database: refreshes build it, List and Get read it. It is
// safe for concurrent use, and several processes may share one database.
type Cache struct {
	db  *store.DB
	opt Options
	pg  bool

	mu     sync.Mutex
	counts map[int]map[string]int64 // counts of generations already read (immutable once ready)
	// totals are exact totals counted for school-limited viewers (see List), by generation and statement.
	totals map[int]map[string]int

	beforeFlip func() // tests: runs between a build and its publishing
}

// New returns the cache stored in db.
func New(db *store.DB, opt Options) *Cache {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.HTTPClient == nil {
		opt.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 2000
	}
	if opt.Workers <= 0 {
		opt.Workers = 2
	}
	if opt.Lease <= 0 {
		opt.Lease = 2 * time.Minute
	}
	return &Cache{db: db, opt: opt, pg: db.Dialect == dialect.Postgres, counts: map[int]map[string]int64{}}
}

// Status is what the admin API shows about the cache.
type Status struct {
	// Current is the generation readers use (the newest ready one); nil before the first success.
	Current *ent.CacheGeneration
	// Running is the refresh in progress (rows_done of rows_total), if any.
	Running *ent.CacheGeneration
	// LastSuccess is when the current generation was published (zero before the first success).
	LastSuccess time.Time
	// LastFailure is the newest failed refresh, if it is newer than the current generation.
	LastFailure *ent.CacheGeneration
}

// Status reports the current, running and last failed generations.
func (c *Cache) Status(ctx context.Context) (Status, error) {
	var st Status
	q := c.db.Client.CacheGeneration.Query()
	cur, err := q.Clone().Where(cachegeneration.StatusEQ(cachegeneration.StatusReady)).
		Order(ent.Desc(cachegeneration.FieldID)).First(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return st, err
	}
	if cur != nil {
		st.Current = cur
		if cur.FinishedAt != nil {
			st.LastSuccess = *cur.FinishedAt
		}
	}
	run, err := q.Clone().Where(cachegeneration.StatusEQ(cachegeneration.StatusBuilding)).
		Order(ent.Desc(cachegeneration.FieldID)).First(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return st, err
	}
	st.Running = run
	fail, err := q.Clone().Where(cachegeneration.StatusEQ(cachegeneration.StatusFailed)).
		Order(ent.Desc(cachegeneration.FieldID)).First(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return st, err
	}
	if fail != nil && (cur == nil || fail.ID > cur.ID) {
		st.LastFailure = fail
	}
	return st, nil
}

// now is the clock in UTC with millisecond precision, as everything published is.
func (c *Cache) now() time.Time { return c.opt.Now().UTC().Truncate(time.Millisecond) }
