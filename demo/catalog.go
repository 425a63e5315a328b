package demo

import "strings"

// level is a school level: elementary, middle or high school.
type level int

const (
	elementary level = iota
	middle
	high
)

// levelInfo describes a school level: its grades (CEDS codes), the usual size of its schools, and the seven
// slots of a student's schedule.
type levelInfo struct {
	suffix string // "Elementary School"
	grades []string
	target int // students per school the planner aims for
	// slots lists, for each of the seven schedule slots, the courses a student of a grade may take in it;
	// a student takes one of them (picked at random when there are several).
	slots []func(grade string) []courseDef
	// sectionSize is the largest section; perTeacher the sections one teacher takes, per department.
	sectionSize, perTeacher int
}

// courseDef is a course of the catalog. Its code is unique within a school (and names the course there).
type courseDef struct {
	title, code, subject, subjectCode string
	grades                            []string
	dept                              string // teachers are hired per department
	homeroom                          bool   // a homeroom (class type homeroom); elementary homerooms anchor cohorts
	semester                          bool   // taught in one term only (the others are full-year)
}

var gradeCodes = []string{"KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"}

// gradeTitle names a grade for titles: "Kindergarten", "Grade 3".
func gradeTitle(g string) string {
	if g == "KG" {
		return "Kindergarten"
	}
	return "Grade " + strings.TrimPrefix(g, "0")
}

// perGrade builds a slot whose course depends on the grade only.
func perGrade(dept, subject, code string, title func(g string) string, homeroom bool) func(string) []courseDef {
	return func(g string) []courseDef {
		return []courseDef{{title: title(g), code: code + "-" + g, subject: subject, subjectCode: sced(code, g),
			grades: []string{g}, dept: dept, homeroom: homeroom}}
	}
}

// choice builds a slot offering the same courses to every grade of the level.
func choice(grades []string, defs ...courseDef) func(string) []courseDef {
	for i := range defs {
		defs[i].grades = grades
	}
	return func(string) []courseDef { return defs }
}

// byGrade builds a slot from an explicit table grade -> courses.
func byGrade(dept, subject string, table map[string][]courseDef) func(string) []courseDef {
	for g, defs := range table {
		for i := range defs {
			defs[i].grades, defs[i].dept, defs[i].subject = []string{g}, dept, subject
		}
	}
	return func(g string) []courseDef { return table[g] }
}

// sced returns an illustrative SCED-style five-digit subject code: the two-digit subject area of the course
// family followed by a number derived from the grade.
func sced(code, grade string) string {
	area := map[string]string{"HR": "22", "ELA": "01", "MATH": "02", "SCI": "03", "SOC": "04", "ART": "05",
		"MUS": "05", "PE": "08"}[code]
	if area == "" {
		area = "22"
	}
	n := "0" + grade
	if grade == "KG" {
		n = "000"
	}
	return area + n
}

func def(title, code, subject, subjectCode, dept string) courseDef {
	return courseDef{title: title, code: code, subject: subject, subjectCode: subjectCode, dept: dept}
}

var levels = func() map[level]*levelInfo {
	el, mi, hi := gradeCodes[0:6], gradeCodes[6:9], gradeCodes[9:13]
	title := func(s string) func(string) string { return func(g string) string { return gradeTitle(g) + " " + s } }
	mid := func(s string) func(string) string {
		return func(g string) string { return s + " " + strings.TrimPrefix(g, "0") }
	}
	health := def("Health", "HLTH", "Health Education", "08051", "pe")
	health.semester = true
	mhealth := health
	mhealth.code = "HLTH-M"
	return map[level]*levelInfo{
		elementary: {suffix: "Elementary School", grades: el, target: 600, sectionSize: 24, perTeacher: 12,
			slots: []func(string) []courseDef{
				perGrade("homeroom", "Homeroom", "HR", title("Homeroom"), true),
				perGrade("homeroom", "English Language Arts", "ELA", title("Reading"), false),
				perGrade("homeroom", "Mathematics", "MATH", title("Mathematics"), false),
				perGrade("homeroom", "Science", "SCI", title("Science"), false),
				perGrade("arts", "Visual Arts", "ART", title("Art"), false),
				perGrade("arts", "Music", "MUS", title("Music"), false),
				perGrade("pe", "Physical Education", "PE", title("Physical Education"), false),
			}},
		middle: {suffix: "Middle School", grades: mi, target: 900, sectionSize: 30, perTeacher: 6,
			slots: []func(string) []courseDef{
				perGrade("english", "English Language Arts", "ELA", mid("English Language Arts"), false),
				perGrade("math", "Mathematics", "MATH", mid("Mathematics"), false),
				perGrade("science", "Science", "SCI", mid("Science"), false),
				perGrade("social", "Social Studies", "SOC", mid("Social Studies"), false),
				choice(mi, def("Physical Education", "PE-M", "Physical Education", "08001", "pe")),
				choice(mi, def("Art", "ART-M", "Visual Arts", "05154", "arts"), def("Band", "BAND-M", "Music", "05101", "arts"),
					def("Choir", "CHOIR-M", "Music", "05110", "arts"),
					def("Computer Science Discoveries", "CSD-M", "Computer Science", "10019", "tech")),
				choice(mi, def("Spanish I", "SPAN1-M", "World Languages", "06101", "languages"),
					def("Français I", "FREN1-M", "World Languages", "06201", "languages"), mhealth,
					def("STEM Lab", "STEM-M", "Engineering", "21007", "tech")),
			}},
		high: {suffix: "High School", grades: hi, target: 1400, sectionSize: 30, perTeacher: 6,
			slots: []func(string) []courseDef{
				perGrade("english", "English Language Arts", "ELA", mid("English"), false),
				byGrade("math", "Mathematics", map[string][]courseDef{
					"09": {def("Algebra I", "ALG1", "", "02052", "")},
					"10": {def("Geometry", "GEOM", "", "02072", "")},
					"11": {def("Algebra II", "ALG2", "", "02056", "")},
					"12": {def("Pre-Calculus", "PRECALC", "", "02110", ""), def("Statistics", "STATS", "", "02201", "")},
				}),
				byGrade("science", "Science", map[string][]courseDef{
					"09": {def("Biology", "BIO", "", "03051", "")},
					"10": {def("Chemistry", "CHEM", "", "03101", "")},
					"11": {def("Physics", "PHYS", "", "03151", "")},
					"12": {def("Environmental Science", "ENVSCI", "", "03003", ""),
						def("Anatomy & Physiology", "ANAT", "", "03053", "")},
				}),
				byGrade("social", "Social Studies", map[string][]courseDef{
					"09": {def("World Geography", "WGEO", "", "04001", "")},
					"10": {def("World History", "WHIST", "", "04051", "")},
					"11": {def("U.S. History", "USHIST", "", "04101", "")},
					"12": {def("Government & Economics", "GOVECON", "", "04151", "")},
				}),
				byGrade("pe", "Physical Education", map[string][]courseDef{
					"09": {def("Physical Education", "PE-09", "", "08001", "")},
					"10": {def("Physical Education", "PE-10", "", "08001", "")},
					"11": {health}, "12": {health},
				}),
				byGrade("languages", "World Languages", map[string][]courseDef{
					"09": {def("Spanish I", "SPAN1", "", "06101", ""), def("Français I", "FREN1", "", "06201", "")},
					"10": {def("Spanish II", "SPAN2", "", "06102", ""), def("Français II", "FREN2", "", "06202", "")},
					"11": {def("Spanish III", "SPAN3", "", "06103", ""), def("Français III", "FREN3", "", "06203", "")},
					"12": {def("AP Spanish Language & Culture", "APSPAN", "", "06112", ""),
						def("Français IV", "FREN4", "", "06204", "")},
				}),
				choice(hi, def("Art I", "ART1", "Visual Arts", "05154", "arts"),
					def("Concert Band", "BAND", "Music", "05101", "arts"), def("Choir", "CHOIR", "Music", "05110", "arts"),
					def("AP Computer Science Principles", "APCSP", "Computer Science", "10019", "tech"),
					def("Theater Arts", "THTR", "Drama", "05052", "arts"),
					def("Journalism", "JOURN", "English Language Arts", "01104", "english")),
			}},
	}
}()
