package facade

import (
	"testing"
	"time"
)

// The limiter admits a burst, then refills at the rate; in-flight requests count against the concurrency
// cap until released; idle connections are forgotten.
func TestLimiter(t *testing.T) {
	now := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	lm := newLimiter(Limits{RatePerSecond: 2, Burst: 2, Concurrent: 3}, func() time.Time { return now })
	for i := 0; i < 2; i++ {
		if _, ok := lm.acquire(1); !ok {
			t.Fatalf("request %d refused", i)
		}
	}
	if wait, ok := lm.acquire(1); ok || wait <= 0 || wait > time.Second {
		t.Fatalf("over the burst: %v %v", wait, ok)
	}
	if _, ok := lm.acquire(2); !ok {
		t.Fatal("another connection refused")
	}
	now = now.Add(time.Second)
	if _, ok := lm.acquire(1); !ok {
		t.Fatal("refilled bucket refused")
	}
	if wait, ok := lm.acquire(1); ok || wait != time.Second {
		t.Fatalf("over the concurrency cap: %v %v", wait, ok)
	}
	lm.release(1)
	if _, ok := lm.acquire(1); !ok {
		t.Fatal("refused after a release")
	}
	for i := 0; i < 3; i++ {
		lm.release(1)
	}
	lm.release(2)
	now = now.Add(2 * time.Minute)
	lm.acquire(3)
	if _, kept := lm.m[1]; kept || len(lm.m) != 1 {
		t.Errorf("idle connections kept: %v", lm.m)
	}
	off := newLimiter(Limits{RatePerSecond: -1, Concurrent: -1}, time.Now)
	for i := 0; i < 1000; i++ {
		if _, ok := off.acquire(1); !ok {
			t.Fatal("limits off, yet refused")
		}
	}
}
