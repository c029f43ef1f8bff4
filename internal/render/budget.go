package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"html/template"
	"strings"
	"sync/atomic"
	"time"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// The default render budget. The largest real post is 85 KB and the
// slowest renders in 0.3 s on a busy two-core machine (code highlighting);
// twelve times that size or seventeen times that long leaves room for
// load, and is not a post a reader could use as Markdown anyway.
const (
	DefaultMaxBytes = 1 << 20
	DefaultTimeout  = 5 * time.Second
)

// Budget bounds the work of rendering one body. A body over MaxBytes is
// not parsed as Markdown, and a render still running after Timeout is
// stopped; either way the Doc is a plain rendering (see Doc.Plain).
type Budget struct {
	MaxBytes int           // 0 means DefaultMaxBytes
	Timeout  time.Duration // 0 means DefaultTimeout
}

func (b Budget) orDefaults() Budget {
	if b.MaxBytes <= 0 {
		b.MaxBytes = DefaultMaxBytes
	}
	if b.Timeout <= 0 {
		b.Timeout = DefaultTimeout
	}
	return b
}

// RenderWithin is Render within a budget. Past the budget, or if the
// renderer panics, it returns a plain rendering (Doc.Plain says why)
// instead of an error, so a post is never lost to its Markdown. The error
// is only ctx's, when it ends first.
func (r *Renderer) RenderWithin(ctx context.Context, markdown []byte, opts Options, b Budget) (*Doc, error) {
	return r.within(ctx, markdown, &opts, b, true)
}

// TextWithin is Text within a budget, as RenderWithin.
func (r *Renderer) TextWithin(ctx context.Context, markdown []byte, opts Options, b Budget) (*Doc, error) {
	return r.within(ctx, markdown, &opts, b, false)
}

type outcome struct {
	doc *Doc
	err error
}

// within runs the render on its own goroutine, so the caller gets its
// answer at the deadline whatever goldmark is doing; the stop flag then
// makes the abandoned render end soon too, instead of burning a core.
func (r *Renderer) within(ctx context.Context, markdown []byte, opts *Options, b Budget, withHTML bool) (*Doc, error) {
	b = b.orDefaults()
	if len(markdown) > b.MaxBytes {
		return plainDoc(markdown, withHTML, fmt.Sprintf("the body is %d bytes, over the render budget of %d bytes", len(markdown), b.MaxBytes)), nil
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	stop := new(stopFlag)
	done := make(chan outcome, 1) // buffered: an abandoned render must not block
	go func() {
		defer func() {
			if v := recover(); v != nil {
				done <- outcome{err: fmt.Errorf("render: panic: %v", v)}
			}
		}()
		d, err := r.render(markdown, withHTML, opts, stop)
		done <- outcome{d, err}
	}()
	timer := time.NewTimer(b.Timeout)
	defer timer.Stop()
	select {
	case o := <-done:
		switch {
		case errors.Is(o.err, errHTMLTooLarge):
			return plainDoc(markdown, withHTML, fmt.Sprintf("its HTML is over the render budget of %d bytes", maxHTML(len(markdown)))), nil
		case o.err != nil:
			return plainDoc(markdown, withHTML, fmt.Sprintf("the renderer failed (%v)", o.err)), nil
		}
		return o.doc, nil
	case <-timer.C:
		stop.set()
		d := plainDoc(markdown, withHTML, fmt.Sprintf("rendering took longer than the render budget of %s", b.Timeout))
		d.timedOut = true
		return d, nil
	case <-ctx.Done():
		stop.set()
		return nil, fmt.Errorf("render: %w", ctx.Err())
	}
}

// TimedOut reports a plain rendering made because the render ran past its
// time: unlike a body over its size, that can pass on a less busy machine,
// so a cache should keep it only for a while.
func (d *Doc) TimedOut() bool { return d.timedOut }

// plainDoc is the rendering of a body that could not be rendered as
// Markdown within its budget: its paragraphs (split at blank lines) as
// escaped text, whitespace collapsed, with no headings. Everything it does
// is linear in the body's length.
func plainDoc(markdown []byte, withHTML bool, reason string) *Doc {
	src := normalizeInput(markdown)
	var out, page strings.Builder
	var w textWriter
	first := ""
	for para := range strings.SplitSeq(src, "\n\n") {
		w.reset()
		w.write([]byte(para), true)
		t := w.String()
		if t == "" {
			continue
		}
		if out.Len() > 0 {
			out.WriteByte('\n')
		}
		out.WriteString(t)
		if first == "" {
			first = t
		}
		if withHTML {
			page.WriteString("<p>")
			page.WriteString(html.EscapeString(t))
			page.WriteString("</p>\n")
		}
	}
	d := &Doc{Text: out.String(), Summary: summarize(first), Plain: reason}
	if d.Text != "" {
		d.Sections = []Section{{}}
	}
	d.Words = countWords(d.Text)
	d.ReadingMinutes = readingMinutes(d.Words)
	d.HTML = template.HTML(page.String()) // #nosec G203 -- every paragraph is escaped above
	return d
}

// maxHTML is the most HTML goldmark may write for a body of n bytes. Real
// posts write at most 5.1 bytes of HTML per byte of Markdown (code
// highlighting) and 134 KB in all; a reference link or a short table row
// can repeat a long part of the body any number of times (26 KB of
// Markdown wrote 40 MB), so the writer stops at this size.
func maxHTML(n int) int { return 16*n + 1<<20 }

var errHTMLTooLarge = errors.New("its HTML is over the render budget")

// capWriter is goldmark's output: it fails once the HTML would pass max
// bytes or the render is stopped. goldmark's buffered writer then drops
// every later write, so the rest of the walk costs next to nothing.
type capWriter struct {
	buf  *bytes.Buffer
	max  int
	stop *stopFlag
}

func (w *capWriter) Write(p []byte) (int, error) {
	if w.stop.isSet() {
		return 0, errStopped
	}
	if w.buf.Len()+len(p) > w.max {
		return 0, fmt.Errorf("%w of %d bytes", errHTMLTooLarge, w.max)
	}
	return w.buf.Write(p)
}

// linkBytes is how many bytes of link and image destinations and titles
// the HTML of root will hold. A reference link repeats its definition's,
// so a short body can make this huge; checking it before goldmark writes
// the HTML saves escaping them all only to hit capWriter's bound.
func linkBytes(root ast.Node) int {
	n := 0
	ast.Walk(root, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch l := node.(type) {
		case *ast.Link:
			n += len(l.Destination) + len(l.Title)
		case *ast.Image:
			n += 2 * (len(l.Destination) + len(l.Title)) // the title is also the alt text
		}
		return ast.WalkContinue, nil
	})
	return n
}

// errStopped is what a render returns when its stop flag was set.
var errStopped = errors.New("render: stopped past its budget")

// stopFlag is set when a render's budget runs out; the parser polls it.
// A nil *stopFlag is never set.
type stopFlag struct{ atomic.Bool }

func (s *stopFlag) set() { s.Store(true) }

func (s *stopFlag) isSet() bool { return s != nil && s.Load() }

// stopReader ends goldmark's block pass once the render is stopped: the
// next line it is asked to move to is the end of the source.
type stopReader struct {
	text.Reader
	stop *stopFlag
}

func (s stopReader) AdvanceLine() {
	if !s.stop.isSet() {
		s.Reader.AdvanceLine()
		return
	}
	line, _ := s.Position()
	end := len(s.Source())
	s.SetPosition(line, text.NewSegment(end, end))
}

// stopParser ends goldmark's inline pass once the render is stopped: it
// runs before every other inline parser and, when stopped, takes the rest
// of the line as plain text, so no other parser scans it.
type stopParser struct{ key parser.ContextKey }

func (stopParser) Trigger() []byte { return []byte("!*<[]_`~( ") }

func (p stopParser) Parse(_ ast.Node, block text.Reader, pc parser.Context) ast.Node {
	stop, _ := pc.Get(p.key).(*stopFlag)
	if !stop.isSet() {
		return nil
	}
	line, seg := block.PeekLine()
	if len(line) == 0 {
		return nil
	}
	block.Advance(len(line))
	return ast.NewTextSegment(seg)
}
