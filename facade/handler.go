package facade

import (
	"bufio"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/rollcall/rollcall/cache"
	"github.com/rollcall/rollcall/oauth"
	"github.com/rollcall/rollcall/oneroster"
	"github.com/rollcall/rollcall/oneroster/query"
)

// ParamSnapshot carries the cache generation a page was read from in the Link URLs, so that a client following
// next reads one consistent snapshot even when the cache refreshes mid-sync. Clients never need to set it; a
// generation no longer kept is replaced by the current one.
const ParamSnapshot = "snapshot"

// serve answers a route once its token, scope and rate checks have passed.
func (f *Facade) serve(w http.ResponseWriter, r *http.Request, rt *Route) error {
	p, ok := oauth.PrincipalFrom(r.Context())
	if !ok || p.Connection == nil {
		return Forbidden("this endpoint is for OneRoster vendor connections")
	}
	v, err := f.viewers.get(r.Context(), p)
	if err != nil {
		return err
	}
	req := &Request{Route: rt, Principal: p, Viewer: v, Reader: f.opt.Reader, Hrefs: cache.HrefsFor(f.opt.Config.PublicURL, rt.Version)}
	switch {
	case rt.Handler != nil:
		return rt.Handler(w, r, req)
	case rt.Single:
		return f.single(w, r, req)
	}
	return f.list(w, r, req)
}

// queryValues parses the query string strictly: malformed percent-encoding is a 400, not a silently dropped
// parameter (Go's URL.Query drops it, which could turn a filter into no filter).
func queryValues(r *http.Request) (url.Values, error) {
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, InvalidData("the query string is not valid URL encoding: encode filter values (spaces as %20, ' as %27)")
	}
	return v, nil
}

// single answers a single-object read: the record in the single envelope ({"user":{...}}), fields applied.
func (f *Facade) single(w http.ResponseWriter, r *http.Request, req *Request) error {
	rt := req.Route
	values, err := queryValues(r)
	if err != nil {
		return err
	}
	params := &query.Params{}
	if params.Fields, err = query.ParseFields(values[query.ParamFields], cache.Catalogue(rt.Coll, rt.Version)); err != nil {
		return err
	}
	id := r.PathValue("sourcedId")
	rec, err := req.Reader.Get(r.Context(), cache.GetQuery{Collection: rt.Coll, SourcedID: id, Viewer: req.Viewer,
		Kind: rt.Kind, Fields: params.Fields, Hrefs: req.Hrefs})
	if errors.Is(err, cache.ErrNotFound) || gone(rec) {
		return UnknownObject(noun(rt.Coll, rt.Kind), id)
	}
	if err != nil {
		return err
	}
	b := make([]byte, 0, len(rec.Body)+len(rt.Key)+8)
	b = append(b, `{"`...)
	b = append(b, rt.Key...)
	b = append(b, `":`...)
	b = append(b, rec.Body...)
	b = appendWarnings(b, rt.Version, params.Warnings())
	b = append(b, "}\n"...)
	setJSON(w.Header())
	_, _ = w.Write(b) // a client gone away cannot be answered anyway
	return nil
}

// list answers a collection read: X-Total-Count, Link, then the page, streamed.
func (f *Facade) list(w http.ResponseWriter, r *http.Request, req *Request) error {
	rt := req.Route
	values, err := queryValues(r)
	if err != nil {
		return err
	}
	gen := 0
	if s, ok := values[ParamSnapshot]; ok {
		delete(values, ParamSnapshot)
		if gen, err = strconv.Atoi(s[0]); err != nil || gen < 0 || len(s) > 1 {
			return InvalidData("snapshot: " + quote(s[0]) + " is not a snapshot this server handed out; drop the parameter")
		}
	}
	params, err := query.Parse(values, cache.Catalogue(rt.Coll, rt.Version), f.opt.MaxLimit)
	if err != nil {
		return err
	}
	scope, err := f.scope(r, req, gen)
	if err != nil {
		return err
	}
	rows, err := req.Reader.List(r.Context(), cache.Query{Collection: rt.Coll, Viewer: req.Viewer, Params: params,
		Scope: scope, Generation: gen, Hrefs: req.Hrefs})
	if err != nil {
		return err
	}
	defer rows.Close()
	// The first record is read before anything is sent, so that a failing query is still a proper error.
	more := rows.Next()
	if !more && rows.Err() != nil {
		return rows.Err()
	}
	h := w.Header()
	setJSON(h)
	h.Set("X-Total-Count", strconv.Itoa(rows.Total()))
	if params.Extra == nil {
		params.Extra = url.Values{}
	}
	params.Extra.Set(ParamSnapshot, strconv.Itoa(rows.Generation()))
	if link := linkHeader(f.opt.Config.PublicURL+r.URL.EscapedPath(), params, rows.Total()); link != "" {
		h.Set("Link", link)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(`{"` + rt.Key + `":[`)
	for n := 0; more; n++ {
		if n > 0 {
			bw.WriteByte(',')
		}
		bw.Write(rows.Body())
		more = rows.Next()
	}
	if err := rows.Err(); err != nil {
		if r.Context().Err() != nil {
			return nil // the client went away
		}
		// Headers are gone: cut the connection so the client sees a truncated body, never a short page.
		f.log.Error("oneroster page failed mid-stream", "path", r.URL.Path, "err", err)
		panic(http.ErrAbortHandler)
	}
	bw.WriteByte(']')
	bw.Write(appendWarnings(nil, rt.Version, params.Warnings()))
	bw.WriteString("}\n")
	_ = bw.Flush() // a client gone away cannot be answered anyway
	return nil
}

// scope checks the parents a nested path names (each must be visible to the connection: 404 unknownobject
// otherwise) and turns them into the cache's Scope.
func (f *Facade) scope(r *http.Request, req *Request, gen int) (cache.Scope, error) {
	rt := req.Route
	sc := cache.Scope{Kind: rt.Kind}
	var parentKind cache.Kind
	for _, pa := range rt.Parents {
		id := r.PathValue(pa.Param)
		fields := query.Fields{Known: []string{"sourcedId"}}
		within := strings.TrimSuffix(pa.Within, "SourcedId") // the reference that names the outer parent
		if pa.Within != "" {
			fields.Known = []string{within}
		}
		rec, err := req.Reader.Get(r.Context(), cache.GetQuery{Collection: pa.Coll, SourcedID: id, Viewer: req.Viewer,
			Kind: pa.Kind, Fields: fields, Generation: gen, Hrefs: req.Hrefs})
		if errors.Is(err, cache.ErrNotFound) || gone(rec) {
			return sc, f.missingParent(r, req, pa, id)
		}
		if err != nil {
			return sc, err
		}
		if pa.Within != "" {
			var body map[string]struct {
				SourcedID string `json:"sourcedId"`
			}
			if json.Unmarshal(rec.Body, &body) != nil || body[within].SourcedID != r.PathValue(pa.Within) {
				return sc, UnknownObject(noun(pa.Coll, pa.Kind)+" in "+within+" "+quote(r.PathValue(pa.Within)), id)
			}
		}
		switch pa.Rel {
		case RelSchool:
			sc.School = id
		case RelClass:
			sc.Class = id
		case RelTerm:
			sc.Term = id
		case RelCourse:
			sc.Course = id
		case RelUser:
			sc.User, parentKind = id, pa.Kind
		case RelLineItem:
			sc.LineItem = id
		}
	}
	// The enrollment role that ties users to a class, or a student's or teacher's classes to them.
	switch {
	case rt.Coll == cache.Users && sc.Class != "":
		sc.Role = string(rt.Kind)
	case rt.Coll == cache.Classes && sc.User != "":
		sc.Role = string(parentKind)
	}
	return sc, nil
}

// gone reports whether a record read by sourcedId is a deleted gradebook record: a vendor's delete takes it
// out of every later read (404 by sourcedId; lists leave it out too, except delta filters, see cache.List),
// while a rostering tombstone is still served by sourcedId.
func gone(rec *cache.Record) bool {
	return rec != nil && rec.Status == oneroster.StatusToBeDeleted && slices.Contains(cache.GradebookCollections, rec.Collection)
}

// missingParent is the error of a parent the connection cannot see: 404 unknownobject, except for a school
// that exists but lies outside a school-limited connection's schools, which is 403 (the connection is scoped).
func (f *Facade) missingParent(r *http.Request, req *Request, pa Parent, id string) error {
	v := req.Viewer
	if pa.Kind == cache.KindSchool && !v.AllSchools && !slices.Contains(v.Schools, id) {
		_, err := req.Reader.Get(r.Context(), cache.GetQuery{Collection: pa.Coll, SourcedID: id, Viewer: cache.DistrictViewer(v.Version),
			Kind: pa.Kind, Fields: query.Fields{Known: []string{"sourcedId"}}})
		if err == nil {
			return Forbidden("this connection is limited to some schools, and school " + quote(id) + " is not one of them")
		}
	}
	return UnknownObject(noun(pa.Coll, pa.Kind), id)
}

// noun names what a route reads, for messages: the subset, or the collection's single-object key.
func noun(c cache.Collection, k cache.Kind) string {
	if k != "" {
		return string(k)
	}
	return c.SingleKey()
}

// appendWarnings appends 1.1's statusInfoSet of warnings (unknown sort or selection fields) to an envelope
// being written; 1.2 envelopes have no room for them (additionalProperties: false).
func appendWarnings(b []byte, version string, ws []query.Warning) []byte {
	if version != oneroster.V1p1 || len(ws) == 0 {
		return b
	}
	j, _ := json.Marshal(warnings11(ws))
	b = append(b, `,"statusInfoSet":`...)
	return append(b, j...)
}

// setJSON sets the headers of a OneRoster response body.
func setJSON(h http.Header) {
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
}

// linkHeader builds the Link header (RFC 8288) of a page: first always, prev when the page does not start at
// 0, next and last when records follow the page. Every other parameter is kept (Params.EncodePage); last
// continues the client's own stride, so that following next ends exactly on it.
func linkHeader(base string, p *query.Params, total int) string {
	limit, offset := p.Page.Limit, p.Page.Offset
	var links []string
	add := func(rel string, off int) {
		links = append(links, "<"+base+"?"+p.EncodePage(limit, off)+`>; rel="`+rel+`"`)
	}
	add("first", 0)
	if offset > 0 {
		add("prev", max(0, offset-limit))
	}
	if offset+limit < total {
		add("next", offset+limit)
		add("last", offset+((total-1-offset)/limit)*limit)
	}
	return strings.Join(links, ", ")
}
