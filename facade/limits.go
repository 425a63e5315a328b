package facade

import (
	"fmt"
	"math"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/rollcall/rollcall/oauth"
)

// Defaults of the per-connection limits. They are generous: a well-behaved sync (a few requests at a time,
// large pages) never meets them; a runaway client loop does.
const (
	DefaultMaxLimit      = 100_000 // largest page size served; above it: 400, never a silent cut
	DefaultRatePerSecond = 100     // sustained requests per second per connection
	DefaultBurst         = 200     // requests a connection may make at once before the rate applies
	DefaultConcurrent    = 16      // requests of one connection in flight at the same time
)

// Limits are the per-connection request limits. A request over a limit is answered 429 server_busy with
// Retry-After (seconds). Zero fields take the defaults; a negative RatePerSecond or Concurrent turns that
// limit off.
type Limits struct {
	RatePerSecond float64 // token bucket refill rate
	Burst         int     // token bucket size
	Concurrent    int     // requests in flight
}

func (l Limits) withDefaults() Limits {
	if l.RatePerSecond == 0 {
		l.RatePerSecond = DefaultRatePerSecond
	}
	if l.Burst <= 0 {
		l.Burst = DefaultBurst
	}
	if l.Concurrent == 0 {
		l.Concurrent = DefaultConcurrent
	}
	return l
}

// limiter keeps a token bucket and an in-flight count per connection. Idle entries are swept.
type limiter struct {
	l   Limits
	now func() time.Time

	mu        sync.Mutex
	m         map[int]*connLimit
	lastSweep time.Time
}

type connLimit struct {
	bucket   *rate.Limiter
	inFlight int
}

func newLimiter(l Limits, now func() time.Time) *limiter {
	return &limiter{l: l.withDefaults(), now: now, m: map[int]*connLimit{}}
}

// acquire admits one request of connection id, or says how long to wait. release must follow an admission.
func (lm *limiter) acquire(id int) (retryAfter time.Duration, ok bool) {
	now := lm.now()
	lm.mu.Lock()
	defer lm.mu.Unlock()
	if now.Sub(lm.lastSweep) > time.Minute {
		for k, c := range lm.m {
			if c.inFlight == 0 && (c.bucket == nil || c.bucket.TokensAt(now) >= float64(lm.l.Burst)) {
				delete(lm.m, k)
			}
		}
		lm.lastSweep = now
	}
	c := lm.m[id]
	if c == nil {
		c = &connLimit{}
		if lm.l.RatePerSecond > 0 {
			c.bucket = rate.NewLimiter(rate.Limit(lm.l.RatePerSecond), lm.l.Burst)
		}
		lm.m[id] = c
	}
	if lm.l.Concurrent > 0 && c.inFlight >= lm.l.Concurrent {
		return time.Second, false
	}
	if c.bucket != nil {
		r := c.bucket.ReserveN(now, 1)
		if d := r.DelayFrom(now); d > 0 {
			r.CancelAt(now)
			return d, false
		}
	}
	c.inFlight++
	return 0, true
}

func (lm *limiter) release(id int) {
	lm.mu.Lock()
	if c := lm.m[id]; c != nil && c.inFlight > 0 {
		c.inFlight--
	}
	lm.mu.Unlock()
}

// middleware applies the limits to the connection of the request's principal.
func (lm *limiter) middleware(version string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := oauth.PrincipalFrom(r.Context())
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		wait, ok := lm.acquire(p.ConnectionID)
		if !ok {
			secs := int(math.Ceil(wait.Seconds()))
			TooManyRequests(secs, fmt.Sprintf("too many requests from this connection (at most %g per second, %d at once); retry after %d s",
				lm.l.RatePerSecond, lm.l.Concurrent, max(secs, 1))).write(w, version)
			return
		}
		defer lm.release(p.ConnectionID)
		next.ServeHTTP(w, r)
	})
}
