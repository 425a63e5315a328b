package csvbundle

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"

	"github.com/rollcall/rollcall/oneroster"
)

// A OneRoster 1.1 users.csv row gives a user one role (the role column) at each of the orgs of orgSourcedIds.
// Rollcall stores them as Role records, one per org, each with roleType primary (it is the user's only role
// at that org, and 1.2 wants exactly one primary role per org); the first org is the user's primaryOrg. A
// users.csv row is the complete list of its user's roles: existing roles at other orgs, or a second role at
// one of the orgs, are tombstoned, and the roles take the user's status.

// rolesCounts is the counts key of the roles a 1.1 users.csv writes.
const rolesCounts = "users.csv (roles)"

type role11 struct {
	id, org          int
	sid, role, rtype string
	status           string
}

// roleSID makes the sourcedId of a role created from a 1.1 users.csv row: USER~ORG, or a hash when that is
// too long, with a counter added when the sourcedId is taken.
func (w *writer) roleSID(user, org string, taken map[string]bool) string {
	base := user + "~" + org
	if len(base) > 240 {
		sum := sha256.Sum256([]byte(user + "\x00" + org))
		base = "role-" + hex.EncodeToString(sum[:20])
	}
	ix := w.im.idx["roles"]
	sid := base
	for n := 2; ; n++ {
		if !ix.has(sid) && !taken[sid] {
			return sid
		}
		sid = base + "~" + strconv.Itoa(n)
	}
}

// roles11 brings the roles of a batch of 1.1 users.csv rows in line with the rows.
func (w *writer) roles11(ctx context.Context, fw *fileWrite, rows []*row) error {
	orgCol := slices.IndexFunc(fw.l.spec.cols, func(c col) bool { return c.kind == kOrgs11 })
	roleCol := slices.IndexFunc(fw.l.spec.cols, func(c col) bool { return c.kind == kRole11 })
	if !fw.l.has(orgCol) || !fw.l.has(roleCol) {
		return nil
	}
	uids := make([]int, len(rows))
	for i, r := range rows {
		e, _ := fw.ix.stored(r.sid)
		uids[i] = e.id
	}
	existing, err := w.userRoles(ctx, uids)
	if err != nil {
		return err
	}
	t := tables["roles"]
	var news []*newRec
	taken := map[string]bool{}
	var tomb []int
	for i, r := range rows {
		have := existing[uids[i]]
		used := map[int]bool{}
		if !r.bare {
			orgs, _ := r.vals[orgCol].([]string)
			role, _ := r.vals[roleCol].(string)
			done := map[string]bool{}
			for _, osid := range orgs {
				if done[osid] {
					continue
				}
				done[osid] = true
				oid, _ := w.resolve("orgs", osid)
				pick := pickRole(have, used, oid, role)
				if pick == nil {
					sid := w.roleSID(r.sid, osid, taken)
					taken[sid] = true
					news = append(news, &newRec{sid: sid, status: r.status, vals: []any{uids[i], oid, role, "primary"}})
					continue
				}
				used[pick.id] = true
				var sets []set
				if pick.role != role {
					sets = append(sets, set{"role", role})
				}
				if pick.rtype != "primary" {
					sets = append(sets, set{"role_type", "primary"})
				}
				if pick.status != r.status {
					sets = append(sets, set{"status", r.status})
				}
				if len(sets) == 0 {
					w.im.count(rolesCounts, "unchanged", 1)
					continue
				}
				if err := w.update(ctx, t, []int{pick.id}, sets); err != nil {
					return err
				}
				w.im.idx["roles"].setStored(pick.sid, pick.id, r.status != oneroster.StatusActive)
				w.im.count(rolesCounts, "updated", 1)
			}
		}
		for _, h := range have {
			if !used[h.id] && h.status == oneroster.StatusActive {
				tomb = append(tomb, h.id)
				w.im.idx["roles"].setStored(h.sid, h.id, true)
			}
		}
	}
	if err := w.tombstone(ctx, t, tomb); err != nil {
		return err
	}
	w.im.count(rolesCounts, "tombstoned", len(tomb))
	if err := w.create(ctx, t, []string{"user_id", "org_id", "role", "role_type"}, news, true); err != nil {
		return err
	}
	for _, nr := range news {
		w.im.idx["roles"].setStored(nr.sid, nr.id, nr.status != oneroster.StatusActive)
	}
	w.im.count(rolesCounts, "created", len(news))
	return nil
}

// pickRole chooses which existing role (not yet used) of a user stands for its role at org: one with the
// same role, active first, else any at the org (it is changed), else nil (a role is created).
func pickRole(have []*role11, used map[int]bool, org int, role string) *role11 {
	var best *role11
	score := func(h *role11) int {
		s := 0
		if h.role == role {
			s += 2
		}
		if h.status == oneroster.StatusActive {
			s++
		}
		return s
	}
	for _, h := range have {
		if h.org != org || used[h.id] {
			continue
		}
		if best == nil || score(h) > score(best) {
			best = h
		}
	}
	return best
}

// userRoles reads the roles of users, by user id.
func (w *writer) userRoles(ctx context.Context, uids []int) (map[int][]*role11, error) {
	args := make([]any, len(uids))
	for i, id := range uids {
		args[i] = id
	}
	rows, err := w.tx.QueryContext(ctx, fmt.Sprintf(`SELECT "id", "sourced_id", "user_id", "org_id", "role", "role_type", "status"
		FROM "roles" WHERE "user_id" IN (%s) ORDER BY "sourced_id"`, w.placeholders(1, len(uids))), args...)
	if err != nil {
		return nil, fmt.Errorf("reading roles: %w", err)
	}
	defer rows.Close()
	out := map[int][]*role11{}
	for rows.Next() {
		var r role11
		var uid int
		if err := rows.Scan(&r.id, &r.sid, &uid, &r.org, &r.role, &r.rtype, &r.status); err != nil {
			return nil, fmt.Errorf("reading roles: %w", err)
		}
		out[uid] = append(out[uid], &r)
	}
	return out, rows.Err()
}
