package csvbundle

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

type readResult struct {
	fields []string
	line   int
	err    string // substring of the error, "" for none
}

func readAll(in string, max int) []readResult {
	rr := newRecordReader(strings.NewReader(in), max)
	var out []readResult
	for {
		f, line, err := rr.Read()
		if errors.Is(err, io.EOF) {
			return out
		}
		res := readResult{fields: slices.Clone(f), line: line}
		if err != nil {
			res.err = err.Error()
		}
		out = append(out, res)
	}
}

func TestRecordReader(t *testing.T) {
	cases := []struct {
		name string
		in   string
		max  int
		want []readResult
	}{
		{"plain", "a,b\nc,d\n", 0, []readResult{{fields: []string{"a", "b"}, line: 1}, {fields: []string{"c", "d"}, line: 2}}},
		{"no final newline", "a,b\nc,d", 0, []readResult{{fields: []string{"a", "b"}, line: 1}, {fields: []string{"c", "d"}, line: 2}}},
		{"CRLF", "a,b\r\nc,\r\n", 0, []readResult{{fields: []string{"a", "b"}, line: 1}, {fields: []string{"c", ""}, line: 2}}},
		{"BOM", "\xEF\xBB\xBFa,b\n", 0, []readResult{{fields: []string{"a", "b"}, line: 1}}},
		{"BOM only at the start", "a\n\xEF\xBB\xBFb\n", 0, []readResult{{fields: []string{"a"}, line: 1}, {fields: []string{"\uFEFFb"}, line: 2}}},
		{"empty lines skipped", "a\n\n\r\nb\n", 0, []readResult{{fields: []string{"a"}, line: 1}, {fields: []string{"b"}, line: 4}}},
		{"quotes", `"a,1","say ""hi""",""` + "\n", 0, []readResult{{fields: []string{"a,1", `say "hi"`, ""}, line: 1}}},
		{"quoted line break", "\"x\ny\",z\nnext\n", 0, []readResult{{fields: []string{"x\ny", "z"}, line: 1}, {fields: []string{"next"}, line: 3}}},
		{"quoted CRLF kept", "\"x\r\ny\"\r\n", 0, []readResult{{fields: []string{"x\r\ny"}, line: 1}}},
		{"lone CR is data", "a\rb,c\n", 0, []readResult{{fields: []string{"a\rb", "c"}, line: 1}}},
		{"non-ASCII", "Zoë,明,O'Brien\n", 0, []readResult{{fields: []string{"Zoë", "明", "O'Brien"}, line: 1}}},
		{"unbalanced quote", "a\n\"b,c\nd\n", 0, []readResult{{fields: []string{"a"}, line: 1}, {line: 2, err: "line 2: unbalanced quotes"}}},
		{"bare quote", "a\"b,c\nd\n", 0, []readResult{{line: 1, err: `bare "`}, {fields: []string{"d"}, line: 2}}},
		{"text after closing quote", "\"a\"b,c\nd\n", 0, []readResult{{line: 1, err: "after the closing quote"}, {fields: []string{"d"}, line: 2}}},
		{"invalid UTF-8", "ok,\xff\nd\n", 0, []readResult{{line: 1, err: "invalid UTF-8"}, {fields: []string{"d"}, line: 2}}},
		{"NUL", "a\x00\n", 0, []readResult{{line: 1, err: "NUL"}}},
		{"record too long", "short\n" + strings.Repeat("x", 100) + "\nafter\n", 64, []readResult{{fields: []string{"short"}, line: 1}, {line: 2, err: "longer than the limit of 64 bytes"}}},
		{"quoted record too long", "\"" + strings.Repeat("x\n", 40) + "\"\n", 64, []readResult{{line: 1, err: "longer than the limit"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := readAll(tc.in, tc.max)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d records %+v, want %+v", len(got), got, tc.want)
			}
			for i, w := range tc.want {
				g := got[i]
				if g.line != w.line || !slices.Equal(g.fields, w.fields) || (w.err == "") != (g.err == "") || !strings.Contains(g.err, w.err) {
					t.Errorf("record %d: %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

// TestWriterReaderRoundTrip: what csvWriter writes, recordReader reads back unchanged.
func TestWriterReaderRoundTrip(t *testing.T) {
	records := [][]string{
		{"plain", "", " lead", "trail ", "a,b", `q"uote`, "line\nbreak", "cr\rlf\r\n", "Zoë 明"},
		{""},
	}
	for _, rec := range records {
		var sb strings.Builder
		w := newCSVWriter(&sb)
		w.write(rec)
		w.write([]string{"end"})
		w.flush()
		got := readAll(sb.String(), 0)
		if len(rec) == 1 && rec[0] == "" {
			continue // a record of one empty cell is an empty line
		}
		if len(got) != 2 || !slices.Equal(got[0].fields, rec) || got[0].err != "" {
			t.Errorf("wrote %q, read %+v", rec, got)
		}
	}
}

// FuzzRecordReader: the reader never panics, never returns a record that breaks the limit or holds invalid
// UTF-8, and every record it reads is written and read back the same.
func FuzzRecordReader(f *testing.F) {
	for _, s := range []string{"a,b\r\nc,d", "\"x\"\"y\",z\n", "\"open\n", "a\"b", "\xEF\xBB\xBF\"q\",\n\n", "\xff,\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		rr := newRecordReader(strings.NewReader(in), 256)
		for range 1000 {
			rec, _, err := rr.Read()
			if errors.Is(err, io.EOF) {
				return
			}
			var re *readError
			if err != nil && !errors.As(err, &re) {
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
			if err != nil {
				if re.Fatal {
					if _, _, err := rr.Read(); !errors.Is(err, io.EOF) {
						t.Fatalf("read after a fatal error: %v", err)
					}
					return
				}
				continue
			}
			size := 0
			for _, c := range rec {
				size += len(c)
				if strings.ContainsRune(c, 0) || !isUTF8(c) {
					t.Fatalf("cell %q", c)
				}
			}
			if size > 256 {
				t.Fatalf("record of %d bytes passed a 256-byte limit", size)
			}
			if len(rec) == 1 && rec[0] == "" {
				continue
			}
			var sb strings.Builder
			w := newCSVWriter(&sb)
			w.write(rec)
			w.flush()
			back := readAll(sb.String(), 0)
			if len(back) != 1 || !slices.Equal(back[0].fields, rec) {
				t.Fatalf("%q written as %q read back as %+v", rec, sb.String(), back)
			}
		}
	})
}
