package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/url"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/oneroster"
)

var userQuery = liveQuery{key: "u.sourced_id", from: "users u",
	cols: `u.id, u.sourced_id, u.status, u.external_lms_exclude, u.metadata, u.username, u.user_master_identifier,
		u.user_ids, u.enabled_user, u.given_name, u.family_name, u.middle_name, u.preferred_first_name,
		u.preferred_middle_name, u.preferred_last_name, u.pronouns, u.identifier, u.email, u.sms, u.phone, u.grades,
		u.primary_org_id`}

type userRow struct {
	id                                        int64
	sid, status                               string
	exclude, enabled                          bool
	metadata, userIDs, grades                 []byte
	username, master, given, family, middle   string
	prefFirst, prefMiddle, prefLast, pronouns string
	identifier, email, sms, phone             string
	primaryOrg                                sql.NullInt64
}

func scanUser(r *sql.Rows) (x userRow, sid string, err error) {
	err = r.Scan(&x.id, &x.sid, &x.status, &x.exclude, &x.metadata, &x.username, &x.master, &x.userIDs, &x.enabled,
		&x.given, &x.family, &x.middle, &x.prefFirst, &x.prefMiddle, &x.prefLast, &x.pronouns, &x.identifier,
		&x.email, &x.sms, &x.phone, &x.grades, &x.primaryOrg)
	return x, x.sid, err
}

type roleRow struct {
	role, roleType, status string
	org                    int64
	begin, end, profile    sql.NullString
}

type profileRow struct {
	sid, typ, vendor, app, desc string
	credentials                 []byte
}

// userBatch is what a batch of users needs from other tables, by user sourcedId.
type userBatch struct {
	roles     map[string][]roleRow
	profiles  map[string][]profileRow
	agents    map[string][]string        // published agents' sourcedIds
	schools   map[string]map[string]bool // schools of published enrollments and of dependents
	resources map[string][]string
}

// guardianRoles are the roles PublishGuardians controls.
var guardianRoles = map[string]bool{"guardian": true, "parent": true, "relative": true}

// roleAllowed applies the publishing settings to a role.
func (w *world) roleAllowed(role string) bool {
	if guardianRoles[role] {
		return w.set.PublishGuardians
	}
	if role == "aide" {
		return w.set.PublishAides
	}
	return true
}

type pair struct {
	a, b string
	id   int64
	ok   bool
}

// userChildren are the streams of what users need, read alongside the users in the same order.
type userChildren struct {
	roles      *childStream[roleRow]
	profiles   *childStream[profileRow]
	agents     *childStream[pair] // agent sourcedId, one row per active role of the agent (org id, allowed)
	enrolled   *childStream[enrollRef]
	dependents *childStream[int64] // org ids of the active roles of the people a guardian is agent for
	resources  *childStream[string]
}

type enrollRef struct {
	class, school int64
	status        string
	exclude       bool
}

func newUserChildren(c *Cache) *userChildren {
	return &userChildren{
		roles: newChildStream(c, liveQuery{key: "u.sourced_id", from: `roles r JOIN users u ON u.id = r.user_id
			LEFT JOIN user_profiles p ON p.id = r.profile_id AND p.status = 'active'`,
			cols: "u.sourced_id, r.role, r.role_type, r.status, r.org_id, r.begin_date, r.end_date, p.sourced_id"},
			func(r *sql.Rows) (x roleRow, sid string, err error) {
				err = r.Scan(&sid, &x.role, &x.roleType, &x.status, &x.org, &x.begin, &x.end, &x.profile)
				return x, sid, err
			}),
		profiles: newChildStream(c, liveQuery{key: "u.sourced_id", from: "user_profiles p JOIN users u ON u.id = p.user_id",
			where: "p.status = 'active'", cols: "u.sourced_id, p.sourced_id, p.profile_type, p.vendor_id, p.application_id, p.description, p.credentials"},
			func(r *sql.Rows) (x profileRow, sid string, err error) {
				err = r.Scan(&sid, &x.sid, &x.typ, &x.vendor, &x.app, &x.desc, &x.credentials)
				return x, sid, err
			}),
		agents: newChildStream(c, liveQuery{key: "u.sourced_id", from: `user_agents ua JOIN users u ON u.id = ua.user_id
			JOIN users a ON a.id = ua.dependent_id JOIN roles ar ON ar.user_id = a.id AND ar.status = 'active'`,
			where: "a.status = 'active' AND NOT a.external_lms_exclude", cols: "u.sourced_id, a.sourced_id, ar.role, ar.org_id"},
			func(r *sql.Rows) (x pair, sid string, err error) {
				err = r.Scan(&sid, &x.a, &x.b, &x.id)
				return x, sid, err
			}),
		enrolled: newChildStream(c, liveQuery{key: "u.sourced_id", from: "enrollments e JOIN users u ON u.id = e.user_id",
			cols: "u.sourced_id, e.class_id, e.school_id, e.status, e.external_lms_exclude"},
			func(r *sql.Rows) (x enrollRef, sid string, err error) {
				err = r.Scan(&sid, &x.class, &x.school, &x.status, &x.exclude)
				return x, sid, err
			}),
		dependents: newChildStream(c, liveQuery{key: "g.sourced_id", from: `user_agents ua JOIN users g ON g.id = ua.dependent_id
			JOIN roles r ON r.user_id = ua.user_id AND r.status = 'active'`, cols: "g.sourced_id, r.org_id"},
			func(r *sql.Rows) (org int64, sid string, err error) {
				err = r.Scan(&sid, &org)
				return org, sid, err
			}),
		resources: newChildStream(c, liveQuery{key: "u.sourced_id", from: `user_resources j JOIN users u ON u.id = j.user_id
			JOIN resources res ON res.id = j.resource_id AND res.status = 'active'`, cols: "u.sourced_id, res.sourced_id"},
			func(r *sql.Rows) (x string, sid string, err error) {
				err = r.Scan(&sid, &x)
				return x, sid, err
			}),
	}
}

func (uc *userChildren) close() {
	uc.roles.close()
	uc.profiles.close()
	uc.agents.close()
	uc.enrolled.close()
	uc.dependents.close()
	uc.resources.close()
}

// load reads what the users up to sourcedId last need.
func (uc *userChildren) load(ctx context.Context, w *world, last string) (*userBatch, error) {
	ub := &userBatch{roles: map[string][]roleRow{}, profiles: map[string][]profileRow{}, agents: map[string][]string{},
		schools: map[string]map[string]bool{}, resources: map[string][]string{}}
	addSchool := func(u, s string) {
		if s == "" {
			return
		}
		if ub.schools[u] == nil {
			ub.schools[u] = map[string]bool{}
		}
		ub.schools[u][s] = true
	}
	roles, err := uc.roles.upTo(ctx, last)
	if err != nil {
		return nil, err
	}
	for _, r := range roles {
		ub.roles[r.parent] = append(ub.roles[r.parent], r.row)
	}
	profiles, err := uc.profiles.upTo(ctx, last)
	if err != nil {
		return nil, err
	}
	for _, p := range profiles {
		ub.profiles[p.parent] = append(ub.profiles[p.parent], p.row)
	}
	for u, ps := range ub.profiles {
		slices.SortFunc(ps, func(a, b profileRow) int { return strings.Compare(a.sid, b.sid) })
		ub.profiles[u] = ps
	}
	// Agents are published when they are themselves: active, not excluded, with an allowed role at a published org.
	agents, err := uc.agents.upTo(ctx, last)
	if err != nil {
		return nil, err
	}
	for _, a := range agents {
		if w.roleAllowed(a.row.b) && w.orgOK(a.row.id) {
			ub.agents[a.parent] = append(ub.agents[a.parent], a.row.a)
		}
	}
	for u, l := range ub.agents {
		ub.agents[u] = sortedSIDs(l)
	}
	enrolled, err := uc.enrolled.upTo(ctx, last)
	if err != nil {
		return nil, err
	}
	for _, e := range enrolled {
		x := e.row
		if cl := w.classes[x.class]; cl != nil && cl.st == stActive && !x.exclude && x.status == oneroster.StatusActive && w.orgOK(x.school) {
			addSchool(e.parent, w.schoolOf(x.school))
		}
	}
	// Guardians belong to the schools of the people they are agents for.
	deps, err := uc.dependents.upTo(ctx, last)
	if err != nil {
		return nil, err
	}
	for _, d := range deps {
		if w.orgOK(d.row) {
			addSchool(d.parent, w.schoolOf(d.row))
		}
	}
	res, err := uc.resources.upTo(ctx, last)
	if err != nil {
		return nil, err
	}
	for _, r := range res {
		ub.resources[r.parent] = append(ub.resources[r.parent], r.row)
	}
	for u, l := range ub.resources {
		ub.resources[u] = sortedSIDs(l)
	}
	return ub, nil
}

func (gb *genBuild) users() producer {
	return func(ctx context.Context, emit func([]*record) error) error {
		uc := newUserChildren(gb.c)
		defer uc.close()
		return stream(ctx, gb.c, userQuery, gb.c.opt.BatchSize, scanUser, func(rows []userRow) error {
			ub, err := uc.load(ctx, gb.w, rows[len(rows)-1].sid)
			if err != nil {
				return err
			}
			out := make([]*record, 0, len(rows))
			for i := range rows {
				out = append(out, gb.w.renderUser(&rows[i], ub))
			}
			gb.rowsDone.Add(int64(len(rows)))
			return emit(out)
		})
	}
}

// role12 maps a stored role to 1.2's vocabulary: the 1.1-only administrator becomes the district's or the
// site's administrator.
func (w *world) role12(role string, org int64) string {
	if role != "administrator" {
		return role
	}
	if o := w.orgs[org]; o != nil && o.school == "" {
		return "districtAdministrator"
	}
	return "siteAdministrator"
}

// role11 maps a stored role to 1.1's vocabulary: the administrator roles of 1.2 and counselors are
// administrators.
func role11(role string) string {
	switch role {
	case "districtAdministrator", "siteAdministrator", "systemAdministrator", "principal", "counselor":
		return "administrator"
	}
	return role
}

// pick fills identifier, username and email from the configured source.
func pick(x *userRow, ids []oneroster.UserID, source string) string {
	switch source {
	case "identifier":
		return x.identifier
	case "userMasterIdentifier":
		return x.master
	case "username":
		return x.username
	case "email":
		return x.email
	case "sourcedId":
		return x.sid
	case "none":
		return ""
	}
	if typ, ok := strings.CutPrefix(source, "userIds:"); ok {
		for _, id := range ids {
			if id.Type == typ {
				return id.Identifier
			}
		}
	}
	return ""
}

// profileURI is a user profile's profileId: a URN made of its sourcedId.
func profileURI(sid string) string { return "urn:rollcall:userProfile:" + url.PathEscape(sid) }

// decodeUserIDs reads the stored userIds.
func decodeUserIDs(b []byte) []oneroster.UserID {
	var ids []oneroster.UserID
	if len(b) > 0 {
		json.Unmarshal(b, &ids)
	}
	return ids
}
