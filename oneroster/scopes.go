package oneroster

import "strings"

// Scope prefixes of the OAuth 2 scope URIs (SPEC §6.1).
const (
	ScopePrefixV1p1 = "https://purl.imsglobal.org/spec/or/v1p1/scope/"
	ScopePrefixV1p2 = "https://purl.imsglobal.org/spec/or/v1p2/scope/"
)

// Scope names (the part after the prefix). Which exist depends on the version: see ScopesV1p1, ScopesV1p2.
const (
	ScopeRosterCore          = "roster-core.readonly"
	ScopeRoster              = "roster.readonly"
	ScopeRosterDemographics  = "roster-demographics.readonly"
	ScopeGradebookCore       = "gradebook-core.readonly"
	ScopeGradebook           = "gradebook.readonly"
	ScopeGradebookCreatePut  = "gradebook.createput"
	ScopeGradebookCreatePost = "gradebook.createpost"
	ScopeGradebookDelete     = "gradebook.delete"
	ScopeAssessment          = "assessment.readonly"
	ScopeAssessmentCreatePut = "assessment.createput"
	ScopeAssessmentDelete    = "assessment.delete"
	ScopeResourceCore        = "resource-core.readonly"
	ScopeResource            = "resource.readonly"
)

// Scope names defined by each version.
var (
	ScopesV1p1 = []string{ScopeRosterCore, ScopeRoster, ScopeRosterDemographics, ScopeResource,
		ScopeGradebook, ScopeGradebookCreatePut, ScopeGradebookDelete}
	ScopesV1p2 = []string{ScopeRosterCore, ScopeRoster, ScopeRosterDemographics, ScopeGradebookCore,
		ScopeGradebook, ScopeGradebookCreatePut, ScopeGradebookCreatePost, ScopeGradebookDelete,
		ScopeAssessment, ScopeAssessmentCreatePut, ScopeAssessmentDelete, ScopeResourceCore, ScopeResource}
)

// Versions as stored on a connection and used in URLs.
const (
	V1p1 = "v1p1"
	V1p2 = "v1p2"
)

// ScopeURI returns the full scope URI of name for version ("v1p1" or "v1p2").
func ScopeURI(version, name string) string {
	if version == V1p1 {
		return ScopePrefixV1p1 + name
	}
	return ScopePrefixV1p2 + name
}

// ParseScopeURI splits a requested scope into its version and name. It accepts the http:// form of the purl
// URIs that some clients send. ok is false for anything that is not a OneRoster scope of either version.
func ParseScopeURI(s string) (version, name string, ok bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "http://") {
		s = "https://" + strings.TrimPrefix(s, "http://")
	}
	for _, v := range []struct{ version, prefix string }{{V1p1, ScopePrefixV1p1}, {V1p2, ScopePrefixV1p2}} {
		if rest, found := strings.CutPrefix(s, v.prefix); found && rest != "" {
			return v.version, rest, true
		}
	}
	return "", "", false
}
