package csvbundle

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/oneroster"
)

// cells formats the columns of one record (after sourcedId, status and dateLastModified).
func (ex *exporter) cells(ctx context.Context, spec *fileSpec, vals []any, roles []role11, status string) ([]string, error) {
	out := make([]string, len(spec.cols))
	classOf := func() any {
		if i := slices.IndexFunc(spec.cols, func(c col) bool { return c.name == "classSourcedId" }); i >= 0 {
			return vals[i]
		}
		return nil
	}
	for i := range spec.cols {
		c := &spec.cols[i]
		v := vals[i]
		var s string
		var err error
		switch c.kind {
		case kText, kEnum, kDate, kYear, kNullEnum, kNullDate:
			s, _ = v.(string)
			if c.voc == &sexes11 && c.voc.Validate(s) != nil {
				s = "" // other and unspecified have no 1.1 value
			}
		case kBool, kNullBool:
			if b, ok := v.(bool); ok {
				s = formatBool(b)
			}
		case kNullFloat:
			if f, ok := v.(float64); ok {
				s = formatFloat(f)
			}
		case kTime:
			if t, ok := v.(time.Time); ok {
				if spec.version == "1.1" {
					s = formatDateOrTime(t)
				} else {
					s = formatDateTime(t)
				}
			}
		case kList, kEnumList:
			items, _ := v.([]string)
			s, err = formatList(items)
		case kUserIDs:
			ids, _ := v.([]oneroster.UserID)
			s, err = formatUserIDs(ids)
		case kScale:
			vs, _ := v.([]oneroster.ScoreScaleValue)
			s, err = formatScaleValues(vs)
		case kRef:
			if v == nil && c.name == "schoolSourcedId" && spec.table == "line_items" {
				v, err = ex.schoolOf(ctx, classOf()) // a 1.1 line item has no school: its class's
			}
			if id, ok := v.(int); ok && err == nil {
				s, err = ex.sid(ctx, c.ref, id)
			}
		case kRefs:
			ids, _ := v.([]int)
			sids := make([]string, len(ids))
			for k, id := range ids {
				if sids[k], err = ex.sid(ctx, c.ref, id); err != nil {
					break
				}
			}
			slices.Sort(sids)
			s = strings.Join(sids, ",")
		case kCheck:
			if c.name == "orgSourcedId" && spec.table == "score_scales" {
				var school any
				if school, err = ex.schoolOf(ctx, classOf()); err == nil && school != nil {
					s, err = ex.sid(ctx, "orgs", school.(int))
				}
			}
		case kOrgs11:
			var orgs []string
			var role string
			orgs, role, err = ex.roles11(ctx, v, roles, status)
			s = strings.Join(orgs, ",")
			out[slices.IndexFunc(spec.cols, func(c col) bool { return c.kind == kRole11 })] = role
		case kRole11, kIgnore, kCred:
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		out[i] = s
	}
	return out, nil
}

// schoolOf returns the school id of a class id (nil for nil).
func (ex *exporter) schoolOf(ctx context.Context, class any) (any, error) {
	id, ok := class.(int)
	if !ok {
		return nil, nil
	}
	if ex.school == nil {
		ex.school = map[int]int{}
		rows, err := ex.tx.QueryContext(ctx, `SELECT "id", "school_id" FROM "classes"`)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var c, s int
			if err := rows.Scan(&c, &s); err != nil {
				return nil, err
			}
			ex.school[c] = s
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return ex.school[id], nil
}

// roleTo11 maps the roles 1.2 added to the 1.1 role they were part of.
var roleTo11 = map[string]string{"districtAdministrator": "administrator", "siteAdministrator": "administrator",
	"systemAdministrator": "administrator", "principal": "administrator", "counselor": "administrator"}

// roles11 derives a 1.1 user's orgSourcedIds and role from its roles: the orgs of its roles (its active ones,
// unless it has none or is itself a tombstone), the primary org first and the others by sourcedId; the role at
// the primary org (a primary one first).
func (ex *exporter) roles11(ctx context.Context, primary any, roles []role11, status string) ([]string, string, error) {
	use := roles
	if status == oneroster.StatusActive {
		active := slices.DeleteFunc(slices.Clone(roles), func(r role11) bool { return r.status != oneroster.StatusActive })
		if len(active) > 0 {
			use = active
		}
	}
	p, hasP := primary.(int)
	slices.SortStableFunc(use, func(a, b role11) int {
		return cmp.Or(-cmp.Compare(btoi(hasP && a.org == p), btoi(hasP && b.org == p)),
			-cmp.Compare(btoi(a.rtype == "primary"), btoi(b.rtype == "primary")))
	})
	role := ""
	if len(use) > 0 {
		role = use[0].role
		if r, ok := roleTo11[role]; ok {
			role = r
		}
	}
	var first string
	var rest []string
	if hasP {
		s, err := ex.sid(ctx, "orgs", p)
		if err != nil {
			return nil, "", err
		}
		first = s
	}
	for _, r := range use {
		s, err := ex.sid(ctx, "orgs", r.org)
		if err != nil {
			return nil, "", err
		}
		if s != first && !slices.Contains(rest, s) {
			rest = append(rest, s)
		}
	}
	slices.Sort(rest)
	if first != "" {
		rest = append([]string{first}, rest...)
	}
	return rest, role, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// allRoles reads every role, by user id, ordered by sourcedId.
func (ex *exporter) allRoles(ctx context.Context) (map[int][]role11, error) {
	rows, err := ex.tx.QueryContext(ctx, `SELECT "id", "sourced_id", "user_id", "org_id", "role", "role_type", "status" FROM "roles"`+ex.orderBySID())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int][]role11{}
	for rows.Next() {
		var r role11
		var uid int
		if err := rows.Scan(&r.id, &r.sid, &uid, &r.org, &r.role, &r.rtype, &r.status); err != nil {
			return nil, err
		}
		out[uid] = append(out[uid], r)
	}
	return out, rows.Err()
}

// joinAll reads a whole join table: owner -> targets.
func (ex *exporter) joinAll(ctx context.Context, j *join) (map[int][]int, error) {
	rows, err := ex.tx.QueryContext(ctx, fmt.Sprintf(`SELECT %q, %q FROM %q`, j.owner, j.target, j.table))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int][]int{}
	for rows.Next() {
		var o, t int
		if err := rows.Scan(&o, &t); err != nil {
			return nil, err
		}
		out[o] = append(out[o], t)
	}
	return out, rows.Err()
}

// metaKeys lists the metadata keys of a table's records, nested keys joined with dots, sorted.
func (ex *exporter) metaKeys(ctx context.Context, t string) ([]string, error) {
	rows, err := ex.tx.QueryContext(ctx, fmt.Sprintf(`SELECT "metadata" FROM %q WHERE "metadata" IS NOT NULL`, t))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	keys := map[string]bool{}
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, err
		}
		m, err := decodeMeta(b)
		if err != nil {
			return nil, err
		}
		flatten(m, "", keys)
	}
	out := make([]string, 0, len(keys))
	for k := range keys {
		out = append(out, k)
	}
	slices.Sort(out)
	return out, rows.Err()
}

func flatten(m map[string]any, prefix string, keys map[string]bool) {
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			flatten(sub, prefix+k+".", keys)
		} else {
			keys[prefix+k] = true
		}
	}
}

// metaCell formats the metadata value at a dotted key: strings as they are, other JSON values encoded.
func metaCell(m map[string]any, key string) string {
	var v any = m
	for _, k := range strings.Split(key, ".") {
		sub, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		if v, ok = sub[k]; !ok {
			return ""
		}
	}
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		return ""
	case float64:
		return formatFloat(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// synthID makes the sourcedId of a link row from what it links: the parts joined with colons, or a hash when
// that is not a valid sourcedId.
func synthID(parts ...string) string {
	s := strings.Join(parts, ":")
	if oneroster.ValidateSourcedID(s) == nil {
		return s
	}
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return "h-" + hex.EncodeToString(sum[:20])
}
