// Package config holds the server's settings. Every setting is a command-line flag whose default comes from
// an environment variable, so the same binary runs from a shell, a service unit or CI without a config file.
package config

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/rollcall/rollcall/clientaddr"
)

// Config is what a running Rollcall needs to know about its environment.
type Config struct {
	Listen        string // address the HTTP server listens on
	DatabaseURL   string // postgres://... or sqlite:PATH; empty means the embedded SQLite under DataDir
	PublicURL     string // the base URL vendors and browsers use to reach this server
	DataDir       string // where the embedded database and other local state live
	LogLevel      string // debug, info, warn or error
	ShutdownGrace time.Duration
	// TrustedProxies are the CIDR ranges of reverse proxies whose X-Forwarded-For is believed (comma-separated);
	// Finish parses them into ClientAddr.
	TrustedProxies string
	// ClientAddr names a request's client for rate limits and the audit log (see package clientaddr).
	ClientAddr clientaddr.Resolver
	// API holds the OneRoster API's limits by their environment variable names (ROLLCALL_API_MAX_LIMIT,
	// ROLLCALL_API_RATE, ROLLCALL_API_BURST, ROLLCALL_API_CONCURRENCY), as the -api-* flags set them; package
	// facade parses them (LimitsFromEnv). Read them through APIValue.
	API map[string]string
}

// apiFlags are the -api-* flags and the environment variables they default from.
var apiFlags = []struct{ flag, env, usage string }{
	{"api-max-limit", "ROLLCALL_API_MAX_LIMIT", "largest OneRoster page size (limit) served; larger is refused with 400 (default 100000)"},
	{"api-rate", "ROLLCALL_API_RATE", "OneRoster requests per second per connection, or off (default 100)"},
	{"api-burst", "ROLLCALL_API_BURST", "OneRoster request burst per connection (default 200)"},
	{"api-concurrency", "ROLLCALL_API_CONCURRENCY", "OneRoster requests in flight per connection, or off (default 16)"},
}

// APIValue is the value of an API limit by its environment variable name: the -api-* flag when it was
// registered, else the environment (tests that build a Config by hand).
func (c Config) APIValue(env string) string {
	if v, ok := c.API[env]; ok {
		return v
	}
	return os.Getenv(env)
}

// env returns the environment variable's value, or def when it is unset.
func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// RegisterStorage adds the flags every database-using command shares.
func (c *Config) RegisterStorage(fs *flag.FlagSet) {
	fs.StringVar(&c.DatabaseURL, "database-url", env("ROLLCALL_DATABASE_URL", ""),
		"PostgreSQL URL (postgres://user@host/db) or sqlite:PATH; empty uses the embedded SQLite in -data-dir [ROLLCALL_DATABASE_URL]")
	fs.StringVar(&c.DataDir, "data-dir", env("ROLLCALL_DATA_DIR", "data"),
		"directory for the embedded database and local state [ROLLCALL_DATA_DIR]")
	fs.StringVar(&c.LogLevel, "log-level", env("ROLLCALL_LOG_LEVEL", "info"), "debug, info, warn or error [ROLLCALL_LOG_LEVEL]")
}

// RegisterServer adds the HTTP server's flags.
func (c *Config) RegisterServer(fs *flag.FlagSet) {
	c.RegisterStorage(fs)
	fs.StringVar(&c.Listen, "listen", env("ROLLCALL_LISTEN", "127.0.0.1:8080"), "HTTP listen address [ROLLCALL_LISTEN]")
	fs.StringVar(&c.PublicURL, "public-url", env("ROLLCALL_PUBLIC_URL", ""),
		"base URL clients use to reach the server, e.g. https://oneroster.district.org (default: http://LISTEN) [ROLLCALL_PUBLIC_URL]")
	grace, _ := time.ParseDuration(env("ROLLCALL_SHUTDOWN_GRACE", "20s"))
	fs.DurationVar(&c.ShutdownGrace, "shutdown-grace", grace, "how long in-flight requests may finish at shutdown [ROLLCALL_SHUTDOWN_GRACE]")
	c.API = map[string]string{}
	for _, f := range apiFlags {
		v := env(f.env, "")
		c.API[f.env] = v
		fs.Func(f.flag, f.usage+" ["+f.env+"]", func(s string) error { c.API[f.env] = s; return nil })
	}
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", env("ROLLCALL_TRUSTED_PROXIES", ""),
		"CIDR ranges of reverse proxies whose X-Forwarded-For names the client, comma-separated (default: none; the TCP peer is the client) [ROLLCALL_TRUSTED_PROXIES]")
}

// Finish validates the parsed values and fills in derived defaults.
func (c *Config) Finish() error {
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("-log-level %q: want debug, info, warn or error", c.LogLevel)
	}
	if c.Listen != "" && c.PublicURL == "" {
		host := c.Listen
		if strings.HasPrefix(host, ":") {
			host = "localhost" + host
		}
		c.PublicURL = "http://" + host
	}
	var err error
	if c.ClientAddr, err = clientaddr.Parse(c.TrustedProxies); err != nil {
		return fmt.Errorf("-trusted-proxies: %w", err)
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("-public-url %q: want an absolute http(s) URL such as https://oneroster.district.org", c.PublicURL)
		}
		c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	}
	return nil
}

// Paths of the public endpoints, relative to PublicURL.
const (
	TokenPath      = "/oauth/token"     // OAuth 2 token endpoint (client credentials, authorization code)
	OneRosterPath  = "/ims/oneroster"   // OneRoster discovery page; versions below it
	DocsPath       = "/docs/"           // REST documentation client
	AdminPath      = "/admin/"          // admin app
	GraphQLPath    = "/graphql"         // GraphQL endpoint
	GuidelinesPath = "/docs/guidelines" // consumer guidelines
)

// TokenURL is the absolute URL of the token endpoint.
func (c Config) TokenURL() string { return c.PublicURL + TokenPath }

// BaseURL is the absolute OneRoster base URL of a version ("v1p1" or "v1p2"): the 1.1 root, or for 1.2 the
// discovery page above its three services (rostering, gradebook, resources).
func (c Config) BaseURL(version string) string {
	if version == "v1p1" {
		return c.PublicURL + OneRosterPath + "/v1p1"
	}
	return c.PublicURL + OneRosterPath + "/"
}

// DocsURL is the absolute URL of the REST documentation client.
func (c Config) DocsURL() string { return c.PublicURL + DocsPath }
