package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/provision"
)

func init() {
	register("admin", "manage admin accounts: create, list, set-password, disable, enable", adminCmd)
	register("apiclient", "manage API clients of admin accounts: create, list, revoke", apiClientCmd)
}

// stdin is where --password-stdin reads from; tests replace it.
var stdin io.Reader = os.Stdin

const adminUsage = `usage: rollcall admin SUBCOMMAND [flags]

subcommands (each prints JSON; -h for its flags):
  create        USERNAME --role sis_admin|analyst|auditor [--password-stdin]
                (without --password-stdin a password is generated and printed once)
  list
  set-password  USERNAME [--password-stdin]
  disable       USERNAME
  enable        USERNAME`

const apiClientUsage = `usage: rollcall apiclient SUBCOMMAND [flags]

subcommands (each prints JSON; -h for its flags):
  create  --account USERNAME --name NAME   (the secret is printed once)
  list    [--account USERNAME]
  revoke  CLIENT_ID`

// dispatch runs the subcommand named by args[0] as the CLI actor.
func dispatch(ctx context.Context, env *Env, args []string, usageText string, subs map[string]func(context.Context, *Env, []string) error) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(env.Stderr, usageText)
		if len(args) == 0 {
			return fmt.Errorf("%w: a subcommand is required", errUsage)
		}
		return flag.ErrHelp
	}
	run, ok := subs[args[0]]
	if !ok {
		fmt.Fprintln(env.Stderr, usageText)
		return fmt.Errorf("%w: unknown subcommand %q", errUsage, args[0])
	}
	return run(cliActor(ctx), env, args[1:])
}

func adminCmd(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, args, adminUsage, map[string]func(context.Context, *Env, []string) error{
		"create": adminCreate, "list": adminList, "set-password": adminSetPassword,
		"disable": adminDisable, "enable": adminEnable,
	})
}

func apiClientCmd(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, args, apiClientUsage, map[string]func(context.Context, *Env, []string) error{
		"create": apiClientCreate, "list": apiClientList, "revoke": apiClientRevoke,
	})
}

// password reads the password from stdin (its first line) or, when fromStdin is false, generates one.
func password(fromStdin bool) (pw string, generated bool, err error) {
	if !fromStdin {
		return provision.GeneratePassword(), true, nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, fmt.Errorf("reading the password from standard input: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), false, nil
}

func adminCreate(ctx context.Context, env *Env, args []string) error {
	var cfg config.Config
	fs := provisionFlags(env, "admin create", "USERNAME --role ROLE [--password-stdin] [flags]", &cfg)
	role := fs.String("role", "", "sis_admin (provisions connections, reveals secrets), analyst (read-only GraphQL) or auditor (read-only)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input (default: generate one and print it once)")
	pos, err := parseArgs(fs, args, &cfg, 1, "one USERNAME")
	if err != nil {
		return err
	}
	if *role == "" {
		return fmt.Errorf("%w: --role is required: sis_admin, analyst or auditor", errUsage)
	}
	pw, generated, err := password(*fromStdin)
	if err != nil {
		return err
	}
	svc, db, err := openService(ctx, env, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := svc.CreateAdmin(ctx, pos[0], *role, pw)
	if err != nil {
		return err
	}
	out := struct {
		provision.AdminView
		Password string `json:"password,omitempty"`
	}{AdminView: a}
	if generated {
		out.Password = pw
		fmt.Fprintln(env.Stderr, "rollcall admin create: the generated password is printed only now; store it safely")
	}
	return printJSON(env, out)
}

func adminList(ctx context.Context, env *Env, args []string) error {
	var cfg config.Config
	fs := provisionFlags(env, "admin list", "[flags]", &cfg)
	if _, err := parseArgs(fs, args, &cfg, 0, ""); err != nil {
		return err
	}
	svc, db, err := openService(ctx, env, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	as, err := svc.ListAdmins(ctx)
	if err != nil {
		return err
	}
	return printJSON(env, as)
}

func adminSetPassword(ctx context.Context, env *Env, args []string) error {
	var cfg config.Config
	fs := provisionFlags(env, "admin set-password", "USERNAME [--password-stdin] [flags]", &cfg)
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input (default: generate one and print it once)")
	pos, err := parseArgs(fs, args, &cfg, 1, "one USERNAME")
	if err != nil {
		return err
	}
	pw, generated, err := password(*fromStdin)
	if err != nil {
		return err
	}
	svc, db, err := openService(ctx, env, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := svc.SetPassword(ctx, pos[0], pw); err != nil {
		return err
	}
	out := map[string]any{"username": strings.ToLower(strings.TrimSpace(pos[0])), "passwordChanged": true}
	if generated {
		out["password"] = pw
		fmt.Fprintln(env.Stderr, "rollcall admin set-password: the generated password is printed only now; store it safely")
	}
	return printJSON(env, out)
}

func adminDisable(ctx context.Context, env *Env, args []string) error {
	return adminSetDisabled(ctx, env, args, true)
}

func adminEnable(ctx context.Context, env *Env, args []string) error {
	return adminSetDisabled(ctx, env, args, false)
}

func adminSetDisabled(ctx context.Context, env *Env, args []string, disabled bool) error {
	var cfg config.Config
	name := "admin enable"
	if disabled {
		name = "admin disable"
	}
	fs := provisionFlags(env, name, "USERNAME [flags]", &cfg)
	pos, err := parseArgs(fs, args, &cfg, 1, "one USERNAME")
	if err != nil {
		return err
	}
	svc, db, err := openService(ctx, env, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if disabled {
		err = svc.DisableAdmin(ctx, pos[0])
	} else {
		err = svc.EnableAdmin(ctx, pos[0])
	}
	if err != nil {
		return err
	}
	return printJSON(env, map[string]any{"username": strings.ToLower(strings.TrimSpace(pos[0])), "disabled": disabled})
}

func apiClientCreate(ctx context.Context, env *Env, args []string) error {
	var cfg config.Config
	fs := provisionFlags(env, "apiclient create", "--account USERNAME --name NAME [flags]", &cfg)
	account := fs.String("account", "", "the admin account whose role the client's tokens carry (required)")
	name := fs.String("name", "", "what uses the client, e.g. nightly-report (required)")
	if _, err := parseArgs(fs, args, &cfg, 0, ""); err != nil {
		return err
	}
	if *account == "" || *name == "" {
		return fmt.Errorf("%w: --account and --name are required", errUsage)
	}
	svc, db, err := openService(ctx, env, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	cr, err := svc.CreateAPIClient(ctx, *account, *name)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stderr, "rollcall apiclient create: the client secret is printed only now; store it safely")
	return printJSON(env, cr)
}

func apiClientList(ctx context.Context, env *Env, args []string) error {
	var cfg config.Config
	fs := provisionFlags(env, "apiclient list", "[--account USERNAME] [flags]", &cfg)
	account := fs.String("account", "", "only this admin account's clients")
	if _, err := parseArgs(fs, args, &cfg, 0, ""); err != nil {
		return err
	}
	svc, db, err := openService(ctx, env, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	cs, err := svc.ListAPIClients(ctx, *account)
	if err != nil {
		return err
	}
	return printJSON(env, cs)
}

func apiClientRevoke(ctx context.Context, env *Env, args []string) error {
	var cfg config.Config
	fs := provisionFlags(env, "apiclient revoke", "CLIENT_ID [flags]", &cfg)
	pos, err := parseArgs(fs, args, &cfg, 1, "one CLIENT_ID")
	if err != nil {
		return err
	}
	svc, db, err := openService(ctx, env, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	v, changed, err := svc.RevokeAPIClient(ctx, pos[0])
	if err != nil {
		return err
	}
	return printJSON(env, map[string]any{"revoked": true, "alreadyRevoked": !changed, "apiClient": v})
}
