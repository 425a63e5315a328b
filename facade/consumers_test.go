package facade_test

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/ent/enrollment"
	"github.com/rollcall/rollcall/ent/org"
	"github.com/rollcall/rollcall/ent/user"
	"github.com/rollcall/rollcall/facade"
	"github.com/rollcall/rollcall/oauth"
	"github.com/rollcall/rollcall/store/storetest"
)

// roots of the collections a 1.x consumer syncs, by version.
var rosterRoot = map[string]string{"v1p1": facade.RootV1p1, "v1p2": facade.RootRostering}

// TestConsumerPatterns replays the call patterns of ../shared/CONSUMERS.md against the demo district, on
// both databases and in both OneRoster versions.
func TestConsumerPatterns(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			for _, version := range []string{"1.1", "1.2"} {
				c := e.connect(t, version)
				root := rosterRoot[c.Version]
				t.Run(version+"/full sync stops at the first short page", func(t *testing.T) { fullSync(t, e, c, root) })
				t.Run(version+"/sync following Link next", func(t *testing.T) { linkSync(t, e, c, root) })
				t.Run(version+"/filters", func(t *testing.T) { filters(t, e, c, root) })
				t.Run(version+"/delta", func(t *testing.T) { delta(t, e, c, root) })
			}
			t.Run("same records and sourcedIds in 1.1 and 1.2", func(t *testing.T) { sameIDs(t, e) })
			t.Run("school-scoped connection", func(t *testing.T) { schoolScoped(t, e) })
			t.Run("revoked token mid-sync", func(t *testing.T) { revokedMidSync(t, e) })
		})
	}
}

// fullSync pages /users with limit/offset until a short page, like LMS plugins do; the records are all
// there once, as many as X-Total-Count says, and the same as one 50,000-record page.
func fullSync(t *testing.T, e *env, c *conn, root string) {
	tok := c.tok(t)
	seen := map[string]bool{}
	total := -1
	for offset := 0; ; offset += 100 {
		r := e.get(t, tok, root+"/users?limit=100&offset="+strconv.Itoa(offset)).must(t, 200, "page")
		total = r.Total(t)
		recs := r.Records(t, "users")
		for _, u := range recs {
			sid := u["sourcedId"].(string)
			if seen[sid] {
				t.Fatalf("user %s on two pages", sid)
			}
			seen[sid] = true
		}
		if len(recs) < 100 {
			break
		}
	}
	if len(seen) != total || total < 600 {
		t.Errorf("synced %d users, X-Total-Count %d", len(seen), total)
	}
	big := e.get(t, tok, root+"/users?limit=50000").must(t, 200, "limit=50000")
	if n := len(big.Records(t, "users")); n != total {
		t.Errorf("limit=50000 returned %d users of %d", n, total)
	}
	over := e.get(t, tok, root+"/users?limit="+strconv.Itoa(facade.DefaultMaxLimit+1)).must(t, 400, "limit above the maximum")
	if !strings.Contains(string(over.Body), "maximum page size") {
		t.Errorf("limit above the maximum: %s", over.Body)
	}
}

var linkPattern = regexp.MustCompile(`<([^>]+)>; rel="([a-z]+)"`)

// links parses a Link header.
func links(h string) map[string]string {
	out := map[string]string{}
	for _, m := range linkPattern.FindAllStringSubmatch(h, -1) {
		out[m[2]] = m[1]
	}
	return out
}

// linkSync follows rel="next" until there is none, with a filter and a field selection that every link
// must keep. Midway the last enrollment of the sync is deleted and the cache refreshed: the sync still reads
// the snapshot it started on (the links pin it), so it neither loses the record nor sees the total change.
func linkSync(t *testing.T, e *env, c *conn, root string) {
	tok := c.tok(t)
	filter := "role='student' AND status='active'"
	next := root + "/enrollments?limit=300&filter=" + q(filter) + "&fields=sourcedId,role,status"
	last := e.get(t, tok, root+"/enrollments?limit=1&sort=sourcedId&orderBy=desc&filter="+q(filter)).must(t, 200, "last").
		Records(t, "enrollments")[0]["sourcedId"].(string)
	seen, pages, total := map[string]bool{}, 0, -1
	for next != "" {
		r := e.get(t, tok, next).must(t, 200, "page")
		if total >= 0 && r.Total(t) != total {
			t.Fatalf("X-Total-Count went from %d to %d during the sync", total, r.Total(t))
		}
		total = r.Total(t)
		for _, rec := range r.Records(t, "enrollments") {
			if rec["role"] != "student" || len(rec) != 3 {
				t.Fatalf("record outside the filter or the selection: %v", rec)
			}
			seen[rec["sourcedId"].(string)] = true
		}
		l := links(r.Header.Get("Link"))
		if l["first"] == "" {
			t.Fatalf("no first link: %q", r.Header.Get("Link"))
		}
		next = l["next"]
		if next != "" {
			u, _ := url.Parse(next)
			if u.Query().Get("filter") != "role='student' AND status='active'" || u.Query().Get("fields") != "sourcedId,role,status" ||
				u.Query().Get(facade.ParamSnapshot) == "" {
				t.Fatalf("next link lost parameters: %s", next)
			}
		}
		if pages++; pages == 2 {
			e.DB.Client.Enrollment.Delete().Where(enrollment.SourcedID(last)).ExecX(actor.With(e.ctx, actor.KindAdmin, "test"))
			if _, err := e.Cache.Refresh(e.ctx, "test"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(seen) != total || total == 0 || pages < 3 || !seen[last] {
		t.Errorf("followed %d pages, %d records, X-Total-Count %d, saw the deleted one: %v", pages, len(seen), total, seen[last])
	}
	if now := e.get(t, tok, root+"/enrollments?filter="+q(filter)).must(t, 200, "after").Total(t); now != total-1 {
		t.Errorf("a new sync sees %d, want %d", now, total-1)
	}
}

// filters: values with spaces and apostrophes, dotted fields on references, two clauses.
func filters(t *testing.T, e *env, c *conn, root string) {
	tok := c.tok(t)
	count := func(path, filter, key string, check func(map[string]any) bool) int {
		t.Helper()
		r := e.get(t, tok, root+path+"?limit=50000&filter="+q(filter)).must(t, 200, filter)
		recs := r.Records(t, key)
		for _, rec := range recs {
			if !check(rec) {
				t.Fatalf("%s: record outside the filter: %v", filter, rec)
			}
		}
		if len(recs) == 0 {
			t.Errorf("%s: nothing found", filter)
		}
		return len(recs)
	}
	count("/users", "familyName='O''Brien'", "users", func(u map[string]any) bool { return u["familyName"] == "O'Brien" })
	count("/users", "familyName='de la Cruz' OR familyName='St. John'", "users", func(u map[string]any) bool {
		return u["familyName"] == "de la Cruz" || u["familyName"] == "St. John"
	})
	count("/users", "familyName~'o''c'", "users", func(u map[string]any) bool {
		return strings.Contains(strings.ToLower(u["familyName"].(string)), "o'c")
	})
	count("/academicSessions", "title='2026-2027 School Year'", "academicSessions", func(s map[string]any) bool { return s["type"] == "schoolYear" })
	school := e.get(t, tok, root+"/schools?limit=1&sort=name").must(t, 200, "schools").Records(t, "orgs")[0]["sourcedId"].(string)
	count("/classes", "school.sourcedId='"+school+"'", "classes", func(c map[string]any) bool {
		return c["school"].(map[string]any)["sourcedId"] == school
	})
	n := count("/enrollments", "school.sourcedId='"+school+"' AND role='teacher'", "enrollments", func(en map[string]any) bool {
		return en["school"].(map[string]any)["sourcedId"] == school && en["role"] == "teacher"
	})
	if c.Version == "v1p2" {
		count("/users", "roles.role='teacher' AND roles.org.sourcedId='"+school+"'", "users", func(u map[string]any) bool {
			for _, r := range u["roles"].([]any) {
				r := r.(map[string]any)
				if r["role"] == "teacher" && r["org"].(map[string]any)["sourcedId"] == school {
					return true
				}
			}
			return false
		})
	} else {
		count("/users", "role='teacher' AND orgs.sourcedId='"+school+"'", "users", func(u map[string]any) bool { return u["role"] == "teacher" })
	}
	if n2 := e.get(t, tok, root+"/schools/"+school+"/enrollments?filter="+q("role='teacher'")).must(t, 200, "per school").Total(t); n2 != n {
		t.Errorf("/schools/{id}/enrollments?filter=role='teacher': %d, the dotted filter found %d", n2, n)
	}
	bad := e.get(t, tok, root+"/users?filter="+q("favouriteColour='blue'")).must(t, 400, "unknown filter field")
	if !strings.Contains(string(bad.Body), "invalid_filter_field") {
		t.Errorf("unknown filter field: %s", bad.Body)
	}
	e.get(t, tok, root+"/users?filter="+q("dateLastModified>'yesterday'")).must(t, 400, "a bad date")
	e.get(t, tok, root+"/users?filter=familyName%3D%27O%27Brien%27").must(t, 400, "an unescaped apostrophe")
}

// delta: after a change and a refresh, dateLastModified>'…' finds exactly what changed, with a datetime;
// a bare date works too.
func delta(t *testing.T, e *env, c *conn, root string) {
	tok := c.tok(t)
	all := e.get(t, tok, root+"/users?limit=50000&sort=dateLastModified&orderBy=desc").must(t, 200, "users").Records(t, "users")
	since := all[0]["dateLastModified"].(string)
	day, _ := time.Parse(time.RFC3339, since)
	bare := day.AddDate(0, 0, -1).Format(time.DateOnly)
	if n := e.get(t, tok, root+"/users?filter="+q("dateLastModified>'"+bare+"'")).must(t, 200, "bare date").Total(t); n != len(all) {
		t.Errorf("dateLastModified>'%s': %d of %d", bare, n, len(all))
	}
	tomorrow := day.AddDate(0, 0, 1).Format(time.DateOnly)
	if n := e.get(t, tok, root+"/users?filter="+q("dateLastModified>'"+tomorrow+"'")).must(t, 200, "bare date").Total(t); n != 0 {
		t.Errorf("dateLastModified>'%s': %d", tomorrow, n)
	}
	if n := e.get(t, tok, root+"/users?filter="+q("dateLastModified>'"+since+"'")).must(t, 200, "datetime").Total(t); n != 0 {
		t.Errorf("nothing changed, yet dateLastModified>'%s' finds %d", since, n)
	}
	ctx := actor.With(e.ctx, actor.KindAdmin, "test")
	target := all[len(all)/2]["sourcedId"].(string)
	time.Sleep(5 * time.Millisecond)
	e.DB.Client.User.Update().Where(user.SourcedID(target)).SetGivenName("Changed " + c.Version).ExecX(ctx)
	if _, err := e.Cache.Refresh(e.ctx, "test"); err != nil {
		t.Fatal(err)
	}
	r := e.get(t, tok, root+"/users?filter="+q("dateLastModified>'"+since+"'")).must(t, 200, "delta")
	recs := r.Records(t, "users")
	if len(recs) != 1 || recs[0]["sourcedId"] != target || recs[0]["givenName"] != "Changed "+c.Version {
		t.Errorf("delta after changing %s: %v", target, recs)
	}
}

// sameIDs: both versions publish the same records under the same sourcedIds.
func sameIDs(t *testing.T, e *env) {
	c11, c12 := e.connect(t, "1.1"), e.connect(t, "1.2")
	for _, coll := range []string{"orgs", "academicSessions", "courses", "classes", "users", "enrollments", "demographics"} {
		key := coll
		ids := func(c *conn) string {
			var out []string
			for _, r := range e.get(t, c.tok(t), rosterRoot[c.Version]+"/"+coll+"?limit=50000").must(t, 200, coll).Records(t, key) {
				out = append(out, r["sourcedId"].(string)+"/"+r["status"].(string))
			}
			return strings.Join(out, ",")
		}
		if a, b := ids(c11), ids(c12); a != b || a == "" {
			t.Errorf("%s: 1.1 and 1.2 differ", coll)
		}
	}
}

// schoolScoped: a connection limited to one school sees that school's records only; other schools' records
// are unknown objects, and a nested path under another school is refused.
func schoolScoped(t *testing.T, e *env) {
	district := e.connect(t, "1.2")
	schools := e.get(t, district.tok(t), facade.RootRostering+"/schools?sort=name").must(t, 200, "schools").Records(t, "orgs")
	mine, other := schools[0]["sourcedId"].(string), schools[1]["sourcedId"].(string)
	c := e.connect(t, "1.2", mine)
	tok := c.tok(t)
	got := e.get(t, tok, facade.RootRostering+"/schools").must(t, 200, "schools").Records(t, "orgs")
	if len(got) != 1 || got[0]["sourcedId"] != mine {
		t.Errorf("a connection to %s sees schools %v", mine, got)
	}
	classes := e.get(t, tok, facade.RootRostering+"/classes?limit=50000").must(t, 200, "classes").Records(t, "classes")
	for _, cl := range classes {
		if cl["school"].(map[string]any)["sourcedId"] != mine {
			t.Fatalf("a connection to %s sees class %v", mine, cl)
		}
	}
	if len(classes) == 0 {
		t.Error("a school-scoped connection sees no class")
	}
	e.get(t, tok, facade.RootRostering+"/schools/"+mine+"/classes").must(t, 200, "own school")
	e.get(t, tok, facade.RootRostering+"/schools/"+other+"/classes").must(t, 403, "another school")
	e.get(t, tok, facade.RootRostering+"/schools/"+other).must(t, 404, "another school by id")
	theirs := e.get(t, district.tok(t), facade.RootRostering+"/schools/"+other+"/classes?limit=1").must(t, 200, "their classes").Records(t, "classes")
	e.get(t, tok, facade.RootRostering+"/classes/"+theirs[0]["sourcedId"].(string)).must(t, 404, "another school's class")
	e.get(t, tok, facade.RootRostering+"/classes/"+theirs[0]["sourcedId"].(string)+"/students").must(t, 404, "another school's class students")
}

// revokedMidSync: revoking the connection cuts its token off within oauth.LivenessTTL: the next page is a 401.
func revokedMidSync(t *testing.T, e *env) {
	c := e.connect(t, "1.2")
	tok := c.tok(t)
	first := e.get(t, tok, facade.RootRostering+"/users?limit=100").must(t, 200, "first page")
	next := links(first.Header.Get("Link"))["next"]
	ctx := actor.With(e.ctx, actor.KindAdmin, "test")
	if _, _, err := e.Svc.Revoke(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	time.Sleep(oauth.LivenessTTL + 200*time.Millisecond)
	r := e.get(t, tok, next).must(t, 401, "next page after revoking")
	if !strings.Contains(string(r.Body), "unauthorisedrequest") || r.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("401: %s %v", r.Body, r.Header)
	}
}

// TestExcludedSchool: marking a school External LMS Exclude and refreshing turns it and everything beneath it
// into tombstones, which a delta sees.
func TestExcludedSchool(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			c := e.connect(t, "1.2")
			tok := c.tok(t)
			root := facade.RootRostering
			school := e.get(t, tok, root+"/schools?sort=name&limit=1").must(t, 200, "schools").Records(t, "orgs")[0]["sourcedId"].(string)
			before := e.get(t, tok, root+"/classes?filter="+q("school.sourcedId='"+school+"' AND status='active'")).must(t, 200, "classes").Total(t)
			since := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
			time.Sleep(5 * time.Millisecond)
			ctx := actor.With(e.ctx, actor.KindAdmin, "test")
			e.DB.Client.Org.Update().Where(org.SourcedID(school)).SetExternalLmsExclude(true).ExecX(ctx)
			if _, err := e.Cache.Refresh(e.ctx, "test"); err != nil {
				t.Fatal(err)
			}
			s := e.get(t, tok, root+"/schools/"+school).must(t, 200, "the excluded school").JSON(t)["org"].(map[string]any)
			if s["status"] != "tobedeleted" {
				t.Errorf("excluded school: %v", s)
			}
			active := e.get(t, tok, root+"/classes?filter="+q("school.sourcedId='"+school+"' AND status='active'")).must(t, 200, "classes").Total(t)
			gone := e.get(t, tok, root+"/classes?filter="+q("school.sourcedId='"+school+"' AND dateLastModified>'"+since+"'")).must(t, 200, "delta").Records(t, "classes")
			if before == 0 || active != 0 || len(gone) < before {
				t.Errorf("classes of the excluded school: %d active before, %d after, %d in the delta", before, active, len(gone))
			}
			for _, cl := range gone {
				if cl["status"] != "tobedeleted" {
					t.Fatalf("class of the excluded school in the delta: %v", cl)
				}
			}
			enr := e.get(t, tok, root+"/enrollments?limit=50000&filter="+q("school.sourcedId='"+school+"' AND status='active'")).must(t, 200, "enrollments")
			if enr.Total(t) != 0 {
				t.Errorf("%d active enrollments remain in the excluded school", enr.Total(t))
			}
		})
	}
}
