package demo

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rollcall/rollcall/oneroster"
)

// pool is the students of a school taking one course (by course code), before they are split into sections.
type pool struct {
	def      courseDef
	slot     int
	grades   map[string]bool // catalog grades of the course
	students []*user
}

// section is one class to be: a slice of a pool, with the key of the teachers who may take it.
type section struct {
	pool     *pool
	students []*user
	key      string // "homeroom/GRADE/COHORT" for an elementary cohort's own teacher, else the department
	n        int    // section number within the course, from 1
}

// school generates one school's batch: families of students and guardians, staff, courses, classes and
// enrollments, plus the school's tombstones (a withdrawn student, a dropped enrollment and, above elementary,
// a cancelled class).
func (g *generator) school(sp *schoolPlan) *batch {
	r := newRNG(g.seed, 1000+uint64(sp.index))
	info := levels[sp.lvl]
	school := sp.org
	b := &batch{}

	// Students in grade order; families form over a shuffled order so siblings span grades.
	var slots []string
	for _, gr := range info.grades {
		for range sp.perGrade[gr] {
			slots = append(slots, gr)
		}
	}
	students := make([]*user, len(slots))
	perm := r.Perm(len(slots))
	for i := 0; i < len(perm); {
		size := 1
		switch x := r.Float64(); {
		case x < 0.12:
			size = 3
		case x < 0.45:
			size = 2
		}
		size = min(size, len(perm)-i)
		family := pick(r, familyNames)
		guardians := g.guardians(r, family, school, b)
		for _, idx := range perm[i : i+size] {
			students[idx] = g.student(r, slots[idx], family, school, guardians)
		}
		i += size
	}
	b.students, b.nStudents = students, len(students)

	// Tombstones and the student who also attends a high school.
	var withdrawn, dropper *user
	if n := len(students); n >= 3 {
		withdrawn, dropper = students[n-1], students[1]
		withdrawn.status = oneroster.StatusToBeDeleted
		withdrawn.demo.status = oneroster.StatusToBeDeleted
	}
	if sp.lvl == middle {
		for _, st := range students {
			if st.grade == "08" && st != withdrawn {
				hs := sp.levelIndex % g.nHigh
				g.visitors[hs] = append(g.visitors[hs], st)
				break
			}
		}
	}
	for _, st := range students {
		b.roles = append(b.roles, g.role(st, school, "student", "primary"))
	}

	// Administration and support staff.
	nst := len(students)
	g.hire(r, b, school, "admin", "principal", 1)
	if nst >= 500 {
		g.hire(r, b, school, "admin", "siteAdministrator", 1)
	}
	g.hire(r, b, school, "counselor", "counselor", (nst+399)/400)
	perAide := 300
	if sp.lvl == elementary {
		perAide = 120
	}
	g.hire(r, b, school, "aide", "aide", (nst+perAide-1)/perAide)

	// Courses: pool the students by the course they take in each slot.
	var pools []*pool
	byCode := map[string]*pool{}
	for s, slot := range info.slots {
		for _, st := range students {
			opts := slot(st.grade)
			d := opts[0]
			if len(opts) > 1 {
				d = opts[r.IntN(len(opts))]
			}
			p := byCode[d.code]
			if p == nil {
				p = &pool{def: d, slot: s, grades: map[string]bool{}}
				byCode[d.code], pools = p, append(pools, p)
			}
			for _, gr := range d.grades {
				p.grades[gr] = true
			}
			p.students = append(p.students, st)
		}
	}
	if p := byCode["ALG1"]; p != nil && sp.lvl == high {
		for _, v := range g.visitors[sp.levelIndex] {
			p.students = append(p.students, v)
			b.roles = append(b.roles, g.role(v, school, "student", "primary"))
		}
	}

	sections := g.sections(r, sp, info, pools)
	g.staffSections(r, b, sp, info, sections, dropper)
	return b
}

// sections splits each pool: elementary pools follow the grade's cohorts (homerooms), so that a cohort stays
// together all day; other pools are shuffled and cut into even sections no larger than the level allows.
func (g *generator) sections(r rng, sp *schoolPlan, info *levelInfo, pools []*pool) []*section {
	cohort := map[*user]int{}
	cohorts := map[string]int{}
	if sp.lvl == elementary {
		for _, gr := range info.grades {
			var in []*user
			for _, p := range pools {
				if p.slot == 0 && p.def.grades[0] == gr {
					in = p.students
				}
			}
			k := (len(in) + info.sectionSize - 1) / info.sectionSize
			cohorts[gr] = k
			order := r.Perm(len(in))
			for pos, i := range order {
				cohort[in[i]] = pos % k
			}
		}
	}
	var out []*section
	for _, p := range pools {
		if sp.lvl == elementary {
			gr := p.def.grades[0]
			secs := make([]*section, cohorts[gr])
			for c := range secs {
				key := p.def.dept
				if key == "homeroom" {
					key = "homeroom/" + gr + "/" + strconv.Itoa(c)
				}
				secs[c] = &section{pool: p, key: key, n: c + 1}
			}
			for _, st := range p.students {
				secs[cohort[st]].students = append(secs[cohort[st]].students, st)
			}
			out = append(out, secs...)
			continue
		}
		st := append([]*user(nil), p.students...)
		r.Shuffle(len(st), func(i, j int) { st[i], st[j] = st[j], st[i] })
		k := (len(st) + info.sectionSize - 1) / info.sectionSize
		for j := range k {
			out = append(out, &section{pool: p, students: st[j*len(st)/k : (j+1)*len(st)/k], key: p.def.dept, n: j + 1})
		}
	}
	return out
}

// staffSections hires the teachers the sections need, turns sections into classes with courses, and enrolls
// teachers and students. An elementary cohort has one teacher for its homeroom and core classes; elsewhere a
// department's sections go to its teachers a few at a time. About one class in twenty gets a second,
// non-primary teacher. Every eighth school borrows an arts teacher from the school generated before it.
func (g *generator) staffSections(r rng, b *batch, sp *schoolPlan, info *levelInfo, sections []*section,
	dropper *user) {
	school := sp.org
	teachersOf := map[string][]*user{}
	var teachers []*user
	room := map[*user]int{}
	hireTeacher := func(key string) {
		t := g.staff(r, school, "teacher")
		teachersOf[key] = append(teachersOf[key], t)
		teachers = append(teachers, t)
		room[t] = 100 + len(teachers)
		b.staff = append(b.staff, t)
		b.roles = append(b.roles, g.role(t, school, "teacher", "primary"))
	}
	type assignment struct {
		teacher *user
		period  string
	}
	assigned := make([]assignment, len(sections))
	count := map[string]int{}
	for i, sec := range sections {
		if strings.HasPrefix(sec.key, "homeroom/") {
			if teachersOf[sec.key] == nil {
				hireTeacher(sec.key)
			}
			assigned[i] = assignment{teachersOf[sec.key][0], strconv.Itoa(sec.pool.slot + 1)}
			continue
		}
		pos := count[sec.key]
		count[sec.key]++
		if pos%info.perTeacher == 0 {
			hireTeacher(sec.key)
		}
		list := teachersOf[sec.key]
		assigned[i] = assignment{list[len(list)-1], strconv.Itoa(pos%info.perTeacher%7 + 1)}
	}
	if g.shared != nil && sp.index%8 == 1 {
		for i := len(sections) - 1; i >= 0; i-- {
			if sections[i].key == "arts" {
				assigned[i].teacher = g.shared
				room[g.shared] = 100 + len(teachers) + 1
				b.roles = append(b.roles, g.role(g.shared, school, "teacher", "primary"),
					g.role(g.shared, school, "proctor", "secondary"))
				break
			}
		}
	}
	g.shared = nil
	if arts := teachersOf["arts"]; len(arts) > 0 {
		g.shared = arts[0]
	}

	courses := map[string]*course{}
	courseOf := func(p *pool) *course {
		if c := courses[p.def.code]; c != nil {
			return c
		}
		c := &course{sid: g.ids.new(kindCourse), title: p.def.title, code: p.def.code, grades: sortGrades(p.grades),
			subjects: []string{p.def.subject}, subjectCodes: []string{p.def.subjectCode}, org: school, year: g.year}
		courses[p.def.code] = c
		b.courses = append(b.courses, c)
		return c
	}
	taught := map[*user]map[string]bool{}
	lastSlot := len(info.slots) - 1
	for i, sec := range sections {
		if len(sec.students) == 0 {
			continue
		}
		a := assigned[i]
		grades := map[string]bool{}
		for _, st := range sec.students {
			grades[st.grade] = true
		}
		cl := g.class(sec.pool, courseOf(sec.pool), school, sec.n, a.teacher, room[a.teacher], a.period, grades)
		b.classes = append(b.classes, cl)
		b.enrollments = append(b.enrollments, g.enroll(a.teacher, cl, "teacher", true, cl.status))
		addGrades(taught, a.teacher, grades)
		if len(teachers) > 1 && r.chance(0.05) {
			co := teachers[r.IntN(len(teachers))]
			if co != a.teacher {
				b.enrollments = append(b.enrollments, g.enroll(co, cl, "teacher", false, cl.status))
				addGrades(taught, co, grades)
			}
		}
		for _, st := range sec.students {
			e := g.enroll(st, cl, "student", false, st.status)
			if st == dropper && sec.pool.slot == lastSlot {
				e.status, e.begin, e.end = oneroster.StatusToBeDeleted, dropBegin, dropEnd
			}
			b.enrollments = append(b.enrollments, e)
		}
	}
	// Above elementary, one section of the last slot's first course was cancelled after scheduling.
	if sp.lvl != elementary {
		for i, sec := range sections {
			if sec.pool.slot == lastSlot {
				n := 1
				for _, s := range sections {
					if s.pool == sec.pool {
						n = max(n, s.n+1)
					}
				}
				a := assigned[i]
				cl := g.class(sec.pool, courseOf(sec.pool), school, n, a.teacher, room[a.teacher], a.period,
					map[string]bool{})
				cl.status = oneroster.StatusToBeDeleted
				b.classes = append(b.classes, cl)
				b.enrollments = append(b.enrollments, g.enroll(a.teacher, cl, "teacher", true, cl.status))
				break
			}
		}
	}
	for _, t := range teachers {
		t.grades = sortGrades(taught[t])
	}
}

// class builds the class of a section.
func (g *generator) class(p *pool, c *course, school *org, n int, teacher *user, room int, period string,
	grades map[string]bool) *class {
	typ := "scheduled"
	if p.def.homeroom {
		typ = "homeroom"
	}
	terms := g.terms
	if p.def.semester {
		terms = g.terms[(n+1)%2 : (n+1)%2+1] // odd sections in the fall, even ones in the spring
	}
	if len(grades) == 0 {
		grades = p.grades
	}
	return &class{sid: g.ids.new(kindClass), status: oneroster.StatusActive, title: p.def.title + " - " + teacher.family,
		code: fmt.Sprintf("%s-%02d", p.def.code, n), typ: typ, location: "Room " + strconv.Itoa(room),
		grades: sortGrades(grades), subjects: c.subjects, subjectCodes: c.subjectCodes, periods: []string{period},
		course: c, school: school, terms: terms}
}

func (g *generator) enroll(u *user, cl *class, roleName string, primary bool, status string) *enrollment {
	return &enrollment{sid: g.ids.new(kindEnrollment), status: status, role: roleName, primary: primary, user: u,
		class: cl, school: cl.school}
}

// hire adds n staff members of a kind with a primary role at the school.
func (g *generator) hire(r rng, b *batch, school *org, kind, roleName string, n int) {
	for range n {
		u := g.staff(r, school, kind)
		b.staff = append(b.staff, u)
		b.roles = append(b.roles, g.role(u, school, roleName, "primary"))
	}
}

// guardians creates a family's one or two guardians with their roles: parents mostly, sometimes a guardian
// or another relative, who may carry another family name.
func (g *generator) guardians(r rng, family string, school *org, b *batch) []*user {
	roleName := "parent"
	switch x := r.Float64(); {
	case x < 0.06:
		roleName = "guardian"
	case x < 0.08:
		roleName = "relative"
	}
	n := 1
	if r.chance(0.65) {
		n = 2
	}
	out := make([]*user, n)
	for i := range out {
		sex := "female"
		if (i == 1) != r.chance(0.2) {
			sex = "male"
		}
		fam := family
		if (i == 1 && r.chance(0.3)) || (roleName != "parent" && r.chance(0.5)) {
			fam = pick(r, familyNames)
		}
		u := g.person(r, givenName(r, sex), fam, sex, school, "guardian")
		out[i] = u
		b.staff = append(b.staff, u)
		b.roles = append(b.roles, g.role(u, school, roleName, "primary"))
	}
	return out
}

// student creates a student of the grade with their demographics, linked to their guardians as agents.
func (g *generator) student(r rng, grade, family string, school *org, guardians []*user) *user {
	sex := "female"
	switch x := r.Float64(); {
	case x < 0.485:
		sex = "male"
	case x < 0.5:
		sex = "other"
	case x < 0.515:
		sex = "unspecified"
	}
	u := g.person(r, givenName(r, sex), family, sex, school, "student")
	u.grade, u.grades, u.agents = grade, []string{grade}, guardians
	u.demo = demographics(r, grade, sex)
	return u
}

// demographics draws a student's demographics: a birth date that fits the grade (age 5 on 1 September 2026 in
// kindergarten), race and ethnicity flags (all set, true or false), place of birth and residence status.
func demographics(r rng, grade, sex string) *demographic {
	gi := 0
	for i, gc := range gradeCodes {
		if gc == grade {
			gi = i
		}
	}
	first := time.Date(2020-gi, time.September, 2, 0, 0, 0, 0, time.UTC)
	d := &demographic{status: oneroster.StatusActive, sex: sex,
		birthDate: first.AddDate(0, 0, r.IntN(365)).Format(time.DateOnly)}
	switch x := r.Float64(); {
	case x < 0.06: // two or more races
		a := r.IntN(5)
		b := (a + 1 + r.IntN(4)) % 5
		d.race[a], d.race[b], d.race[5] = true, true, true
	default:
		weights := []float64{0.02, 0.13, 0.15, 0.01, 0.69}
		y, acc := r.Float64(), 0.0
		for i, w := range weights {
			acc += w
			if y < acc || i == len(weights)-1 {
				d.race[i] = true
				break
			}
		}
	}
	d.race[6] = r.chance(0.3)
	switch x := r.Float64(); {
	case x < 0.75:
		d.country, d.state, d.city = "US", "CA", pick(r, localCities)
	case x < 0.85:
		c := pick(r, usCities)
		d.country, d.state, d.city = "US", c.state, c.city
	default:
		c := pick(r, foreignCities)
		d.country, d.city = c.country, c.city
	}
	switch x := r.Float64(); {
	case x < 0.9:
		d.residence = "01652"
	case x < 0.97:
		d.residence = "01653"
	default:
		d.residence = "01654"
	}
	return d
}

func addGrades(taught map[*user]map[string]bool, t *user, grades map[string]bool) {
	if taught[t] == nil {
		taught[t] = map[string]bool{}
	}
	for gr := range grades {
		taught[t][gr] = true
	}
}

// sortGrades lists a set of grade codes in school order (KG first); nil for an empty set.
func sortGrades(set map[string]bool) []string {
	var out []string
	for _, gr := range gradeCodes {
		if set[gr] {
			out = append(out, gr)
		}
	}
	return out
}
