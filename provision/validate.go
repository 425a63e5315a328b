package provision

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/connection"
	"github.com/rollcall/rollcall/ent/org"
	"github.com/rollcall/rollcall/oneroster"
)

// Limits of the free-text fields.
const (
	MaxDistrictPart = 40   // characters of the district-defined part of a consumer key
	MaxVendorName   = 200  // characters of a vendor name
	MaxPurpose      = 2000 // characters of a purpose
)

// ServiceAccountPrefix starts every connection's service account name ("Campus user account name").
const ServiceAccountPrefix = "svc_"

// ServiceAccountFor is the service account of the connection with this consumer key: the prefix and the
// lowercased key. Consumer keys are unique regardless of case, so service accounts are unique too.
func ServiceAccountFor(consumerKey string) string {
	return ServiceAccountPrefix + strings.ToLower(consumerKey)
}

// ValidateDistrictPart checks the district-defined part of a consumer key: 1 to 40 characters, each a letter
// (A-Z, a-z), a digit, '.', '-' or '_'. The error names the first character that is not allowed.
func ValidateDistrictPart(part string) error {
	if part == "" {
		return invalid("districtPart", "the consumer key's district part is required: 1 to %d letters, digits, '.', '-' or '_' (include the vendor's name, e.g. canvas)", MaxDistrictPart)
	}
	for i, r := range part {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return invalid("districtPart", "consumer key %q: character %q at position %d is not allowed; use letters, digits, '.', '-' and '_' only",
				part, r, utf8.RuneCountInString(part[:i])+1)
		}
	}
	if n := len(part); n > MaxDistrictPart {
		return invalid("districtPart", "consumer key %q is %d characters after the prefix; at most %d are allowed", part, n, MaxDistrictPart)
	}
	return nil
}

// districtPart trims the input and removes the site prefix when the caller typed the whole key.
func districtPart(input, prefix string) string {
	p := strings.TrimSpace(input)
	if rest, ok := strings.CutPrefix(p, prefix+"_"); ok && rest != "" {
		return rest
	}
	return p
}

func vendorName(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		return "", invalid("vendorName", "the vendor name is required")
	case n > MaxVendorName:
		return "", invalid("vendorName", "the vendor name is %d characters; at most %d are allowed", n, MaxVendorName)
	}
	return s, nil
}

func purpose(s string) (string, error) {
	s = strings.TrimSpace(s)
	if n := utf8.RuneCountInString(s); n > MaxPurpose {
		return "", invalid("purpose", "the purpose is %d characters; at most %d are allowed", n, MaxPurpose)
	}
	return s, nil
}

// allTypes lists the connection types in their canonical order.
var allTypes = []string{TypeRoster, TypeGradebook, TypeAssessment}

// NormalizeTypes checks the requested connection types against the vendor's partnership and the version
// and returns them in canonical order (roster, gradebook, assessment) without repeats. Roster Sync is always
// included. Names are case-insensitive and may end in " sync" ("Gradebook Sync"). Gradebook and assessment
// are refused for non-partners; assessment is refused for 1.1, which has no assessment service.
func NormalizeTypes(types []string, partner bool, v connection.Version) ([]string, error) {
	want := map[string]bool{TypeRoster: true}
	for _, t := range types {
		n := strings.ToLower(strings.TrimSpace(t))
		if n == "" {
			continue
		}
		n = strings.TrimSpace(strings.TrimSuffix(n, "sync"))
		if !slices.Contains(allTypes, n) {
			return nil, invalid("types", "connection type %q: want roster, gradebook or assessment", t)
		}
		want[n] = true
	}
	for _, t := range []string{TypeGradebook, TypeAssessment} {
		if want[t] && !partner {
			return nil, invalid("types", "connection type %s is only for Digital Learning Partners: a non-partner vendor's connection is roster-only (mark the vendor as a partner, or remove %s)", t, t)
		}
	}
	if want[TypeAssessment] && v == connection.VersionV1p1 {
		return nil, invalid("types", "OneRoster 1.1 has no assessment service: use version 1.2, or remove the assessment type")
	}
	var out []string
	for _, t := range allTypes {
		if want[t] {
			out = append(out, t)
		}
	}
	return out, nil
}

// cleanIDs trims the sourcedIds, drops empty ones and repeats, and keeps the first-seen order.
func cleanIDs(ids []string) []string {
	var out []string
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// resolveSchools returns the database ids of the schools with these sourcedIds. Every one must exist, be an
// org of type school and be active; otherwise the error names each sourcedId that is not.
func resolveSchools(ctx context.Context, c *ent.Client, sourcedIDs []string) ([]int, error) {
	orgs, err := c.Org.Query().Where(org.SourcedIDIn(sourcedIDs...)).
		Select(org.FieldID, org.FieldSourcedID, org.FieldType, org.FieldStatus).All(ctx)
	if err != nil {
		return nil, err
	}
	bySID := make(map[string]*ent.Org, len(orgs))
	for _, o := range orgs {
		bySID[o.SourcedID] = o
	}
	var ids []int
	var problems []string
	for _, sid := range sourcedIDs {
		o := bySID[sid]
		switch {
		case o == nil:
			problems = append(problems, fmt.Sprintf("school %q does not exist", sid))
		case o.Type != "school":
			problems = append(problems, fmt.Sprintf("org %q is a %s, not a school", sid, o.Type))
		case o.Status != oneroster.StatusActive:
			problems = append(problems, fmt.Sprintf("school %q is not active (its status is %s)", sid, o.Status))
		default:
			ids = append(ids, o.ID)
		}
	}
	if len(problems) > 0 {
		return nil, invalid("schools", "%s", strings.Join(problems, "; "))
	}
	return ids, nil
}
