package cache

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// dlmZero stands for dateLastModified in a body until the record is stamped; every stamp has this width.
const dlmZero = "0000-00-00T00:00:00.000Z"

// dlmLayout is how dateLastModified and other datetimes are published: UTC, milliseconds, Z.
const dlmLayout = "2006-01-02T15:04:05.000Z"

// formatMs formats Unix milliseconds as a published datetime.
func formatMs(ms int64) string { return time.UnixMilli(ms).UTC().Format(dlmLayout) }

// obj writes one compact JSON object, member by member, in the order of the calls. Optional members are
// skipped when empty, as the standard wants (never null, SPEC §4.1).
type obj struct {
	b     []byte
	first bool
}

func newObj(b []byte) *obj { return &obj{b: append(b, '{'), first: true} }

// key starts a member.
func (o *obj) key(k string) {
	if !o.first {
		o.b = append(o.b, ',')
	}
	o.first = false
	o.b = appendString(o.b, k)
	o.b = append(o.b, ':')
}

// end closes the object and returns its bytes.
func (o *obj) end() []byte { return append(o.b, '}') }

// str writes a string member, always.
func (o *obj) str(k, v string) { o.key(k); o.b = appendString(o.b, v) }

// opt writes a string member unless v is empty.
func (o *obj) opt(k, v string) {
	if v != "" {
		o.str(k, v)
	}
}

// optp writes a string member unless v is nil or empty.
func (o *obj) optp(k string, v *string) {
	if v != nil {
		o.opt(k, *v)
	}
}

// boolStr writes a boolean as the string "true" or "false", as both versions publish booleans.
func (o *obj) boolStr(k string, v bool) { o.str(k, strconv.FormatBool(v)) }

// optBool writes a nullable boolean as "true"/"false" unless it is nil.
func (o *obj) optBool(k string, v *bool) {
	if v != nil {
		o.boolStr(k, *v)
	}
}

// num writes a number member unless v is nil or not finite.
func (o *obj) num(k string, v *float64) {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return
	}
	o.key(k)
	o.b = appendFloat(o.b, *v)
}

// strs writes an array of strings unless it is empty.
func (o *obj) strs(k string, vs []string) {
	if len(vs) == 0 {
		return
	}
	o.key(k)
	o.b = append(o.b, '[')
	for i, v := range vs {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		o.b = appendString(o.b, v)
	}
	o.b = append(o.b, ']')
}

// raw writes a member whose value is already JSON, unless it is empty.
func (o *obj) raw(k string, v []byte) {
	if len(v) == 0 {
		return
	}
	o.key(k)
	o.b = append(o.b, v...)
}

// ref is a GUIDRef to be written: the referenced collection and sourcedId.
type ref struct {
	coll Collection
	sid  string
}

// appendRef writes a GUIDRef object {"href":..., "sourcedId":..., "type":...}. The href is a placeholder byte
// (the root of the collection's service) and "/collection/sourcedId".
func appendRef(b []byte, r ref) []byte {
	ci := r.coll.info()
	b = append(b, `{"href":"`...)
	b = append(b, placeholderRostering+byte(ci.svc))
	b = append(b, '/')
	b = append(b, r.coll...)
	b = append(b, '/')
	b = appendStringBody(b, pathEscape(r.sid))
	b = append(b, `","sourcedId":`...)
	b = appendString(b, r.sid)
	b = append(b, `,"type":"`...)
	b = append(b, ci.refType...)
	return append(b, `"}`...)
}

// ref writes a GUIDRef member unless sid is empty.
func (o *obj) ref(k string, c Collection, sid string) {
	if sid == "" {
		return
	}
	o.key(k)
	o.b = appendRef(o.b, ref{c, sid})
}

// refs writes an array of GUIDRefs unless it is empty.
func (o *obj) refs(k string, c Collection, sids []string) {
	if len(sids) == 0 {
		return
	}
	o.key(k)
	o.b = append(o.b, '[')
	for i, s := range sids {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		o.b = appendRef(o.b, ref{c, s})
	}
	o.b = append(o.b, ']')
}

// header writes the members every record starts with and returns the offset of the dateLastModified value,
// which is dlmZero until the record is stamped. metadata is the record's metadata object (compact JSON), if any.
func (o *obj) header(sid, status string, metadata []byte) int {
	o.str("sourcedId", sid)
	o.str("status", status)
	o.key("dateLastModified")
	o.b = append(o.b, '"')
	off := len(o.b)
	o.b = append(o.b, dlmZero...)
	o.b = append(o.b, '"')
	o.raw("metadata", metadata)
	return off
}

// pathEscape escapes what a sourcedId (printable ASCII) may contain that cannot stand in a URL path segment.
func pathEscape(s string) string {
	i := 0
	for i < len(s) && urlSafe[s[i]] {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s[:i])
	for ; i < len(s); i++ {
		c := s[i]
		if urlSafe[c] {
			b = append(b, c)
			continue
		}
		b = append(b, '%', "0123456789ABCDEF"[c>>4], "0123456789ABCDEF"[c&15])
	}
	return string(b)
}

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendStringBody(b, s)
	return append(b, '"')
}

// appendStringBody appends s JSON-escaped, without quotes: quotes, backslashes and control characters are
// escaped (so the href placeholders can never appear in text), invalid UTF-8 becomes U+FFFD, and U+2028 and
// U+2029 are escaped for JavaScript consumers.
func appendStringBody(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if plain[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&15])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}

// plain marks the bytes a JSON string holds as they are: printable ASCII but the quote and the backslash.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// urlSafe marks the bytes a sourcedId keeps in an href path segment.
var urlSafe = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~!$&'()*+,;=:@", byte(c)) >= 0
	}
	return t
}()

// appendFloat appends a finite float as encoding/json does.
func appendFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// compactJSON re-encodes stored JSON (a metadata object, a JSON column) compactly with sorted keys and
// without HTML escaping, so that both databases give the same bytes. Empty, null and {} give nil.
func compactJSON(raw []byte) []byte {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" || string(raw) == "{}" || string(raw) == "[]" {
		return nil
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}
