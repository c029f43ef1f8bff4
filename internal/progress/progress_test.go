package progress

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// clock is a fake time source that tests move by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestLogLinesWhenNotATerminal(t *testing.T) {
	var out bytes.Buffer
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	log := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{ReplaceAttr: dropTime}))
	m := New(&out, Options{Label: "indexing", Unit: "posts", Every: 2 * time.Second, Logger: log, Now: c.now})
	steps := []struct {
		after time.Duration
		done  int
	}{
		{time.Second, 100},     // too soon for a line
		{time.Second, 200},     // 2s: a line
		{time.Second, 300},     // too soon again
		{3 * time.Second, 600}, // 5s: a line
		{time.Second, 1000},    // finished: the summary says it
	}
	for _, s := range steps {
		c.t = c.t.Add(s.after)
		m.Update(s.done, 1000)
	}
	m.Finish()
	got := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{
		`level=INFO msg=indexing done=200 total=1000 rate="100 posts/s" left=8s`,
		`level=INFO msg=indexing done=600 total=1000 rate="100 posts/s" left=4s`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func dropTime(groups []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey && len(groups) == 0 {
		return slog.Attr{}
	}
	return a
}

func TestBarOnATerminal(t *testing.T) {
	var out bytes.Buffer
	m := New(&out, Options{Label: "indexing", Unit: "posts", Terminal: true})
	m.Update(0, 40)
	m.Update(40, 40)
	m.Finish()
	s := out.String()
	for _, want := range []string{"indexing", "40/40", "posts/"} {
		if !strings.Contains(s, want) {
			t.Errorf("bar output lacks %q: %q", want, s)
		}
	}
}

func TestIsTerminalIsFalseForABuffer(t *testing.T) {
	if IsTerminal(&bytes.Buffer{}) {
		t.Error("a buffer counted as a terminal")
	}
}
