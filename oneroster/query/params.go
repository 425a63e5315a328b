package query

import (
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Names of the query parameters this package interprets.
const (
	ParamFilter  = "filter"
	ParamSort    = "sort"
	ParamOrderBy = "orderBy"
	ParamFields  = "fields"
	ParamLimit   = "limit"
	ParamOffset  = "offset"
)

// accessToken is the RFC 6750 query-string bearer token; it is kept out of Extra so that Encode never
// copies a credential into a Link header.
const accessToken = "access_token"

// Params is the parsed query of one collection request.
type Params struct {
	Filter Expr // the parsed filter; nil when absent
	Where  Cond // Filter checked against the catalogue; nil when absent
	Sort   Sort
	Fields Fields
	Page   Page
	// Extra holds every other parameter as received (names are case-sensitive, so "orderby" lands
	// here), except access_token. Encode re-emits it.
	Extra url.Values
}

// Parse parses and validates the query of a collection request against the collection's catalogue.
// maxLimit is the largest page size served (see ParsePage). Errors come in a fixed order of
// parameters (filter, sort/orderBy, fields, limit/offset), the first one found being returned; all are
// *Error. The filter parameter may be given once; an empty filter is an error like any other filter
// syntax error (ReasonEmpty). Unknown sort and fields names are not errors: see Warnings.
func Parse(values url.Values, c *Catalogue, maxLimit int) (*Params, error) {
	p := &Params{}
	if fv, ok := values[ParamFilter]; ok {
		if len(fv) != 1 {
			return nil, paramErr(CodeInvalidFilterField, ReasonRepeated, ParamFilter, "", "filter is given more than once")
		}
		e, err := ParseFilter(fv[0])
		if err != nil {
			return nil, err
		}
		cond, err := Validate(e, c)
		if err != nil {
			return nil, err
		}
		p.Filter, p.Where = e, cond
	}
	var err error
	if p.Sort, err = ParseSort(values[ParamSort], values[ParamOrderBy], c); err != nil {
		return nil, err
	}
	if p.Fields, err = ParseFields(values[ParamFields], c); err != nil {
		return nil, err
	}
	if p.Page, err = ParsePage(values[ParamLimit], values[ParamOffset], maxLimit); err != nil {
		return nil, err
	}
	for k, v := range values {
		switch k {
		case ParamFilter, ParamSort, ParamOrderBy, ParamFields, ParamLimit, ParamOffset, accessToken:
			continue
		}
		if p.Extra == nil {
			p.Extra = url.Values{}
		}
		p.Extra[k] = slices.Clone(v)
	}
	return p, nil
}

// Warnings lists the requested sort and fields names the catalogue does not know, in request order,
// as CodeInvalidSortField and CodeInvalidSelectionField warnings with the name in Field and Msg.
func (p *Params) Warnings() []Warning {
	var ws []Warning
	for _, name := range p.Sort.Unknown {
		ws = append(ws, Warning{Code: CodeInvalidSortField, Param: ParamSort, Field: name, Msg: "unknown sort field: " + shorten(name)})
	}
	for _, name := range p.Fields.Unknown {
		ws = append(ws, Warning{Code: CodeInvalidSelectionField, Param: ParamFields, Field: name, Msg: "unknown selection field: " + shorten(name)})
	}
	return ws
}

// Encode is EncodePage with the request's own limit and offset.
func (p *Params) Encode() string { return p.EncodePage(p.Page.Limit, p.Page.Offset) }

// EncodePage re-emits the query in canonical form with the given limit and offset, for the Link
// header's first/prev/next/last URLs. Order: filter (canonical Expr.String), sort (Requested, comma
// separated), orderBy (only when desc), fields (Requested), limit, offset (always), then Extra sorted
// by name, values in their original order. Spaces are encoded as %20 and commas are left literal; the
// result parses back to the same Params.
func (p *Params) EncodePage(limit, offset int) string {
	var b strings.Builder
	add := func(k, v string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(escape(k) + "=" + escape(v))
	}
	if p.Filter != nil {
		add(ParamFilter, p.Filter.String())
	}
	if len(p.Sort.Requested) > 0 {
		add(ParamSort, strings.Join(p.Sort.Requested, ","))
	}
	if p.Sort.Direction == Desc {
		add(ParamOrderBy, string(Desc))
	}
	if len(p.Fields.Requested) > 0 {
		add(ParamFields, strings.Join(p.Fields.Requested, ","))
	}
	add(ParamLimit, strconv.Itoa(limit))
	add(ParamOffset, strconv.Itoa(offset))
	for _, k := range slices.Sorted(maps.Keys(p.Extra)) {
		for _, v := range p.Extra[k] {
			add(k, v)
		}
	}
	return b.String()
}

// escape query-escapes s with %20 for spaces and literal commas.
func escape(s string) string {
	s = strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
	return strings.ReplaceAll(s, "%2C", ",")
}
