package csvbundle

import (
	"fmt"
	"strings"
)

// MaxStoredProblems caps the problems kept (in memory and in the ImportRun row); every problem is counted.
const MaxStoredProblems = 1000

// Problem is one thing wrong with a bundle, located as precisely as the input allows: the file, the line the
// record starts on (1 = the header), the column, the offending value, and what was expected instead. Problems
// about the package as a whole (a missing manifest, a bad zip) leave File, Line or Column empty.
type Problem struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  string `json:"column,omitempty"`
	Value   string `json:"value,omitempty"`
	Message string `json:"message"`
}

// String formats the problem as "file:line: column col: value "v": message", leaving out what is unknown.
func (p Problem) String() string {
	var sb strings.Builder
	if p.File != "" {
		sb.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&sb, ":%d", p.Line)
		}
		sb.WriteString(": ")
	}
	if p.Column != "" {
		fmt.Fprintf(&sb, "column %s: ", p.Column)
	}
	if p.Value != "" {
		fmt.Fprintf(&sb, "value %q: ", p.Value)
	}
	sb.WriteString(p.Message)
	return sb.String()
}

// record returns the problem as the JSON object stored in ImportRun.errors.
func (p Problem) record() map[string]any {
	m := map[string]any{"message": p.Message}
	if p.File != "" {
		m["file"] = p.File
	}
	if p.Line > 0 {
		m["line"] = p.Line
	}
	if p.Column != "" {
		m["column"] = p.Column
	}
	if p.Value != "" {
		m["value"] = p.Value
	}
	return m
}

// maxValueLen bounds the value quoted in a problem, so that a huge cell does not make a huge report.
const maxValueLen = 200

// clip shortens a value for a problem report.
func clip(v string) string {
	if len(v) <= maxValueLen {
		return v
	}
	cut := maxValueLen
	for cut > 0 && v[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
		cut--
	}
	return v[:cut] + "…"
}

// problems collects problems: it keeps the first MaxStoredProblems and counts them all.
type problems struct {
	list  []Problem
	count int
}

func (ps *problems) add(p Problem) {
	ps.count++
	if len(ps.list) < MaxStoredProblems {
		p.Value = strings.Clone(clip(p.Value)) // not the row it was cut from
		ps.list = append(ps.list, p)
	}
}

// ValidationError is returned by Import when the bundle has problems; nothing was changed. Count is the number
// of problems found, Problems the first MaxStoredProblems of them in the order found.
type ValidationError struct {
	Count    int
	Problems []Problem
}

func (e *ValidationError) Error() string {
	if e.Count == 1 && len(e.Problems) == 1 {
		return "invalid bundle: " + e.Problems[0].String()
	}
	first := ""
	if len(e.Problems) > 0 {
		first = "; the first: " + e.Problems[0].String()
	}
	return fmt.Sprintf("invalid bundle: %d problems%s", e.Count, first)
}
