package csvbundle

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Mode says how a data file of a bundle is applied (SPEC §8.1).
type Mode string

// Modes of a data file.
const (
	Absent Mode = "absent" // not supplied: the entity is left alone
	Bulk   Mode = "bulk"   // a complete snapshot: records missing from it become tobedeleted
	Delta  Mode = "delta"  // only the changed rows: each row is upserted, or tombstoned with status tobedeleted
)

// ManifestFile is the name of the manifest every bundle has at its root.
const ManifestFile = "manifest.csv"

// manifest is a bundle's manifest.csv.
type manifest struct {
	Version string            // oneroster.version: "1.1" or "1.2"
	Files   map[string]Mode   // every data file of the version ("users.csv") and its mode
	Props   map[string]string // every property as written
	invalid map[string]bool   // files whose mode is not absent, bulk or delta (a problem is reported)
}

// report collects the problems (which fail an import) and warnings (which do not) of a bundle.
type report struct {
	problems
	warnings []string // the first MaxStoredProblems
	nwarn    int      // all of them
}

func (r *report) warn(format string, args ...any) {
	r.nwarn++
	if len(r.warnings) < MaxStoredProblems {
		r.warnings = append(r.warnings, fmt.Sprintf(format, args...))
	}
}

// readManifest reads and checks the manifest of src: the header, the version, a mode for each file, and that
// every file marked bulk or delta is present. It returns nil when the manifest cannot be used at all.
func readManifest(src Source, lim Limits, rep *report) *manifest {
	fail := func(line int, col, val, msg string) {
		rep.add(Problem{File: ManifestFile, Line: line, Column: col, Value: val, Message: msg})
	}
	if !slices.Contains(src.Files(), ManifestFile) {
		fail(0, "", "", "the bundle has no manifest.csv at its root (a bundle is a zip or folder holding manifest.csv and the data files)")
		return nil
	}
	rc, err := src.Open(ManifestFile)
	if err != nil {
		fail(0, "", "", fmt.Sprintf("cannot read: %v", err))
		return nil
	}
	defer rc.Close()
	rr := newRecordReader(io.LimitReader(rc, 1<<20), lim.MaxRecordBytes)
	m := &manifest{Props: map[string]string{}, Files: map[string]Mode{}, invalid: map[string]bool{}}
	lines := map[string]int{}
	header := true
	for {
		rec, line, err := rr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var re *readError
			if errors.As(err, &re) {
				fail(re.Line, "", "", re.Msg)
				if re.Fatal {
					return nil
				}
				continue
			}
			fail(0, "", "", fmt.Sprintf("cannot read: %v", err))
			return nil
		}
		if header {
			header = false
			if len(rec) != 2 || rec[0] != "propertyName" || rec[1] != "value" {
				fail(line, "", strings.Join(rec, ","), "the header must be exactly propertyName,value")
				return nil
			}
			continue
		}
		if len(rec) != 2 {
			fail(line, "", strings.Join(rec, ","), fmt.Sprintf("want 2 cells (propertyName,value), found %d", len(rec)))
			continue
		}
		prop, val := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1])
		if first, dup := lines[prop]; dup {
			fail(line, "propertyName", prop, fmt.Sprintf("property given twice (first on line %d)", first))
			continue
		}
		lines[prop] = line
		m.Props[prop] = val
	}
	if header {
		fail(0, "", "", "empty file: want the header propertyName,value and the manifest properties")
		return nil
	}
	m.Version = m.Props["oneroster.version"]
	switch m.Version {
	case "1.1", "1.2":
	case "":
		fail(0, "propertyName", "oneroster.version", "missing property oneroster.version (want 1.1 or 1.2)")
		return nil
	default:
		fail(lines["oneroster.version"], "value", m.Version, "unknown oneroster.version (want 1.1 or 1.2)")
		return nil
	}
	if v, ok := m.Props["manifest.version"]; ok && v != "1.0" {
		rep.warn("manifest.csv: manifest.version is %q; read as 1.0", v)
	}
	known := fileNames(m.Version)
	for prop, val := range m.Props {
		if !strings.HasPrefix(prop, "file.") {
			continue
		}
		name := strings.TrimSuffix(strings.TrimPrefix(prop, "file."), "*") + ".csv"
		if !slices.Contains(known, name) {
			rep.warn("manifest.csv:%d: %s is not a OneRoster %s file; ignored", lines[prop], prop, m.Version)
			continue
		}
		switch mode := Mode(val); mode {
		case Absent, Bulk, Delta:
			m.Files[name] = mode
		default:
			fail(lines[prop], "value", val, fmt.Sprintf("%s: want absent, bulk or delta", prop))
			m.invalid[name] = true
		}
	}
	present := src.Files()
	for _, name := range known {
		mode, ok := m.Files[name]
		if !ok {
			m.Files[name] = Absent
		}
		has := slices.Contains(present, name)
		switch {
		case mode != Absent && mode != "" && !has:
			fail(lines["file."+strings.TrimSuffix(name, ".csv")], "value", string(mode),
				fmt.Sprintf("the manifest says %s is %s, but the bundle has no %s", name, mode, name))
		case (mode == Absent || mode == "") && has && !m.invalid[name]:
			rep.warn("%s is in the bundle but the manifest marks it absent (or does not list it): ignored", name)
		}
	}
	for _, name := range present {
		if name != ManifestFile && !slices.Contains(known, name) {
			rep.warn("%s is not a OneRoster %s file: ignored", name, m.Version)
		}
	}
	return m
}
