package query

import (
	"fmt"
	"slices"
	"strings"
)

// Type is the type of a field's values (of each element, for an array field).
type Type int

// Field types. Filter values are converted to: string (TypeString, TypeEnum), time.Time in UTC
// (TypeDate at midnight, TypeDateTime), float64 (TypeNumber) or bool (TypeBoolean).
const (
	TypeString   Type = iota + 1 // free text; the only type that allows ~
	TypeDate                     // YYYY-MM-DD
	TypeDateTime                 // RFC 3339 with a time zone, with or without fractional seconds; a bare date means midnight UTC
	TypeNumber                   // decimal number, optional sign, fraction and exponent
	TypeBoolean                  // 'true' or 'false'
	TypeEnum                     // one of Field.Values (or an ext: token if Field.Extensible)
)

func (t Type) String() string {
	switch t {
	case TypeString:
		return "string"
	case TypeDate:
		return "date"
	case TypeDateTime:
		return "datetime"
	case TypeNumber:
		return "number"
	case TypeBoolean:
		return "boolean"
	case TypeEnum:
		return "enum"
	}
	return fmt.Sprintf("Type(%d)", int(t))
}

// Use says in which parameters a field may be named.
type Use uint8

// Uses of a field; combine with |.
const (
	Filterable Use = 1 << iota // allowed in filter
	Sortable                   // allowed in sort
	Selectable                 // allowed in fields
	AllUses    = Filterable | Sortable | Selectable
)

// Field declares one field of a collection.
//
// Name is a dotted path as it appears in requests ("familyName", "school.sourcedId", "roles.role").
// A name ending in ".*" ("metadata.*") declares every path of one or more further parts under that
// prefix ("metadata.x", "metadata.x.y"); an exact declaration wins over a wildcard, and a longer
// wildcard prefix over a shorter one.
//
// Array marks a multi-valued field ("grades", "roles.role"): in a filter, = means "some element equals",
// != means "no element equals", ~ (string elements only) means "some element contains"; ordering
// operators are refused, and an array field cannot be Sortable.
type Field struct {
	Name       string
	Type       Type
	Array      bool
	Values     []string // the allowed values of a TypeEnum field
	Extensible bool     // a TypeEnum field also accepts 1.2 "ext:" tokens
	Use        Use
}

// wildcard returns the prefix of a "prefix.*" field.
func (f Field) wildcard() (string, bool) { return strings.CutSuffix(f.Name, ".*") }

// Catalogue is the set of fields one collection (in one OneRoster version) exposes to query
// parameters. It is immutable once built and safe for concurrent use. A nil *Catalogue knows no fields.
type Catalogue struct {
	all   []Field
	exact map[string]Field
	wild  []Field // wildcard fields, longest prefix first
}

// NewCatalogue checks and indexes field declarations. It fails on an invalid or duplicate name, an
// unknown Type, an enum without values (or values on a non-enum), an empty Use, or a sortable array.
func NewCatalogue(fields ...Field) (*Catalogue, error) {
	c := &Catalogue{exact: make(map[string]Field, len(fields))}
	seen := map[string]bool{}
	for _, f := range fields {
		name, wild := f.wildcard()
		switch {
		case !validFieldName(name):
			return nil, fmt.Errorf("query: invalid field name %q", f.Name)
		case seen[f.Name]:
			return nil, fmt.Errorf("query: field %q declared twice", f.Name)
		case f.Type < TypeString || f.Type > TypeEnum:
			return nil, fmt.Errorf("query: field %q has unknown type %v", f.Name, f.Type)
		case (f.Type == TypeEnum) != (len(f.Values) > 0):
			return nil, fmt.Errorf("query: field %q: enum fields, and only they, need Values", f.Name)
		case f.Extensible && f.Type != TypeEnum:
			return nil, fmt.Errorf("query: field %q: only enum fields can be Extensible", f.Name)
		case f.Use == 0 || f.Use&^AllUses != 0:
			return nil, fmt.Errorf("query: field %q has no valid Use", f.Name)
		case f.Array && f.Use&Sortable != 0:
			return nil, fmt.Errorf("query: array field %q cannot be Sortable", f.Name)
		}
		seen[f.Name] = true
		f.Values = slices.Clone(f.Values)
		c.all = append(c.all, f)
		if wild {
			c.wild = append(c.wild, f)
		} else {
			c.exact[f.Name] = f
		}
	}
	slices.SortStableFunc(c.wild, func(a, b Field) int { return len(b.Name) - len(a.Name) })
	return c, nil
}

// MustCatalogue is NewCatalogue for package-level declarations; it panics on an invalid declaration.
func MustCatalogue(fields ...Field) *Catalogue {
	c, err := NewCatalogue(fields...)
	if err != nil {
		panic(err)
	}
	return c
}

// Fields returns the declarations in the order given to NewCatalogue.
func (c *Catalogue) Fields() []Field {
	if c == nil {
		return nil
	}
	return slices.Clone(c.all)
}

// Lookup finds the declaration that covers a requested path, exact names first, then wildcards.
func (c *Catalogue) Lookup(path string) (Field, bool) {
	if c == nil {
		return Field{}, false
	}
	if f, ok := c.exact[path]; ok {
		return f, true
	}
	for _, f := range c.wild {
		prefix, _ := f.wildcard()
		if rest, ok := strings.CutPrefix(path, prefix+"."); ok && validFieldName(rest) {
			return f, true
		}
	}
	return Field{}, false
}

// lookupFor is Lookup restricted to fields declared with use u.
func (c *Catalogue) lookupFor(path string, u Use) (Field, bool) {
	f, ok := c.Lookup(path)
	return f, ok && f.Use&u != 0
}

// validFieldName reports whether s is a dotted name in the filter grammar.
func validFieldName(s string) bool {
	for part := range strings.SplitSeq(s, ".") {
		if part == "" || !isNameStart(part[0]) {
			return false
		}
		for i := 1; i < len(part); i++ {
			if !isNameChar(part[i]) {
				return false
			}
		}
	}
	return true
}
