package web

import "github.com/rollcall/rollcall/oauth"

// mountOAuth mounts the OAuth 2 / OpenID Connect provider (discovery, keys, token, authorize, end session)
// and the admin sign-in page, when the server has one.
func (s *Server) mountOAuth() {
	if s.deps.OAuth == nil {
		return
	}
	h := s.deps.OAuth.Handler()
	for _, pattern := range oauth.Patterns {
		s.mux.Handle(pattern, h)
	}
}
