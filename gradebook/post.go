package gradebook

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/rollcall/rollcall/cache"
	"github.com/rollcall/rollcall/facade"
)

// guidPair is GUIDPairDType: the sourcedId a client supplied for a record of a POST and the one the server
// allocated (the record's sourcedId from then on).
type guidPair struct {
	Supplied  string `json:"suppliedSourcedId"`
	Allocated string `json:"allocatedSourcedId"`
}

// created answers a POST: 201 with GUIDPairSetDType, {"sourcedIdPairs":[...]}.
func created(w http.ResponseWriter, pairs []guidPair) error {
	b, err := json.Marshal(map[string][]guidPair{"sourcedIdPairs": pairs})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write(append(b, '\n'))
	return nil
}

// allocate creates one record of a POST under a sourcedId the server allocates (replacing the supplied one
// in *sid, which w writes), publishes and audits it.
func (t *txn) allocate(ctx context.Context, req *facade.Request, coll cache.Collection, sid *string, w writer) (guidPair, error) {
	p := guidPair{Supplied: *sid, Allocated: newSourcedID()}
	*sid = p.Allocated
	if _, err := w.save(ctx, t, prior{}); err != nil {
		return p, err
	}
	t.touch(coll, p.Allocated)
	t.audit("post", coll, p.Allocated, map[string]any{"supplied": p.Supplied, "connection": req.Principal.ConsumerKey})
	return p, nil
}

// postLineItems serves POST /classes/{classSourcedId}/lineItems and (forSchool)
// /schools/{schoolSourcedId}/lineItems (1.2): every line item of the body is created with a sourcedId the
// server allocates, all or none. Each must name the class of the path, or (for a school) a class of the
// school. The path's class or school must be one the connection sees (404; a school outside a
// school-limited connection's schools is 403).
func (s *Service) postLineItems(forSchool bool) facade.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, req *facade.Request) error {
		if err := authorize(req, false); err != nil {
			return err
		}
		c := check{r.Context(), req}
		class, school := r.PathValue("classSourcedId"), r.PathValue("schoolSourcedId")
		var err error
		if forSchool {
			err = c.parent(cache.Orgs, cache.KindSchool, school)
		} else {
			err = c.parent(cache.Classes, "", class)
		}
		if err != nil {
			return err
		}
		body, err := readBody(r)
		if err != nil {
			return err
		}
		items, err := parseSet(body, "lineItems", true, parseLineItem, func(x *lineItemIn) string { return x.SourcedID })
		if err != nil {
			return err
		}
		for i, li := range items {
			switch {
			case !forSchool && li.Class != class:
				return invalidf("lineItems[%d].class: %s is not the class of the path, %s", i, quote(li.Class), quote(class))
			case forSchool && li.School != "" && li.School != school:
				return invalidf("lineItems[%d].school: %s is not the school of the path, %s", i, quote(li.School), quote(school))
			}
			if err := (&lineItemW{in: li, v12: true}).refs(c); err != nil {
				return err
			}
		}
		var pairs []guidPair
		err = s.write(r.Context(), req, func(ctx context.Context, t *txn) error {
			pairs = pairs[:0]
			for i, li := range items {
				if forSchool {
					cl, err := t.class(ctx, "lineItems.class", li.Class)
					if err != nil {
						return err
					}
					if t.schoolOf(ctx, cl.SchoolID) != school {
						return invalidf("lineItems[%d].class: class %s is not a class of school %s", i, quote(li.Class), quote(school))
					}
				}
				in := *li
				p, err := t.allocate(ctx, req, cache.LineItems, &in.SourcedID, &lineItemW{in: &in, v12: true})
				if err != nil {
					return err
				}
				pairs = append(pairs, p)
			}
			return nil
		})
		if err != nil {
			return err
		}
		return created(w, pairs)
	}
}

// postResults serves POST /lineItems/{lineItemSourcedId}/results and (forSession)
// /classes/{classSourcedId}/academicSessions/{academicSessionSourcedId}/results (1.2): every result of the
// body is created with a sourcedId the server allocates, all or none, under the same rules as a PUT. Each
// must name the line item of the path, or (for a class and session) a line item of that class in that
// session.
func (s *Service) postResults(forSession bool) facade.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, req *facade.Request) error {
		if err := authorize(req, false); err != nil {
			return err
		}
		c := check{r.Context(), req}
		lineItem, class, session := r.PathValue("lineItemSourcedId"), r.PathValue("classSourcedId"), r.PathValue("academicSessionSourcedId")
		var err error
		if forSession {
			err = firstErr(c.parent(cache.Classes, "", class), c.parent(cache.AcademicSessions, "", session))
		} else {
			err = c.parent(cache.LineItems, "", lineItem)
		}
		if err != nil {
			return err
		}
		body, err := readBody(r)
		if err != nil {
			return err
		}
		results, err := parseSet(body, "results", true, parseResult, func(x *resultIn) string { return x.SourcedID })
		if err != nil {
			return err
		}
		for i, res := range results {
			if !forSession && res.LineItem != lineItem {
				return invalidf("results[%d].lineItem: %s is not the line item of the path, %s", i, quote(res.LineItem), quote(lineItem))
			}
			if err := (&resultW{in: res, v12: true}).refs(c); err != nil {
				return err
			}
		}
		var pairs []guidPair
		err = s.write(r.Context(), req, func(ctx context.Context, t *txn) error {
			pairs = pairs[:0]
			for i, res := range results {
				if forSession {
					li, err := t.lineItem(ctx, "results.lineItem", res.LineItem)
					if err != nil {
						return err
					}
					se := li.Edges.AcademicSession
					if li.Edges.Class.SourcedID != class || se == nil || se.SourcedID != session {
						return invalidf("results[%d].lineItem: line item %s is not a line item of class %s in academic session %s",
							i, quote(res.LineItem), quote(class), quote(session))
					}
				}
				in := *res
				p, err := t.allocate(ctx, req, cache.Results, &in.SourcedID, &resultW{in: &in, v12: true})
				if err != nil {
					return err
				}
				pairs = append(pairs, p)
			}
			return nil
		})
		if err != nil {
			return err
		}
		return created(w, pairs)
	}
}
