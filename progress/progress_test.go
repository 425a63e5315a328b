package progress

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a fake clock the tests advance by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time               { return c.t }
func (c *clock) advance(d time.Duration)      { c.t = c.t.Add(d) }
func newClock() *clock                        { return &clock{t: time.Date(2026, 8, 1, 8, 0, 0, 0, time.UTC)} }
func lines(s string) []string                 { return strings.Split(strings.TrimSuffix(s, "\n"), "\n") }
func plainBar(w *bytes.Buffer, c *clock) *Bar { return newBar(w, "demo students", 1000, false, c.now) }

func TestNilBarIsNoop(t *testing.T) {
	var b *Bar
	b.Add(5) // must not panic
	b.Done()
	b.Done()
	if b.Count() != 0 {
		t.Fatalf("nil bar count = %d", b.Count())
	}
	if New(nil, "x", 10) != nil {
		t.Fatal("New(nil writer) should return the no-op nil Bar")
	}
	if Nop() != nil {
		t.Fatal("Nop should be nil")
	}
}

func TestPlainThrottlesToInterval(t *testing.T) {
	var buf bytes.Buffer
	c := newClock()
	b := plainBar(&buf, c)
	b.Add(100) // t=0: within the interval, nothing written
	c.advance(time.Second)
	b.Add(100) // t=1s: still within
	if buf.Len() != 0 {
		t.Fatalf("wrote before the interval: %q", buf.String())
	}
	c.advance(time.Second)
	b.Add(300) // t=2s: writes
	c.advance(500 * time.Millisecond)
	b.Add(100) // t=2.5s: throttled
	got := lines(buf.String())
	if len(got) != 1 {
		t.Fatalf("want 1 line, got %q", got)
	}
	// 500 of 1000 in 2s: 250/s, 500 left: ETA 2s.
	want := "demo students:  50.0% 500/1,000 250/s ETA 2s"
	if got[0] != want {
		t.Fatalf("line = %q, want %q", got[0], want)
	}
	if strings.ContainsAny(buf.String(), "\r\x1b") {
		t.Fatalf("plain output must not contain terminal control characters: %q", buf.String())
	}
}

func TestDoneWritesFinalLineOnce(t *testing.T) {
	var buf bytes.Buffer
	c := newClock()
	b := plainBar(&buf, c)
	c.advance(4 * time.Second)
	b.Add(999) // written (interval passed)
	c.advance(time.Second)
	b.Add(1) // complete: not written, Done does
	b.Done()
	b.Done()  // idempotent
	b.Add(50) // ignored after Done
	got := lines(buf.String())
	if len(got) != 2 {
		t.Fatalf("want 2 lines, got %q", got)
	}
	if want := "demo students: 100.0% 1,000/1,000 200/s done in 5s"; got[1] != want {
		t.Fatalf("final line = %q, want %q", got[1], want)
	}
	if b.Count() != 1000 {
		t.Fatalf("count after Done = %d, want 1000 (Add after Done ignored)", b.Count())
	}
}

func TestTerminalRedrawsInPlace(t *testing.T) {
	var buf bytes.Buffer
	c := newClock()
	b := newBar(&buf, "import", 200, true, c.now)
	c.advance(150 * time.Millisecond)
	b.Add(150) // 150 in 150 ms: 1,000/s
	c.advance(50 * time.Millisecond)
	b.Add(10) // throttled: under 100 ms since the last redraw
	c.advance(1850 * time.Millisecond)
	b.Add(0) // 160 in 2 s: 80/s, a shorter line than the first
	c.advance(time.Second)
	b.Add(40) // complete: left to Done
	b.Done()
	out := buf.String()
	if strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "\n") {
		t.Fatalf("terminal output must end with exactly one newline: %q", out)
	}
	frames := strings.Split(strings.TrimSuffix(out, "\n"), "\r")[1:]
	if len(frames) != 3 {
		t.Fatalf("want 3 redraws (2 updates + final), got %d: %q", len(frames), frames)
	}
	if want := "import:  75.0% 150/200 1,000/s ETA 100ms"; frames[0] != want {
		t.Fatalf("first frame = %q, want %q", frames[0], want)
	}
	// A shorter frame is padded with spaces so that no characters of the longer one remain on screen.
	if want := "import:  80.0% 160/200 78/s ETA 500ms"; strings.TrimRight(frames[1], " ") != want ||
		len(frames[1]) != len(frames[0]) {
		t.Fatalf("second frame = %q, want %q padded to %d characters", frames[1], want, len(frames[0]))
	}
	if want := "import: 100.0% 200/200 66/s done in 3.1s"; strings.TrimRight(frames[2], " ") != want {
		t.Fatalf("final frame = %q, want %q", frames[2], want)
	}
}

func TestCompletionWrittenOnce(t *testing.T) {
	var buf bytes.Buffer
	c := newClock()
	b := plainBar(&buf, c)
	c.advance(3 * time.Second)
	b.Add(1000) // reaches the total: no line, Done writes it
	b.Done()
	if got := lines(buf.String()); len(got) != 1 || !strings.Contains(got[0], "done in 3s") {
		t.Fatalf("want only the final line, got %q", got)
	}
}

func TestUnknownTotal(t *testing.T) {
	var buf bytes.Buffer
	c := newClock()
	b := newBar(&buf, "rows", 0, false, c.now)
	c.advance(2 * time.Second)
	b.Add(4000)
	b.Done()
	got := lines(buf.String())
	if got[0] != "rows: 4,000 2,000/s" {
		t.Fatalf("line = %q", got[0])
	}
	if strings.Contains(buf.String(), "%") || strings.Contains(buf.String(), "ETA") {
		t.Fatalf("unknown total must not show percentage or ETA: %q", buf.String())
	}
}

func TestConcurrentAdd(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, "parallel", 8000) // a buffer is not a terminal: plain mode, real clock
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 1000 {
				b.Add(1)
			}
		}()
	}
	wg.Wait()
	b.Done()
	if b.Count() != 8000 {
		t.Fatalf("count = %d, want 8000", b.Count())
	}
	if !strings.Contains(buf.String(), "8,000/8,000") {
		t.Fatalf("final line missing: %q", buf.String())
	}
}

func TestIsTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tests := []struct {
		name string
		w    any
		want bool
	}{
		{"buffer", &bytes.Buffer{}, false},
		{"regular file", f, false},
		{"nil file", (*os.File)(nil), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, _ := tt.w.(interface{ Write([]byte) (int, error) })
			if got := IsTerminal(w); got != tt.want {
				t.Fatalf("IsTerminal = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestGroup(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 123456: "123,456",
		1234567: "1,234,567", -1234: "-1,234"} {
		if got := Group(n); got != want {
			t.Errorf("Group(%d) = %q, want %q", n, got, want)
		}
	}
}
