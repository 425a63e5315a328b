package query

import (
	"errors"
	"strings"
	"testing"
)

var userRoles = []string{"administrator", "aide", "guardian", "parent", "proctor", "relative", "student", "teacher"}

// users is a catalogue shaped like the 1.2 users collection, plus a few typed fields for coverage.
var users = MustCatalogue(
	Field{Name: "sourcedId", Type: TypeString, Use: AllUses},
	Field{Name: "status", Type: TypeEnum, Values: []string{"active", "tobedeleted"}, Use: AllUses},
	Field{Name: "dateLastModified", Type: TypeDateTime, Use: AllUses},
	Field{Name: "email", Type: TypeString, Use: AllUses},
	Field{Name: "givenName", Type: TypeString, Use: AllUses},
	Field{Name: "familyName", Type: TypeString, Use: AllUses},
	Field{Name: "role", Type: TypeEnum, Values: userRoles, Extensible: true, Use: AllUses},
	Field{Name: "enabledUser", Type: TypeBoolean, Use: AllUses},
	Field{Name: "birthDate", Type: TypeDate, Use: Filterable | Sortable},
	Field{Name: "score", Type: TypeNumber, Use: Filterable | Sortable},
	Field{Name: "grades", Type: TypeString, Array: true, Use: Filterable | Selectable},
	Field{Name: "school.sourcedId", Type: TypeString, Use: Filterable},
	Field{Name: "class.sourcedId", Type: TypeString, Use: Filterable},
	Field{Name: "roles.role", Type: TypeEnum, Values: userRoles, Extensible: true, Array: true, Use: Filterable},
	Field{Name: "roles.org.sourcedId", Type: TypeString, Array: true, Use: Filterable},
	Field{Name: "userIds.identifier", Type: TypeString, Array: true, Use: Filterable},
	Field{Name: "metadata.*", Type: TypeString, Use: Filterable},
	Field{Name: "password", Type: TypeString, Use: Selectable},
)

// wantErr checks that err is an *Error with the given code and reason and, when non-empty, a message
// containing msg. pos is checked unless it is -2.
func wantErr(t *testing.T, err error, code Code, reason Reason, pos int, msg string) *Error {
	t.Helper()
	var qe *Error
	if !errors.As(err, &qe) {
		t.Fatalf("error = %v (%T), want *Error", err, err)
	}
	if qe.Code != code || qe.Reason != reason {
		t.Errorf("error = %s/%s (%q), want %s/%s", qe.Code, qe.Reason, qe.Msg, code, reason)
	}
	if pos != -2 && qe.Pos != pos {
		t.Errorf("error pos = %d (%q), want %d", qe.Pos, qe.Msg, pos)
	}
	if msg != "" && !strings.Contains(qe.Msg, msg) {
		t.Errorf("error message = %q, want it to contain %q", qe.Msg, msg)
	}
	return qe
}

func pred(field string, op Op, value string) Expr {
	return &Predicate{Field: field, Op: op, Value: value}
}
func and(terms ...Expr) Expr { return &Logical{Op: And, Terms: terms} }
func or(terms ...Expr) Expr  { return &Logical{Op: Or, Terms: terms} }
