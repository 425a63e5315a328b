package query

import "slices"

// Fields is the parsed fields parameter (SPEC §3.5).
type Fields struct {
	Requested []string // the names asked for, deduplicated, in order (re-emitted by Encode)
	Known     []string // the requested names the catalogue declares Selectable
	Unknown   []string // the others: ignored, with a warning in 1.1
}

// ParseFields parses the values of the fields parameter (nil when absent): comma lists, repeated
// parameters concatenated, white space around names ignored, duplicates dropped. A blank parameter
// or a blank name in the list ("fields=", "fields=a,,b") is a CodeInvalidBlankSelectionField error.
// Unknown names are not an error; they are returned in Unknown.
func ParseFields(values []string, c *Catalogue) (Fields, error) {
	if values == nil {
		return Fields{}, nil
	}
	names, err := splitList("fields", values)
	if err != nil {
		return Fields{}, err
	}
	var f Fields
	for _, name := range names {
		if name == "" {
			return Fields{}, paramErr(CodeInvalidBlankSelectionField, ReasonEmpty, "fields", "", "fields: a blank field name was given")
		}
		f.Requested = append(f.Requested, name)
		if _, ok := c.lookupFor(name, Selectable); ok {
			f.Known = append(f.Known, name)
		} else {
			f.Unknown = append(f.Unknown, name)
		}
	}
	return f, nil
}

// All reports whether every field is to be returned: no selection was made, or none of the selected
// names is known (the specification then returns ALL data for each record).
func (f Fields) All() bool { return len(f.Known) == 0 }

// Has reports whether a field is to be rendered.
func (f Fields) Has(name string) bool { return f.All() || slices.Contains(f.Known, name) }
