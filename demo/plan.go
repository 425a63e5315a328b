package demo

import (
	"fmt"
	"math"
	"strconv"

	"github.com/rollcall/rollcall/oneroster"
)

// The fixed calendar of the demo district: the 2026-2027 school year (schoolYear "2027", end dates exclusive),
// two terms and four grading periods. Fixed dates keep the output independent of when it is generated.
const (
	yearStart   = "2026-08-01"
	springStart = "2027-01-01"
	yearEnd     = "2027-07-01"
	schoolYear  = "2027"
	dropBegin   = "2026-08-01" // the dropped enrollment's dates
	dropEnd     = "2026-09-15"
)

// Domains of generated e-mail addresses (the .example top-level domain is reserved for examples).
const (
	staffDomain   = "rollcall-demo.example"
	studentDomain = "students.rollcall-demo.example"
)

var guardianDomains = []string{"example.com", "example.net", "example.org"}

// schoolPlan is one school: its level, place in the generation order and students per grade.
type schoolPlan struct {
	index, levelIndex int
	lvl               level
	org               *org
	perGrade          map[string]int
}

// generator holds the state of one run. It is used by one goroutine: records are numbered in generation
// order, which is what makes the run reproducible.
type generator struct {
	seed     int64
	ids      *ids
	people   int // usernames and identifiers are numbered across all users
	district *org
	year     *session
	terms    []*session // fall, spring
	periods  []*session
	schools  []*schoolPlan
	nHigh    int
	// Cross-school state: the teacher the next school borrows, and middle school students who take a class
	// at a high school (by high school level index).
	shared   *user
	visitors map[int][]*user
}

// newGenerator plans the district for the number of students: students spread evenly over grades KG-12,
// schools per level sized around the level's target (at least one per level), with seeded variation in size.
func newGenerator(students int, seed int64) *generator {
	g := &generator{seed: seed, ids: newIDs(seed), visitors: map[int][]*user{}}
	r := newRNG(seed, 0)
	perGrade := map[string]int{}
	for i, gr := range gradeCodes {
		perGrade[gr] = students / len(gradeCodes)
		if i < students%len(gradeCodes) {
			perGrade[gr]++
		}
	}
	districtID := fmt.Sprintf("06%05d", r.IntN(100000))
	g.district = &org{sid: g.ids.new(kindOrg), name: "Rollcall Demo Unified School District", typ: "district",
		identifier: districtID}
	for _, lvl := range []level{elementary, middle, high} {
		info := levels[lvl]
		total := 0
		for _, gr := range info.grades {
			total += perGrade[gr]
		}
		n := max(1, int(math.Round(float64(total)/float64(info.target))))
		weights := make([]float64, n)
		for i := range weights {
			weights[i] = 0.8 + 0.4*r.Float64()
		}
		pool := append([]string(nil), schoolNames...)
		r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
		plans := make([]*schoolPlan, n)
		for i := range plans {
			idx := len(g.schools) + i
			plans[i] = &schoolPlan{index: idx, levelIndex: i, lvl: lvl, perGrade: map[string]int{},
				org: &org{sid: g.ids.new(kindOrg), name: schoolName(pool, i, info.suffix), typ: "school",
					identifier: districtID + fmt.Sprintf("%05d", 10*(idx+1)), parent: g.district}}
		}
		for _, gr := range info.grades {
			for i, c := range apportion(perGrade[gr], weights) {
				plans[i].perGrade[gr] = c
			}
		}
		g.schools = append(g.schools, plans...)
		if lvl == high {
			g.nHigh = n
		}
	}
	g.year = &session{sid: g.ids.new(kindSession), title: "2026-2027 School Year", typ: "schoolYear",
		start: yearStart, end: yearEnd, schoolYear: schoolYear, org: g.district}
	fall := g.newSession("Fall 2026", "term", yearStart, springStart, g.year)
	spring := g.newSession("Spring 2027", "term", springStart, yearEnd, g.year)
	g.terms = []*session{fall, spring}
	g.periods = []*session{
		g.newSession("Quarter 1", "gradingPeriod", yearStart, "2026-10-15", fall),
		g.newSession("Quarter 2", "gradingPeriod", "2026-10-15", springStart, fall),
		g.newSession("Quarter 3", "gradingPeriod", springStart, "2027-03-20", spring),
		g.newSession("Quarter 4", "gradingPeriod", "2027-03-20", yearEnd, spring),
	}
	return g
}

func (g *generator) newSession(title, typ, start, end string, parent *session) *session {
	return &session{sid: g.ids.new(kindSession), title: title, typ: typ, start: start, end: end,
		schoolYear: schoolYear, parent: parent, org: g.district}
}

// apportion splits n into len(weights) parts proportional to the weights (largest remainder method).
func apportion(n int, weights []float64) []int {
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	out := make([]int, len(weights))
	rem := make([]float64, len(weights))
	given := 0
	for i, w := range weights {
		exact := float64(n) * w / sum
		out[i] = int(exact)
		rem[i] = exact - float64(out[i])
		given += out[i]
	}
	for ; given < n; given++ {
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		out[best]++
		rem[best] = -1
	}
	return out
}

// districtBatch returns the district office's staff: two district administrators and a system administrator.
func (g *generator) districtBatch() *batch {
	r := newRNG(g.seed, 1)
	b := &batch{}
	for i, rl := range []string{"districtAdministrator", "districtAdministrator", "systemAdministrator"} {
		// Whatever the seed, the district office shows an apostrophe and letters outside ASCII.
		name := showcase[(int(uint64(g.seed)%uint64(len(showcase)))+i)%len(showcase)]
		u := g.person(r, name.given, name.family, name.sex, g.district, "admin")
		b.staff = append(b.staff, u)
		b.roles = append(b.roles, g.role(u, g.district, rl, "primary"))
	}
	return b
}

// showcase names the district office; any three consecutive entries include an apostrophe and every entry
// has a letter outside ASCII.
var showcase = []struct{ given, family, sex string }{{"Siobhán", "O'Brien", "female"},
	{"José", "D'Angelo", "male"}, {"Zoë", "Nguyễn", "female"}, {"Jürgen", "Müller", "male"}}

// person fills the fields every user shares; kind says which numbering and addresses apply.
func (g *generator) person(r rng, given, family, sex string, home *org, kind string) *user {
	g.people++
	n := g.people
	u := &user{sid: g.ids.new(kindUser), status: oneroster.StatusActive, given: given, family: family,
		enabled: true, primaryOrg: home, kind: kind}
	u.username = fold(given) + "." + fold(family) + strconv.Itoa(n)
	if r.chance(0.45) {
		u.middle = givenName(r, sex)
	}
	if nick, ok := nicknames[given]; ok && r.chance(0.5) {
		u.preferred = nick
	}
	switch kind {
	case "student":
		u.identifier = strconv.Itoa(1000000 + n)
		u.masterID = fmt.Sprintf("%010d", mix64(uint64(g.seed)^uint64(n))%10000000000)
		u.email = u.username + "@" + studentDomain
		u.userIDs = []oneroster.UserID{{Type: "SIS", Identifier: u.identifier}, {Type: "LDAP", Identifier: u.username}}
	case "guardian":
		u.email = fold(given) + "." + fold(family) + strconv.Itoa(n%1000) + "@" + pick(r, guardianDomains)
		u.phone = fmt.Sprintf("+1 %d 555 01%02d", pick(r, []int{213, 310, 415, 510, 559, 619, 916}), r.IntN(100))
		if r.chance(0.6) {
			u.sms = u.phone
		}
		u.userIDs = []oneroster.UserID{{Type: "ParentPortal", Identifier: u.username}}
	default: // staff
		u.identifier = fmt.Sprintf("E%06d", n)
		u.email = u.username + "@" + staffDomain
		u.phone = fmt.Sprintf("+1 916 555 01%02d", r.IntN(100))
		u.userIDs = []oneroster.UserID{{Type: "HR", Identifier: u.identifier}, {Type: "LDAP", Identifier: u.username}}
		if r.chance(0.01) {
			u.enabled = false // on leave: active record, access curtailed
		}
	}
	if kind != "student" && r.chance(0.3) {
		u.pronouns = pronounsFor[sex]
	}
	return u
}

// staff creates a staff member (teacher, administrator, aide, counselor) at home.
func (g *generator) staff(r rng, home *org, kind string) *user {
	sex := "female"
	switch x := r.Float64(); {
	case x < 0.3:
		sex = "male"
	case x < 0.32:
		sex = "other"
	}
	return g.person(r, givenName(r, sex), pick(r, familyNames), sex, home, kind)
}

// role gives u a role at o.
func (g *generator) role(u *user, o *org, name, typ string) *role {
	return &role{sid: g.ids.new(kindRole), status: u.status, role: name, roleType: typ, user: u, org: o}
}
