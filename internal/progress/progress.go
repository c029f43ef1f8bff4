// Package progress shows how far a long job has got: a bar with items
// done, total, rate and time left on a terminal, and plain periodic log
// lines when the output goes to a file or a pipe, where a bar's carriage
// returns would only make noise.
package progress

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Options configures a Meter.
type Options struct {
	Label    string        // what is happening, e.g. "indexing"
	Unit     string        // what is counted, e.g. "posts"
	Terminal bool          // draw a bar on the writer; otherwise log lines
	Every    time.Duration // between log lines; 0 means 2s
	Logger   *slog.Logger  // for log lines; nil means a text logger on the writer
	Now      func() time.Time
}

// Meter reports the progress of one job. Its methods are safe for
// concurrent use.
type Meter struct {
	w     io.Writer
	opts  Options
	mu    sync.Mutex
	bar   *progressbar.ProgressBar
	start time.Time
	last  time.Time // of the last log line
	done  int
	total int
}

// IsTerminal reports whether w is a terminal, where a bar can redraw.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// New returns a meter writing to w.
func New(w io.Writer, opts Options) *Meter {
	if opts.Every <= 0 {
		opts.Every = 2 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(w, nil))
	}
	m := &Meter{w: w, opts: opts, start: opts.Now()}
	m.last = m.start
	return m
}

// Update records that done of total items are finished.
func (m *Meter) Update(done, total int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.done, m.total = done, total
	if m.opts.Terminal {
		m.draw()
		return
	}
	now := m.opts.Now()
	if now.Sub(m.last) < m.opts.Every || done >= total {
		return // the summary that follows says the rest
	}
	m.last = now
	m.opts.Logger.Info(m.opts.Label, "done", done, "total", total,
		"rate", fmt.Sprintf("%.0f %s/s", m.rate(now), m.opts.Unit), "left", m.left(now).String())
}

func (m *Meter) draw() {
	if m.bar == nil {
		m.bar = progressbar.NewOptions(m.total,
			progressbar.OptionSetWriter(m.w),
			progressbar.OptionSetDescription(m.opts.Label),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString(m.opts.Unit),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
		)
	}
	if m.bar.GetMax() != m.total {
		m.bar.ChangeMax(m.total)
	}
	_ = m.bar.Set(m.done) // a failed write to a terminal leaves nothing to do
}

// Finish draws the bar's final state and ends its line, so what is
// printed next starts on a clean line.
func (m *Meter) Finish() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.bar != nil {
		_ = m.bar.Finish()
		fmt.Fprintln(m.w)
		m.bar = nil
	}
}

func (m *Meter) rate(now time.Time) float64 {
	secs := now.Sub(m.start).Seconds()
	if secs <= 0 {
		return 0
	}
	return float64(m.done) / secs
}

// left estimates the time to finish at the rate so far, to the second.
func (m *Meter) left(now time.Time) time.Duration {
	r := m.rate(now)
	if r <= 0 {
		return 0
	}
	return time.Duration(float64(m.total-m.done) / r * float64(time.Second)).Round(time.Second)
}
