package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/secrets"
	"github.com/rollcall/rollcall/store"
)

func init() {
	register("connection", "manage vendor connections: create, list, show, update, revoke, renew, show-secret", connectionCmd)
}

const connectionUsage = `usage: rollcall connection SUBCOMMAND [flags]

subcommands (each prints JSON; -h for its flags):
  create       --vendor V --purpose P --key K --version 1.1|1.2 [--partner] [--types roster,gradebook,assessment]
               [--schools ID,...] [--demographics] [--expires YYYY-MM-DD]
  list         [--search TEXT] [--status active|revoked] [--sort FIELD] [--desc]
  show         KEY
  update       KEY [--vendor V] [--purpose P] [--version V] [--partner=BOOL] [--types T,...] [--schools ID,...|--all-schools]
               [--demographics=BOOL] [--expires YYYY-MM-DD] [--enabled=BOOL]
  revoke       KEY
  renew        KEY [--expires YYYY-MM-DD]
  show-secret  KEY   (recorded in the audit log)`

func connectionCmd(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, args, connectionUsage, map[string]func(context.Context, *Env, []string) error{
		"create": connCreate, "list": connList, "show": connShow, "update": connUpdate,
		"revoke": connRevoke, "renew": connRenew, "show-secret": connShowSecret,
	})
}

// cliActor attributes what the command does to system:cli, from this host, in the audit log.
func cliActor(ctx context.Context) context.Context {
	host, _ := os.Hostname()
	return audit.WithRemoteAddr(actor.With(ctx, actor.KindSystem, "cli"), "cli@"+host)
}

// provisionFlags returns a flag set with the storage flags and -public-url (for the URLs to share).
func provisionFlags(env *Env, name, synopsis string, cfg *config.Config) *flag.FlagSet {
	fs := newFlags(env, name, synopsis)
	cfg.RegisterStorage(fs)
	def := os.Getenv("ROLLCALL_PUBLIC_URL")
	if def == "" {
		def = "http://127.0.0.1:8080"
	}
	fs.StringVar(&cfg.PublicURL, "public-url", def,
		"base URL vendors reach the server at, for the token, base and documentation URLs printed [ROLLCALL_PUBLIC_URL]")
	return fs
}

// parseArgs parses flags that may come before or after the positional arguments (KEY --expires D) and
// checks that there are exactly want positional arguments, named by names for the error.
func parseArgs(fs *flag.FlagSet, args []string, cfg *config.Config, want int, names string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		rest := fs.Args()
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
	if len(pos) != want {
		if want == 0 {
			return nil, fmt.Errorf("%w: unexpected argument %q", errUsage, pos[0])
		}
		return nil, fmt.Errorf("%w: want %s, got %d arguments", errUsage, names, len(pos))
	}
	if err := cfg.Finish(); err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	return pos, nil
}

// openService opens and migrates the database and returns the provisioning service over it. withKey loads
// the server key, which sealing and opening secrets need.
func openService(ctx context.Context, env *Env, cfg config.Config, withKey bool) (*provision.Service, *store.DB, error) {
	db, err := openMigrated(ctx, cfg, logger(env, cfg))
	if err != nil {
		return nil, nil, err
	}
	svc := &provision.Service{Client: db.Client, Config: cfg}
	if withKey {
		envKey := os.Getenv("ROLLCALL_SECRET_KEY")
		if envKey == "" && cfg.DatabaseURL != "" {
			if _, err := os.Stat(filepath.Join(cfg.DataDir, "server.key")); err != nil {
				db.Close()
				return nil, nil, errors.New("with -database-url, set ROLLCALL_SECRET_KEY to the server's key: a new local key " +
					"would seal secrets the server cannot open")
			}
		}
		key, err := secrets.LoadKey(envKey, cfg.DataDir)
		if err == nil {
			svc.Sealer, err = secrets.NewSealer(key)
		}
		if err != nil {
			db.Close()
			return nil, nil, err
		}
	}
	return svc, db, nil
}

// printJSON writes v to stdout as indented JSON.
func printJSON(env *Env, v any) error {
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// splitComma splits a comma-separated flag value.
func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func dateFlag(s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	d, err := provision.ParseDate(s)
	if err != nil {
		return nil, fmt.Errorf("%w: -expires: %v", errUsage, err)
	}
	return &d, nil
}

func connCreate(ctx context.Context, env *Env, args []string) error {
	var cfg config.Config
	fs := provisionFlags(env, "connection create", "--vendor V --purpose P --key K --version 1.1|1.2 [flags]", &cfg)
	var nc provision.NewConnection
	fs.StringVar(&nc.VendorName, "vendor", "", "vendor name (required)")
	fs.StringVar(&nc.Purpose, "purpose", "", "why this connection was made")
	fs.StringVar(&nc.DistrictPart, "key", "", "the consumer key after the site prefix, e.g. canvas (letters, digits, '.', '-', '_')")
	fs.StringVar(&nc.Version, "version", "", "OneRoster version the vendor uses: 1.1 or 1.2 (required)")
	fs.BoolVar(&nc.Partner, "partner", false, "the vendor is a Digital Learning Partner (may have gradebook and assessment)")
	types := fs.String("types", "roster", "connection types, comma-separated: roster, gradebook, assessment")
	schools := fs.String("schools", "", "sourcedIds of the schools the vendor may see, comma-separated (default: all schools)")
	fs.BoolVar(&nc.Demographics, "demographics", false, "allow reading demographics")
	expires := fs.String("expires", "", "token expiration date YYYY-MM-DD (default: one year from today; at most 13 months)")
	if _, err := parseArgs(fs, args, &cfg, 0, ""); err != nil {
		return err
	}
	nc.Types, nc.SchoolSourcedIDs = splitComma(*types), splitComma(*schools)
	var err error
	if nc.ExpiresOn, err = dateFlag(*expires); err != nil {
		return err
	}
	svc, db, err := openService(ctx, env, cfg, true)
	if err != nil {
		return err
	}
	defer db.Close()
	cr, err := svc.Create(ctx, nc)
	if err != nil {
		return err
	}
	return printJSON(env, cr)
}

func connList(ctx context.Context, env *Env, args []string) error {
	var cfg config.Config
	fs := provisionFlags(env, "connection list", "[flags]", &cfg)
	var opt provision.ListOptions
	fs.StringVar(&opt.Search, "search", "", "only connections whose vendor, key, purpose or service account contains this")
	fs.StringVar(&opt.Status, "status", "", "active or revoked (default: both)")
	fs.StringVar(&opt.Sort, "sort", "vendorName", "vendorName, consumerKey, expiresOn, createdAt, status, version or lastTokenAt")
	fs.BoolVar(&opt.Desc, "desc", false, "reverse the order")
	if _, err := parseArgs(fs, args, &cfg, 0, ""); err != nil {
		return err
	}
	svc, db, err := openService(ctx, env, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	vs, err := svc.List(ctx, opt)
	if err != nil {
		return err
	}
	return printJSON(env, vs)
}

// oneConnection parses KEY and the flags, and opens the service and the connection named by KEY.
func oneConnection(ctx context.Context, env *Env, fs *flag.FlagSet, cfg *config.Config, args []string, withKey bool) (*provision.Service, *store.DB, provision.View, error) {
	pos, err := parseArgs(fs, args, cfg, 1, "one KEY (the consumer key or id)")
	if err != nil {
		return nil, nil, provision.View{}, err
	}
	svc, db, err := openService(ctx, env, *cfg, withKey)
	if err != nil {
		return nil, nil, provision.View{}, err
	}
	v, err := svc.Get(ctx, pos[0])
	if err != nil {
		db.Close()
		return nil, nil, provision.View{}, err
	}
	return svc, db, v, nil
}

func connShow(ctx context.Context, env *Env, args []string) error {
	var cfg config.Config
	fs := provisionFlags(env, "connection show", "KEY [flags]", &cfg)
	_, db, v, err := oneConnection(ctx, env, fs, &cfg, args, false)
	if err != nil {
		return err
	}
	defer db.Close()
	return printJSON(env, v)
}

func connUpdate(ctx context.Context, env *Env, args []string) error {
	var cfg config.Config
	fs := provisionFlags(env, "connection update", "KEY [flags]", &cfg)
	vendor := fs.String("vendor", "", "new vendor name")
	purpose := fs.String("purpose", "", "new purpose")
	version := fs.String("version", "", "new OneRoster version: 1.1 or 1.2")
	partner := fs.Bool("partner", false, "Digital Learning Partner (--partner=false also removes gradebook and assessment)")
	types := fs.String("types", "", "connection types, comma-separated (roster is always included)")
	schools := fs.String("schools", "", "sourcedIds of the schools, comma-separated")
	allSchools := fs.Bool("all-schools", false, "give access to all schools")
	demographics := fs.Bool("demographics", false, "allow reading demographics")
	expires := fs.String("expires", "", "token expiration date YYYY-MM-DD (at most 13 months ahead)")
	enabled := fs.Bool("enabled", true, "client enabled")
	svc, db, v, err := oneConnection(ctx, env, fs, &cfg, args, false)
	if err != nil {
		return err
	}
	defer db.Close()
	var ch provision.Changes
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["schools"] && set["all-schools"] {
		return fmt.Errorf("%w: give either -schools or -all-schools", errUsage)
	}
	if set["vendor"] {
		ch.VendorName = vendor
	}
	if set["purpose"] {
		ch.Purpose = purpose
	}
	if set["version"] {
		ch.Version = version
	}
	if set["partner"] {
		ch.Partner = partner
	}
	if set["types"] {
		t := splitComma(*types)
		ch.Types = &t
	}
	if set["schools"] || (set["all-schools"] && *allSchools) {
		s := splitComma(*schools)
		ch.SchoolSourcedIDs = &s
	}
	if set["demographics"] {
		ch.Demographics = demographics
	}
	if set["expires"] {
		if ch.ExpiresOn, err = dateFlag(*expires); err != nil {
			return err
		}
	}
	if set["enabled"] {
		ch.Enabled = enabled
	}
	out, err := svc.Update(ctx, v.ID, ch)
	if err != nil {
		return err
	}
	return printJSON(env, out)
}

func connRevoke(ctx context.Context, env *Env, args []string) error {
	var cfg config.Config
	fs := provisionFlags(env, "connection revoke", "KEY [flags]", &cfg)
	svc, db, v, err := oneConnection(ctx, env, fs, &cfg, args, false)
	if err != nil {
		return err
	}
	defer db.Close()
	out, changed, err := svc.Revoke(ctx, v.ID)
	if err != nil {
		return err
	}
	return printJSON(env, map[string]any{"revoked": true, "alreadyRevoked": !changed, "connection": out})
}

func connRenew(ctx context.Context, env *Env, args []string) error {
	var cfg config.Config
	fs := provisionFlags(env, "connection renew", "KEY [--expires YYYY-MM-DD] [flags]", &cfg)
	expires := fs.String("expires", "", "new token expiration date YYYY-MM-DD (default: one year from today; at most 13 months)")
	svc, db, v, err := oneConnection(ctx, env, fs, &cfg, args, true)
	if err != nil {
		return err
	}
	defer db.Close()
	on, err := dateFlag(*expires)
	if err != nil {
		return err
	}
	cr, err := svc.Renew(ctx, v.ID, on)
	if err != nil {
		return err
	}
	return printJSON(env, cr)
}

func connShowSecret(ctx context.Context, env *Env, args []string) error {
	var cfg config.Config
	fs := provisionFlags(env, "connection show-secret", "KEY [flags]", &cfg)
	svc, db, v, err := oneConnection(ctx, env, fs, &cfg, args, true)
	if err != nil {
		return err
	}
	defer db.Close()
	cr, err := svc.RevealSecret(ctx, v.ID)
	if err != nil {
		return err
	}
	return printJSON(env, cr)
}
