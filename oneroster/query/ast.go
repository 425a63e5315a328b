package query

import "strings"

// Op is a filter predicate operator.
type Op string

// The OneRoster predicate operators (SPEC §3.4). OpContains is "~", substring containment.
const (
	OpEq       Op = "="
	OpNe       Op = "!="
	OpGt       Op = ">"
	OpGe       Op = ">="
	OpLt       Op = "<"
	OpLe       Op = "<="
	OpContains Op = "~"
)

// ops lists the operators; lookupOp matches a whole operator token.
var ops = []Op{OpEq, OpNe, OpGt, OpGe, OpLt, OpLe, OpContains}

func lookupOp(tok string) (Op, bool) {
	for _, o := range ops {
		if string(o) == tok {
			return o, true
		}
	}
	return "", false
}

// ordering reports whether o compares order (>, >=, <, <=).
func (o Op) ordering() bool { return o == OpGt || o == OpGe || o == OpLt || o == OpLe }

// Logic is a logical connective.
type Logic string

// The logical connectives. AND binds tighter than OR.
const (
	And Logic = "AND"
	Or  Logic = "OR"
)

// Expr is a parsed, not yet validated filter: a *Predicate or a *Logical.
type Expr interface {
	// String returns the canonical filter text, which ParseFilter turns back into an Equal Expr.
	String() string
	isExpr()
}

// Predicate is one `field op 'value'` clause. Value is the unescaped text between the quotes.
type Predicate struct {
	Field string
	Op    Op
	Value string
	Pos   int // byte offset of Field in the filter text; ignored by Equal
}

// Logical joins two or more terms with one connective. Trees built by ParseFilter are flat: a Logical's
// terms are Predicates or Logicals of the other connective.
type Logical struct {
	Op    Logic
	Terms []Expr
}

func (*Predicate) isExpr() {}
func (*Logical) isExpr()   {}

// String renders the predicate canonically: no spaces, the value quoted with ” for each quote.
func (p *Predicate) String() string {
	return p.Field + string(p.Op) + "'" + strings.ReplaceAll(p.Value, "'", "''") + "'"
}

// String renders the terms joined by " AND " or " OR ", parenthesising a term only where precedence
// requires it (an OR inside an AND) or where a term has the same connective (never produced by the
// parser, kept so that hand-built trees print unambiguously).
func (l *Logical) String() string {
	var b strings.Builder
	for i, t := range l.Terms {
		if i > 0 {
			b.WriteString(" " + string(l.Op) + " ")
		}
		inner, ok := t.(*Logical)
		if ok && (inner.Op == l.Op || (l.Op == And && inner.Op == Or)) {
			b.WriteString("(" + inner.String() + ")")
			continue
		}
		b.WriteString(t.String())
	}
	return b.String()
}

// Equal reports whether two filter trees are structurally equal, ignoring positions.
func Equal(a, b Expr) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case *Predicate:
		y, ok := b.(*Predicate)
		return ok && x.Field == y.Field && x.Op == y.Op && x.Value == y.Value
	case *Logical:
		y, ok := b.(*Logical)
		if !ok || x.Op != y.Op || len(x.Terms) != len(y.Terms) {
			return false
		}
		for i := range x.Terms {
			if !Equal(x.Terms[i], y.Terms[i]) {
				return false
			}
		}
		return true
	}
	return false
}
