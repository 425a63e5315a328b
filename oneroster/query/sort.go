package query

import "strings"

// Direction is a sort direction, from orderBy.
type Direction string

// Sort directions. Asc is the default.
const (
	Asc  Direction = "asc"
	Desc Direction = "desc"
)

// TieBreaker is the field every sort ends with, so that offset paging is stable (CONSUMERS.md: always
// break ties by sourcedId).
const TieBreaker = "sourcedId"

// SortKey is one ORDER BY term.
type SortKey struct {
	Path      string
	Field     Field
	Direction Direction
}

// Sort is the parsed sort and orderBy parameters.
type Sort struct {
	Requested []string  // the names asked for, deduplicated, in order (re-emitted by Encode)
	Known     []SortKey // the requested names that are Sortable in the catalogue, in order
	Unknown   []string  // the requested names that are not; the spec wants data returned anyway, plus a 1.1 warning
	Direction Direction // from orderBy; Asc when absent

	tie Field // the catalogue's declaration of TieBreaker, if any
}

// ParseSort parses the values of the sort and orderBy parameters (nil when absent). sort is a comma
// list; repeated sort parameters are concatenated, and blank names are ignored. orderBy must be given at
// most once and be "asc" or "desc" (case-insensitive, surrounding white space ignored); anything else
// is a CodeInvalidData error. Names the catalogue does not declare Sortable are not an error: they
// are returned in Unknown (SPEC §3.3).
func ParseSort(sort, orderBy []string, c *Catalogue) (Sort, error) {
	s := Sort{Direction: Asc}
	s.tie, _ = c.Lookup(TieBreaker)
	switch len(orderBy) {
	case 0:
	case 1:
		switch strings.ToLower(strings.TrimSpace(orderBy[0])) {
		case "asc":
		case "desc":
			s.Direction = Desc
		default:
			return Sort{}, paramErr(CodeInvalidData, ReasonBadOrderBy, "orderBy", "", "orderBy: %s must be asc or desc", quoteValue(orderBy[0]))
		}
	default:
		return Sort{}, paramErr(CodeInvalidData, ReasonRepeated, "orderBy", "", "orderBy is given more than once")
	}
	names, err := splitList("sort", sort)
	if err != nil {
		return Sort{}, err
	}
	for _, name := range names {
		if name == "" {
			continue
		}
		s.Requested = append(s.Requested, name)
		if f, ok := c.lookupFor(name, Sortable); ok {
			s.Known = append(s.Known, SortKey{Path: name, Field: f, Direction: s.Direction})
		} else {
			s.Unknown = append(s.Unknown, name)
		}
	}
	return s, nil
}

// Keys returns the ORDER BY terms to apply: the Known keys followed by TieBreaker, all in
// s.Direction. If TieBreaker is itself among the Known keys, the list ends there (it is unique, so
// later keys could not change the order). With no known key (nothing requested, or only unknown names) that
// is TieBreaker alone, the provider's default order. The tie-breaker's Field is the catalogue's
// declaration of sourcedId, or a plain string field when the catalogue has none.
func (s Sort) Keys() []SortKey {
	dir := s.Direction
	if dir == "" {
		dir = Asc
	}
	keys := make([]SortKey, 0, len(s.Known)+1)
	for _, k := range s.Known {
		k.Direction = dir
		keys = append(keys, k)
		if k.Path == TieBreaker {
			return keys
		}
	}
	f := s.tie
	if f.Name != TieBreaker {
		f = Field{Name: TieBreaker, Type: TypeString, Use: Sortable}
	}
	return append(keys, SortKey{Path: TieBreaker, Field: f, Direction: dir})
}
