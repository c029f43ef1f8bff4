package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// hostileShapes are the inputs on which goldmark's parser is super-linear,
// built in code. Before the nesting guard each took seconds (see the
// figures in BenchmarkHostile's comment); the text of every one must
// survive.
var hostileShapes = []struct {
	name string
	make func(n int) string
	n    int
}{
	{"quotes on one line", func(n int) string { return strings.Repeat(">", n) + " end\n" }, 80000},
	{"spaced quotes", func(n int) string { return strings.Repeat("> ", n) + "end\n" }, 40000},
	{"dash items on one line", func(n int) string { return strings.Repeat("- ", n) + "end\n" }, 40000},
	{"star items on one line", func(n int) string { return strings.Repeat("* ", n) + "end\n" }, 40000},
	{"numbered items on one line", func(n int) string { return strings.Repeat("1. ", n) + "end\n" }, 40000},
	{"quote and list", func(n int) string { return strings.Repeat("> - ", n) + "end\n" }, 20000},
	{"list nested by indent", func(n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(strings.Repeat("  ", i))
			b.WriteString("- item\n")
		}
		b.WriteString("end\n")
		return b.String()
	}, 1000},
	{"quotes deeper each line", func(n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(strings.Repeat(">", i))
			b.WriteString(" line\n")
		}
		b.WriteString("\nend\n")
		return b.String()
	}, 400},
}

// TestHostileNestingIsFast renders each hostile shape at a size that took
// seconds before the guard, keeping the text. It asserts no time: the
// speed is measured by BenchmarkHostile,
//
//	go test ./internal/render -run '^$' -bench BenchmarkHostile -benchtime 3x
//
// and the watchdog only catches a hang.
func TestHostileNestingIsFast(t *testing.T) {
	defer watchdog(t, 60*time.Second)()
	r := New()
	for _, tc := range hostileShapes {
		t.Run(tc.name, func(t *testing.T) {
			md := tc.make(tc.n)
			doc := mustRender(t, r, md)
			if !strings.Contains(doc.Text, "end") {
				t.Errorf("Text lost the last word: %q", clip(doc.Text, 200))
			}
			checkDoc(t, doc)
		})
	}
}

func TestGuardNesting(t *testing.T) {
	deep := strings.Repeat(">", maxNesting)
	dashes := strings.Repeat("- ", maxNesting)
	tests := []struct {
		name, in, want string
	}{
		{"prose untouched", "a > b\n- c\n", "a > b\n- c\n"},
		{"nesting at the limit untouched", deep + " x\n", deep + " x\n"},
		{"one quote past the limit escaped", deep + "> x\n", deep + "\\> x\n"},
		{"list past the limit escaped", dashes + "- x\n", dashes + "\\- x\n"},
		{"numbered item past the limit", strings.Repeat("1. ", maxNesting) + "2) x\n", strings.Repeat("1. ", maxNesting) + "\\2) x\n"},
		{"not a marker without a blank", dashes + "-x\n", dashes + "-x\n"},
		{"indent before a marker cut", strings.Repeat(" ", 100) + "- x\n", strings.Repeat(" ", maxPrefixIndent) + "- x\n"},
		{"tabs count four columns", strings.Repeat("\t", 20) + "- x\n", strings.Repeat(" ", maxPrefixIndent) + "- x\n"},
		{"indent inside a quote cut", "> " + strings.Repeat(" ", 80) + "> x\n", ">" + strings.Repeat(" ", maxPrefixIndent) + "> x\n"},
		{"indent before text untouched", strings.Repeat(" ", 100) + "code\n", strings.Repeat(" ", 100) + "code\n"},
		{"code fence kept", "```\n" + deep + ">>\n" + strings.Repeat(" ", 100) + "- y\n```\n" + deep + "> x\n",
			"```\n" + deep + ">>\n" + strings.Repeat(" ", 100) + "- y\n```\n" + deep + "\\> x\n"},
		{"indented fence guarded", "- a\n  ```\n" + deep + "> x\n", "- a\n  ```\n" + deep + "\\> x\n"},
		{"tilde fence closed by a longer run", "~~~\n" + deep + ">\n~~~~\n" + deep + "> x",
			"~~~\n" + deep + ">\n~~~~\n" + deep + "\\> x"},
		{"no final newline", deep + "> x", deep + "\\> x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(guardNesting([]byte(tc.in))); got != tc.want {
				t.Errorf("guardNesting(%q)\n got %q\nwant %q", clip(tc.in, 80), clip(got, 200), clip(tc.want, 200))
			}
		})
	}
}

// TestRenderWithinPlain checks the plain rendering of a body over its
// budget: escaped paragraphs, the text kept for the index, the reason.
func TestRenderWithinPlain(t *testing.T) {
	r := New()
	md := "# Title\n\nFirst <script>alert(1)</script> para\ncontinued.\n\n\n\nSecond & last.\n"
	doc, err := r.RenderWithin(context.Background(), []byte(md), Options{}, Budget{MaxBytes: 10})
	if err != nil {
		t.Fatal(err)
	}
	wantHTML := "<p># Title</p>\n<p>First &lt;script&gt;alert(1)&lt;/script&gt; para continued.</p>\n<p>Second &amp; last.</p>\n"
	if string(doc.HTML) != wantHTML {
		t.Errorf("HTML\n got %q\nwant %q", doc.HTML, wantHTML)
	}
	wantText := "# Title\nFirst <script>alert(1)</script> para continued.\nSecond & last."
	if doc.Text != wantText {
		t.Errorf("Text\n got %q\nwant %q", doc.Text, wantText)
	}
	if !strings.Contains(doc.Plain, "over the render budget of 10 bytes") {
		t.Errorf("Plain = %q, want the size named", doc.Plain)
	}
	if doc.Words != 9 || doc.ReadingMinutes != 1 || doc.Summary != "# Title" || len(doc.Headings) != 0 {
		t.Errorf("Words %d, minutes %d, summary %q, headings %v", doc.Words, doc.ReadingMinutes, doc.Summary, doc.Headings)
	}
	checkDoc(t, doc)
	text, err := r.TextWithin(context.Background(), []byte(md), Options{}, Budget{MaxBytes: 10})
	if err != nil || text.Text != wantText || text.HTML != "" {
		t.Errorf("TextWithin = %q, HTML %q, %v", text.Text, text.HTML, err)
	}
}

func TestRenderWithinRendersNormalPosts(t *testing.T) {
	r := New()
	md := "## Hello\n\nSome *text* [link](/x).\n"
	got, err := r.RenderWithin(context.Background(), []byte(md), Options{}, Budget{})
	if err != nil {
		t.Fatal(err)
	}
	want := mustRender(t, r, md)
	if got.Plain != "" || got.HTML != want.HTML || got.Text != want.Text || len(got.Headings) != 1 {
		t.Errorf("RenderWithin = %+v, want %+v", got, want)
	}
}

// slowInline is a body goldmark still parses in quadratic time after the
// nesting guard: each unclosed link destination scans to the end of the
// line. 80 KB took 1.7 s, so 160 KB about 7 s.
func slowInline(n int) []byte { return []byte(strings.Repeat("[a](", n) + "\n") }

// TestRenderWithinTimeout: a render past its time budget answers at the
// deadline with a plain rendering that names the budget. The outcome
// proves the budget was used (the body renders for seconds without it);
// the watchdog only catches a render that ignores it altogether.
func TestRenderWithinTimeout(t *testing.T) {
	defer watchdog(t, 30*time.Second)()
	r := New()
	md := slowInline(20000)
	doc, err := r.RenderWithin(context.Background(), md, Options{}, Budget{Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc.Plain, "longer than the render budget of 50ms") || !doc.TimedOut() {
		t.Errorf("Plain = %q, TimedOut %v; want the timeout named", doc.Plain, doc.TimedOut())
	}
	if !strings.HasPrefix(doc.Text, "[a]([a](") {
		t.Errorf("Text = %q, want the body", clip(doc.Text, 40))
	}
}

// TestStopEndsRender: setting the stop flag ends goldmark's inline and
// block passes early: the render returns errStopped. The watchdog only
// catches a render that ignores the flag and runs to its end.
func TestStopEndsRender(t *testing.T) {
	defer watchdog(t, 30*time.Second)()
	r := New()
	for name, md := range map[string][]byte{
		"inline": slowInline(40000),
		"blocks": []byte(strings.Repeat(strings.Repeat("[a](", 20)+"\n\n", 20000)),
	} {
		t.Run(name, func(t *testing.T) {
			stop := new(stopFlag)
			time.AfterFunc(20*time.Millisecond, stop.set)
			_, err := r.render(md, true, &Options{}, stop)
			if !errors.Is(err, errStopped) {
				t.Fatalf("err = %v, want errStopped", err)
			}
		})
	}
}

// TestRenderWithinCancelled: a cancelled render returns context.Canceled,
// before it starts and while it runs (the body renders for seconds; its
// budget is a minute). The watchdog only catches a render that ignores
// the cancellation.
func TestRenderWithinCancelled(t *testing.T) {
	defer watchdog(t, 30*time.Second)()
	r := New()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.TextWithin(ctx, []byte("x"), Options{}, Budget{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	if _, err := r.TextWithin(ctx, slowInline(20000), Options{}, Budget{Timeout: time.Minute}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// BenchmarkHostile measures each hostile shape. On this two-core machine
// (shared, -benchtime 1x / 3x), without the guards and with them:
// 80,000 ">" 9.6 s / 63 ms; 40,000 "> " 3.6 s / 35 ms; 40,000 "- "
// 17.3 s / 60 ms; 20,000 "* " 1.8 s / 123 ms; 40,000 "1. " 4.4 s / 9 ms;
// 20,000 "> - " 2.5 s / 68 ms; a list nested 1,000 deep by indent (1 MB)
// 2.3 s / 77 ms.
func BenchmarkHostile(b *testing.B) {
	r := New()
	for _, tc := range hostileShapes {
		md := []byte(tc.make(tc.n))
		b.Run(fmt.Sprintf("%s/%d", strings.ReplaceAll(tc.name, " ", "_"), tc.n), func(b *testing.B) {
			b.SetBytes(int64(len(md)))
			for b.Loop() {
				if _, err := r.Render(md); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// htmlBombs are small bodies whose HTML repeats a long part of them
// without bound. Before the cap the references (26 KB) wrote 40 MB of
// HTML in 6 s, the image titles (30 KB) 40 MB in 7.6 s.
var htmlBombs = map[string]string{
	"a long reference used often":   strings.Repeat("[a] ", 4000) + "\n\n[a]: /" + strings.Repeat("x", 10000) + "\n",
	"a long image title used often": strings.Repeat("![a] ", 4000) + "\n\n[a]: /x \"" + strings.Repeat("x", 10000) + "\"\n",
}

// TestHTMLBombsArePlain: a body whose HTML would grow without bound is
// stopped at the HTML cap and shown as plain text naming it. The watchdog
// only catches a hang (before the cap these took seconds).
func TestHTMLBombsArePlain(t *testing.T) {
	defer watchdog(t, 30*time.Second)()
	r := New()
	for name, md := range htmlBombs {
		t.Run(name, func(t *testing.T) {
			if _, err := r.Render([]byte(md)); !errors.Is(err, errHTMLTooLarge) {
				t.Errorf("Render err = %v, want errHTMLTooLarge", err)
			}
			doc, err := r.RenderWithin(context.Background(), []byte(md), Options{}, Budget{})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(doc.Plain, "HTML is over the render budget") || len(doc.HTML) > 6*len(md)+100 {
				t.Errorf("Plain = %q, HTML %d bytes for %d bytes of Markdown", doc.Plain, len(doc.HTML), len(md))
			}
			text, err := r.TextWithin(context.Background(), []byte(md), Options{}, Budget{})
			if err != nil || text.Plain != doc.Plain || text.Text != doc.Text {
				t.Errorf("TextWithin = %q, %v; want the same plain text as RenderWithin", text.Plain, err)
			}
		})
	}
}

// TestCapWriter: goldmark's output stops at its bound.
func TestCapWriter(t *testing.T) {
	var buf bytes.Buffer
	w := &capWriter{buf: &buf, max: 10}
	if _, err := w.Write([]byte("0123456789")); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("x")); !errors.Is(err, errHTMLTooLarge) || buf.Len() != 10 {
		t.Errorf("err %v, %d bytes; want errHTMLTooLarge and 10 bytes", err, buf.Len())
	}
	stop := new(stopFlag)
	stop.set()
	if _, err := (&capWriter{buf: &buf, max: 100, stop: stop}).Write([]byte("x")); !errors.Is(err, errStopped) {
		t.Errorf("a stopped render wrote: %v", err)
	}
}

// wideTable is a table whose short rows goldmark pads to its header's
// 2,000 columns: 4 million cells from 12 KB took 53 s and wrote 40 MB.
func wideTable(prefix string) string {
	return prefix + strings.Repeat("|a", 2000) + "|\n" + prefix + strings.Repeat("|-", 2000) + "|\n" + strings.Repeat(prefix+"x\n", 2000)
}

// TestWideTablesAreText: a wide table padded by short rows is kept as
// text, not a table, so its HTML stays small. The watchdog only catches a
// hang (the padded table took 53 s).
func TestWideTablesAreText(t *testing.T) {
	defer watchdog(t, 30*time.Second)()
	r := New()
	for _, prefix := range []string{"", "> ", "  > > "} {
		md := wideTable(prefix)
		doc := mustRender(t, r, md)
		if strings.Contains(string(doc.HTML), "<table") || len(doc.HTML) > 2*len(md) {
			t.Errorf("%q: HTML %d bytes, a table: %q", prefix, len(doc.HTML), clip(string(doc.HTML), 100))
		}
	}
	// Real tables, sparse ones too, are kept.
	for _, md := range []string{
		"| a | b |\n|---|:-:|\n| 1 | 2 |\n",
		"a | b | c | d | e\n-|-|-|-|-\n" + strings.Repeat("x\n", 100),
		"> | a | b |\n> | - | - |\n> | 1 |\n",
	} {
		if doc := mustRender(t, r, md); !strings.Contains(string(doc.HTML), "<table") {
			t.Errorf("%q: the table is gone: %s", md, doc.HTML)
		}
	}
}

func TestDelimiterColumns(t *testing.T) {
	for in, want := range map[string]int{
		"|---|---|\n": 2, "--- | :-: | -:": 3, "-|-": 2, "---\n": 0, "| a |": 0, "|  |": 0, ":--": 1, "- | x": 0,
	} {
		if got := delimiterColumns([]byte(in)); got != want {
			t.Errorf("delimiterColumns(%q) = %d, want %d", in, got, want)
		}
	}
}
