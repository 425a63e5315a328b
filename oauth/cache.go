package oauth

import (
	"sync"
	"time"

	"github.com/rollcall/rollcall/ent"
)

// ttlCache remembers what load returned for a key, errors included (a missing row stays missing), for at
// most ttl of real time. It never serves anything older than ttl, which is what bounds how long a revoked
// connection keeps working. Expired entries are swept as the map grows. Safe for concurrent use.
type ttlCache[K comparable, V any] struct {
	ttl time.Duration

	mu        sync.Mutex
	m         map[K]ttlEntry[V]
	lastSweep time.Time
}

type ttlEntry[V any] struct {
	v   V
	err error
	at  time.Time
}

func newTTLCache[K comparable, V any](ttl time.Duration) *ttlCache[K, V] {
	return &ttlCache[K, V]{ttl: ttl, m: map[K]ttlEntry[V]{}}
}

// get returns the cached result for key, or calls load (outside the lock) and caches its result. Of the
// failures only "not found" is cached (see isCacheable); anything else is returned and retried next time.
func (c *ttlCache[K, V]) get(key K, load func() (V, error)) (V, error) {
	now := time.Now()
	c.mu.Lock()
	if e, ok := c.m[key]; ok && now.Sub(e.at) < c.ttl {
		c.mu.Unlock()
		return e.v, e.err
	}
	c.mu.Unlock()

	v, err := load()
	if err != nil && !isCacheable(err) {
		return v, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) > 1024 && now.Sub(c.lastSweep) > c.ttl {
		for k, e := range c.m {
			if now.Sub(e.at) >= c.ttl {
				delete(c.m, k)
			}
		}
		c.lastSweep = now
	}
	c.m[key] = ttlEntry[V]{v: v, err: err, at: now}
	return v, err
}

// isCacheable: only "not found" answers are worth remembering; a database failure must be retried.
func isCacheable(err error) bool { return ent.IsNotFound(err) }
