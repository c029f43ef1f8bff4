package render

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// preprocess rewrites the site-generator syntax found in real posts (Hugo
// shortcodes, VuePress containers and embeds, emoji shortcodes, $$ math)
// into Markdown and HTML that goldmark renders faithfully. It runs before
// both Render and Text, so they parse the same source and agree on heading
// ids. Fenced code is copied untouched.
func (r *Renderer) preprocess(markdown []byte) []byte {
	src := normalizeInput(markdown)
	p := preprocessor{caption: r.captionHTML}
	p.out.Grow(len(src) + len(src)/8)
	p.run(src)
	return p.out.Bytes()
}

// normalizeInput makes the source valid UTF-8 with "\n" line ends and no
// byte order mark, so nothing downstream has to care.
func normalizeInput(b []byte) string {
	s := string(b)
	s = strings.TrimPrefix(s, "\ufeff")
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\ufffd")
	}
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return s
}

type preprocessor struct {
	caption    func(string) string // inline Markdown -> HTML, for figure captions
	out        bytes.Buffer
	fence      fence
	math       bool     // inside $$ … $$
	containers []string // closing tags of open ::: containers
	block      bool     // the current line produced block-level HTML
	lines      []string // the whole source, for looking ahead
	next       int      // index in lines of the line after the current one
}

func (p *preprocessor) run(src string) {
	lines := strings.SplitAfter(src, "\n")
	p.lines = lines
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		p.next = i + 1
		switch {
		case p.fence.open():
			if p.fence.closedBy(line) {
				p.fence = fence{}
			}
			p.out.WriteString(line)
		case !p.math && p.openFence(line):
			p.out.WriteString(line)
		case !p.math && p.highlight(lines, &i):
		default:
			p.line(line)
		}
	}
	p.closeContainers()
}

func (p *preprocessor) openFence(line string) bool {
	f, ok := parseFence(line)
	if ok {
		p.fence = f
	}
	return ok
}

// line rewrites one line outside code.
func (p *preprocessor) line(line string) {
	if !p.math && p.container(line) {
		return
	}
	if !p.math && strings.TrimSpace(line) == "[[toc]]" {
		return // VuePress table of contents: the page builds its own
	}
	p.block = false
	if strings.Contains(line, "{{") {
		line = p.shortcodes(line)
	}
	start := p.out.Len()
	p.inline(line)
	if p.block && startsWithTag(p.out.Bytes()[start:]) {
		// A block of HTML runs until a blank line; without one the next
		// line of prose would be swallowed as raw HTML.
		p.endLine()
		p.out.WriteByte('\n')
	}
}

func (p *preprocessor) endLine() {
	if b := p.out.Bytes(); len(b) > 0 && b[len(b)-1] != '\n' {
		p.out.WriteByte('\n')
	}
}

func startsWithTag(b []byte) bool {
	b = bytes.TrimLeft(b, " \t")
	return len(b) > 0 && b[0] == '<'
}

// fence is an open fenced code block: its character and length.
type fence struct {
	char byte
	n    int
}

func (f fence) open() bool { return f.n > 0 }

// parseFence recognises an opening code fence. Indentation is not limited
// to three spaces as in CommonMark, because fences inside list items are
// indented further and their content must be left alone all the same.
func parseFence(line string) (fence, bool) {
	s := strings.TrimLeft(line, " \t")
	if len(s) < 3 || (s[0] != '`' && s[0] != '~') {
		return fence{}, false
	}
	n := countLeading(s, s[0])
	if n < 3 {
		return fence{}, false
	}
	if s[0] == '`' && strings.IndexByte(s[n:], '`') >= 0 {
		return fence{}, false // an inline code span, not a fence
	}
	return fence{char: s[0], n: n}, true
}

func (f fence) closedBy(line string) bool {
	s := strings.TrimLeft(line, " \t")
	n := countLeading(s, f.char)
	return n >= f.n && strings.TrimSpace(s[n:]) == ""
}

func countLeading(s string, c byte) int {
	n := 0
	for n < len(s) && s[n] == c {
		n++
	}
	return n
}
