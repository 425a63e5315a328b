package query

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits on a filter, checked before and during parsing.
const (
	MaxFilterLength = 4096 // bytes of URL-decoded filter text
	MaxClauses      = 32   // predicates per filter
	MaxDepth        = 8    // nesting of parentheses
)

// ParseFilter parses URL-decoded filter text (see the package documentation for the grammar) into a
// canonical Expr. It only checks syntax; Validate checks fields and values against a Catalogue. Every
// failure is an *Error with Code CodeInvalidFilterField, a Reason and the byte offset of the problem.
func ParseFilter(s string) (Expr, error) {
	if len(s) > MaxFilterLength {
		return nil, syntaxErr(ReasonTooLong, MaxFilterLength, "the filter is %d bytes long, the limit is %d", len(s), MaxFilterLength)
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || r == 0 {
			return nil, syntaxErr(ReasonBadEncoding, i, "the filter is not valid UTF-8 text (byte 0x%02x)", s[i])
		}
		i += n
	}
	p := &parser{s: s}
	p.skipWS()
	if p.i == len(s) {
		return nil, syntaxErr(ReasonEmpty, 0, "the filter is empty")
	}
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	p.skipWS()
	if p.i < len(s) {
		if s[p.i] == ')' {
			return nil, syntaxErr(ReasonUnbalanced, p.i, "')' has no matching '('")
		}
		return nil, syntaxErr(ReasonTrailing, p.i, "expected AND, OR or the end of the filter, found %s", p.found())
	}
	return e, nil
}

// parser is a recursive-descent parser over the filter text; i is the read offset.
type parser struct {
	s       string
	i       int
	clauses int
	depth   int
}

func isWS(c byte) bool        { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
func isOpChar(c byte) bool    { return c == '=' || c == '!' || c == '<' || c == '>' || c == '~' }
func isNameStart(c byte) bool { return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') }
func isNameChar(c byte) bool {
	return isNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == ':'
}

func (p *parser) skipWS() int {
	start := p.i
	for p.i < len(p.s) && isWS(p.s[p.i]) {
		p.i++
	}
	return p.i - start
}

// found describes what is at the read offset, for messages.
func (p *parser) found() string {
	if p.i >= len(p.s) {
		return "the end of the filter"
	}
	end := p.i + 1
	for end < len(p.s) && !isWS(p.s[end]) {
		end++
	}
	return strconv.Quote(shorten(p.s[p.i:end]))
}

func (p *parser) parseOr() (Expr, error)  { return p.parseChain(Or) }
func (p *parser) parseAnd() (Expr, error) { return p.parseChain(And) }

// parseChain parses terms joined by op: for OR the terms are AND chains, for AND they are single terms.
// Terms that are themselves chains of op (from parentheses) are flattened into this one.
func (p *parser) parseChain(op Logic) (Expr, error) {
	var terms []Expr
	for {
		var t Expr
		var err error
		if op == Or {
			t, err = p.parseAnd()
		} else {
			t, err = p.parseTerm()
		}
		if err != nil {
			return nil, err
		}
		if l, ok := t.(*Logical); ok && l.Op == op {
			terms = append(terms, l.Terms...)
		} else {
			terms = append(terms, t)
		}
		more, err := p.keyword(op)
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return &Logical{Op: op, Terms: terms}, nil
}

// keyword consumes the connective want and the white space around it, reporting whether it did. It
// leaves the offset unchanged when the next word is anything else. AND/OR are case-insensitive and
// must have white space on both sides.
func (p *parser) keyword(want Logic) (bool, error) {
	save := p.i
	spaced := p.skipWS() > 0
	start := p.i
	for p.i < len(p.s) && (isNameChar(p.s[p.i]) || p.s[p.i] == '.') {
		p.i++
	}
	word := strings.ToUpper(p.s[start:p.i])
	if word != string(want) {
		p.i = save
		return false, nil
	}
	if !spaced {
		return false, syntaxErr(ReasonMissingSpace, start, "%s must be preceded by a space", want)
	}
	if p.i == len(p.s) {
		return false, syntaxErr(ReasonExpectedField, p.i, "missing clause after %s", want)
	}
	if p.skipWS() == 0 {
		return false, syntaxErr(ReasonMissingSpace, p.i, "%s must be followed by a space", want)
	}
	return true, nil
}

// parseTerm parses a parenthesised chain or a predicate.
func (p *parser) parseTerm() (Expr, error) {
	p.skipWS()
	if p.i >= len(p.s) || p.s[p.i] != '(' {
		return p.parsePredicate()
	}
	open := p.i
	if p.depth == MaxDepth {
		return nil, syntaxErr(ReasonTooDeep, open, "parentheses are nested more than %d deep", MaxDepth)
	}
	p.i++
	p.depth++
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	p.skipWS()
	if p.i == len(p.s) {
		return nil, syntaxErr(ReasonUnbalanced, open, "'(' is never closed")
	}
	if p.s[p.i] != ')' {
		return nil, syntaxErr(ReasonTrailing, p.i, "expected AND, OR or ')', found %s", p.found())
	}
	p.i++
	p.depth--
	return e, nil
}

// parsePredicate parses `field op 'value'`.
func (p *parser) parsePredicate() (Expr, error) {
	start := p.i
	field, err := p.parseField()
	if err != nil {
		return nil, err
	}
	if up := strings.ToUpper(field); up == string(And) || up == string(Or) {
		return nil, syntaxErr(ReasonExpectedField, start, "expected a clause, found %s", up)
	}
	if p.clauses++; p.clauses > MaxClauses {
		return nil, syntaxErr(ReasonTooManyClauses, start, "the filter has more than %d clauses", MaxClauses)
	}
	p.skipWS()
	opStart := p.i
	for p.i < len(p.s) && isOpChar(p.s[p.i]) {
		p.i++
	}
	if p.i == opStart {
		if p.i == len(p.s) || p.s[p.i] == '\'' {
			return nil, syntaxErr(ReasonMissingOperator, p.i, "missing operator after field %q", field)
		}
		return nil, syntaxErr(ReasonUnknownOperator, p.i, "unknown operator %s after field %q (want =, !=, >, >=, <, <= or ~)", p.found(), field)
	}
	op, ok := lookupOp(p.s[opStart:p.i])
	if !ok {
		return nil, syntaxErr(ReasonUnknownOperator, opStart, "unknown operator %q after field %q (want =, !=, >, >=, <, <= or ~)", p.s[opStart:p.i], field)
	}
	p.skipWS()
	value, err := p.parseValue(field, op)
	if err != nil {
		return nil, err
	}
	return &Predicate{Field: field, Op: op, Value: value, Pos: start}, nil
}

// parseField parses a dotted field name and checks what follows it.
func (p *parser) parseField() (string, error) {
	start := p.i
	for {
		if p.i >= len(p.s) || !isNameStart(p.s[p.i]) {
			if p.i == start {
				return "", syntaxErr(ReasonExpectedField, p.i, "expected a field name, found %s", p.found())
			}
			return "", syntaxErr(ReasonBadFieldName, p.i, "field name %q has an empty or invalid part after '.'", p.s[start:p.i])
		}
		for p.i++; p.i < len(p.s) && isNameChar(p.s[p.i]); p.i++ {
		}
		if p.i < len(p.s) && p.s[p.i] == '.' {
			p.i++
			continue
		}
		break
	}
	if p.i < len(p.s) && !isWS(p.s[p.i]) && !isOpChar(p.s[p.i]) && p.s[p.i] != '\'' {
		r, _ := utf8.DecodeRuneInString(p.s[p.i:])
		return "", syntaxErr(ReasonBadFieldName, p.i, "invalid character %q in field name %q", r, p.s[start:p.i])
	}
	return p.s[start:p.i], nil
}

// parseValue parses a single-quoted value, un-doubling escaped quotes.
func (p *parser) parseValue(field string, op Op) (string, error) {
	if p.i == len(p.s) || p.s[p.i] == ')' {
		return "", syntaxErr(ReasonMissingValue, p.i, "missing value after %s%s", field, op)
	}
	if p.s[p.i] != '\'' {
		save := p.i
		for p.i < len(p.s) && isNameChar(p.s[p.i]) {
			p.i++
		}
		word := strings.ToUpper(p.s[save:p.i])
		p.i = save
		if (word == string(And) || word == string(Or)) && (p.i+len(word) == len(p.s) || isWS(p.s[p.i+len(word)])) {
			return "", syntaxErr(ReasonMissingValue, p.i, "missing value after %s%s", field, op)
		}
		if p.s[p.i] == '"' {
			return "", syntaxErr(ReasonUnquotedValue, p.i, "the value after %s%s must be in single quotes, not double quotes", field, op)
		}
		return "", syntaxErr(ReasonUnquotedValue, p.i, "the value after %s%s must be in single quotes, found %s", field, op, p.found())
	}
	open := p.i
	p.i++
	var b strings.Builder
	for {
		j := strings.IndexByte(p.s[p.i:], '\'')
		if j < 0 {
			return "", syntaxErr(ReasonUnterminatedQuote, open, "unterminated quoted value for %s", field)
		}
		b.WriteString(p.s[p.i : p.i+j])
		p.i += j + 1
		if p.i < len(p.s) && p.s[p.i] == '\'' {
			b.WriteByte('\'')
			p.i++
			continue
		}
		return b.String(), nil
	}
}
