package query

import "fmt"

// Cond is a validated filter: a *Comparison or a *Junction. It has the shape of the Expr it came from.
type Cond interface{ isCond() }

// Comparison is a checked predicate. Value holds the typed value: string for TypeString and TypeEnum,
// time.Time in UTC for TypeDate and TypeDateTime, float64 for TypeNumber, bool for TypeBoolean. All
// of them are meant to be bound as SQL parameters, never spliced into SQL text.
//
// Semantics the compiler must implement: for an array field (Field.Array), = means "some element
// equals Value", != "no element equals Value" and ~ "some element contains Value"; ~ on a scalar means
// "contains Value" as a substring (case-insensitively, as most providers do, SPEC §3.4). DateOnly is set
// when a TypeDateTime field was compared with a bare date, which this package defines as that day at
// 00:00:00.000Z (so dateLastModified>'2026-01-05' selects everything after midnight UTC on that day and
// dateLastModified='2026-01-05' matches only that instant).
type Comparison struct {
	Path     string // the field as requested; a concrete path when Field is a wildcard declaration
	Field    Field
	Op       Op
	Value    any
	DateOnly bool
}

// Junction is a checked Logical.
type Junction struct {
	Op    Logic
	Terms []Cond
}

func (*Comparison) isCond() {}
func (*Junction) isCond()   {}

// Validate checks a parsed filter against the catalogue and converts its values to their types. A nil
// Expr validates to a nil Cond. It fails with the first problem in reading order:
//   - a field that is unknown or not Filterable: Code CodeInvalidFilterField, Reason ReasonUnknownField,
//     Field set to the name (the specification wants it in the description);
//   - an operator the field's type does not allow (~ on anything but text, ordering on booleans, enums
//     and arrays): CodeInvalidFilterField, ReasonOperator;
//   - a value that does not parse as the field's type: CodeInvalidData, ReasonBadValue, with a message
//     such as "dateLastModified: '2026-13-01' is not a date or datetime".
func Validate(e Expr, c *Catalogue) (Cond, error) {
	if e == nil {
		return nil, nil
	}
	cond, err := validate(e, c)
	if err != nil {
		return nil, err
	}
	return cond, nil
}

func validate(e Expr, c *Catalogue) (Cond, *Error) {
	switch x := e.(type) {
	case *Logical:
		j := &Junction{Op: x.Op, Terms: make([]Cond, 0, len(x.Terms))}
		for _, t := range x.Terms {
			cond, err := validate(t, c)
			if err != nil {
				return nil, err
			}
			j.Terms = append(j.Terms, cond)
		}
		return j, nil
	case *Predicate:
		return validatePredicate(x, c)
	}
	return nil, paramErr(CodeInvalidFilterField, ReasonExpectedField, "filter", "", "invalid filter: unexpected node %T", e)
}

func validatePredicate(p *Predicate, c *Catalogue) (*Comparison, *Error) {
	f, ok := c.lookupFor(p.Field, Filterable)
	if !ok {
		err := paramErr(CodeInvalidFilterField, ReasonUnknownField, "filter", p.Field, "unknown filter field: %s", p.Field)
		err.Pos = p.Pos
		return nil, err
	}
	if msg := opProblem(f, p.Op); msg != "" {
		err := paramErr(CodeInvalidFilterField, ReasonOperator, "filter", p.Field, "%s: operator %s %s", p.Field, p.Op, msg)
		err.Pos = p.Pos
		return nil, err
	}
	v, dateOnly, err := convertValue(f, p.Field, p.Value)
	if err != nil {
		err.Pos = p.Pos
		return nil, err
	}
	return &Comparison{Path: p.Field, Field: f, Op: p.Op, Value: v, DateOnly: dateOnly}, nil
}

// opProblem explains why op cannot be used on f, or returns "".
func opProblem(f Field, op Op) string {
	switch {
	case op == OpContains && f.Type != TypeString:
		return fmt.Sprintf("(contains) is only allowed on text fields, not on %s field", withArticle(f.Type))
	case op.ordering() && f.Array:
		return "is not allowed on a multi-valued field (use = or !=)"
	case op.ordering() && (f.Type == TypeBoolean || f.Type == TypeEnum):
		return fmt.Sprintf("is not allowed on %s field (use = or !=)", withArticle(f.Type))
	}
	return ""
}

// withArticle returns the type name with "a" or "an".
func withArticle(t Type) string {
	if t == TypeEnum {
		return "an enum"
	}
	return "a " + t.String()
}
