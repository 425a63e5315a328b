package facade

import (
	"fmt"
	"strconv"
)

// Environment variables that tune the API (read by the server at start-up, see LimitsFromEnv).
const (
	EnvMaxLimit    = "ROLLCALL_API_MAX_LIMIT"   // largest page size (default DefaultMaxLimit)
	EnvRate        = "ROLLCALL_API_RATE"        // requests per second per connection (default DefaultRatePerSecond; "off" for none)
	EnvBurst       = "ROLLCALL_API_BURST"       // burst per connection (default DefaultBurst)
	EnvConcurrency = "ROLLCALL_API_CONCURRENCY" // requests in flight per connection (default DefaultConcurrent; "off" for none)
)

// LimitsFromEnv reads the page-size maximum and the per-connection limits from the environment (getenv is
// os.Getenv). Unset variables keep the defaults; a malformed one is an error naming it.
func LimitsFromEnv(getenv func(string) string) (maxLimit int, l Limits, err error) {
	num := func(name string, off bool) (float64, error) {
		v := getenv(name)
		if v == "" {
			return 0, nil
		}
		if off && v == "off" {
			return -1, nil
		}
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("%s=%q: want a positive number", name, v)
		}
		return n, nil
	}
	var f float64
	if f, err = num(EnvMaxLimit, false); err != nil {
		return
	}
	maxLimit = int(f)
	if f > 0 && (f != float64(maxLimit) || maxLimit > 1<<31-1) {
		return 0, l, fmt.Errorf("%s=%q: want a whole number up to 2147483647", EnvMaxLimit, getenv(EnvMaxLimit))
	}
	if l.RatePerSecond, err = num(EnvRate, true); err != nil {
		return
	}
	if f, err = num(EnvBurst, false); err != nil {
		return
	}
	l.Burst = int(f)
	if f, err = num(EnvConcurrency, true); err != nil {
		return
	}
	l.Concurrent = int(f)
	return maxLimit, l, nil
}
