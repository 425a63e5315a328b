package demo

import (
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rollcall/rollcall/store/storetest"
)

// TestTiming measures a large generation. It is run by hand and never fails on speed:
//
//	ROLLCALL_DEMO_TIMING=100000 go test -run TestTiming -v -timeout 30m ./demo/
//
// ROLLCALL_DEMO_DIALECTS (default "postgres") lists the dialects to measure, comma-separated
// (postgres, sqlite3); ROLLCALL_DEMO_ENT=1 writes PostgreSQL through ent instead of COPY, for comparison.
// Progress goes to standard error; the log shows wall time, counts and peak memory.
func TestTiming(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("ROLLCALL_DEMO_TIMING"))
	if n == 0 {
		t.Skip("set ROLLCALL_DEMO_TIMING=STUDENTS to measure a generation")
	}
	dialects := os.Getenv("ROLLCALL_DEMO_DIALECTS")
	if dialects == "" {
		dialects = dialect.Postgres
	}
	for _, dia := range strings.Split(dialects, ",") {
		t.Run(dia, func(t *testing.T) {
			db := storetest.Open(t, dia)
			ts := &timingSink{spent: map[string]time.Duration{}}
			start := time.Now()
			c, err := Generate(context.Background(), db, Options{Students: n, Seed: 1, Progress: os.Stderr,
				forceEnt: os.Getenv("ROLLCALL_DEMO_ENT") == "1", wrapSink: func(s sink) sink { ts.s = s; return ts }})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d students in %v", dia, n, time.Since(start).Round(10*time.Millisecond))
			var phases []string
			for name, d := range ts.spent {
				phases = append(phases, name+" "+d.Round(10*time.Millisecond).String())
			}
			slices.Sort(phases)
			t.Logf("time spent writing: %s", strings.Join(phases, ", "))
			t.Logf("%v", c)
			if status, err := os.ReadFile("/proc/self/status"); err == nil {
				for _, line := range strings.Split(string(status), "\n") {
					if strings.HasPrefix(line, "VmHWM") {
						t.Logf("peak resident memory of the test process: %s", strings.Join(strings.Fields(line)[1:], " "))
					}
				}
			}
		})
	}
}

// timingSink adds up the time spent in each method of the sink it wraps.
type timingSink struct {
	s     sink
	spent map[string]time.Duration
}

func (t *timingSink) since(name string, start time.Time, err error) error {
	t.spent[name] += time.Since(start)
	return err
}

func (t *timingSink) orgs(ctx context.Context, x []*org) error {
	return t.since("orgs", time.Now(), t.s.orgs(ctx, x))
}
func (t *timingSink) sessions(ctx context.Context, x []*session) error {
	return t.since("sessions", time.Now(), t.s.sessions(ctx, x))
}
func (t *timingSink) users(ctx context.Context, x []*user) error {
	return t.since("users", time.Now(), t.s.users(ctx, x))
}
func (t *timingSink) demographics(ctx context.Context, x []*user) error {
	return t.since("demographics", time.Now(), t.s.demographics(ctx, x))
}
func (t *timingSink) roles(ctx context.Context, x []*role) error {
	return t.since("roles", time.Now(), t.s.roles(ctx, x))
}
func (t *timingSink) courses(ctx context.Context, x []*course) error {
	return t.since("courses", time.Now(), t.s.courses(ctx, x))
}
func (t *timingSink) classes(ctx context.Context, x []*class) error {
	return t.since("classes", time.Now(), t.s.classes(ctx, x))
}
func (t *timingSink) enrollments(ctx context.Context, x []*enrollment) error {
	return t.since("enrollments", time.Now(), t.s.enrollments(ctx, x))
}
