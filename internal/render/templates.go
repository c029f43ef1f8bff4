package render

import (
	"regexp"
	"strings"
)

// Template constructs of the site generators real blogs come from (Hugo
// shortcodes, Liquid and Hexo tags, MDX comments and components, Go blog
// templates, kramdown attributes) are rewritten here, one line at a time,
// outside code: what the generator would have shown takes their place, so
// the reader of the archive sees the page and never the syntax. Code spans
// are copied as they are; fenced and indented code never reach this file.

// regionKind says what happens to the text of a construct that spans
// lines, such as {% comment %} … {% endcomment %}.
type regionKind int

const (
	regionDrop    regionKind = iota // comments, loops over data the archive lacks, a false if-branch
	regionRaw                       // {% raw %}: copied as written
	regionCapture                   // {% capture x %}: kept as a variable, not shown
	regionCode                      // {% highlight %}, {% codeblock %}, {{< highlight >}}: a code block
)

// region is an open multi-line construct.
type region struct {
	kind     regionKind
	syntax   byte   // 'l' Liquid/Hexo {% %}, 'h' Hugo {{< >}}, 'm' MDX {/* */}
	name     string // the tag whose end closes the region ("comment" closes on endcomment or /comment)
	depth    int    // nested tags of the same name
	ifBranch bool   // a false if-branch: else/elsif at depth 0 ends it too
	capture  string // the variable a capture sets
	lang     string // code language
	buf      strings.Builder
	code     []string
}

// maxVarBytes bounds what the variables of one post may hold and what
// their uses may add to it, so "{% capture %}" used a thousand times cannot
// multiply a post's size.
const maxVarBytes = 1 << 20

// templates rewrites the template constructs of one line outside code and
// returns what stands in their place. A line swallowed by a comment or a
// capture comes back empty.
func (p *preprocessor) templates(line string) string {
	chars := "`{<"
	if p.refDefs != nil {
		chars = "`{<["
	}
	if p.region == nil && !strings.ContainsAny(line, chars) {
		return line
	}
	ls := lineScan{s: line, f: finders{s: line}}
	var b strings.Builder
	b.Grow(len(line))
	for i := 0; i < len(line); {
		if p.region != nil {
			n, closed := p.feedRegion(line[i:], &b)
			i += n
			if !closed {
				break
			}
			continue
		}
		j := strings.IndexAny(line[i:], chars)
		if j < 0 {
			b.WriteString(line[i:])
			break
		}
		b.WriteString(line[i : i+j])
		i += j
		i += p.templateAt(&ls, i, &b)
	}
	return b.String()
}

// lineScan is the line being rewritten, with its cached searches.
type lineScan struct {
	s string
	f finders
}

// templateAt rewrites the construct starting at ls.s[i] (a backtick, "{"
// or "<") and returns how many bytes it consumed, at least one.
func (p *preprocessor) templateAt(ls *lineScan, i int, b *strings.Builder) int {
	s := ls.s
	rest := s[i:]
	switch rest[0] {
	case '`':
		n := codeSpanLen(rest)
		b.WriteString(rest[:n])
		return n
	case '<':
		if n := p.jsxTag(ls, i, b); n > 0 {
			return n
		}
		b.WriteByte('<')
		return 1
	case '[':
		return p.referenceLink(s, i, b)
	}
	switch {
	case strings.HasPrefix(rest, "{{</*") || strings.HasPrefix(rest, "{{%/*"):
		return p.literalShortcode(ls, i, b)
	case strings.HasPrefix(rest, "{{<") || strings.HasPrefix(rest, "{{%"):
		closer := ">}}"
		if rest[2] == '%' {
			closer = "%}}"
		}
		if end := ls.f.after(closer, i+3); end >= 0 {
			b.WriteString(p.shortcode(s[i+3:end], rest[2]))
			return end + len(closer) - i
		}
		p.report("unclosed "+rest[:3], false)
		b.WriteString(rest[:3])
		return 3
	case strings.HasPrefix(rest, "{%"):
		if end := ls.f.after("%}", i+2); end >= 0 {
			b.WriteString(p.tag(s[i+2 : end]))
			return end + 2 - i
		}
	case strings.HasPrefix(rest, "{{"):
		if end := ls.f.after("}}", i+2); end >= 0 {
			if out, ok := zolaLiteral(s[i+2:end], "{{", "}}"); ok {
				b.WriteString(out)
				return end + 2 - i
			}
			if name, args, ok := zolaCall(strings.Trim(s[i+2:end], "-")); ok {
				b.WriteString(p.zolaInline(name, args))
				return end + 2 - i
			}
			if out, ok := p.expression(s[i+2 : end]); ok {
				b.WriteString(out)
				return end + 2 - i
			}
		}
		b.WriteString("{{")
		return 2
	case strings.HasPrefix(rest, "{/*"):
		if end := ls.f.after("*/}", i+3); end >= 0 {
			return end + 3 - i
		}
		if p.laterInSource("*/}") {
			p.region = &region{kind: regionDrop, syntax: 'm'}
			return len(rest)
		}
	case strings.HasPrefix(rest, "{:"):
		if m := kramdownAttr.FindString(rest); m != "" {
			return len(m)
		}
	}
	b.WriteByte('{')
	return 1
}

// kramdownAttr is a kramdown attribute list: {:.class}, {: #id},
// {:toc}, {:.center style="…"}, {::options …}. Their effect is styling or
// an id; the text they are attached to stays.
var kramdownAttr = regexp.MustCompile(`^\{::?\s*(?:[.#][\w-]|[A-Za-z_][\w-]*(?:\s*[=:}]|\s+[.#A-Za-z]))[^{}\n]{0,300}\}`)

// literalShortcode writes {{</* name */>}} as the text {{< name >}}, which
// is how Hugo posts show a shortcode without running it.
func (p *preprocessor) literalShortcode(ls *lineScan, i int, b *strings.Builder) int {
	open := ls.s[i : i+3]
	closer := "*/>}}"
	if open == "{{%" {
		closer = "*/%}}"
	}
	end := ls.f.after(closer, i+5)
	if end < 0 {
		b.WriteString(open)
		return 3
	}
	shown := open + " " + strings.TrimSpace(ls.s[i+5:end]) + " " + closer[2:]
	b.WriteString(escapeMarkdownText(shown))
	return end + len(closer) - i
}

// escapeMarkdownText makes text appear as written: HTML-significant
// characters become entities and Markdown punctuation is escaped.
func escapeMarkdownText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		case '*', '_', '`', '[', ']', '\\', '{', '}', '#', '|', '~', '!', '$', ':', '@':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// codeSpanLen is the length of the code span that rest starts with, or of
// its run of backticks when no span closes on the line.
func codeSpanLen(rest string) int {
	n := countLeading(rest, '`')
	closer := rest[:n]
	for j := n; j < len(rest); {
		k := strings.Index(rest[j:], closer)
		if k < 0 {
			break
		}
		end := j + k + n
		if end == len(rest) || rest[end] != '`' {
			return end
		}
		j = end + countLeading(rest[end:], '`')
	}
	return n
}

// report records a construct that could not be rendered. block says the
// construct produced block-level output, so the line needs a blank line.
func (p *preprocessor) report(name string, block bool) {
	p.unrendered.add(name, p.lineNo)
	if block {
		p.block = true
	}
}

// laterInSource reports whether pat occurs in the source after the
// current line, so a region opened here will close.
func (p *preprocessor) laterInSource(pat string) bool {
	return p.srcFind.after(pat, p.lineEnd) >= 0
}

// openRegion starts a region if its closing tag occurs later in the post;
// otherwise the opening tag is only dropped, and the post is not lost to a
// tag that never closes.
func (p *preprocessor) openRegion(r *region, closing string) bool {
	if !p.laterInSource(closing) && !strings.Contains(p.curLine, closing) {
		p.report("unclosed "+regionLabel(r), false)
		return false
	}
	p.region = r
	return true
}

func regionLabel(r *region) string {
	switch r.syntax {
	case 'h':
		return "{{< " + r.name + " >}}"
	case 'm':
		return "{/* */}"
	}
	return "{% " + r.name + " %}"
}

// feedRegion consumes s into the open region up to and including its
// closing tag. It reports how many bytes it consumed and whether the
// region closed.
func (p *preprocessor) feedRegion(s string, b *strings.Builder) (int, bool) {
	r := p.region
	start, end := r.closeIn(s)
	if start < 0 {
		start, end = len(s), len(s)
	}
	body := s[:start]
	switch r.kind {
	case regionRaw:
		b.WriteString(body)
	case regionCapture:
		if r.buf.Len()+len(body) <= maxVarBytes {
			r.buf.WriteString(body)
		}
	}
	if end == len(s) && start == len(s) {
		return len(s), false
	}
	p.closeRegion(s[start:end])
	return end, true
}

// closeRegion ends the region at its closing tag.
func (p *preprocessor) closeRegion(tag string) {
	r := p.region
	p.region = nil
	switch r.kind {
	case regionCapture:
		p.setVar(r.capture, strings.TrimSpace(r.buf.String()))
	case regionDrop:
		if r.ifBranch && !isEndTag(tag, "if") && !isEndTag(tag, "unless") {
			// {% else %} or {% elsif %} after a false branch: the rest is
			// shown, and its {% endif %} is then a stray tag.
			p.ifs = append(p.ifs, false)
		}
	}
}

func isEndTag(tag, name string) bool {
	return liquidName(strings.Trim(tag, "{}%- \t")) == "end"+name
}

// closeIn finds the tag that closes the region in s: its start and end,
// or -1. Tags of the same name nest.
func (r *region) closeIn(s string) (start, end int) {
	if r.syntax == 'm' {
		if i := strings.Index(s, "*/}"); i >= 0 {
			return i, i + 3
		}
		return -1, -1
	}
	open, closer := "{%", "%}"
	if r.syntax == 'h' {
		open = "{{"
	}
	for from := 0; ; {
		i := strings.Index(s[from:], open)
		if i < 0 {
			return -1, -1
		}
		i += from
		if r.syntax == 'h' {
			if i+2 >= len(s) || (s[i+2] != '<' && s[i+2] != '%') {
				from = i + 2
				continue
			}
			closer = string(s[i+2]) + "}}"
			if s[i+2] == '<' {
				closer = ">}}"
			}
		}
		body := i + len(open)
		if r.syntax == 'h' {
			body++ // past the < or %
		}
		j := strings.Index(s[body:], closer)
		if j < 0 {
			return -1, -1
		}
		end := body + j + len(closer)
		inner := s[body : end-len(closer)]
		if r.matches(inner) {
			return i, end
		}
		from = end
	}
}

// matches reports whether the tag body inner closes the region, keeping
// count of nested tags of the same name.
func (r *region) matches(inner string) bool {
	var name string
	if r.syntax == 'h' {
		sc := parseShortcode(strings.TrimSpace(inner))
		name = sc.name
		if sc.closing {
			name = "end" + name
		}
	} else {
		name = liquidName(inner)
	}
	if r.kind == regionRaw {
		return name == "endraw"
	}
	switch {
	case name == r.name && r.kind != regionRaw:
		r.depth++
	case name == "end"+r.name || (r.name == "if" && name == "endunless") || (r.name == "unless" && name == "endif"):
		if r.depth == 0 {
			return true
		}
		r.depth--
	case r.ifBranch && r.depth == 0 && (name == "else" || name == "elsif"):
		return true
	}
	return false
}

// liquidName is the tag name of a Liquid tag body ("- assign x = 1 -").
func liquidName(inner string) string {
	inner = strings.TrimLeft(inner, "-% \t")
	end := 0
	for end < len(inner) && (isAlnum(inner[end]) || inner[end] == '_') {
		end++
	}
	return strings.ToLower(inner[:end])
}

// referenceDefinition is a Markdown link reference definition line.
var referenceDefinition = regexp.MustCompile(`^ {0,3}\[([^\]]{1,999})\]:`)

// scanReferences collects the labels a post defines, for posts whose
// includes define more (Jekyll sites keep their link lists in includes).
func scanReferences(lines []string) map[string]bool {
	defs := map[string]bool{}
	for _, l := range lines {
		if m := referenceDefinition.FindStringSubmatch(l); m != nil {
			defs[normalLabel(m[1])] = true
		}
	}
	return defs
}

func normalLabel(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// maxLinkText bounds how far a link's text is looked for.
const maxLinkText = 1000

// referenceLink handles "[text][label]" and "[text][]" in a post whose
// includes were dropped: when nothing in the post defines the label, the
// definition was in an include, and the text is shown without its
// brackets. The link itself is lost, and reported.
func (p *preprocessor) referenceLink(s string, i int, b *strings.Builder) int {
	depth, j := 0, i
	limit := min(len(s), i+maxLinkText)
	for ; j < limit; j++ {
		if s[j] == '[' {
			depth++
		} else if s[j] == ']' {
			depth--
			if depth == 0 {
				break
			}
		}
	}
	if j >= limit-1 || s[j+1] != '[' || (i > 0 && s[i-1] == '!') {
		b.WriteByte('[')
		return 1
	}
	k := strings.IndexByte(s[j+2:min(len(s), j+2+maxLinkText)], ']')
	if k < 0 {
		b.WriteByte('[')
		return 1
	}
	text, label := s[i+1:j], s[j+2:j+2+k]
	end := j + 2 + k + 1
	if label == "" {
		label = text
	}
	if strings.HasPrefix(text, "^") || p.refDefs[normalLabel(label)] {
		b.WriteString(s[i:end])
		return end - i
	}
	p.report("[link][] defined by an include", false)
	b.WriteString(text)
	return end - i
}
