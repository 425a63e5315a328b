package oauth

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/oneroster"
	"github.com/rollcall/rollcall/secrets"
)

// Paths of the provider's endpoints, relative to the public URL (the token endpoint is config.TokenPath).
const (
	DiscoveryPath  = oidc.DiscoveryEndpoint // "/.well-known/openid-configuration"
	KeysPath       = "/oauth/keys"
	AuthorizePath  = "/oauth/authorize"
	CallbackPath   = AuthorizePath + "/callback"
	EndSessionPath = "/oauth/end_session"
	UserinfoPath   = "/oauth/userinfo"
	IntrospectPath = "/oauth/introspect"
	RevokePath     = "/oauth/revoke"
)

// Patterns are the http.ServeMux patterns under which Handler must be mounted.
var Patterns = []string{DiscoveryPath, "/oauth/", LoginPath}

// Options configure a Provider (and a standalone Verifier).
type Options struct {
	Config      config.Config     // PublicURL is the issuer, exactly; http only in development
	DB          *ent.Client       //
	Sealer      *secrets.Sealer   // the server key: seals signing keys and the provider's opaque values
	Credentials CredentialChecker // checks secrets and passwords (provision); required for the provider
	Log         *slog.Logger      // nil: slog.Default()
	Now         func() time.Time  // the clock of token and key lifetimes; nil: time.Now
	Keys        KeyPolicy
	Limits      Limits
	// RemoteAddr names the client for rate limits and the audit log; nil: Config.ClientAddr (the TCP peer,
	// or behind the trusted proxies of -trusted-proxies the client they saw).
	RemoteAddr func(*http.Request) string
}

func (o *Options) fill() error {
	if o.DB == nil || o.Sealer == nil {
		return errors.New("oauth: Options.DB and Options.Sealer are required")
	}
	if err := op.ValidateIssuer(o.Config.PublicURL, true); err != nil || strings.HasSuffix(o.Config.PublicURL, "/") {
		return fmt.Errorf("oauth: public URL %q cannot be the issuer: want an absolute http(s) URL without a trailing slash", o.Config.PublicURL)
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.RemoteAddr == nil {
		o.RemoteAddr = o.Config.ClientAddr.Addr
	}
	o.Limits = o.Limits.withDefaults()
	return nil
}

// Provider is Rollcall's OAuth 2 / OpenID Connect provider: discovery, JWKS, token, authorize, end session,
// and the sign-in page. It keeps nothing in memory that another process would need: clients, auth requests
// and keys are in the database.
type Provider struct {
	issuer   string
	op       *op.Provider
	store    *storage
	verifier *Verifier
	handler  http.Handler

	remoteAddr            func(*http.Request) string
	tokenRequests         *buckets
	tokenFailuresByAddr   *buckets
	tokenFailuresByClient *buckets
}

// endpointsOnce installs Rollcall's endpoint paths as the library's defaults. The library's endpoint options
// write into the process-wide op.DefaultEndpoints, which would race with providers already serving (tests run
// several); replacing the defaults once, before any provider exists, gives every provider the same paths.
var endpointsOnce sync.Once

func installEndpoints() {
	endpointsOnce.Do(func() {
		op.DefaultEndpoints = &op.Endpoints{
			Authorization:       op.NewEndpoint(AuthorizePath),
			Token:               op.NewEndpoint(config.TokenPath),
			Introspection:       op.NewEndpoint(IntrospectPath),
			Userinfo:            op.NewEndpoint(UserinfoPath),
			Revocation:          op.NewEndpoint(RevokePath),
			EndSession:          op.NewEndpoint(EndSessionPath),
			JwksURI:             op.NewEndpoint(KeysPath),
			DeviceAuthorization: op.NewEndpoint("/oauth/device_authorization"),
		}
	})
}

// New builds the provider. The issuer is opts.Config.PublicURL exactly; a plain-http public URL is allowed
// (op.WithAllowInsecure) and puts the admin app's client in dev mode.
func New(opts Options) (*Provider, error) {
	if err := opts.fill(); err != nil {
		return nil, err
	}
	if opts.Credentials == nil {
		return nil, errors.New("oauth: Options.Credentials is required")
	}
	issuer := opts.Config.PublicURL
	keys := newKeyStore(opts.DB, opts.Sealer, opts.Keys, opts.Now, opts.Log)
	store := &storage{
		db: opts.DB, creds: opts.Credentials, keys: keys, log: opts.Log, now: opts.Now,
		publicURL: issuer, loginURL: issuer + LoginPath + "?authRequestID=",
	}
	conf := &op.Config{
		CodeMethodS256:           true,
		AuthMethodPost:           true,
		DefaultLogoutRedirectURI: issuer + "/admin/",
		SupportedScopes:          supportedScopes(),
		SupportedClaims: []string{"iss", "sub", "aud", "exp", "iat", "nbf", "jti", "auth_time", "nonce", "amr", "azp",
			"client_id", "preferred_username", "name", ClaimScope, ClaimKind, ClaimConnectionID, ClaimConsumerKey,
			ClaimVersion, ClaimRole, ClaimAPIClientID},
	}
	popts := []op.Option{op.WithCrypto(sealerCrypto{opts.Sealer})}
	if strings.HasPrefix(issuer, "http://") {
		popts = append(popts, op.WithAllowInsecure())
	}
	installEndpoints()
	provider, err := op.NewProvider(conf, store, op.StaticIssuer(issuer), popts...)
	if err != nil {
		return nil, fmt.Errorf("oauth: %w", err)
	}
	p := &Provider{
		issuer:                issuer,
		op:                    provider,
		store:                 store,
		verifier:              newVerifier(issuer, keys, opts.DB, opts.Now, opts.Log),
		remoteAddr:            opts.RemoteAddr,
		tokenRequests:         newBuckets(opts.Limits.TokenRequestsPerAddress),
		tokenFailuresByAddr:   newBuckets(opts.Limits.TokenFailuresPerAddress),
		tokenFailuresByClient: newBuckets(opts.Limits.TokenFailuresPerClient),
	}
	login := &signIn{
		store:      store,
		creds:      opts.Credentials,
		log:        opts.Log,
		byUser:     newBuckets(opts.Limits.SignInFailuresPerUser),
		byAddr:     newBuckets(opts.Limits.SignInFailuresPerAddr),
		callback:   op.AuthCallbackURL(provider),
		remoteAddr: opts.RemoteAddr,
		action:     issuer + LoginPath,
		adminURL:   issuer + "/admin/",
	}
	mux := http.NewServeMux()
	mux.Handle(config.TokenPath, p.tokenEndpoint(provider))
	mux.Handle(LoginPath, op.NewIssuerInterceptor(provider.IssuerFromRequest).Handler(login))
	mux.Handle(DiscoveryPath, provider)
	mux.Handle("/oauth/", provider)
	p.handler = audit.Middleware(opts.RemoteAddr, mux)
	return p, nil
}

// NewVerifier builds a Verifier on its own (for a process that checks tokens but runs no provider). It
// reads the same keys from the database as the provider; Options.Credentials is not needed.
func NewVerifier(opts Options) (*Verifier, error) {
	if err := opts.fill(); err != nil {
		return nil, err
	}
	keys := newKeyStore(opts.DB, opts.Sealer, opts.Keys, opts.Now, opts.Log)
	return newVerifier(opts.Config.PublicURL, keys, opts.DB, opts.Now, opts.Log), nil
}

// EnsureSigningKey makes sure a key can sign now (creating one if none is current) and that the server key
// opens it: call it at start-up, so a changed ROLLCALL_SECRET_KEY fails the start rather than every token
// request, and the JWKS is never empty.
func (p *Provider) EnsureSigningKey(ctx context.Context) error {
	_, err := p.store.keys.SigningKey(ctx)
	return err
}

// Handler serves every endpoint of the provider and the sign-in page; mount it under Patterns.
func (p *Provider) Handler() http.Handler { return p.handler }

// Verifier checks tokens of this provider; it shares the provider's key cache.
func (p *Provider) Verifier() *Verifier { return p.verifier }

// Issuer is the provider's issuer (the public URL).
func (p *Provider) Issuer() string { return p.issuer }

// supportedScopes are the scopes discovery advertises: OpenID for the admin app, and every OneRoster scope
// URI of both versions.
func supportedScopes() []string {
	s := []string{oidc.ScopeOpenID, oidc.ScopeProfile}
	for _, n := range oneroster.ScopesV1p1 {
		s = append(s, oneroster.ScopeURI(oneroster.V1p1, n))
	}
	for _, n := range oneroster.ScopesV1p2 {
		s = append(s, oneroster.ScopeURI(oneroster.V1p2, n))
	}
	return s
}

// sealerCrypto is the provider's op.Crypto for opaque values (authorization codes): sealed with the server
// key (AES-256-GCM, bound to a purpose), base64url. The key never appears in code.
type sealerCrypto struct{ s *secrets.Sealer }

const opaqueAAD = "oauth-opaque-value"

func (c sealerCrypto) Encrypt(plain string) (string, error) {
	return base64.RawURLEncoding.EncodeToString(c.s.Seal([]byte(plain), opaqueAAD)), nil
}

func (c sealerCrypto) Decrypt(enc string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return "", err
	}
	plain, err := c.s.Open(b, opaqueAAD)
	return string(plain), err
}
