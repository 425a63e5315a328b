package gradebook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rollcall/rollcall/facade"
	"github.com/rollcall/rollcall/oneroster"
)

// MaxBody is the largest request body accepted (a POST of a class's results fits many times over).
const MaxBody = 4 << 20

// decodeObject parses a JSON object into its members, keeping their raw values. Malformed JSON, trailing
// data or a value that is not an object is a 400 invalid data in both versions.
func decodeObject(raw []byte, what string) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]json.RawMessage
	if err := dec.Decode(&m); err != nil {
		return nil, facade.InvalidData(what + " is not a JSON object: " + jsonProblem(err))
	}
	if m == nil {
		return nil, facade.InvalidData(what + " is not a JSON object: null")
	}
	if dec.More() {
		return nil, facade.InvalidData(what + " is not one JSON object: data follows it")
	}
	return m, nil
}

// jsonProblem describes a decoding error without Go type names.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("%s (at byte %d)", se.Error(), se.Offset)
	case errors.As(err, &te):
		return "found a JSON " + te.Value
	case errors.Is(err, io.EOF):
		return "the body is empty"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON ends early"
	}
	return err.Error()
}

// envelope returns the one member of a body that must be {"key": ...}: another key is a 422 naming it.
func envelope(body []byte, key string) (json.RawMessage, error) {
	m, err := decodeObject(body, "the request body")
	if err != nil {
		return nil, err
	}
	v, ok := m[key]
	if !ok || len(m) != 1 {
		var keys []string
		for k := range m {
			if k != key {
				keys = append(keys, quote(k))
			}
		}
		slices.Sort(keys)
		found := "no member"
		if len(keys) > 0 {
			found = "member " + strings.Join(keys, ", ")
		}
		return nil, facade.InvalidBody(fmt.Sprintf(`the request body must be {"%s": ...}; found %s`, key, found))
	}
	return v, nil
}

// obj reads the members of one record of a request body. Readers return the zero value once an error is
// recorded; the first error is the one reported. done refuses members nobody read.
type obj struct {
	at   string // where the record is, for messages: "lineItem", "results[2]"
	m    map[string]json.RawMessage
	read map[string]bool
	err  error
}

func newObj(raw json.RawMessage, at string) *obj {
	o := &obj{at: at, read: map[string]bool{}}
	var m map[string]json.RawMessage
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) || json.Unmarshal(raw, &m) != nil {
		o.err = facade.InvalidBody(at + " must be a JSON object")
		return o
	}
	o.m = m
	return o
}

// fail records an error about a member.
func (o *obj) fail(name, format string, args ...any) {
	if o.err == nil {
		o.err = facade.InvalidBody(o.at + "." + name + ": " + fmt.Sprintf(format, args...))
	}
}

// raw returns a member, or nil when it is absent or null (null counts as absent, as the binding omits
// absent members). A required member that is missing is an error.
func (o *obj) raw(name string, required bool) json.RawMessage {
	o.read[name] = true
	if o.err != nil {
		return nil
	}
	v, ok := o.m[name]
	if ok && string(bytes.TrimSpace(v)) == "null" {
		ok = false
	}
	if !ok {
		if required {
			o.fail(name, "required")
		}
		return nil
	}
	return v
}

// str reads a string member; required members must not be blank.
func (o *obj) str(name string, required bool) string {
	v := o.raw(name, required)
	if v == nil {
		return ""
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		o.fail(name, "must be a string, found %s", short(v))
		return ""
	}
	if required && strings.TrimSpace(s) == "" {
		o.fail(name, "must not be blank")
	}
	return s
}

// sourcedID reads a sourcedId member (1 to 255 printable ASCII characters).
func (o *obj) sourcedID(name string, required bool) string {
	s := o.str(name, required)
	if s != "" && oneroster.ValidateSourcedID(s) != nil {
		o.fail(name, "%s is not a valid sourcedId (1 to 255 printable ASCII characters, no spaces)", quote(s))
	}
	return s
}

// num reads a number: a JSON number, or a string holding one (some 1.1 clients send "95.5").
func (o *obj) num(name string, required bool) *float64 {
	v := o.raw(name, required)
	if v == nil {
		return nil
	}
	text := string(bytes.TrimSpace(v))
	var s string
	if json.Unmarshal(v, &s) == nil {
		text = strings.TrimSpace(s)
	} else if len(text) > 0 && (text[0] == '{' || text[0] == '[' || text[0] == 't' || text[0] == 'f') {
		o.fail(name, "must be a number, found %s", short(v))
		return nil
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		o.fail(name, "must be a number, found %s", short(v))
		return nil
	}
	return &f
}

// boolean reads a 1.2 boolean: the string "true" or "false" (a JSON boolean is accepted too).
func (o *obj) boolean(name string) *bool {
	v := o.raw(name, false)
	if v == nil {
		return nil
	}
	var b bool
	if json.Unmarshal(v, &b) == nil {
		return &b
	}
	var s string
	if json.Unmarshal(v, &s) == nil && (s == "true" || s == "false") {
		b = s == "true"
		return &b
	}
	o.fail(name, `must be "true" or "false", found %s`, short(v))
	return nil
}

// date reads a date, YYYY-MM-DD; a full date-time is accepted and its calendar date (as written) kept.
func (o *obj) date(name string, required bool) string {
	s := o.str(name, required)
	if s == "" {
		return ""
	}
	if oneroster.ValidateDate(s) == nil {
		return s
	}
	if t, ok := parseDateTime(s); ok && len(s) > 10 {
		return t.Format(time.DateOnly)
	}
	o.fail(name, "%s is not a date (want YYYY-MM-DD)", quote(s))
	return ""
}

// dateTime reads a date-time (ISO 8601 with a time zone; without one it is taken as UTC); a bare date means
// its midnight UTC (1.1 clients send dates).
func (o *obj) dateTime(name string, required bool) time.Time {
	s := o.str(name, required)
	if s == "" {
		return time.Time{}
	}
	t, ok := parseDateTime(s)
	if !ok {
		o.fail(name, "%s is not a date-time (want e.g. 2026-01-05T15:00:00.000Z, or a date 2026-01-05)", quote(s))
	}
	return t
}

var dateTimeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04Z07:00", time.DateOnly}

// parseDateTime parses the date-time forms clients send.
func parseDateTime(s string) (time.Time, bool) {
	for _, l := range dateTimeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			if l == time.DateOnly && len(s) != 10 {
				continue
			}
			return t, true
		}
	}
	return time.Time{}, false
}

// ref reads a GUIDRef ({"sourcedId": ..., "href": ..., "type": ...}); href and type may be left out, as many
// clients do, but a type that is given must be one of types.
func (o *obj) ref(name string, required bool, types ...string) string {
	v := o.raw(name, required)
	if v == nil {
		return ""
	}
	r := newObj(v, o.at+"."+name)
	sid := r.sourcedID("sourcedId", true)
	r.str("href", false)
	if t := r.str("type", false); t != "" && !slices.Contains(types, t) {
		r.fail("type", "%s is not a reference type here (want %s)", quote(t), strings.Join(types, " or "))
	}
	r.done()
	if r.err != nil && o.err == nil {
		o.err = r.err
	}
	return sid
}

// metadata reads the metadata object.
func (o *obj) metadata() map[string]any {
	v := o.raw("metadata", false)
	if v == nil {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(v, &m) != nil {
		o.fail("metadata", "must be a JSON object, found %s", short(v))
	}
	return m
}

// strict decodes a structured member (learning objectives, score scale values) refusing unknown members.
func (o *obj) strict(name string, into any) bool {
	v := o.raw(name, false)
	if v == nil {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		o.fail(name, "is not valid: %s", strings.TrimPrefix(err.Error(), "json: "))
		return false
	}
	return true
}

// base reads the members every record has: the sourcedId (which must be the path's, when the path names
// one), status (a write makes a record active: tobedeleted is refused, DELETE deletes), dateLastModified
// (checked, then ignored: the server stamps it) and metadata.
func (o *obj) base(pathID string, required bool) (string, map[string]any) {
	sid := o.sourcedID("sourcedId", required)
	if pathID != "" && sid != "" && sid != pathID {
		o.fail("sourcedId", "%s differs from the sourcedId in the path, %s", quote(sid), quote(pathID))
	}
	if sid == "" {
		sid = pathID
	}
	switch st := o.str("status", false); st {
	case "", oneroster.StatusActive:
	case oneroster.StatusToBeDeleted:
		o.fail("status", "a write cannot set tobedeleted: send DELETE to delete a record")
	default:
		o.fail("status", "%s is not a status (want active)", quote(st))
	}
	if s := o.str("dateLastModified", false); s != "" {
		if _, ok := parseDateTime(s); !ok {
			o.fail("dateLastModified", "%s is not a date-time", quote(s))
		}
	}
	return sid, o.metadata()
}

// done refuses members that were not read (the schemas are closed).
func (o *obj) done() {
	if o.err != nil {
		return
	}
	var extra []string
	for k := range o.m {
		if !o.read[k] {
			extra = append(extra, k)
		}
	}
	if len(extra) > 0 {
		slices.Sort(extra)
		o.err = facade.InvalidBody(fmt.Sprintf("%s: unknown member %s", o.at, quote(extra[0])))
	}
}

// short renders a JSON value for a message.
func short(v json.RawMessage) string {
	s := string(bytes.TrimSpace(v))
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return s
}

// quote renders caller text for a message: single-quoted and shortened.
func quote(s string) string {
	if len(s) > 80 {
		s = strings.ToValidUTF8(s[:80], "") + "…"
	}
	return "'" + s + "'"
}
