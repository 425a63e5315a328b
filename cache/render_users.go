package cache

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/oneroster"
)

// pubRole is a role as published.
type pubRole struct {
	role12, role11, roleType, org string
	orgID                         int64
	profile                       string
	begin, end                    *string
}

// publishedRoles are a user's roles that are published: active (any status for a deleted user, whose
// tombstone still needs roles), at a published org, allowed by the settings; sorted by org then role.
func (w *world) publishedRoles(rows []roleRow, deleted bool) []pubRole {
	var out []pubRole
	for _, x := range rows {
		if (!deleted && x.status != oneroster.StatusActive) || !w.orgOK(x.org) || !w.roleAllowed(x.role) {
			continue
		}
		org := w.orgSID(x.org)
		if org == "" {
			continue
		}
		p := pubRole{role12: w.role12(x.role, x.org), role11: role11(x.role), roleType: x.roleType, org: org, orgID: x.org,
			begin: nullStrPtr(x.begin), end: nullStrPtr(x.end)}
		if x.profile.Valid {
			p.profile = profileURI(x.profile.String)
		}
		out = append(out, p)
	}
	slices.SortStableFunc(out, func(a, b pubRole) int {
		if c := strings.Compare(a.org, b.org); c != 0 {
			return c
		}
		return strings.Compare(a.role12, b.role12)
	})
	return out
}

// mainRole is the 1.1 user's single role: the primary role at the primary org, else the first primary role,
// else the first role.
func mainRole(roles []pubRole, primaryOrg int64) string {
	for _, r := range roles {
		if r.orgID == primaryOrg && r.roleType == "primary" {
			return r.role11
		}
	}
	for _, r := range roles {
		if r.roleType == "primary" {
			return r.role11
		}
	}
	return roles[0].role11
}

// renderUser renders a user in both versions. A user with no published role (all at excluded orgs, or only
// roles the settings do not publish) is hidden, like an excluded one.
func (w *world) renderUser(x *userRow, ub *userBatch) *record {
	st := own(x.exclude, true, x.status)
	var roles []pubRole
	if st != stHidden {
		roles = w.publishedRoles(ub.roles[x.sid], st == stDeleted)
		if len(roles) == 0 {
			st = stHidden
		}
	}
	r := &record{coll: Users, sid: x.sid, st: st, status: statusOf(st)}
	if st == stHidden {
		return r
	}
	ids := decodeUserIDs(x.userIDs)
	identifier := pick(x, ids, w.set.IdentifierSource)
	username := pick(x, ids, w.set.UsernameSource)
	email := pick(x, ids, w.set.EmailSource)
	meta := compactJSON(x.metadata)
	grades := jsonStrings(x.grades)
	primaryOrg := w.orgSID(x.primaryOrg.Int64)
	var userIDs []byte
	var idTypes, idValues []string
	if len(ids) > 0 {
		userIDs = []byte{'['}
		for i, id := range ids {
			if i > 0 {
				userIDs = append(userIDs, ',')
			}
			o := newObj(userIDs)
			o.str("type", id.Type)
			o.str("identifier", id.Identifier)
			userIDs = o.end()
			idTypes, idValues = append(idTypes, id.Type), append(idValues, id.Identifier)
		}
		userIDs = append(userIDs, ']')
	}
	var orgs, roleNames, roleTypes, roleOrgs []string
	for _, p := range roles {
		orgs = append(orgs, p.org)
		roleNames, roleTypes, roleOrgs = append(roleNames, p.role12), append(roleTypes, p.roleType), append(roleOrgs, p.org)
	}
	orgs = sortedSIDs(orgs)
	role1 := mainRole(roles, x.primaryOrg.Int64)
	agents, resources := ub.agents[x.sid], ub.resources[x.sid]

	b := newObj(nil) // 1.2
	b.header(x.sid, r.status, meta)
	b.opt("userMasterIdentifier", x.master)
	b.opt("username", username)
	b.raw("userIds", userIDs)
	b.boolStr("enabledUser", x.enabled)
	b.str("givenName", x.given)
	b.str("familyName", x.family)
	b.opt("middleName", x.middle)
	b.opt("preferredFirstName", x.prefFirst)
	b.opt("preferredMiddleName", x.prefMiddle)
	b.opt("preferredLastName", x.prefLast)
	b.opt("pronouns", x.pronouns)
	b.raw("roles", rolesJSON(roles))
	profiles, pTypes, pVendors, pApps := profilesJSON(ub.profiles[x.sid])
	b.raw("userProfiles", profiles)
	b.ref("primaryOrg", Orgs, primaryOrg)
	b.opt("identifier", identifier)
	b.opt("email", email)
	b.opt("sms", x.sms)
	b.opt("phone", x.phone)
	b.refs("agents", Users, agents)
	b.strs("grades", grades)
	b.refs("resources", Resources, resources)
	r.body12 = b.end()

	b = newObj(nil) // 1.1
	b.header(x.sid, r.status, meta)
	b.str("username", username)
	b.raw("userIds", userIDs)
	b.boolStr("enabledUser", x.enabled)
	b.str("givenName", x.given)
	b.str("familyName", x.family)
	b.opt("middleName", x.middle)
	b.str("role", role1)
	b.opt("identifier", identifier)
	b.opt("email", email)
	b.opt("sms", x.sms)
	b.opt("phone", x.phone)
	b.refs("agents", Users, agents)
	b.refs("orgs", Orgs, orgs)
	b.strs("grades", grades)
	r.body11 = b.end()

	d := newObj(nil)
	d.raw("metadata", meta)
	d.opt("userMasterIdentifier", x.master)
	d.opt("username", username)
	d.strs("userIds.type", idTypes)
	d.strs("userIds.identifier", idValues)
	d.boolStr("enabledUser", x.enabled)
	d.str("givenName", x.given)
	d.str("familyName", x.family)
	d.opt("middleName", x.middle)
	d.opt("preferredFirstName", x.prefFirst)
	d.opt("preferredMiddleName", x.prefMiddle)
	d.opt("preferredLastName", x.prefLast)
	d.opt("pronouns", x.pronouns)
	d.strs("roles.role", roleNames)
	d.strs("roles.roleType", roleTypes)
	d.strs("roles.org.sourcedId", roleOrgs)
	d.strs("userProfiles.profileType", pTypes)
	d.strs("userProfiles.vendorId", pVendors)
	d.strs("userProfiles.applicationId", pApps)
	d.opt("primaryOrg.sourcedId", primaryOrg)
	d.opt("identifier", identifier)
	d.opt("email", email)
	d.opt("sms", x.sms)
	d.opt("phone", x.phone)
	d.strs("agents.sourcedId", agents)
	d.strs("grades", grades)
	d.strs("resources.sourcedId", resources)
	d.str("role", role1)
	d.strs("orgs.sourcedId", orgs)
	r.doc = d.end()

	for _, p := range roles {
		switch p.role12 {
		case "student":
			r.kinds |= bitStudent12
		case "teacher":
			r.kinds |= bitTeacher12
		}
	}
	switch role1 {
	case "student":
		r.kinds |= bitStudent11
	case "teacher":
		r.kinds |= bitTeacher11
	}
	schools := map[string]bool{}
	for _, p := range roles {
		if s := w.schoolOf(p.orgID); s != "" {
			schools[s] = true
		}
	}
	for s := range ub.schools[x.sid] {
		schools[s] = true
	}
	r.scope, r.school, r.links = scopeOf(schools)
	return r
}

// rolesJSON renders the 1.2 roles array.
func rolesJSON(roles []pubRole) []byte {
	b := []byte{'['}
	for i, p := range roles {
		if i > 0 {
			b = append(b, ',')
		}
		o := newObj(b)
		o.str("roleType", p.roleType)
		o.str("role", p.role12)
		o.ref("org", Orgs, p.org)
		o.opt("userProfile", p.profile)
		o.optp("beginDate", p.begin)
		o.optp("endDate", p.end)
		b = o.end()
	}
	return append(b, ']')
}

// profilesJSON renders the 1.2 userProfiles array (credentials without passwords) and the doc's lists.
func profilesJSON(ps []profileRow) (body []byte, types, vendors, apps []string) {
	if len(ps) == 0 {
		return nil, nil, nil, nil
	}
	b := []byte{'['}
	for i, p := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		o := newObj(b)
		o.str("profileId", profileURI(p.sid))
		o.str("profileType", p.typ)
		o.str("vendorId", p.vendor)
		o.opt("applicationId", p.app)
		o.opt("description", p.desc)
		var creds []oneroster.Credential
		if len(p.credentials) > 0 {
			json.Unmarshal(p.credentials, &creds)
		}
		if len(creds) > 0 {
			cb := []byte{'['}
			for j, c := range creds {
				if j > 0 {
					cb = append(cb, ',')
				}
				co := newObj(cb)
				co.str("type", c.Type)
				co.str("username", c.Username)
				cb = co.end()
			}
			o.raw("credentials", append(cb, ']'))
		}
		b = o.end()
		types, vendors = append(types, p.typ), append(vendors, p.vendor)
		if p.app != "" {
			apps = append(apps, p.app)
		}
	}
	return append(b, ']'), types, vendors, apps
}
