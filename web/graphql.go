package web

import (
	"net/http"

	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/graph"
	"github.com/rollcall/rollcall/provision"
)

// mountGraphQL serves GraphQL at config.GraphQLPath to admin accounts and API clients of every role. Each
// resolver then applies the role's own limits; vendor tokens are refused with 403.
func (s *Server) mountGraphQL() {
	if s.deps.Verifier == nil {
		return // without token checks GraphQL would expose the roster: never mount it open
	}
	h := s.deps.Verifier.RequireAdmin(provision.RoleSISAdmin, provision.RoleAnalyst, provision.RoleAuditor)(
		graph.NewHandler(graph.Deps{Client: s.deps.DB.Client, Provision: s.deps.Provision, Config: s.deps.Config, Cache: s.deps.Cache, DB: s.deps.DB}))
	s.mux.Handle("GET "+config.GraphQLPath, h)
	s.mux.Handle("POST "+config.GraphQLPath, h)
	s.mux.Handle("OPTIONS "+config.GraphQLPath, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
}
