package oauth

import (
	"math"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limit is a token bucket: Burst events at once, refilled at Every per event.
type Limit struct {
	Every time.Duration // one event is refilled this often
	Burst int
}

func (l Limit) orDefault(d Limit) Limit {
	if l.Every <= 0 || l.Burst <= 0 {
		return d
	}
	return l
}

// Limits are the brute-force and load limits of the token endpoint and the sign-in page. Zero fields take the
// defaults. A blocked caller gets 429 with Retry-After (seconds).
//
// Failures count against both the client id (or username) and the remote address: a secret cannot be
// guessed quickly from many addresses, nor many secrets from one address. The per-client budget is generous
// because anyone can spend it by sending wrong secrets with a vendor's (public) client id.
type Limits struct {
	TokenRequestsPerAddress Limit // every token request (default 50 at once, then 10/s)
	TokenFailuresPerClient  Limit // failed client authentications per client id (default 20, then 1 per 3 s)
	TokenFailuresPerAddress Limit // failed token requests per address (default 20, then 1 per 3 s)
	SignInFailuresPerUser   Limit // failed sign-ins per username (default 5, then 1 per 20 s)
	SignInFailuresPerAddr   Limit // failed sign-ins per address (default 10, then 1 per 10 s)
}

func (l Limits) withDefaults() Limits {
	l.TokenRequestsPerAddress = l.TokenRequestsPerAddress.orDefault(Limit{Every: 100 * time.Millisecond, Burst: 50})
	l.TokenFailuresPerClient = l.TokenFailuresPerClient.orDefault(Limit{Every: 3 * time.Second, Burst: 20})
	l.TokenFailuresPerAddress = l.TokenFailuresPerAddress.orDefault(Limit{Every: 3 * time.Second, Burst: 20})
	l.SignInFailuresPerUser = l.SignInFailuresPerUser.orDefault(Limit{Every: 20 * time.Second, Burst: 5})
	l.SignInFailuresPerAddr = l.SignInFailuresPerAddr.orDefault(Limit{Every: 10 * time.Second, Burst: 10})
	return l
}

// buckets keeps one token bucket per key (a client id, a username, an address). Buckets that have refilled
// completely are forgotten, so the map stays small. Safe for concurrent use.
type buckets struct {
	limit Limit

	mu        sync.Mutex
	m         map[string]*rate.Limiter
	lastSweep time.Time
}

func newBuckets(l Limit) *buckets {
	return &buckets{limit: l, m: map[string]*rate.Limiter{}}
}

func (b *buckets) get(key string, now time.Time) *rate.Limiter {
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.Sub(b.lastSweep) > time.Minute {
		for k, l := range b.m {
			if l.TokensAt(now) >= float64(b.limit.Burst) {
				delete(b.m, k)
			}
		}
		b.lastSweep = now
	}
	l, ok := b.m[key]
	if !ok {
		l = rate.NewLimiter(rate.Every(b.limit.Every), b.limit.Burst)
		b.m[key] = l
	}
	return l
}

// take spends one event; when none is left it spends nothing and says how long until one is.
func (b *buckets) take(key string, now time.Time) (retryAfter time.Duration, ok bool) {
	l := b.get(key, now)
	r := l.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d, false
	}
	return 0, true
}

// blocked says whether key has no event left, and how long until it has one, without spending any.
func (b *buckets) blocked(key string, now time.Time) (retryAfter time.Duration, blocked bool) {
	if key == "" {
		return 0, false
	}
	l := b.get(key, now)
	tokens := l.TokensAt(now)
	if tokens >= 1 {
		return 0, false
	}
	return time.Duration((1 - tokens) * float64(b.limit.Every)), true
}

// fail spends one event of key (a failure), if any is left.
func (b *buckets) fail(key string, now time.Time) {
	if key != "" {
		b.get(key, now).AllowN(now, 1)
	}
}

// retryAfterSeconds renders a wait as the whole seconds of a Retry-After header (at least 1).
func retryAfterSeconds(d time.Duration) string {
	return strconv.Itoa(int(math.Max(1, math.Ceil(d.Seconds()))))
}
