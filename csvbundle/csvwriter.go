package csvbundle

import (
	"bufio"
	"io"
	"strings"
)

// csvWriter writes RFC 4180 records with CRLF line ends. A cell is quoted when it holds a comma, a quote, a
// line break, or starts or ends with a space; everything else is written as is, so that what recordReader
// reads back is exactly what was written.
type csvWriter struct {
	w *bufio.Writer
}

func newCSVWriter(w io.Writer) *csvWriter { return &csvWriter{w: bufio.NewWriterSize(w, 64<<10)} }

func (c *csvWriter) write(cells []string) error {
	for i, cell := range cells {
		if i > 0 {
			c.w.WriteByte(',')
		}
		if needsQuotes(cell) {
			c.w.WriteByte('"')
			c.w.WriteString(strings.ReplaceAll(cell, `"`, `""`))
			c.w.WriteByte('"')
		} else {
			c.w.WriteString(cell)
		}
	}
	_, err := c.w.WriteString("\r\n")
	return err
}

func needsQuotes(s string) bool {
	return s != "" && (strings.ContainsAny(s, ",\"\r\n") || s[0] == ' ' || s[len(s)-1] == ' ')
}

func (c *csvWriter) flush() error { return c.w.Flush() }
