package provision_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/ent/adminaccount"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

var phc = regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestPasswordHash(t *testing.T) {
	h1 := provision.HashPassword("correct horse battery")
	h2 := provision.HashPassword("correct horse battery")
	if !phc.MatchString(h1) {
		t.Fatalf("hash %q is not an argon2id PHC string with the expected parameters", h1)
	}
	if h1 == h2 {
		t.Error("two hashes of one password are equal: no random salt")
	}
	for _, tc := range []struct {
		password, hash string
		ok             bool
	}{
		{"correct horse battery", h1, true},
		{"correct horse battery", h2, true},
		{"correct horse batterY", h1, false},
		{"", h1, false},
		{strings.Repeat("x", 5000), h1, false},
	} {
		ok, err := provision.VerifyPassword(tc.password, tc.hash)
		if err != nil || ok != tc.ok {
			t.Errorf("VerifyPassword(%.20q) = %v, %v; want %v", tc.password, ok, err, tc.ok)
		}
	}
	// Hashes made with other (valid) parameters still verify; malformed or abusive ones are errors.
	weak := strings.Replace(h1, "m=19456,t=2,p=1", "m=8192,t=1,p=1", 1)
	if ok, err := provision.VerifyPassword("correct horse battery", weak); err != nil || ok {
		t.Errorf("changed parameters must change the result without an error: %v, %v", ok, err)
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaA",
		strings.Replace(h1, "m=19456", "m=99999999", 1), strings.Replace(h1, "t=2", "t=5000", 1), h1 + "$extra"} {
		if _, err := provision.VerifyPassword("x", bad); err == nil {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
}

func TestAdmins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		const pw = "a long passphrase 1"
		a, err := f.svc.CreateAdmin(f.ctx, "  Bob.Smith@lakeside.example ", provision.RoleAnalyst, pw)
		if err != nil {
			t.Fatal(err)
		}
		if a.Username != "bob.smith@lakeside.example" || a.Role != "analyst" || a.Disabled {
			t.Errorf("created %+v", a)
		}
		row := db.Client.AdminAccount.Query().Where(adminaccount.Username(a.Username)).OnlyX(context.Background())
		if !phc.MatchString(row.PasswordHash) {
			t.Errorf("stored hash %q", row.PasswordHash)
		}
		e := f.onlyEvent(t, "admin.create", "admin:bob.smith@lakeside.example")
		if e.Detail["role"] != "analyst" {
			t.Errorf("admin.create detail %v", e.Detail)
		}

		for _, tc := range []struct {
			user, role, password, field string
		}{
			{"bob.smith@lakeside.example", "analyst", pw, "username"},
			{"BOB.SMITH@lakeside.example", "analyst", pw, "username"},
			{"x", "analyst", pw, "username"},
			{"no spaces", "analyst", pw, "username"},
			{".dot", "analyst", pw, "username"},
			{"carol", "superuser", pw, "role"},
			{"carol", "auditor", "short pass1", "password"},
		} {
			_, err := f.svc.CreateAdmin(f.ctx, tc.user, tc.role, tc.password)
			wantValidation(t, err, tc.field)
		}

		// Sign-in.
		f.clock.Set(start.Add(time.Minute))
		got, err := f.svc.AuthenticateAdmin(context.Background(), "Bob.Smith@lakeside.example", pw)
		if err != nil || got.ID != a.ID || got.Role != adminaccount.RoleAnalyst {
			t.Fatalf("AuthenticateAdmin: %v", err)
		}
		if row := db.Client.AdminAccount.GetX(context.Background(), a.ID); row.LastSignInAt == nil || !row.LastSignInAt.Equal(start.Add(time.Minute)) {
			t.Errorf("last sign-in %v", row.LastSignInAt)
		}
		if _, err := f.svc.AuthenticateAdmin(context.Background(), a.Username, pw+"x"); !errors.Is(err, provision.ErrWrongPassword) || !errors.Is(err, provision.ErrBadCredentials) {
			t.Errorf("wrong password: %v", err)
		}
		if _, err := f.svc.AuthenticateAdmin(context.Background(), "nobody", pw); !errors.Is(err, provision.ErrUnknownAdmin) || !errors.Is(err, provision.ErrBadCredentials) {
			t.Errorf("unknown user: %v", err)
		}

		// An unknown username costs about as much as a wrong password (a dummy verification runs).
		timeOf := func(user string) time.Duration {
			best := time.Hour
			for range 3 {
				t0 := time.Now()
				f.svc.AuthenticateAdmin(context.Background(), user, "wrong password 123")
				best = min(best, time.Since(t0))
			}
			return best
		}
		known, unknown := timeOf(a.Username), timeOf("nobody-at-all")
		if unknown < known/3 {
			t.Errorf("unknown username answered in %v, a wrong password in %v: timing reveals which usernames exist", unknown, known)
		}

		// Password change.
		const pw2 = "another long passphrase"
		if err := f.svc.SetPassword(f.ctx, a.Username, pw2); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AuthenticateAdmin(context.Background(), a.Username, pw); !errors.Is(err, provision.ErrWrongPassword) {
			t.Errorf("old password after change: %v", err)
		}
		if _, err := f.svc.AuthenticateAdmin(context.Background(), a.Username, pw2); err != nil {
			t.Errorf("new password: %v", err)
		}
		wantValidation(t, f.svc.SetPassword(f.ctx, a.Username, "short"), "password")
		if err := f.svc.SetPassword(f.ctx, "nobody", pw2); !errors.Is(err, provision.ErrNotFound) {
			t.Errorf("password of a missing account: %v", err)
		}
		f.onlyEvent(t, "admin.password", "admin:bob.smith@lakeside.example")

		// Disable: refused sign-in (only after a right password), and the last sis_admin stays.
		if err := f.svc.DisableAdmin(f.ctx, a.Username); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AuthenticateAdmin(context.Background(), a.Username, pw2); !errors.Is(err, provision.ErrAdminDisabled) {
			t.Errorf("disabled account: %v", err)
		}
		if _, err := f.svc.AuthenticateAdmin(context.Background(), a.Username, "wrong password 123"); !errors.Is(err, provision.ErrWrongPassword) {
			t.Errorf("disabled account, wrong password: %v", err)
		}
		f.onlyEvent(t, "admin.disable", "admin:bob.smith@lakeside.example")
		if _, err := f.svc.CreateAdmin(f.ctx, "root", provision.RoleSISAdmin, pw); err != nil {
			t.Fatal(err)
		}
		wantValidation(t, f.svc.DisableAdmin(f.ctx, "root"), "username", "last enabled sis_admin")
		if err := f.svc.EnableAdmin(f.ctx, a.Username); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AuthenticateAdmin(context.Background(), a.Username, pw2); err != nil {
			t.Errorf("re-enabled account: %v", err)
		}

		list, err := f.svc.ListAdmins(f.ctx)
		if err != nil || len(list) != 2 || list[0].Username != "bob.smith@lakeside.example" || list[1].Username != "root" || list[1].Role != "sis_admin" {
			t.Errorf("ListAdmins: %+v, %v", list, err)
		}
		f.assertNoSecretInAudit(t, pw, pw2)
	})
}

func TestBootstrapAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var out, logs bytes.Buffer
		log := slog.New(slog.NewJSONHandler(&logs, nil))

		t.Setenv(provision.EnvAdminUsername, "")
		t.Setenv(provision.EnvAdminPassword, "")
		created, err := provision.BootstrapAdmin(ctx, db.Client, &out, log)
		if err != nil || !created {
			t.Fatalf("first bootstrap: %v, %v", created, err)
		}
		m := regexp.MustCompile(`username: (admin)\n  password: ([A-Za-z0-9]{24})\n`).FindStringSubmatch(out.String())
		if m == nil {
			t.Fatalf("bootstrap output does not show the generated password:\n%s", out.String())
		}
		password := m[2]
		if strings.Count(out.String(), password) != 1 {
			t.Error("password printed more than once")
		}
		if strings.Contains(logs.String(), password) {
			t.Errorf("password in the log: %s", logs.String())
		}
		if !strings.Contains(logs.String(), "created the first admin account") {
			t.Errorf("log %s", logs.String())
		}
		s := &provision.Service{Client: db.Client}
		a, err := s.AuthenticateAdmin(ctx, "admin", password)
		if err != nil || a.Role != adminaccount.RoleSisAdmin {
			t.Fatalf("signing in with the printed password: %v", err)
		}
		ev := db.Client.AuditEvent.Query().OnlyX(ctx)
		if ev.Action != "admin.create" || ev.Actor != "system:bootstrap" || strings.Contains(ev.Target, password) {
			t.Errorf("bootstrap audit event %+v", ev)
		}

		// Only once.
		out.Reset()
		t.Setenv(provision.EnvAdminUsername, "someone")
		t.Setenv(provision.EnvAdminPassword, "from the environment")
		created, err = provision.BootstrapAdmin(ctx, db.Client, &out, log)
		if err != nil || created || out.Len() != 0 {
			t.Errorf("second bootstrap: %v, %v, output %q", created, err, out.String())
		}
		if n := db.Client.AdminAccount.Query().CountX(ctx); n != 1 {
			t.Errorf("%d accounts", n)
		}
	})
}

func TestBootstrapAdminFromEnvironment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := actor.With(context.Background(), actor.KindSystem, "serve")
		var out bytes.Buffer
		t.Setenv(provision.EnvAdminUsername, "District.Admin")
		t.Setenv(provision.EnvAdminPassword, "short")
		if _, err := provision.BootstrapAdmin(ctx, db.Client, &out, nil); err == nil || !strings.Contains(err.Error(), provision.EnvAdminPassword) {
			t.Errorf("short password from the environment: %v", err)
		}
		t.Setenv(provision.EnvAdminPassword, "from the environment")
		created, err := provision.BootstrapAdmin(ctx, db.Client, &out, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil || !created {
			t.Fatalf("bootstrap: %v, %v", created, err)
		}
		if strings.Contains(out.String(), "from the environment") || out.Len() != 0 {
			t.Errorf("a password from the environment is not printed; output %q", out.String())
		}
		s := &provision.Service{Client: db.Client}
		if _, err := s.AuthenticateAdmin(ctx, "district.admin", "from the environment"); err != nil {
			t.Errorf("sign in with the environment's credentials: %v", err)
		}
		if ev := db.Client.AuditEvent.Query().OnlyX(ctx); ev.Actor != "system:serve" {
			t.Errorf("actor %q, want the context's", ev.Actor)
		}
	})
}
