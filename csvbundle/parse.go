package csvbundle

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/oneroster"
)

// metaPrefix starts the header of an extension column, stored in the record's metadata (SPEC §8.1).
const metaPrefix = "metadata."

// layout maps the header of one file onto its spec.
type layout struct {
	spec  *fileSpec
	mode  Mode
	width int   // cells per row
	idx   []int // per spec column: its cell index, or -1 when the file lacks it
	sid   int
	stat  int // -1 when absent
	dlm   int // -1 when absent
	meta  []metaCol
}

type metaCol struct {
	idx  int
	name string   // the header, e.g. metadata.jp.kanaGivenName
	path []string // the keys in metadata, e.g. [jp kanaGivenName]
}

// newLayout checks a header row against spec. It returns nil when the file cannot be read (a required column
// is missing, a column appears twice, or metadata columns clash); the problems say why.
func newLayout(spec *fileSpec, mode Mode, header []string, rep *report) *layout {
	l := &layout{spec: spec, mode: mode, width: len(header), sid: -1, stat: -1, dlm: -1}
	fail := func(column, msg string) { rep.add(Problem{File: spec.name, Line: 1, Column: column, Message: msg}) }
	seen := map[string]int{}
	ok := true
	var unknown []string
	for i, h := range header {
		if j, dup := seen[h]; dup {
			fail(h, fmt.Sprintf("column appears twice in the header (cells %d and %d)", j+1, i+1))
			ok = false
			continue
		}
		seen[h] = i
		switch {
		case h == "sourcedId":
			l.sid = i
		case h == "status":
			l.stat = i
		case h == "dateLastModified":
			l.dlm = i
		case strings.HasPrefix(h, metaPrefix):
			path := strings.Split(strings.TrimPrefix(h, metaPrefix), ".")
			if slices.Contains(path, "") {
				fail(h, "a metadata column must be named metadata.NAME (dots separate nested keys)")
				ok = false
				continue
			}
			l.meta = append(l.meta, metaCol{idx: i, name: h, path: path})
		case spec.col(h) == nil:
			if spec.name == "demographics.csv" && h == "userSourcedId" {
				continue // the 1.0 name of the first column, taken below when sourcedId is absent
			}
			unknown = append(unknown, fmt.Sprintf("%q", h))
		}
	}
	if l.sid < 0 {
		if i, ok := seen["userSourcedId"]; ok && spec.name == "demographics.csv" {
			l.sid = i
		} else {
			fail("sourcedId", "missing required column sourcedId")
			ok = false
		}
	}
	if len(unknown) > 0 {
		rep.warn("%s: unknown columns ignored: %s", spec.name, strings.Join(unknown, ", "))
	}
	l.idx = make([]int, len(spec.cols))
	for i, c := range spec.cols {
		j, has := seen[c.name]
		switch {
		case has:
			l.idx[i] = j
		case c.req:
			fail(c.name, "missing required column "+c.name)
			ok = false
			l.idx[i] = -1
		default:
			l.idx[i] = -1
		}
	}
	for i, a := range l.meta {
		for _, b := range l.meta[i+1:] {
			if isPrefix(a.path, b.path) || isPrefix(b.path, a.path) {
				fail(b.name, fmt.Sprintf("clashes with column %s: one metadata key cannot hold both a value and nested keys", a.name))
				ok = false
			}
		}
	}
	if !ok {
		return nil
	}
	return l
}

func isPrefix(a, b []string) bool { return len(a) <= len(b) && slices.Equal(a, b[:len(a)]) }

// has reports whether the file has spec column i.
func (l *layout) has(i int) bool { return l.idx[i] >= 0 }

// row is one parsed row. vals holds per spec column the value of a kind's parse (see parseCell), nil when the
// file lacks the column or the cell is blank and nullable.
type row struct {
	line   int
	sid    string
	status string
	bare   bool // a status-only tombstone: status tobedeleted and every data cell blank (records files only)
	vals   []any
	meta   []string
	creds  []oneroster.Credential
}

// parse reads one record. It returns nil when the row cannot be used at all (wrong number of cells, no valid
// sourcedId); every problem is added to ps.
func (l *layout) parse(rec []string, line int, ps *problems) *row {
	file := l.spec.name
	if len(rec) != l.width {
		ps.add(Problem{File: file, Line: line, Message: fmt.Sprintf("the row has %d cells, the header has %d", len(rec), l.width)})
		return nil
	}
	r := &row{line: line, sid: rec[l.sid], status: oneroster.StatusActive}
	if r.sid == "" {
		ps.add(Problem{File: file, Line: line, Column: "sourcedId", Message: "missing value: every row needs a sourcedId"})
		return nil
	}
	if !validSID(r.sid) {
		ps.add(Problem{File: file, Line: line, Column: "sourcedId", Value: r.sid,
			Message: "want 1 to 255 printable ASCII characters without spaces"})
		return nil
	}
	if l.stat >= 0 && rec[l.stat] != "" {
		switch v := rec[l.stat]; v {
		case oneroster.StatusActive, oneroster.StatusToBeDeleted:
			r.status = v
		case "inactive": // removed in 1.1; read as tobedeleted (SPEC §5.1)
			r.status = oneroster.StatusToBeDeleted
		default:
			ps.add(Problem{File: file, Line: line, Column: "status", Value: v, Message: "want active or tobedeleted"})
		}
	} else if l.mode == Delta {
		ps.add(Problem{File: file, Line: line, Column: "status", Message: "missing value: rows of a delta file need a status (active or tobedeleted)"})
	}
	if l.dlm >= 0 && rec[l.dlm] != "" {
		if _, err := parseDateTime(rec[l.dlm]); err != nil {
			ps.add(Problem{File: file, Line: line, Column: "dateLastModified", Value: rec[l.dlm], Message: err.Error()})
		}
	} else if l.mode == Delta {
		ps.add(Problem{File: file, Line: line, Column: "dateLastModified", Message: "missing value: rows of a delta file need a dateLastModified"})
	}
	r.vals = make([]any, len(l.spec.cols))
	if r.status == oneroster.StatusToBeDeleted && (l.spec.kind == fRecords || l.spec.kind == fProfiles) {
		r.bare = true
		for i := range l.spec.cols {
			if l.idx[i] >= 0 && rec[l.idx[i]] != "" {
				r.bare = false
				break
			}
		}
		if r.bare {
			return r
		}
	}
	var credType, credUser, credPass string
	for i := range l.spec.cols {
		c := &l.spec.cols[i]
		if l.idx[i] < 0 {
			continue
		}
		cell := rec[l.idx[i]]
		if c.kind == kCred {
			switch c.name {
			case "credentialType":
				credType = cell
			case "username":
				credUser = cell
			default:
				credPass = cell
			}
			continue
		}
		if cell == "" {
			if c.req {
				ps.add(Problem{File: file, Line: line, Column: c.name, Message: "missing value: " + c.name + " is required"})
			}
			r.vals[i] = c.def
			continue
		}
		v, err := parseCell(c, cell)
		if err != nil {
			ps.add(Problem{File: file, Line: line, Column: c.name, Value: cell, Message: err.Error()})
			continue
		}
		r.vals[i] = v
	}
	if credType != "" || credUser != "" || credPass != "" {
		if credType == "" || credUser == "" {
			ps.add(Problem{File: file, Line: line, Column: "credentialType", Message: "a credential needs both credentialType and username"})
		} else {
			r.creds = []oneroster.Credential{{Type: credType, Username: credUser, Password: credPass}}
		}
	}
	if len(l.meta) > 0 {
		r.meta = make([]string, len(l.meta))
		for i, m := range l.meta {
			r.meta[i] = rec[m.idx]
		}
	}
	return r
}

// loSource is the vocabulary of learning objective sources: case, unknown, or another lowercase token.
func checkLOSource(s string) error {
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			return fmt.Errorf("want case, unknown, or another lowercase token of letters and digits")
		}
	}
	return nil
}

// parseCell parses a non-blank cell of column c. Values: string for the text, enum, date and year kinds and for
// a single sourcedId; bool; float64; time.Time; []string for lists and lists of sourcedIds; []oneroster.UserID;
// []oneroster.ScoreScaleValue.
func parseCell(c *col, cell string) (any, error) {
	switch c.kind {
	case kText, kIgnore:
		if c.name == "source" && c.field == "" {
			return cell, checkLOSource(cell)
		}
		return cell, nil
	case kEnum, kNullEnum, kRole11:
		return cell, checkVocab(c.voc, cell)
	case kDate, kNullDate:
		return parseDate(cell)
	case kYear:
		return parseYear(cell)
	case kBool, kNullBool:
		return parseBool(cell)
	case kNullFloat:
		return parseFloat(cell)
	case kTime:
		t, err := parseDateTime(cell)
		if err != nil {
			return nil, err
		}
		return t, nil
	case kList:
		return parseList(cell), nil
	case kEnumList:
		items := parseList(cell)
		for _, it := range items {
			if err := checkVocab(c.voc, it); err != nil {
				return nil, fmt.Errorf("item %q: %v", it, err)
			}
		}
		return items, nil
	case kUserIDs:
		return parseUserIDs(cell)
	case kScale:
		return parseScaleValues(cell)
	case kRef, kCheck:
		return cell, checkSourcedID(cell)
	case kRefs, kOrgs11:
		items := parseList(cell)
		for _, it := range items {
			if err := checkSourcedID(it); err != nil {
				return nil, fmt.Errorf("item %q: %v", it, err)
			}
		}
		return items, nil
	}
	return nil, fmt.Errorf("column %s cannot be read (kind %d)", c.name, c.kind)
}

// validSID is oneroster.ValidateSourcedID without a regular expression (it runs for every reference of
// every row): 1 to 255 printable ASCII characters, no spaces.
func validSID(s string) bool {
	if len(s) == 0 || len(s) > 255 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

func checkSourcedID(s string) error {
	if !validSID(s) {
		return fmt.Errorf("want a sourcedId: 1 to 255 printable ASCII characters without spaces")
	}
	return nil
}

func checkVocab(v *oneroster.Vocabulary, s string) error {
	if v.Validate(s) == nil {
		return nil
	}
	ext := ""
	if v.Extensible {
		ext = ", or an ext: token"
	}
	return fmt.Errorf("want a %s: one of %s%s", v.Name, strings.Join(v.Values, ", "), ext)
}

// buildMeta merges the metadata cells of r into cur (not modified) and returns the result, nil when empty: a
// blank cell removes its key, others set it; keys without a column are kept.
func (l *layout) buildMeta(cur map[string]any, r *row) map[string]any {
	out := deepCopy(cur)
	for i, m := range l.meta {
		if r.meta[i] == "" {
			deletePath(out, m.path)
		} else {
			if out == nil {
				out = map[string]any{}
			}
			setPath(out, m.path, r.meta[i])
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func deepCopy(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			v = deepCopy(sub)
		}
		out[k] = v
	}
	return out
}

func setPath(m map[string]any, path []string, v string) {
	for _, k := range path[:len(path)-1] {
		sub, ok := m[k].(map[string]any)
		if !ok {
			sub = map[string]any{}
			m[k] = sub
		}
		m = sub
	}
	m[path[len(path)-1]] = v
}

// deletePath removes a key and the objects it leaves empty.
func deletePath(m map[string]any, path []string) {
	if m == nil {
		return
	}
	if len(path) == 1 {
		delete(m, path[0])
		return
	}
	sub, ok := m[path[0]].(map[string]any)
	if !ok {
		return
	}
	deletePath(sub, path[1:])
	if len(sub) == 0 {
		delete(m, path[0])
	}
}
