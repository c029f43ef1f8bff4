package importer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// converter turns HTML into Markdown: headings, paragraphs, emphasis,
// links, images, lists, quotes, code, tables and rules. Scripts, styles
// and page furniture (navigation, forms) are dropped; embedded media that
// Markdown cannot hold (iframes, video, audio) are dropped with a note, as
// are images without alt text, which are kept but flagged.
type converter struct {
	r    *Result
	from string // the item, for notes
}

// markdown converts the children of n.
func (c *converter) markdown(n *html.Node) string {
	return strings.Join(c.blocks(n), "\n\n")
}

// blockTags end the paragraph around them.
var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true, atom.Header: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Ul: true, atom.Ol: true, atom.Li: true, atom.Blockquote: true, atom.Pre: true, atom.Table: true,
	atom.Hr: true, atom.Figure: true, atom.Figcaption: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.Address: true, atom.Details: true, atom.Summary: true, atom.Center: true,
}

// dropped elements vanish with their content; noted ones get a note.
var dropped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Nav: true,
	atom.Footer: true, atom.Aside: true, atom.Button: true, atom.Head: true, atom.Link: true, atom.Meta: true,
}

var noted = map[atom.Atom]bool{
	atom.Iframe: true, atom.Video: true, atom.Audio: true, atom.Object: true, atom.Embed: true,
	atom.Form: true, atom.Svg: true, atom.Canvas: true, atom.Input: true, atom.Select: true, atom.Textarea: true,
}

func (c *converter) blocks(n *html.Node) []string {
	var out []string
	var inline strings.Builder
	flush := func() {
		if p := cleanParagraph(inline.String()); p != "" {
			out = append(out, p)
		}
		inline.Reset()
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && (blockTags[ch.DataAtom] || dropped[ch.DataAtom] || noted[ch.DataAtom]) {
			flush()
			out = append(out, c.block(ch)...)
			continue
		}
		inline.WriteString(c.inline(ch))
	}
	flush()
	return out
}

func (c *converter) block(n *html.Node) []string {
	switch {
	case dropped[n.DataAtom]:
		return nil
	case noted[n.DataAtom]:
		c.dropNote(n)
		return nil
	}
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		level := int(n.Data[1] - '0')
		if t := cleanParagraph(c.inlineChildren(n)); t != "" {
			return []string{strings.Repeat("#", level) + " " + strings.ReplaceAll(t, "\n", " ")}
		}
		return nil
	case atom.Ul, atom.Ol:
		return c.list(n)
	case atom.Blockquote:
		return []string{prefixLines(c.markdown(n), "> ", ">")}
	case atom.Pre:
		return []string{codeBlock(n)}
	case atom.Hr:
		return []string{"* * *"}
	case atom.Table:
		return c.table(n)
	case atom.Figcaption, atom.Dt, atom.Summary:
		if t := cleanParagraph(c.inlineChildren(n)); t != "" {
			return []string{"*" + t + "*"}
		}
		return nil
	case atom.P:
		if p := cleanParagraph(c.inlineChildren(n)); p != "" {
			return []string{p}
		}
		return nil
	}
	return c.blocks(n) // div, section, figure, li outside a list, ...
}

func (c *converter) dropNote(n *html.Node) {
	src := attr(n, "src")
	if src == "" {
		src = attr(n, "data")
	}
	if src == "" {
		for ch := n.FirstChild; ch != nil && src == ""; ch = ch.NextSibling {
			if ch.Type == html.ElementNode {
				src = attr(ch, "src")
			}
		}
	}
	if src != "" {
		c.r.note("%s: <%s src=%q> dropped: Markdown cannot embed it; link to it instead", c.from, n.Data, src)
		return
	}
	c.r.note("%s: <%s> dropped", c.from, n.Data)
}

func (c *converter) list(n *html.Node) []string {
	ordered := n.DataAtom == atom.Ol
	num := 1
	if s, err := strconv.Atoi(attr(n, "start")); err == nil && ordered {
		num = s
	}
	var items []string
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode {
			continue
		}
		marker := "- "
		if ordered {
			marker = fmt.Sprintf("%d. ", num)
			num++
		}
		body := c.listItem(li)
		indent := strings.Repeat(" ", len(marker))
		items = append(items, marker+indentRest(body, indent))
	}
	if len(items) == 0 {
		return nil
	}
	return []string{strings.Join(items, "\n")}
}

// listItem is an item's Markdown; a nested list follows its text without
// a blank line, which would make the whole list loose.
func (c *converter) listItem(li *html.Node) string {
	blocks := c.blocks(li)
	if li.DataAtom != atom.Li { // stray content directly in <ul>
		blocks = c.block(li)
	}
	var b strings.Builder
	for i, bl := range blocks {
		if i > 0 {
			sep := "\n\n"
			if nestedList.MatchString(bl) {
				sep = "\n"
			}
			b.WriteString(sep)
		}
		b.WriteString(bl)
	}
	return b.String()
}

var nestedList = regexp.MustCompile(`^(- |\d+\. )`)

func (c *converter) table(n *html.Node) []string {
	var rows [][]string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type != html.ElementNode {
				continue
			}
			if ch.DataAtom == atom.Tr {
				var row []string
				for cell := ch.FirstChild; cell != nil; cell = cell.NextSibling {
					if cell.Type == html.ElementNode && (cell.DataAtom == atom.Td || cell.DataAtom == atom.Th) {
						t := strings.ReplaceAll(cleanParagraph(c.inlineChildren(cell)), "\n", " ")
						row = append(row, strings.ReplaceAll(t, "|", `\|`))
					}
				}
				rows = append(rows, row)
				continue
			}
			walk(ch)
		}
	}
	walk(n)
	if len(rows) == 0 {
		return nil
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	var b strings.Builder
	for i, r := range rows {
		for len(r) < width {
			r = append(r, "")
		}
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
		if i == 0 {
			b.WriteString("|" + strings.Repeat(" --- |", width) + "\n")
		}
	}
	return []string{strings.TrimRight(b.String(), "\n")}
}

func (c *converter) inlineChildren(n *html.Node) string {
	var b strings.Builder
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		b.WriteString(c.inline(ch))
	}
	return b.String()
}

func (c *converter) inline(n *html.Node) string {
	switch n.Type {
	case html.TextNode:
		return escapeInline(collapseSpace(n.Data))
	case html.ElementNode:
	default:
		return ""
	}
	if dropped[n.DataAtom] {
		return ""
	}
	if noted[n.DataAtom] {
		c.dropNote(n)
		return ""
	}
	inner := func() string { return c.inlineChildren(n) }
	switch n.DataAtom {
	case atom.Em, atom.I, atom.Cite, atom.Var:
		return wrap(inner(), "*")
	case atom.Strong, atom.B:
		return wrap(inner(), "**")
	case atom.Del, atom.S, atom.Strike:
		return wrap(inner(), "~~")
	case atom.Code, atom.Kbd, atom.Tt, atom.Samp:
		return codeSpan(textContent(n))
	case atom.Br:
		return "\\\n"
	case atom.A:
		return c.link(n, inner())
	case atom.Img:
		return c.image(n)
	case atom.Q:
		return "“" + inner() + "”"
	}
	if blockTags[n.DataAtom] { // a block inside inline content: keep its text
		return " " + inner() + " "
	}
	return inner()
}

func (c *converter) link(n *html.Node, text string) string {
	href := strings.TrimSpace(attr(n, "href"))
	switch {
	case href == "" || strings.HasPrefix(href, "#"):
		return text
	case strings.HasPrefix(strings.ToLower(href), "javascript:"):
		c.r.note("%s: a javascript: link on %q dropped", c.from, strings.TrimSpace(textContent(n)))
		return text
	case strings.TrimSpace(text) == "":
		return "<" + href + ">"
	}
	title := ""
	if t := attr(n, "title"); t != "" {
		title = ` "` + strings.ReplaceAll(t, `"`, `\"`) + `"`
	}
	return "[" + strings.TrimSpace(text) + "](" + destination(href) + title + ")"
}

func (c *converter) image(n *html.Node) string {
	src := strings.TrimSpace(attr(n, "src"))
	if src == "" {
		return ""
	}
	alt := collapseSpace(attr(n, "alt"))
	if strings.TrimSpace(alt) == "" {
		c.r.note("%s: image %s has no alt text; add a description for readers who cannot see it", c.from, src)
	}
	return "![" + escapeInline(strings.TrimSpace(alt)) + "](" + destination(src) + ")"
}

// destination writes a link target so spaces and parentheses survive.
func destination(u string) string {
	if strings.ContainsAny(u, " ()<>") {
		return "<" + strings.NewReplacer("<", "%3C", ">", "%3E").Replace(u) + ">"
	}
	return u
}

func codeBlock(n *html.Node) string {
	code := textContent(n)
	lang := languageOf(n)
	for ch := n.FirstChild; ch != nil && lang == ""; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && ch.DataAtom == atom.Code {
			lang = languageOf(ch)
		}
	}
	fence := "```"
	for strings.Contains(code, fence) {
		fence += "`"
	}
	return fence + lang + "\n" + strings.TrimRight(strings.TrimPrefix(code, "\n"), "\n ") + "\n" + fence
}

func languageOf(n *html.Node) string {
	for _, cls := range strings.Fields(attr(n, "class")) {
		for _, p := range []string{"language-", "lang-"} {
			if strings.HasPrefix(cls, p) {
				return strings.TrimPrefix(cls, p)
			}
		}
	}
	return ""
}

func codeSpan(s string) string {
	s = collapseSpace(s)
	if strings.TrimSpace(s) == "" {
		return ""
	}
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// wrap puts emphasis markers around s, outside its surrounding spaces,
// which Markdown would not accept inside them.
func wrap(s, mark string) string {
	t := strings.TrimSpace(s)
	if t == "" {
		return s
	}
	lead := s[:len(s)-len(strings.TrimLeft(s, " "))]
	trail := s[len(strings.TrimRight(s, " ")):]
	return lead + mark + t + mark + trail
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textContent(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Br {
			b.WriteString("\n")
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(n)
	return b.String()
}

var spaces = regexp.MustCompile(`[ \t\r\n\f\v]+`)

func collapseSpace(s string) string { return spaces.ReplaceAllString(s, " ") }

// cleanParagraph trims a paragraph's lines and escapes what would start a
// block at a line's start.
func cleanParagraph(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	out := lines[:0]
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" || l == "\\" {
			continue
		}
		out = append(out, escapeLineStart(l))
	}
	return strings.TrimSuffix(strings.Join(out, "\n"), "\\")
}

var inlineEscaper = strings.NewReplacer(`\`, `\\`, "*", `\*`, "`", "\\`", "[", `\[`, "]", `\]`, "<", `\<`)

// escapeInline makes text literal in Markdown. An underscore only needs
// escaping where it could open or close emphasis, at a word's edge.
func escapeInline(s string) string {
	s = inlineEscaper.Replace(s)
	if !strings.Contains(s, "_") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '_' && (i == 0 || i == len(s)-1 || !isWordByte(s[i-1]) || !isWordByte(s[i+1])) {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

var blockStart = regexp.MustCompile(`^(#{1,6}(\s|$)|>|[-+=]|\d{1,9}[.)](\s|$))`)

// escapeLineStart keeps a line that would start a heading, quote, list or
// rule from doing so.
func escapeLineStart(l string) string {
	if m := blockStart.FindStringIndex(l); m != nil {
		if l[0] >= '0' && l[0] <= '9' {
			i := strings.IndexAny(l, ".)")
			return l[:i] + `\` + l[i:]
		}
		return `\` + l
	}
	return l
}

func prefixLines(s, prefix, empty string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l == "" {
			lines[i] = empty
		} else {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

func indentRest(s, indent string) string {
	lines := strings.Split(s, "\n")
	for i := 1; i < len(lines); i++ {
		if lines[i] != "" {
			lines[i] = indent + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}
