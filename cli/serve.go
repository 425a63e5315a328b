package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"

	"github.com/rollcall/rollcall/cache"
	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/facade"
	"github.com/rollcall/rollcall/oauth"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/secrets"
	"github.com/rollcall/rollcall/telemetry"
	"github.com/rollcall/rollcall/web"
)

func init() {
	register("serve", "run the HTTP server (OneRoster API, admin app, GraphQL)", serve)
}

func serve(ctx context.Context, env *Env, args []string) error {
	var cfg config.Config
	fs := newFlags(env, "serve", "[flags]")
	cfg.RegisterServer(fs)
	demoStudents := fs.Int("demo-students", 0, "on an empty database, first generate a demo district with this many students")
	if err := parse(fs, args, &cfg); err != nil {
		return err
	}
	if _, _, err := facade.LimitsFromEnv(cfg.APIValue); err != nil {
		return fmt.Errorf("%w: the OneRoster API limits (-api-* flags): %v", errUsage, err)
	}
	log := logger(env, cfg)
	slog.SetDefault(log) // the OAuth library (zitadel/oidc) logs through slog.Default()
	key, err := secrets.LoadKey(os.Getenv("ROLLCALL_SECRET_KEY"), cfg.DataDir)
	if err != nil {
		return err
	}
	sealer, err := secrets.NewSealer(key)
	if err != nil {
		return err
	}
	db, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if *demoStudents > 0 {
		if err := seedDemoIfEmpty(ctx, env, db, *demoStudents, log); err != nil {
			return err
		}
	}
	if _, err := provision.BootstrapAdmin(ctx, db.Client, env.Stdout, log); err != nil {
		return err
	}
	svc := &provision.Service{Client: db.Client, Sealer: sealer, Config: cfg}
	provider, err := oauth.New(oauth.Options{
		Config:      cfg,
		DB:          db.Client,
		Sealer:      sealer,
		Credentials: svc,
		Log:         log,
	})
	if err != nil {
		return err
	}
	if err := provider.EnsureSigningKey(ctx); err != nil {
		return fmt.Errorf("OAuth signing key: %w", err)
	}
	published := cache.New(db, cache.Options{Logger: log, Progress: env.Stderr})
	if err := publishFirst(ctx, published, log); err != nil {
		return err
	}
	go published.Scheduler().Run(ctx) // daily (and optionally hourly) refreshes as the district's settings say
	l, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listening on %s: %w (is another server using it? set -listen)", cfg.Listen, err)
	}
	srv := web.New(web.Deps{Config: cfg, DB: db, Log: log, Metrics: telemetry.NewMetrics(),
		OAuth: provider, Verifier: provider.Verifier(), Provision: svc, Cache: published})
	log.Info("serving", "listen", l.Addr().String(), "public_url", cfg.PublicURL, "database", db.Location)
	printWelcome(env, cfg)
	return srv.Serve(ctx, l)
}

// printWelcome tells the person who started the server where to go next.
func printWelcome(env *Env, cfg config.Config) {
	fmt.Fprintf(env.Stdout, `
Rollcall is running at %[1]s
  admin app:  %[1]s%[5]s    (sign in with the admin account printed above, or ROLLCALL_ADMIN_USERNAME/PASSWORD)
  GraphQL:    %[1]s%[4]s  (admin or API-client tokens)
  token URL:  %[2]s    (OAuth 2 client credentials; discovery: %[1]s%[3]s)
  health:     %[1]s/healthz    readiness: %[1]s/readyz    metrics: %[1]s/metrics

Get a vendor credential (prints clientId, clientSecret, tokenUrl, baseUrl, docsUrl as JSON):
  ./rollcall connection create -data-dir %[6]s -public-url %[1]s --vendor "Demo LMS" --key demolms --version 1.2
then a token:
  curl -s -u CLIENT_ID:CLIENT_SECRET -d grant_type=client_credentials %[2]s
Press Ctrl-C to stop.
`, cfg.PublicURL, cfg.TokenURL(), oauth.DiscoveryPath, config.GraphQLPath, config.AdminPath, cfg.DataDir)
}

// publishFirst refreshes the OneRoster cache once when nothing has been published yet, so that a new server
// answers vendors with data instead of 503 until the first scheduled refresh.
func publishFirst(ctx context.Context, c *cache.Cache, log *slog.Logger) error {
	st, err := c.Status(ctx)
	if err != nil {
		return err
	}
	if st.Current != nil {
		return nil
	}
	log.Info("publishing the OneRoster cache for the first time")
	if _, err := c.Refresh(ctx, "system:first-start"); err != nil {
		return fmt.Errorf("first OneRoster cache refresh: %w (see `rollcall cache status`)", err)
	}
	return nil
}
