package facade_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/facade"
)

// A connection over its rate gets 429 server_busy with Retry-After, in its version's shape; another
// connection is not affected.
func TestRateLimit(t *testing.T) {
	t.Setenv(facade.EnvRate, "0.5")
	t.Setenv(facade.EnvBurst, "3")
	e := newEnv(t, "sqlite3")
	for _, v := range []string{"1.2", "1.1"} {
		c := e.connect(t, v)
		tok := c.tok(t)
		root := rosterRoot[c.Version]
		for i := 0; i < 3; i++ {
			e.get(t, tok, root+"/orgs").must(t, 200, "within the burst")
		}
		r := e.get(t, tok, root+"/orgs").must(t, 429, "over the burst")
		secs, err := strconv.Atoi(r.Header.Get("Retry-After"))
		if err != nil || secs < 1 || secs > 2 || !strings.Contains(string(r.Body), "server_busy") {
			t.Errorf("429: Retry-After %q, %s", r.Header.Get("Retry-After"), r.Body)
		}
		if c.Version == "v1p1" && !strings.Contains(string(r.Body), `"statusInfoSet"`) {
			t.Errorf("1.1 429: %s", r.Body)
		}
	}
	other := e.connect(t, "1.2")
	e.get(t, other.tok(t), facade.RootRostering+"/orgs").must(t, 200, "another connection")
}

func TestLimitsFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	maxLimit, l, err := facade.LimitsFromEnv(env(nil))
	if err != nil || maxLimit != 0 || l != (facade.Limits{}) {
		t.Errorf("unset: %d %+v %v", maxLimit, l, err)
	}
	maxLimit, l, err = facade.LimitsFromEnv(env(map[string]string{facade.EnvMaxLimit: "50000", facade.EnvRate: "off",
		facade.EnvBurst: "10", facade.EnvConcurrency: "4"}))
	if err != nil || maxLimit != 50000 || l.RatePerSecond != -1 || l.Burst != 10 || l.Concurrent != 4 {
		t.Errorf("set: %d %+v %v", maxLimit, l, err)
	}
	for k, v := range map[string]string{facade.EnvMaxLimit: "1.5", facade.EnvRate: "fast", facade.EnvBurst: "-1",
		facade.EnvConcurrency: "0"} {
		if _, _, err := facade.LimitsFromEnv(env(map[string]string{k: v})); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s: %v", k, v, err)
		}
	}
}
