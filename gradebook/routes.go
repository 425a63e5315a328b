package gradebook

import (
	"log/slog"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rollcall/rollcall/cache"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/facade"
	"github.com/rollcall/rollcall/oneroster"
	"github.com/rollcall/rollcall/store"
)

// Service serves the gradebook routes: it writes the live tables (ent) and publishes each write into the
// cache in the same transaction.
type Service struct {
	DB       *ent.Client
	Cache    *cache.Cache // PublishGradebook of every write; nil publishes nothing (the next refresh does)
	Postgres bool         // lock rows FOR UPDATE (SQLite serialises writers itself)
	Log      *slog.Logger
	Now      func() time.Time
}

// New returns the service over a database and the cache published from it.
func New(db *store.DB, c *cache.Cache, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{DB: db.Client, Cache: c, Postgres: db.Dialect == dialect.Postgres, Log: log, Now: time.Now}
}

// Scope sets of the gradebook (SPEC §2.3, §6.1).
var (
	scopesCore12   = []string{oneroster.ScopeGradebookCore, oneroster.ScopeGradebook}
	scopesRead     = []string{oneroster.ScopeGradebook}
	scopesPut      = []string{oneroster.ScopeGradebookCreatePut}
	scopesPost     = []string{oneroster.ScopeGradebookCreatePost}
	scopesDelete   = []string{oneroster.ScopeGradebookDelete}
	scopesARead    = []string{oneroster.ScopeAssessment}
	scopesAPut     = []string{oneroster.ScopeAssessmentCreatePut}
	scopesADelete  = []string{oneroster.ScopeAssessmentDelete}
	pClass         = facade.Parent{Param: "classSourcedId", Coll: cache.Classes, Rel: facade.RelClass}
	pSchool        = facade.Parent{Param: "schoolSourcedId", Coll: cache.Orgs, Kind: cache.KindSchool, Rel: facade.RelSchool}
	pStudent       = facade.Parent{Param: "studentSourcedId", Coll: cache.Users, Kind: cache.KindStudent, Rel: facade.RelUser}
	pLineItemClass = facade.Parent{Param: "lineItemSourcedId", Coll: cache.LineItems, Rel: facade.RelLineItem, Within: "classSourcedId"}
)

// entity is one gradebook collection with its endpoints' names.
type entity struct {
	path, plural, single, noun, nouns string
	coll                              cache.Collection
	v11, assessment                   bool
}

var entities = []entity{
	{"/categories", "categories", "category", "category", "categories", cache.Categories, true, false},
	{"/lineItems", "lineItems", "lineItem", "line item", "line items", cache.LineItems, true, false},
	{"/results", "results", "result", "result", "results", cache.Results, true, false},
	{"/scoreScales", "scoreScales", "scoreScale", "score scale", "score scales", cache.ScoreScales, false, false},
	{"/assessmentLineItems", "assessmentLineItems", "assessmentLineItem", "assessment line item", "assessment line items", cache.AssessmentLineItems, false, true},
	{"/assessmentResults", "assessmentResults", "assessmentResult", "assessment result", "assessment results", cache.AssessmentResults, false, true},
}

// Routes returns the gradebook routes of both versions for facade.Options.Extra: OneRoster 1.2's 35
// operations of the official gradebook document and OneRoster 1.1's 16 (SPEC §2.1 ops 46-61). Reads are
// served by the facade's reader from the cache; writes by this service.
func (s *Service) Routes() []facade.Route {
	var out []facade.Route
	for _, v := range []string{oneroster.V1p2, oneroster.V1p1} {
		out = append(out, s.routes(v)...)
	}
	return out
}

func (s *Service) routes(v string) []facade.Route {
	v12 := v == oneroster.V1p2
	var out []facade.Route
	add := func(r facade.Route) {
		r.Version, r.Service = v, facade.SvcGradebook
		out = append(out, r)
	}
	for _, e := range entities {
		if !v12 && !e.v11 {
			continue
		}
		read, put, del := scopesCore12, scopesPut, scopesDelete
		switch {
		case e.assessment:
			read, put, del = scopesARead, scopesAPut, scopesADelete
		case !v12:
			read = scopesRead
		}
		name := upper(e.single)
		add(facade.Route{Method: "GET", Path: e.path, Operation: "getAll" + upper(e.plural), Summary: "All " + e.nouns + ".",
			Scopes: read, Coll: e.coll, Key: e.plural})
		add(facade.Route{Method: "GET", Path: e.path + "/{sourcedId}", Operation: "get" + name, Summary: "One " + e.noun + ", by sourcedId.",
			Scopes: read, Coll: e.coll, Key: e.single, Single: true})
		add(facade.Route{Method: "PUT", Path: e.path + "/{sourcedId}", Operation: "put" + name,
			Summary: "Create (201) or replace (200) a " + e.noun + " with the sourcedId the client chose.",
			Scopes:  put, Coll: e.coll, Key: e.single, Single: true, Handler: s.put(e)})
		add(facade.Route{Method: "DELETE", Path: e.path + "/{sourcedId}", Operation: "delete" + name,
			Summary: "Delete a " + e.noun + " (204): it leaves every later read.",
			Scopes:  del, Coll: e.coll, Key: e.single, Single: true, Handler: s.delete(e)})
	}
	nested := func(path, op, key, summary string, coll cache.Collection, parents ...facade.Parent) {
		add(facade.Route{Method: "GET", Path: path, Operation: op, Summary: summary, Scopes: scopesRead, Coll: coll, Key: key, Parents: parents})
	}
	nested("/classes/{classSourcedId}/lineItems", "getLineItemsForClass", "lineItems", "The line items of a class.", cache.LineItems, pClass)
	nested("/classes/{classSourcedId}/results", "getResultsForClass", "results", "The results of a class's line items.", cache.Results, pClass)
	nested("/classes/{classSourcedId}/lineItems/{lineItemSourcedId}/results", "getResultsForLineItemForClass", "results",
		"The results of a line item of a class.", cache.Results, pClass, pLineItemClass)
	nested("/classes/{classSourcedId}/students/{studentSourcedId}/results", "getResultsForStudentForClass", "results",
		"A student's results in a class.", cache.Results, pClass, pStudent)
	if !v12 {
		return out
	}
	nested("/classes/{classSourcedId}/categories", "getCategoriesForClass", "categories",
		"The categories of a class (made for it, or used by its line items).", cache.Categories, pClass)
	nested("/classes/{classSourcedId}/scoreScales", "getScoreScalesForClass", "scoreScales", "The score scales of a class.", cache.ScoreScales, pClass)
	nested("/schools/{schoolSourcedId}/scoreScales", "getScoreScalesForSchool", "scoreScales", "The score scales of a school's classes.", cache.ScoreScales, pSchool)
	post := func(path, op, summary string, coll cache.Collection, h facade.HandlerFunc) {
		add(facade.Route{Method: "POST", Path: path, Operation: op, Summary: summary, Scopes: scopesPost, Coll: coll, Key: "sourcedIdPairs", Handler: h})
	}
	post("/classes/{classSourcedId}/lineItems", "postLineItemsForClass", "Create line items of a class; the server allocates their sourcedIds.",
		cache.LineItems, s.postLineItems(false))
	post("/schools/{schoolSourcedId}/lineItems", "postLineItemsForSchool", "Create line items of a school's classes; the server allocates their sourcedIds.",
		cache.LineItems, s.postLineItems(true))
	post("/lineItems/{lineItemSourcedId}/results", "postResultsForLineItem", "Create results of a line item; the server allocates their sourcedIds.",
		cache.Results, s.postResults(false))
	post("/classes/{classSourcedId}/academicSessions/{academicSessionSourcedId}/results", "postResultsForAcademicSessionForClass",
		"Create results of a class's line items in an academic session; the server allocates their sourcedIds.", cache.Results, s.postResults(true))
	return out
}

func upper(s string) string { return string(s[0]-'a'+'A') + s[1:] }
