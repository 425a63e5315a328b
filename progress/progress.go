// Package progress reports the progress of long jobs (demo generation, imports, cache refreshes) on a writer,
// usually standard error.
//
// The contract:
//
//   - New(w, label, total) returns a *Bar. Callers report work with Add and finish with Done.
//   - On a terminal (w is an *os.File that is a character device and TERM is not "dumb") the Bar redraws one
//     line in place, at most every 100 ms: label, percentage, count/total, rate per second and ETA.
//   - Anywhere else (CI, log files, pipes, buffers) it writes a plain, newline-terminated line at most every
//     two seconds, so logs stay short.
//   - Done always writes one final line (ending the terminal line with a newline) showing the final count,
//     the average rate and the elapsed time. Done is idempotent; Add after Done is ignored.
//   - A total <= 0 means "unknown": lines show count and rate but no percentage or ETA.
//   - A nil *Bar is a valid reporter that does nothing: New(nil, ...) returns nil and every method is nil-safe,
//     so code can report progress unconditionally and tests can pass a nil writer (or use Nop).
//   - A Bar is safe for concurrent use. Add takes a mutex and reads the clock, so it is cheap enough to call per
//     batch or even per row.
//
// Progress output is informational only: write errors are ignored.
package progress

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Intervals between two lines.
const (
	TerminalInterval = 100 * time.Millisecond // redraws of the single terminal line
	PlainInterval    = 2 * time.Second        // plain lines for logs and CI
)

// Bar is a progress reporter for one job. The zero value is not usable; use New. A nil *Bar does nothing.
type Bar struct {
	w        io.Writer
	label    string
	total    int64
	terminal bool
	interval time.Duration
	now      func() time.Time

	mu      sync.Mutex
	count   int64
	start   time.Time
	last    time.Time // when the last line was written
	lastLen int       // width of the last terminal line, to blank leftovers
	done    bool
}

// New returns a Bar that writes to w, or nil (a no-op Bar) when w is nil. label names the job and its unit
// (for example "demo students"); total is the expected count, or <= 0 when unknown. The mode (terminal or
// plain) is chosen from w, see the package documentation. Nothing is written until the first Add or Done.
func New(w io.Writer, label string, total int64) *Bar {
	if w == nil {
		return nil
	}
	return newBar(w, label, total, IsTerminal(w), time.Now)
}

// Nop returns the no-op reporter: a nil *Bar.
func Nop() *Bar { return nil }

func newBar(w io.Writer, label string, total int64, terminal bool, now func() time.Time) *Bar {
	interval := PlainInterval
	if terminal {
		interval = TerminalInterval
	}
	t := now()
	return &Bar{w: w, label: label, total: total, terminal: terminal, interval: interval, now: now, start: t, last: t}
}

// IsTerminal reports whether w is an interactive terminal that understands carriage-return redraws: an
// *os.File that is a character device, with TERM not set to "dumb".
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || f == nil {
		return false
	}
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	return fi.Mode()&os.ModeCharDevice != 0 && os.Getenv("TERM") != "dumb"
}

// Add records n more units of work done, and writes a line if the interval of the mode has passed since the
// last one, unless the count has reached the total (Done then writes the final line). n may be zero (only
// refreshes the line) but should not be negative.
func (b *Bar) Add(n int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return
	}
	b.count += n
	t := b.now()
	if t.Sub(b.last) < b.interval || (b.total > 0 && b.count >= b.total) {
		return // too soon, or complete: Done reports the end
	}
	b.last = t
	b.write(b.line(t, false))
}

// Count returns the units of work recorded so far (0 for a nil Bar).
func (b *Bar) Count() int64 {
	if b == nil {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.count
}

// Done writes the final line: the count reached, the average rate and the elapsed time. It is safe to call
// more than once (only the first call writes) and also after a failure, when the count is short of the total.
func (b *Bar) Done() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return
	}
	b.done = true
	b.write(b.line(b.now(), true))
	if b.terminal {
		io.WriteString(b.w, "\n")
	}
}

// write emits one line: redrawn in place on a terminal, appended with a newline elsewhere.
func (b *Bar) write(s string) {
	if !b.terminal {
		io.WriteString(b.w, s+"\n")
		return
	}
	pad := ""
	if n := len([]rune(s)); n < b.lastLen {
		pad = strings.Repeat(" ", b.lastLen-n)
	}
	b.lastLen = len([]rune(s))
	io.WriteString(b.w, "\r"+s+pad)
}

// line formats the state at time t. Elapsed times under a millisecond count as a millisecond, so that rates
// stay finite.
func (b *Bar) line(t time.Time, final bool) string {
	elapsed := t.Sub(b.start)
	if elapsed < time.Millisecond {
		elapsed = time.Millisecond
	}
	rate := float64(b.count) / elapsed.Seconds()
	var sb strings.Builder
	sb.WriteString(b.label)
	sb.WriteString(":")
	if b.total > 0 {
		pct := 100 * float64(b.count) / float64(b.total)
		fmt.Fprintf(&sb, " %5.1f%%", pct)
		sb.WriteString(" " + Group(b.count) + "/" + Group(b.total))
	} else {
		sb.WriteString(" " + Group(b.count))
	}
	sb.WriteString(" " + Group(int64(rate+0.5)) + "/s")
	switch {
	case final:
		sb.WriteString(" done in " + roundDuration(elapsed))
	case b.total > 0 && b.count < b.total && rate > 0:
		eta := time.Duration(float64(b.total-b.count) / rate * float64(time.Second))
		sb.WriteString(" ETA " + roundDuration(eta))
	}
	return sb.String()
}

// Group formats n with thousands separators: 1234567 -> "1,234,567".
func Group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// roundDuration shows durations to the tenth of a second under a minute and to the second above.
func roundDuration(d time.Duration) string {
	if d < time.Minute {
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}
