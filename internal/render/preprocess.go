package render

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"
)

// preprocess rewrites the site-generator syntax found in real posts (Hugo
// shortcodes, VuePress containers and embeds, emoji shortcodes, $$ math)
// into Markdown and HTML that goldmark renders faithfully. It runs before
// both Render and Text, so they parse the same source and agree on heading
// ids. Fenced code is copied untouched.
func (r *Renderer) preprocess(markdown []byte, opts *Options) ([]byte, []Construct) {
	src := normalizeInput(markdown)
	if opts.Format == FormatArticle {
		src = articleToMarkdown(src)
	}
	p := preprocessor{caption: r.captionHTML, opts: opts}
	p.out.Grow(len(src) + len(src)/8)
	p.run(src)
	return p.out.Bytes(), p.unrendered.list()
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
	opts       *Options
	out        bytes.Buffer
	fence      fence
	math       bool     // inside $$ … $$
	containers []string // closing tags of open ::: containers
	block      bool     // the current line produced block-level HTML
	lines      []string // the whole source, for looking ahead
	next       int      // index in lines of the line after the current one

	// Template state (templates.go, liquid.go, jsx.go).
	srcFind  finders           // cached searches over the whole source
	lineNo   int               // 1-based number of the current line
	lineEnd  int               // source offset just after the current line
	curLine  string            // the current line
	region   *region           // an open multi-line construct
	ifs      []bool            // open Liquid ifs: true while in a branch shown as the true one
	vars     map[string]string // Liquid variables set by assign and capture
	varBytes int               // bytes held by vars
	expanded int               // bytes added by variable uses
	notices  map[string]int    // open notice and details boxes
	// zolaOpenBodies are the open {% name() %} shortcodes, innermost
	// last: the box each {% end %} closes, "" for a vanished wrapper.
	zolaOpenBodies []string
	components     map[string]bool // MDX components imported by the post
	refDefs        map[string]bool // link labels the post defines, when its includes may define more
	indented       bool            // the previous line was indented code
	blank          bool            // the previous line was blank
	inList         bool            // the current block is a list item or footnote
	unrendered     unrendered
}

func (p *preprocessor) run(src string) {
	lines := strings.SplitAfter(src, "\n")
	p.lines = lines
	p.srcFind = finders{s: src}
	if strings.Contains(src, "{% include") || strings.Contains(src, "{%- include") {
		p.refDefs = scanReferences(lines)
	}
	off := 0
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		p.next = i + 1
		p.lineNo = i + 1
		p.lineEnd = off + len(line)
		p.curLine = line
		off = p.lineEnd
		blank := strings.TrimSpace(line) == ""
		switch {
		case p.region != nil && p.region.kind == regionCode:
			p.codeLine(line)
		case p.region != nil:
			p.line(line)
		case p.fence.open():
			if p.fence.closedBy(line) {
				p.fence = fence{}
			}
			p.out.WriteString(stripRawTags(line))
		case !p.math && p.openFence(line):
			p.out.WriteString(line)
		case !p.math && p.indentedCode(line, blank):
			if isLiquidStatement(line) {
				p.line(line) // Jekyll runs Liquid before Markdown sees the indent
			} else {
				p.out.WriteString(line)
			}
		case !p.math && p.codeRegion(line):
		case !p.math && p.skipLine(line, &i):
		default:
			joined, last := p.joinTag(lines, i)
			if last == i && p.refDefs != nil {
				joined, last = joinBrackets(lines, i)
			}
			for ; i < last; i++ {
				off += len(lines[i+1])
			}
			p.lineEnd = off
			p.curLine = joined
			p.line(joined)
		}
		p.blank = blank
	}
	p.closeContainers()
}

// indentedCode reports whether line is part of an indented code block:
// four spaces or a tab after a blank line or more code, outside a list
// (whose continuation lines are indented too). Templates inside stay as
// written, like in fenced code.
func (p *preprocessor) indentedCode(line string, blank bool) bool {
	if blank {
		return p.indented
	}
	code := (strings.HasPrefix(line, "    ") || strings.HasPrefix(line, "\t")) && (p.indented || p.blank && !p.inList)
	p.indented = code
	if !code && !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "\t") {
		p.inList = isListItem(line)
	} else if !code && isListItem(strings.TrimLeft(line, " \t")) {
		p.inList = true
	}
	return code
}

// isLiquidStatement reports whether line holds only Liquid tags that
// show nothing (assign, capture).
func isLiquidStatement(line string) bool {
	s := strings.TrimSpace(line)
	if !strings.HasPrefix(s, "{%") || !strings.HasSuffix(s, "%}") {
		return false
	}
	name := liquidName(s[2:])
	return name == "assign" || name == "capture"
}

// isListItem reports whether line starts a list item or a footnote
// definition, whose continuation lines are indented but are not code.
func isListItem(line string) bool {
	s := line
	if strings.HasPrefix(s, "[^") {
		return strings.Contains(s, "]:")
	}
	if len(s) >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && (s[1] == ' ' || s[1] == '\t') {
		return true
	}
	n := 0
	for n < len(s) && n < 9 && '0' <= s[n] && s[n] <= '9' {
		n++
	}
	return n > 0 && n+1 < len(s) && (s[n] == '.' || s[n] == ')') && (s[n+1] == ' ' || s[n+1] == '\t')
}

// skipLine drops the lines that are only syntax: MDX import and export
// statements, Python-Markdown's [TOC] and kramdown's "* toc" / "{:toc}"
// pair, whose place the page's own table of contents takes.
func (p *preprocessor) skipLine(line string, i *int) bool {
	s := strings.TrimSpace(line)
	switch {
	case s == "[TOC]" || s == "[[toc]]" || s == "[[TOC]]":
		return true
	case strings.HasPrefix(line, "import ") && mdxImport.MatchString(s):
		p.importComponents(s)
		return true
	case strings.HasPrefix(line, "export ") && mdxExport.MatchString(s):
		*i = p.statementEnd(*i)
		return true
	case isListItem(s) && *i+1 < len(p.lines) && strings.TrimSpace(p.lines[*i+1]) == "{:toc}":
		*i++
		return true
	}
	return false
}

// stripRawTags removes Jekyll's {% raw %} and {% endraw %} from a line of
// fenced code: Jekyll runs Liquid inside fences too, so a reader never
// saw these tags, only the code between them.
func stripRawTags(line string) string {
	if !strings.Contains(line, "raw") || !strings.Contains(line, "{%") {
		return line
	}
	return rawTag.ReplaceAllString(line, "")
}

// joinTag joins a line whose last template tag opens but does not close
// with the following lines up to the one that closes it: Hugo lets a
// shortcode's parameters run over a few lines, and Jekyll includes carry
// whole paragraphs in their parameters. The closing delimiter is found
// with a cached search of the source, so no line is read twice.
func (p *preprocessor) joinTag(lines []string, i int) (string, int) {
	line := lines[i]
	closer, at := unclosedTag(line)
	if closer == "" {
		return line, i
	}
	start := p.lineEnd - len(line)
	pos := p.srcFind.after(closer, start+at)
	maxLines, blankOK := maxTagLines, false
	if closer == "%}" {
		maxLines, blankOK = maxLiquidTagLines, true
	}
	if pos < 0 || pos-start > maxJoinBytes {
		return line, i
	}
	last, end := -1, p.lineEnd
	for j := i + 1; j < len(lines) && j <= i+maxLines && pos >= end; j++ {
		if !blankOK && strings.TrimSpace(lines[j]) == "" {
			break
		}
		end += len(lines[j])
		if pos < end {
			last = j
		}
	}
	if last < 0 {
		return line, i
	}
	var b strings.Builder
	b.WriteString(strings.TrimRight(line, "\n"))
	for _, l := range lines[i+1 : last+1] {
		b.WriteByte(' ')
		b.WriteString(strings.TrimSpace(l))
	}
	b.WriteByte('\n')
	return b.String(), last
}

// joinBrackets joins a line that leaves a "[" open with the next few
// lines up to where it closes, so a reference link written over two lines
// ("[TRUC][topic v3 transaction\n relay]") is seen whole.
func joinBrackets(lines []string, i int) (string, int) {
	depth := bracketDepth(lines[i], 0)
	if depth <= 0 {
		return lines[i], i
	}
	for j := i + 1; j < len(lines) && j <= i+3; j++ {
		if strings.TrimSpace(lines[j]) == "" {
			break
		}
		if depth = bracketDepth(lines[j], depth); depth <= 0 {
			var b strings.Builder
			b.WriteString(strings.TrimRight(lines[i], "\n"))
			for _, l := range lines[i+1 : j+1] {
				b.WriteByte(' ')
				b.WriteString(strings.TrimSpace(l))
			}
			b.WriteByte('\n')
			return b.String(), j
		}
	}
	return lines[i], i
}

// bracketDepth counts square brackets left open, starting from depth.
func bracketDepth(line string, depth int) int {
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '[':
			depth++
		case ']':
			depth--
		case '\\':
			i++
		}
	}
	return depth
}

// maxJoinBytes is how far a tag's closing delimiter may be from its start.
const maxJoinBytes = 64 << 10

// maxLiquidTagLines is how many lines a Liquid tag may span.
const maxLiquidTagLines = 400

// maxTagLines is how many lines a template tag may span.
const maxTagLines = 12

// unclosedTag returns the closing delimiter of the last template tag that
// opens on line without closing there, and where it opens, or "".
func unclosedTag(line string) (string, int) {
	best, closer := -1, ""
	for _, t := range [...]struct{ open, close string }{{"{{<", ">}}"}, {"{{%", "%}}"}, {"{%", "%}"}, {"{{raw ", "}}"}, {"{{code ", "}}"}, {"{{play ", "}}"}} {
		if i := strings.LastIndex(line, t.open); i > best && !strings.Contains(line[i:], t.close) {
			best, closer = i, t.close
		}
	}
	return closer, best
}

// rawTag is Jekyll's {% raw %} or {% endraw %}, with whitespace control.
var rawTag = regexp.MustCompile(`\{%-?\s*(?:end)?raw\s*-?%\}`)

func (p *preprocessor) openFence(line string) bool {
	f, ok := parseFence(line)
	if ok {
		p.fence = f
	}
	return ok
}

// line rewrites one line outside code.
func (p *preprocessor) line(line string) {
	inRegion := p.region != nil
	if !inRegion && !p.math && p.container(line) {
		return
	}
	p.block = false
	if inRegion || strings.ContainsAny(line, "{<") || p.refDefs != nil && strings.Contains(line, "][") {
		line = p.templates(line)
		if inRegion && line == "" {
			return // swallowed by a comment, a capture or a skipped branch
		}
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
