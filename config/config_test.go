package config

import (
	"flag"
	"io"
	"net/netip"
	"testing"
)

// The -api-* flags default from their environment variables, and a flag wins over the environment.
func TestAPIFlags(t *testing.T) {
	t.Setenv("ROLLCALL_API_BURST", "50")
	t.Setenv("ROLLCALL_API_RATE", "7")
	var c Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.RegisterServer(fs)
	if err := fs.Parse([]string{"-api-rate", "off", "-api-max-limit", "50000"}); err != nil {
		t.Fatal(err)
	}
	for env, want := range map[string]string{"ROLLCALL_API_RATE": "off", "ROLLCALL_API_MAX_LIMIT": "50000",
		"ROLLCALL_API_BURST": "50", "ROLLCALL_API_CONCURRENCY": ""} {
		if got := c.APIValue(env); got != want {
			t.Errorf("%s = %q, want %q", env, got, want)
		}
	}
	var bare Config // built by hand (tests): the environment
	if got := bare.APIValue("ROLLCALL_API_BURST"); got != "50" {
		t.Errorf("a hand-built Config reads the environment: %q", got)
	}
}

// -trusted-proxies is checked at start.
func TestTrustedProxiesChecked(t *testing.T) {
	c := Config{LogLevel: "info", TrustedProxies: "10.0.0.0/8, not-a-range"}
	if err := c.Finish(); err == nil {
		t.Error("a malformed -trusted-proxies was accepted")
	}
	c.TrustedProxies = "10.0.0.0/8"
	if err := c.Finish(); err != nil || !c.ClientAddr.Trusts(mustAddr("10.2.3.4")) {
		t.Errorf("Finish: %v", err)
	}
}

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }
