package query

import (
	"errors"
	"net/url"
	"testing"
)

var fuzzSeeds = []string{
	`status='active'`,
	`email='jane.doe@example.org'`,
	`role='teacher'`,
	`dateLastModified>'2026-01-05'`,
	`dateLastModified>'2026-01-05T00:00:00.000Z'`,
	`familyName~'smi'`,
	`school.sourcedId='s1'`,
	`roles.role='teacher' AND roles.org.sourcedId='x'`,
	`familyName='O''Brien' OR givenName='Mary Ann'`,
	`a='1' AND b='2' OR c='3'`,
	`(a='1' OR b='2') AND (c='3' OR d='4')`,
	`((a='1'))`,
	"status\t!=\t'x'\nand\nrole>='a'",
	`metadata.ext:x='1'`,
	`status='active`,
	`status=='x'`,
	`status=x`,
	`(status='x'`,
	`status='x')`,
	`status='x'AND role='y'`,
	"",
}

// checkCanonical asserts the shape ParseFilter promises: Logicals have two or more terms and never
// directly contain a Logical of the same connective.
func checkCanonical(t *testing.T, e Expr) {
	t.Helper()
	l, ok := e.(*Logical)
	if !ok {
		return
	}
	if len(l.Terms) < 2 {
		t.Fatalf("Logical with %d terms in %s", len(l.Terms), e)
	}
	for _, term := range l.Terms {
		if inner, ok := term.(*Logical); ok && inner.Op == l.Op {
			t.Fatalf("nested %s in %s", l.Op, e)
		}
		checkCanonical(t, term)
	}
}

// FuzzParseFilter checks that ParseFilter never panics, that its errors are well-formed, and that
// every accepted filter's canonical String() is no longer than the input and re-parses to an Equal
// tree with the same String().
func FuzzParseFilter(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseFilter(s)
		if err != nil {
			var qe *Error
			if !errors.As(err, &qe) || qe.Code != CodeInvalidFilterField || qe.Reason == "" || qe.Msg == "" {
				t.Fatalf("ParseFilter(%q): malformed error %#v", s, err)
			}
			if qe.Pos < 0 || qe.Pos > len(s) {
				t.Fatalf("ParseFilter(%q): position %d outside the input", s, qe.Pos)
			}
			return
		}
		checkCanonical(t, e)
		out := e.String()
		if len(out) > len(s) {
			t.Fatalf("canonical %q is longer than input %q", out, s)
		}
		e2, err := ParseFilter(out)
		if err != nil {
			t.Fatalf("ParseFilter(%q) ok but its String() %q fails: %v", s, out, err)
		}
		if !Equal(e, e2) {
			t.Fatalf("round trip changed the tree: %q -> %q -> %q", s, out, e2.String())
		}
		if out2 := e2.String(); out2 != out {
			t.Fatalf("String() not stable: %q then %q", out, out2)
		}
		if _, err := Validate(e, users); err != nil {
			var qe *Error
			if !errors.As(err, &qe) || qe.Msg == "" {
				t.Fatalf("Validate(%q): malformed error %#v", s, err)
			}
		}
	})
}

// FuzzParams checks that Parse never panics on any query string and that Encode is a fixed point:
// parsing the encoded query gives back the same encoding.
func FuzzParams(f *testing.F) {
	f.Add("filter=status%3D%27active%27&sort=familyName,foo&orderBy=desc&fields=givenName&limit=10&offset=20&x=1")
	f.Add("fields=a,,b")
	f.Add("limit=0&offset=-1")
	f.Add("filter=familyName%3D%27O%27%27Brien%27&a=%2C&b=+")
	f.Fuzz(func(t *testing.T, raw string) {
		values, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		p, err := Parse(values, users, 1000)
		if err != nil {
			var qe *Error
			if !errors.As(err, &qe) || qe.Msg == "" {
				t.Fatalf("Parse(%q): malformed error %#v", raw, err)
			}
			return
		}
		enc := p.Encode()
		again, err := url.ParseQuery(enc)
		if err != nil {
			t.Fatalf("Encode() = %q is not a valid query: %v", enc, err)
		}
		p2, err := Parse(again, users, 1000)
		if err != nil {
			t.Fatalf("Parse(%q) ok but Parse(Encode() = %q) fails: %v", raw, enc, err)
		}
		if enc2 := p2.Encode(); enc2 != enc {
			t.Fatalf("Encode not stable: %q then %q", enc, enc2)
		}
	})
}
