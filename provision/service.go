package provision

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/connection"
	"github.com/rollcall/rollcall/secrets"
)

// Service is the Provisioning tool's back end. Every exported method is safe for concurrent use, checks its
// input before writing anything, and writes the change together with its audit event in one transaction,
// attributed to the actor of the context (package actor) and the origin recorded by package audit.
//
// Authorization is the caller's: the web and GraphQL layers decide which admin role may call what (the SIS
// product security role provisions connections and reveals secrets; analysts and auditors only read).
type Service struct {
	// Client is the database. It may be a transactional client: the service then writes inside that
	// transaction instead of opening its own.
	Client *ent.Client
	// Sealer encrypts connection secrets at rest. Needed by Create, Renew and RevealSecret only.
	Sealer *secrets.Sealer
	// Config supplies the public URLs of the "Information to share" (token, base and documentation URLs).
	Config config.Config
	// Now is the clock; nil means time.Now. Tests inject fixed dates through it.
	Now func() time.Time
}

// SecretLength is the number of characters of a generated connection or API client secret (letters and
// digits, about 238 bits).
const SecretLength = 40

// Validity of a connection's credentials, in calendar months from today.
const (
	DefaultValidityMonths = 12 // the expiration date when none is given: one year from today
	MaxValidityMonths     = 13 // the expiration date may be at most 13 months from today
)

// Errors callers can match with errors.Is. The policy errors of a connection that cannot be used
// (ErrDisabled, ErrRevoked, ErrExpired) are in policy.go.
var (
	// ErrNotFound: no record has the given id, key, username or client id.
	ErrNotFound = errors.New("not found")
	// ErrReadOnly: the connection is revoked, so nothing about it may change until it is renewed.
	ErrReadOnly = errors.New("the connection is revoked and read-only: renew it first")
	// ErrNoSecret: the connection is revoked, so it has no secret to reveal.
	ErrNoSecret = errors.New("the connection is revoked and has no secret: renew it to issue a new one")
	// ErrInvalidClient is what ErrUnknownClient and ErrWrongSecret have in common: a token endpoint answers
	// both with the same invalid_client response, so that nobody learns which client ids exist.
	ErrInvalidClient = errors.New("invalid client credentials")
	// ErrUnknownClient: no connection or API client has this client id.
	ErrUnknownClient = fmt.Errorf("%w: unknown client id", ErrInvalidClient)
	// ErrWrongSecret: the client id exists but the secret does not match.
	ErrWrongSecret = fmt.Errorf("%w: wrong client secret", ErrInvalidClient)
)

// ValidationError is input the service refuses. Field names the input in camelCase, as in the JSON of
// NewConnection and Changes; Message says what is wrong and what would be accepted.
type ValidationError struct {
	Field   string
	Message string
}

func (e *ValidationError) Error() string { return e.Message }

func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// now returns the service's clock.
func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// today is the start (00:00 UTC) of the current UTC calendar day.
func (s *Service) today() time.Time { return Day(s.now()) }

// inTx runs fn with a transactional client and commits when fn returns nil. When s.Client is already
// transactional, fn runs on it and the caller's transaction decides.
func (s *Service) inTx(ctx context.Context, fn func(c *ent.Client) error) error {
	tx, err := s.Client.Tx(ctx)
	if errors.Is(err, ent.ErrTxStarted) {
		return fn(s.Client)
	}
	if err != nil {
		return err
	}
	if err := fn(tx.Client()); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			return fmt.Errorf("%w (and rolling back: %v)", err, rerr)
		}
		return err
	}
	return tx.Commit()
}

// Day returns the calendar date of t (its year, month and day in t's own location) as 00:00 UTC of that
// date. Expiration dates are stored this way: credentials expiring on a date are expired from the start of
// that date (UTC), which is what the list's third indicator and Usable say.
func Day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseDate parses a YYYY-MM-DD calendar date.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, invalid("expiresOn", "date %q: want YYYY-MM-DD, e.g. 2027-06-30", s)
	}
	return t, nil
}

// AddMonths adds n calendar months to the date of d, keeping the day of the month where the target month
// has it and otherwise using its last day (January 31 plus one month is February 28 or 29).
func AddMonths(d time.Time, n int) time.Time {
	y, m, dd := d.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(dd, last), 0, 0, 0, 0, time.UTC)
}

// LatestExpiration is the latest token expiration date allowed at now: 13 months from today (UTC).
func LatestExpiration(now time.Time) time.Time { return AddMonths(Day(now.UTC()), MaxValidityMonths) }

// DefaultExpiration is the expiration date used when none is given: one year from today (UTC).
func DefaultExpiration(now time.Time) time.Time {
	return AddMonths(Day(now.UTC()), DefaultValidityMonths)
}

// expiration checks a requested expiration date (nil: the default) against today: it must be after today
// and at most 13 months ahead.
func (s *Service) expiration(on *time.Time) (time.Time, error) {
	now := s.now()
	if on == nil {
		return DefaultExpiration(now), nil
	}
	e, today, latest := Day(*on), Day(now.UTC()), LatestExpiration(now)
	if !e.After(today) {
		return time.Time{}, invalid("expiresOn", "token expiration date %s must be after today (%s); the latest allowed date is %s",
			e.Format(time.DateOnly), today.Format(time.DateOnly), latest.Format(time.DateOnly))
	}
	if e.After(latest) {
		return time.Time{}, invalid("expiresOn", "token expiration date %s is more than %d months from today: the latest allowed date is %s",
			e.Format(time.DateOnly), MaxValidityMonths, latest.Format(time.DateOnly))
	}
	return e, nil
}

// ParseVersion accepts a OneRoster version as "1.1" or "1.2" (also "v1p1", "v1p2", "v1.1", "v1.2", any
// case) and returns the stored form.
func ParseVersion(s string) (connection.Version, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1.1", "v1.1", "v1p1", "1p1":
		return connection.VersionV1p1, nil
	case "1.2", "v1.2", "v1p2", "1p2":
		return connection.VersionV1p2, nil
	case "":
		return "", invalid("version", "the OneRoster version is required: 1.1 or 1.2 (ask the vendor which one it supports)")
	}
	return "", invalid("version", "OneRoster version %q: want 1.1 or 1.2", s)
}

// VersionLabel is the version as people write it: "1.1" or "1.2".
func VersionLabel(v connection.Version) string {
	if v == connection.VersionV1p1 {
		return "1.1"
	}
	return "1.2"
}
