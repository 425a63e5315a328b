package csvbundle

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// DefaultMaxRecordBytes is the default cap on one CSV record (one line, or several when a quoted cell holds
// line breaks): a record longer than this stops the file with an error instead of exhausting memory.
const DefaultMaxRecordBytes = 1 << 20

// readError describes a record that could not be read. A fatal error ends the file (the reader cannot find
// the next record boundary); any other leaves the reader at the next record. Field is the 0-based index of the
// offending cell, or -1.
type readError struct {
	Line  int
	Field int
	Msg   string
	Fatal bool
}

func (e *readError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// recordReader reads the records of one CSV file, strictly by RFC 4180: cells separated by commas, records by
// LF or CRLF, a cell that holds a comma, quote or line break is quoted with " and a quote inside it doubled.
// A UTF-8 byte order mark at the start is skipped, empty lines are skipped, and every cell must be valid UTF-8
// without NUL characters. Quoted line breaks are kept as they are. Unlike encoding/csv it caps the size of a
// record, and it reports where a quote problem is.
type recordReader struct {
	br     *bufio.Reader
	max    int
	line   int // lines consumed so far
	bom    bool
	raw    []byte // the physical lines of the record being read
	out    []byte // the unescaped cell contents, back to back
	ends   []int  // where each cell ends in out
	fields []string
	done   bool
}

// newRecordReader reads from r with records of at most maxRecord bytes (DefaultMaxRecordBytes when <= 0).
func newRecordReader(r io.Reader, maxRecord int) *recordReader {
	if maxRecord <= 0 {
		maxRecord = DefaultMaxRecordBytes
	}
	return &recordReader{br: bufio.NewReaderSize(r, 64<<10), max: maxRecord, bom: true}
}

// Read returns the next record's cells and the line it starts on. The cells are valid until the next call.
// At the end it returns io.EOF; a *readError describes a bad record; any other error is the reader's.
func (r *recordReader) Read() ([]string, int, error) {
	for {
		if r.done {
			return nil, 0, io.EOF
		}
		start := r.line + 1
		r.raw = r.raw[:0]
		for {
			n := len(r.raw)
			eof, err := r.readLine()
			if err != nil {
				r.done = true
				return nil, start, err
			}
			if len(r.raw) == n { // nothing more: end of file
				r.done = true
				if n == 0 {
					return nil, 0, io.EOF
				}
				return nil, start, &readError{Line: start, Field: -1, Fatal: true,
					Msg: "unbalanced quotes: a quoted cell that starts on this line is never closed"}
			}
			r.line++
			if n == 0 && isBlankLine(r.raw) {
				break // an empty line: not a record
			}
			more, field, msg := r.parse()
			if more && !eof {
				continue // a quoted cell goes on over the next line
			}
			if more {
				r.done = true
				return nil, start, &readError{Line: start, Field: -1, Fatal: true,
					Msg: "unbalanced quotes: a quoted cell that starts on this line is never closed"}
			}
			if msg != "" {
				return nil, start, &readError{Line: start, Field: field, Msg: msg}
			}
			return r.fields, start, nil
		}
	}
}

// readLine appends one physical line (with its line break) to r.raw; eof says there is no more input after it.
func (r *recordReader) readLine() (eof bool, err error) {
	for {
		chunk, err := r.br.ReadSlice('\n')
		if r.bom {
			r.bom = false
			chunk = bytes.TrimPrefix(chunk, []byte("\xEF\xBB\xBF"))
		}
		r.raw = append(r.raw, chunk...)
		if len(r.raw) > r.max {
			return false, &readError{Line: r.line + 1, Field: -1, Fatal: true,
				Msg: fmt.Sprintf("record is longer than the limit of %d bytes", r.max)}
		}
		switch {
		case err == nil:
			return false, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			return true, nil
		default:
			return false, err
		}
	}
}

func isBlankLine(b []byte) bool {
	return len(b) == 0 || string(b) == "\n" || string(b) == "\r\n"
}

// atEnd reports whether raw[i:] is the end of the record: nothing, LF, or CRLF.
func atEnd(raw []byte, i int) bool {
	rest := raw[i:]
	return len(rest) == 0 || string(rest) == "\n" || string(rest) == "\r\n"
}

// parse splits r.raw into cells. more says a quoted cell is still open at the end of the data; otherwise msg
// (with the cell's index) describes a problem, or is empty when r.fields holds the record.
func (r *recordReader) parse() (more bool, field int, msg string) {
	raw := r.raw
	r.out, r.ends = r.out[:0], r.ends[:0]
	i := 0
	for {
		field = len(r.ends)
		if i < len(raw) && raw[i] == '"' {
			i++
			for {
				j := bytes.IndexByte(raw[i:], '"')
				if j < 0 {
					return true, field, ""
				}
				r.out = append(r.out, raw[i:i+j]...)
				i += j + 1
				if i < len(raw) && raw[i] == '"' {
					r.out = append(r.out, '"')
					i++
					continue
				}
				break
			}
			r.ends = append(r.ends, len(r.out))
			if i < len(raw) && raw[i] == ',' {
				i++
				continue
			}
			if atEnd(raw, i) {
				break
			}
			return false, field, "unexpected character after the closing quote of a quoted cell (a quote inside a quoted cell must be doubled)"
		}
		j := i
		for j < len(raw) && raw[j] != ',' && !atEnd(raw, j) {
			if raw[j] == '"' {
				return false, field, `bare " in an unquoted cell (quote the whole cell and double the quote)`
			}
			j++
		}
		r.out = append(r.out, raw[i:j]...)
		r.ends = append(r.ends, len(r.out))
		if j < len(raw) && raw[j] == ',' {
			i = j + 1
			continue
		}
		break
	}
	start := 0
	for k, end := range r.ends {
		cell := r.out[start:end]
		if !utf8.Valid(cell) {
			return false, k, "invalid UTF-8: files must be encoded in UTF-8"
		}
		if bytes.IndexByte(cell, 0) >= 0 {
			return false, k, "NUL character in a cell"
		}
		start = end
	}
	s := string(r.out)
	r.fields = r.fields[:0]
	start = 0
	for _, end := range r.ends {
		r.fields = append(r.fields, s[start:end])
		start = end
	}
	return false, 0, ""
}
