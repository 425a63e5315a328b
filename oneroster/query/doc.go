// Package query parses and validates the query parameters of OneRoster 1.1/1.2 collection requests
// (SPEC §3): filter, sort/orderBy, fields and limit/offset. Its output is typed and checked against a
// per-collection Catalogue, ready for a SQL compiler that binds every caller-supplied value as a
// parameter; nothing here ever builds SQL text.
//
// # Filter grammar
//
// The accepted language is a liberal superset of the 1.1/1.2 form `field op 'value' [ AND|OR ... ]`:
//
//	filter    = ws or ws
//	or        = and *( WS "OR" WS and )
//	and       = term *( WS "AND" WS term )
//	term      = "(" ws or ws ")" / predicate
//	predicate = field ws op ws value
//	field     = name *( "." name )
//	name      = ( ALPHA / "_" ) *( ALPHA / DIGIT / "_" / "-" / ":" )
//	op        = "=" / "!=" / ">" / ">=" / "<" / "<=" / "~"
//	value     = "'" *( any character except "'" / "''" ) "'"     ; '' is an escaped quote
//	WS        = 1*( SP / HTAB / CR / LF ) ; ws = *( SP / HTAB / CR / LF )
//
// The specification recommends a single logical operator per filter. This package accepts chains of
// any length (up to MaxClauses predicates) and mixes of AND and OR, with AND binding tighter than OR
// ("a AND b OR c" is "(a AND b) OR c"), and parentheses for explicit grouping (nested at most MaxDepth
// deep). Keywords are matched case-insensitively and must be surrounded by white space, as the
// specification requires. Values are always single-quoted whatever the field type. Input is limited to
// MaxFilterLength bytes of valid UTF-8.
//
// The parsed tree (Expr) is canonical: a Logical never has fewer than two terms and never directly
// contains a Logical of the same operator, so Expr.String re-parses to an Equal tree.
//
// # Errors and warnings
//
// Every failure is an *Error carrying a Code (mapped to a 1.1 or 1.2 codeMinor by CodeMinor11 /
// CodeMinor12), a Reason (a stable sub-code), the parameter, the offending field and, for filter syntax
// errors, the 0-based byte offset in the (URL-decoded) filter. Conditions the specification answers
// with data plus a warning (unknown sort or selection fields) are not errors: they are reported as
// Warning values by Params.Warnings.
package query
