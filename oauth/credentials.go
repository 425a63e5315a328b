package oauth

import (
	"context"
	"errors"

	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/provision"
)

// CredentialChecker checks the secrets and passwords presented to the provider. Package provision owns the
// rules and the bookkeeping (*provision.Service implements it: constant-time secret checks, argon2id
// passwords, last_token_at / last_used_at / last_sign_in_at); the provider only asks.
//
// Every method returns an error when the credentials do not match or the client or account may not be
// used; the error says why (for the audit log) and never contains the secret.
type CredentialChecker interface {
	// Authenticate returns the vendor connection whose consumer key is clientID, when secret is its
	// current secret and the connection may obtain tokens (enabled, active, unexpired).
	Authenticate(ctx context.Context, clientID, secret string) (*ent.Connection, error)
	// AuthenticateAPIClient returns the unrevoked API client clientID, with its admin account loaded, when
	// secret is its secret and the account is not disabled.
	AuthenticateAPIClient(ctx context.Context, clientID, secret string) (*ent.APIClient, error)
	// AuthenticateAdmin returns the admin account when password is its password and it is not disabled.
	AuthenticateAdmin(ctx context.Context, username, password string) (*ent.AdminAccount, error)
}

var _ CredentialChecker = (*provision.Service)(nil)

// isClientRefusal tells a refused client (unknown, wrong secret, revoked, disabled, expired) from a failure
// to check (database unreachable), which is neither audited nor counted against the client.
func isClientRefusal(err error) bool {
	for _, target := range []error{provision.ErrInvalidClient, provision.ErrRevoked, provision.ErrDisabled,
		provision.ErrExpired, provision.ErrAPIClientRevoked, provision.ErrAdminDisabled} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// isSignInRefusal tells a refused sign-in (unknown user, wrong password, disabled account) from a failure
// to check.
func isSignInRefusal(err error) bool {
	return errors.Is(err, provision.ErrBadCredentials) || errors.Is(err, provision.ErrAdminDisabled)
}
