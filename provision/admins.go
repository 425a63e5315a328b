package provision

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/adminaccount"
	"github.com/rollcall/rollcall/secrets"
	"github.com/rollcall/rollcall/store"
)

// Admin roles.
const (
	RoleSISAdmin = "sis_admin" // the SIS product security role: provisions connections, reveals secrets
	RoleAnalyst  = "analyst"   // read-only GraphQL
	RoleAuditor  = "auditor"   // read-only, including the audit log
)

// MinPasswordLength is the fewest characters an admin password may have.
const MinPasswordLength = 12

// Errors of admin sign-in and management, for errors.Is.
var (
	// ErrBadCredentials is what ErrUnknownAdmin and ErrWrongPassword have in common: a sign-in page shows
	// both the same way.
	ErrBadCredentials = errors.New("wrong username or password")
	ErrUnknownAdmin   = fmt.Errorf("%w: no such account", ErrBadCredentials)
	ErrWrongPassword  = fmt.Errorf("%w: wrong password", ErrBadCredentials)
	// ErrAdminDisabled: the account exists (and the password matched) but it is disabled.
	ErrAdminDisabled = errors.New("the admin account is disabled")
)

// AdminView is an admin account without its password hash.
type AdminView struct {
	ID           int        `json:"id"`
	Username     string     `json:"username"`
	DisplayName  string     `json:"displayName"`
	Role         string     `json:"role"`
	Disabled     bool       `json:"disabled"`
	CreatedAt    time.Time  `json:"createdAt"`
	LastSignInAt *time.Time `json:"lastSignInAt"`
}

func adminView(a *ent.AdminAccount) AdminView {
	return AdminView{ID: a.ID, Username: a.Username, DisplayName: a.DisplayName, Role: string(a.Role),
		Disabled: a.Disabled, CreatedAt: a.CreatedAt, LastSignInAt: a.LastSignInAt}
}

// NormalizeUsername trims and lowercases a username and checks it: 3 to 64 characters, lowercase letters,
// digits, '.', '-', '_' or '@', starting with a letter or digit (so an email address works).
func NormalizeUsername(username string) (string, error) {
	u := strings.ToLower(strings.TrimSpace(username))
	if n := utf8.RuneCountInString(u); n < 3 || n > 64 {
		return "", invalid("username", "username %q: want 3 to 64 characters", username)
	}
	for i, r := range u {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || (i > 0 && strings.ContainsRune(".-_@", r))
		if !ok {
			return "", invalid("username", "username %q: character %q is not allowed; use letters, digits, '.', '-', '_' and '@', starting with a letter or digit", username, r)
		}
	}
	return u, nil
}

func checkPassword(password string) error {
	if n := utf8.RuneCountInString(password); n < MinPasswordLength {
		return invalid("password", "the password has %d characters; at least %d are required", n, MinPasswordLength)
	}
	if len(password) > maxPasswordBytes {
		return invalid("password", "the password is longer than %d bytes", maxPasswordBytes)
	}
	return nil
}

func checkRole(role string) (adminaccount.Role, error) {
	r := adminaccount.Role(strings.TrimSpace(role))
	if adminaccount.RoleValidator(r) != nil {
		return "", invalid("role", "role %q: want sis_admin, analyst or auditor", role)
	}
	return r, nil
}

// GeneratePassword returns a random password of 24 letters and digits, for accounts whose creator did
// not choose one: show it once, never log it.
func GeneratePassword() string { return secrets.NewSecret(24) }

// CreateAdmin creates an admin account with the role (sis_admin, analyst or auditor) and the password
// (at least 12 characters; stored as an argon2id hash), recording admin.create. The username is
// normalized (see NormalizeUsername) and must be new.
func (s *Service) CreateAdmin(ctx context.Context, username, role, password string) (AdminView, error) {
	u, err := NormalizeUsername(username)
	if err != nil {
		return AdminView{}, err
	}
	r, err := checkRole(role)
	if err != nil {
		return AdminView{}, err
	}
	if err := checkPassword(password); err != nil {
		return AdminView{}, err
	}
	hash := HashPassword(password)
	var a *ent.AdminAccount
	err = s.inTx(ctx, func(c *ent.Client) error {
		if exists, err := c.AdminAccount.Query().Where(adminaccount.Username(u)).Exist(ctx); err != nil {
			return err
		} else if exists {
			return invalid("username", "admin account %s already exists", u)
		}
		a, err = c.AdminAccount.Create().SetUsername(u).SetRole(r).SetPasswordHash(hash).Save(ctx)
		if err != nil {
			var ce *store.ConstraintError
			if errors.As(store.Explain(err), &ce) && ce.Kind == "duplicate" {
				return invalid("username", "admin account %s already exists", u)
			}
			return err
		}
		return audit.Record(ctx, c, audit.Event{Action: "admin.create", Target: "admin:" + u,
			Detail: map[string]any{"username": u, "role": string(r)}})
	})
	if err != nil {
		return AdminView{}, err
	}
	return adminView(a), nil
}

// AuthenticateAdmin checks an admin's username and password and returns the account, recording
// last_sign_in_at (and upgrading an old-parameter hash). It does not audit: the caller records the sign-in
// or its failure, with the reason. For an unknown username it still does the work of one verification, so
// the response time does not tell which usernames exist. Errors: ErrUnknownAdmin and ErrWrongPassword (both
// ErrBadCredentials), and, only after a matching password, ErrAdminDisabled.
func (s *Service) AuthenticateAdmin(ctx context.Context, username, password string) (*ent.AdminAccount, error) {
	u := strings.ToLower(strings.TrimSpace(username))
	a, err := s.Client.AdminAccount.Query().Where(adminaccount.Username(u)).Only(ctx)
	if ent.IsNotFound(err) {
		dummyVerify()
		return nil, ErrUnknownAdmin
	}
	if err != nil {
		return nil, err
	}
	ok, err := VerifyPassword(password, a.PasswordHash)
	if err != nil {
		return nil, fmt.Errorf("admin account %s: %w", a.Username, err)
	}
	if !ok {
		return nil, ErrWrongPassword
	}
	if a.Disabled {
		return a, ErrAdminDisabled
	}
	now := s.now()
	upd := s.Client.AdminAccount.UpdateOneID(a.ID).SetLastSignInAt(now)
	if needsRehash(a.PasswordHash) {
		upd.SetPasswordHash(HashPassword(password))
	}
	if err := upd.Exec(ctx); err != nil {
		return nil, err
	}
	a.LastSignInAt = &now
	return a, nil
}

// SetPassword replaces an admin's password (at least 12 characters), recording admin.password (without
// the password). Checking who may do this (the account itself, or a sis_admin) is the caller's.
func (s *Service) SetPassword(ctx context.Context, username, password string) error {
	if err := checkPassword(password); err != nil {
		return err
	}
	hash := HashPassword(password)
	return s.inTx(ctx, func(c *ent.Client) error {
		a, err := findAdmin(ctx, c, username)
		if err != nil {
			return err
		}
		if err := c.AdminAccount.UpdateOneID(a.ID).SetPasswordHash(hash).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, c, audit.Event{Action: "admin.password", Target: "admin:" + a.Username,
			Detail: map[string]any{"username": a.Username}})
	})
}

// DisableAdmin disables an admin account (it can no longer sign in, and its API clients stop working),
// recording admin.disable. The last enabled sis_admin account cannot be disabled. Disabling a disabled
// account changes nothing and records nothing.
func (s *Service) DisableAdmin(ctx context.Context, username string) error {
	return s.setDisabled(ctx, username, true)
}

// EnableAdmin re-enables a disabled admin account, recording admin.enable.
func (s *Service) EnableAdmin(ctx context.Context, username string) error {
	return s.setDisabled(ctx, username, false)
}

func (s *Service) setDisabled(ctx context.Context, username string, disabled bool) error {
	return s.inTx(ctx, func(c *ent.Client) error {
		a, err := findAdmin(ctx, c, username)
		if err != nil || a.Disabled == disabled {
			return err
		}
		if disabled && a.Role == adminaccount.RoleSisAdmin {
			others, err := c.AdminAccount.Query().Where(adminaccount.RoleEQ(adminaccount.RoleSisAdmin),
				adminaccount.Disabled(false), adminaccount.IDNEQ(a.ID)).Count(ctx)
			if err != nil {
				return err
			}
			if others == 0 {
				return invalid("username", "%s is the last enabled sis_admin account: create or enable another one first", a.Username)
			}
		}
		if err := c.AdminAccount.UpdateOneID(a.ID).SetDisabled(disabled).Exec(ctx); err != nil {
			return err
		}
		action := "admin.enable"
		if disabled {
			action = "admin.disable"
		}
		return audit.Record(ctx, c, audit.Event{Action: action, Target: "admin:" + a.Username,
			Detail: map[string]any{"username": a.Username, "role": string(a.Role)}})
	})
}

func findAdmin(ctx context.Context, c *ent.Client, username string) (*ent.AdminAccount, error) {
	u := strings.ToLower(strings.TrimSpace(username))
	a, err := c.AdminAccount.Query().Where(adminaccount.Username(u)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, fmt.Errorf("admin account %q: %w", u, ErrNotFound)
	}
	return a, err
}

// ListAdmins returns every admin account by username.
func (s *Service) ListAdmins(ctx context.Context) ([]AdminView, error) {
	as, err := s.Client.AdminAccount.Query().Order(adminaccount.ByUsername()).All(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]AdminView, len(as))
	for i, a := range as {
		out[i] = adminView(a)
	}
	return out, nil
}

// Environment variables of the first admin account.
const (
	EnvAdminUsername = "ROLLCALL_ADMIN_USERNAME"
	EnvAdminPassword = "ROLLCALL_ADMIN_PASSWORD"
)

// BootstrapAdmin creates the first admin account (role sis_admin) when there is none: named by
// ROLLCALL_ADMIN_USERNAME (default "admin"), with the password ROLLCALL_ADMIN_PASSWORD, or else a generated
// one printed once to out (never to log). It reports whether it created the account; false when accounts
// exist already, including when another server process created the first one at the same moment. The
// event admin.create is recorded as the actor of ctx (system when none).
func BootstrapAdmin(ctx context.Context, client *ent.Client, out io.Writer, log *slog.Logger) (bool, error) {
	n, err := client.AdminAccount.Query().Count(ctx)
	if err != nil || n > 0 {
		return false, err
	}
	username := os.Getenv(EnvAdminUsername)
	if username == "" {
		username = "admin"
	}
	password, generated := os.Getenv(EnvAdminPassword), false
	if password == "" {
		password, generated = GeneratePassword(), true
	}
	if actor.From(ctx) == actor.System {
		ctx = actor.With(ctx, actor.KindSystem, "bootstrap")
	}
	s := &Service{Client: client}
	a, err := s.CreateAdmin(ctx, username, RoleSISAdmin, password)
	if err != nil {
		if n, cerr := client.AdminAccount.Query().Count(ctx); cerr == nil && n > 0 {
			return false, nil // another server process created the first account at the same moment
		}
		var ve *ValidationError
		if errors.As(err, &ve) && ve.Field == "password" {
			return false, fmt.Errorf("%s: %w", EnvAdminPassword, err)
		}
		if errors.As(err, &ve) && ve.Field == "username" {
			return false, fmt.Errorf("%s: %w", EnvAdminUsername, err)
		}
		return false, fmt.Errorf("creating the first admin account: %w", err)
	}
	source := "environment (" + EnvAdminPassword + ")"
	if generated {
		source = "generated, printed once to standard output"
		fmt.Fprintf(out, "\nCreated the first admin account.\n  username: %s\n  password: %s\n"+
			"This password is shown only now: store it safely, and change it after signing in.\n\n", a.Username, password)
	}
	if log != nil {
		log.Info("created the first admin account", "username", a.Username, "role", RoleSISAdmin, "password", source)
	}
	return true, nil
}
