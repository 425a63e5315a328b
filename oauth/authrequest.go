package oauth

import (
	"context"
	"errors"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/authrequest"
)

// AuthRequestTTL is how long a sign-in may take, from the authorize request to the code exchange.
const AuthRequestTTL = 10 * time.Minute

// errAuthRequestGone is the answer for an unknown, expired, finished or already used auth request.
var errAuthRequestGone = errors.New("this sign-in request is unknown, expired or already used")

// authRequest is a stored authorization request of the admin app (op.AuthRequest).
type authRequest struct {
	row      *ent.AuthRequest
	audience []string
}

var _ op.AuthRequest = (*authRequest)(nil)

func (a *authRequest) GetID() string          { return a.row.RequestID }
func (a *authRequest) GetACR() string         { return "" }
func (a *authRequest) GetAudience() []string  { return a.audience }
func (a *authRequest) GetClientID() string    { return a.row.ClientID }
func (a *authRequest) GetNonce() string       { return a.row.Nonce }
func (a *authRequest) GetRedirectURI() string { return a.row.RedirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType {
	return oidc.ResponseType(a.row.ResponseType)
}
func (a *authRequest) GetResponseMode() oidc.ResponseMode {
	return oidc.ResponseMode(a.row.ResponseMode)
}
func (a *authRequest) GetScopes() []string { return a.row.Scopes }
func (a *authRequest) GetState() string    { return a.row.State }
func (a *authRequest) GetSubject() string  { return a.row.Subject }
func (a *authRequest) Done() bool          { return a.row.Done }

func (a *authRequest) GetAMR() []string {
	if a.row.Done {
		return []string{"pwd"}
	}
	return nil
}

func (a *authRequest) GetAuthTime() time.Time {
	if a.row.AuthTime == nil {
		return time.Time{}
	}
	return *a.row.AuthTime
}

func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge {
	if a.row.CodeChallenge == "" {
		return nil
	}
	return &oidc.CodeChallenge{Challenge: a.row.CodeChallenge, Method: oidc.CodeChallengeMethod(a.row.CodeChallengeMethod)}
}

// wrap gives a stored row the audience of admin tokens: GraphQL, and the admin app (for the ID token).
func (s *storage) wrap(row *ent.AuthRequest) *authRequest {
	return &authRequest{row: row, audience: []string{AudienceGraphQL(s.publicURL), AdminAppClientID}}
}

// cutoff is the creation time before which an auth request has expired.
func (s *storage) cutoff() time.Time { return s.now().Add(-AuthRequestTTL) }

// CreateAuthRequest stores an authorization request of the admin app, the only client with the code flow,
// and insists on PKCE with S256. Expired requests are cleared on the way.
func (s *storage) CreateAuthRequest(ctx context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	if req.ClientID != AdminAppClientID {
		return nil, oidc.ErrUnauthorizedClient().WithDescription("only the admin app signs in here")
	}
	if req.CodeChallenge == "" || req.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE is required: send code_challenge with code_challenge_method=S256")
	}
	if _, err := s.db.AuthRequest.Delete().Where(authrequest.CreatedAtLT(s.cutoff())).Exec(ctx); err != nil {
		s.log.Warn("clearing expired sign-in requests", "err", err)
	}
	row, err := s.db.AuthRequest.Create().
		SetRequestID(randomID(24)).
		SetClientID(req.ClientID).
		SetRedirectURI(req.RedirectURI).
		SetState(req.State).
		SetNonce(req.Nonce).
		SetScopes(req.Scopes).
		SetResponseType(string(req.ResponseType)).
		SetResponseMode(string(req.ResponseMode)).
		SetCodeChallenge(req.CodeChallenge).
		SetCodeChallengeMethod(string(req.CodeChallengeMethod)).
		SetCreatedAt(s.now()).
		Save(ctx)
	if err != nil {
		return nil, err
	}
	return s.wrap(row), nil
}

// AuthRequestByID returns an unexpired auth request.
func (s *storage) AuthRequestByID(ctx context.Context, id string) (op.AuthRequest, error) {
	row, err := s.db.AuthRequest.Query().
		Where(authrequest.RequestID(id), authrequest.CreatedAtGT(s.cutoff())).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, oidc.ErrInvalidRequest().WithDescription("%s", errAuthRequestGone.Error())
	}
	if err != nil {
		return nil, err
	}
	return s.wrap(row), nil
}

// AuthRequestByCode redeems a code: it returns the finished auth request the code was issued for and
// deletes it in the same step, so a code works once, even when two exchanges race (only one delete
// succeeds). A code is burnt by any exchange attempt, successful or not (a wrong PKCE verifier included).
func (s *storage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	row, err := s.db.AuthRequest.Query().
		Where(authrequest.Code(code), authrequest.Done(true), authrequest.CreatedAtGT(s.cutoff())).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, errAuthRequestGone
	}
	if err != nil {
		return nil, err
	}
	n, err := s.db.AuthRequest.Delete().Where(authrequest.ID(row.ID), authrequest.Code(code)).Exec(ctx)
	if err != nil {
		return nil, err
	}
	if n != 1 {
		return nil, errAuthRequestGone
	}
	return s.wrap(row), nil
}

// SaveAuthCode attaches the code to a finished auth request; a request gets one code only.
func (s *storage) SaveAuthCode(ctx context.Context, id, code string) error {
	n, err := s.db.AuthRequest.Update().
		Where(authrequest.RequestID(id), authrequest.Done(true), authrequest.CodeIsNil(), authrequest.CreatedAtGT(s.cutoff())).
		SetCode(code).Save(ctx)
	if err != nil {
		return err
	}
	if n != 1 {
		return oidc.ErrInvalidRequest().WithDescription("%s", errAuthRequestGone.Error())
	}
	return nil
}

// DeleteAuthRequest forgets an auth request (after its tokens were issued).
func (s *storage) DeleteAuthRequest(ctx context.Context, id string) error {
	_, err := s.db.AuthRequest.Delete().Where(authrequest.RequestID(id)).Exec(ctx)
	return err
}

// pendingAuthRequest returns an unexpired auth request nobody has signed in to yet.
func (s *storage) pendingAuthRequest(ctx context.Context, id string) (*ent.AuthRequest, error) {
	row, err := s.db.AuthRequest.Query().
		Where(authrequest.RequestID(id), authrequest.Done(false), authrequest.CreatedAtGT(s.cutoff())).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, errAuthRequestGone
	}
	return row, err
}

// completeAuthRequest marks a pending auth request signed in by username at authTime. Only one sign-in
// can finish a request.
func (s *storage) completeAuthRequest(ctx context.Context, id, username string, authTime time.Time) error {
	n, err := s.db.AuthRequest.Update().
		Where(authrequest.RequestID(id), authrequest.Done(false), authrequest.CreatedAtGT(s.cutoff())).
		SetDone(true).SetSubject(username).SetAuthTime(authTime).Save(ctx)
	if err != nil {
		return err
	}
	if n != 1 {
		return errAuthRequestGone
	}
	return nil
}
