package render

import (
	"bytes"
	"html"
	"strings"
)

// shortcode is one Hugo shortcode tag: {{< name params >}} or
// {{% name params %}}, or its closing form {{< /name >}}.
type shortcode struct {
	name    string
	closing bool
	params  params
}

// noticeNames are the notice shortcodes and tags of Hugo themes (Docsy's
// alert, the common note/tip/warning, Hextra's callout) and Hexo's note.
var noticeNames = map[string]bool{
	"note": true, "tip": true, "warning": true, "alert": true, "callout": true, "info": true, "caution": true,
	"danger": true, "important": true, "notice": true, "admonition": true, "hint": true, "quote": true,
	"blockquote": true, "pullquote": true,
}

// isBox reports whether a shortcode named name draws a box around its
// body, which its closing tag ends: a notice, or details.
func isBox(name string) bool { return name == "details" || noticeNames[name] }

// shortcode renders one Hugo shortcode tag, {{< inner >}} or
// {{% inner %}}: built-ins with a meaning of their own get their HTML,
// notices and details their boxes; any other shortcode vanishes, leaving
// the text between its tags, and is reported.
func (p *preprocessor) shortcode(inner string, delim byte) string {
	sc := parseShortcode(inner)
	if sc.closing {
		switch {
		case isBox(sc.name):
			return p.closeNotice(sc.name)
		}
		return ""
	}
	closer := ">"
	if delim == '%' {
		closer = "%"
	}
	return p.shortcodeTag(sc, "{{"+string(delim)+" "+sc.name+" "+closer+"}}")
}

// shortcodeTag renders an opening shortcode tag, Hugo's or Zola's; as is
// how an unknown one is reported.
func (p *preprocessor) shortcodeTag(sc shortcode, as string) string {
	switch sc.name {
	case "figure", "img", "image":
		p.block = true
		return figureHTML(sc.params, p.caption)
	case "youtube", "vimeo":
		p.block = true
		return embedHTML(sc.name, videoID(sc.params.get("id", 0)))
	case "gist":
		return gistLink(sc.params)
	case "tweet", "x", "twitter":
		return tweetLink(sc.params)
	case "instagram":
		return externalLink("https://www.instagram.com/p/"+sc.params.get("id", 0)+"/", "View on Instagram")
	case "ref", "relref":
		return p.opts.postLink(sc.params.get("path", 0))
	case "param", "site-param", "siteparam":
		return p.param(sc.params.get("name", 0), sc.name != "param")
	case "details":
		return p.openNotice("details", sc.params.get("summary", 0)+" "+sc.params.get("title", -1), 'h')
	case "comment":
		p.openRegion(&region{kind: regionDrop, syntax: 'h', name: "comment"}, "/comment")
		return ""
	case "toc", "table_of_contents", "tableofcontents", "highlight", "br", "more", "center":
		return ""
	}
	if noticeNames[sc.name] {
		kind, title := sc.name, sc.params.get("title", -1)
		if kind == "notice" || kind == "admonition" || kind == "callout" || kind == "alert" {
			// {{% notice tip "Title" %}}, {{< alert color="warning" >}}
			kind = cmpOr(sc.params.get("type", -1), sc.params.get("color", -1), sc.params.get("", 0), kind)
			title = cmpOr(title, sc.params.get("", 1))
		}
		return p.openNotice(kind, title, 'h')
	}
	p.report(as, false)
	return ""
}

func cmpOr(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// param renders {{% param name %}}: the page's front-matter value, else
// the site's.
func (p *preprocessor) param(name string, siteOnly bool) string {
	if v, ok := p.opts.Page[name]; ok && !siteOnly {
		return v
	}
	if v, ok := p.opts.Site[name]; ok {
		return v
	}
	p.report("{{% param "+name+" %}}", false)
	return ""
}

// openNotice opens a box: a details element, or an aside with the
// notice's kind as its class and its title in bold.
func (p *preprocessor) openNotice(kind, title string, syntax byte) string {
	kind = className(strings.TrimSpace(kind))
	title = strings.TrimSpace(title)
	if p.notices == nil {
		p.notices = map[string]int{}
	}
	p.block = true
	if kind == "details" {
		p.notices["details"]++
		return "\n\n<details class=\"callout callout-details\">\n<summary>" + html.EscapeString(orDefault(title, "Details")) + "</summary>\n\n"
	}
	p.notices["aside"]++
	class := "callout"
	if kind != "" && kind != "callout" {
		class += " callout-" + kind
	}
	out := "\n\n<aside class=\"" + class + "\">\n"
	if title != "" {
		out += "<p class=\"callout-title\"><strong>" + html.EscapeString(title) + "</strong></p>\n"
	}
	_ = syntax
	return out + "\n"
}

// closeNotice closes the innermost box of the kind, if one is open.
func (p *preprocessor) closeNotice(name string) string {
	tag := "aside"
	if name == "details" {
		tag = "details"
	}
	if p.notices[tag] == 0 {
		return ""
	}
	p.notices[tag]--
	p.block = true
	return "\n\n</" + tag + ">\n\n"
}

// gistLink links to a gist: {{< gist user id [file] >}}.
func gistLink(ps params) string {
	user, id := ps.get("user", 0), ps.get("id", 1)
	if id == "" {
		user, id = "", user
	}
	u := "https://gist.github.com/" + pathPart(user) + "/" + pathPart(id)
	if user == "" {
		u = "https://gist.github.com/" + pathPart(id)
	}
	return externalLink(u, "View the gist on GitHub")
}

// tweetLink links to a post on X: {{< tweet user="u" id="1" >}} or the
// older {{< tweet 1 >}}.
func tweetLink(ps params) string {
	user, id := ps.get("user", -1), ps.get("id", 0)
	if len(ps.positional) == 2 && ps.get("id", -1) == "" {
		user, id = ps.positional[0], ps.positional[1]
	}
	if user == "" {
		user = "i"
	}
	return externalLink("https://x.com/"+pathPart(user)+"/status/"+pathPart(id), "View the post on X")
}

// pathPart keeps a URL path segment to letters, digits, "-", "_" and ".".
func pathPart(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 128 && (isAlnum(byte(r)) || r == '-' || r == '_' || r == '.') {
			return r
		}
		return -1
	}, s)
}

// externalLink is a Markdown autolink-style link with a label.
func externalLink(href, label string) string {
	return `<a class="embed" href="` + html.EscapeString(href) + `">` + html.EscapeString(label) + `</a>`
}

func parseShortcode(inner string) shortcode {
	inner = strings.TrimSpace(strings.TrimSuffix(inner, "/"))
	var sc shortcode
	if rest, ok := strings.CutPrefix(inner, "/"); ok {
		sc.closing = true
		inner = strings.TrimSpace(rest)
	}
	name, rest, _ := strings.Cut(inner, " ")
	sc.name = strings.ToLower(name)
	sc.params = parseParams(rest)
	return sc
}

// codeRegion opens a code block for a tag alone on its line: Hugo's
// {{< highlight lang >}}, Jekyll's {% highlight lang %}, Hexo's
// {% codeblock [title] lang:x %} and {% code %}. Its closing tag must
// occur later in the post; the search for it is cached, so a post of
// thousands of such tags stays linear.
func (p *preprocessor) codeRegion(line string) bool {
	s := strings.TrimSpace(line)
	var r *region
	var marker string
	switch {
	case len(s) >= 6 && (strings.HasPrefix(s, "{{<") && strings.HasSuffix(s, ">}}") || strings.HasPrefix(s, "{{%") && strings.HasSuffix(s, "%}}")):
		inner := s[3 : len(s)-3]
		if strings.Contains(inner, "}}") {
			return false
		}
		sc := parseShortcode(inner)
		if sc.name != "highlight" || sc.closing {
			return false
		}
		r, marker = &region{kind: regionCode, syntax: 'h', name: "highlight", lang: sc.params.get("lang", 0)}, "/highlight"
	case len(s) >= 4 && strings.HasPrefix(s, "{%") && strings.HasSuffix(s, "%}"):
		inner := strings.Trim(s[2:len(s)-2], "- ")
		if strings.Contains(inner, "%}") {
			return false
		}
		name := liquidName(inner)
		if name != "highlight" && name != "codeblock" && name != "code" {
			return false
		}
		r, marker = &region{kind: regionCode, syntax: 'l', name: name, lang: codeLang(name, inner[len(name):])}, "end"+name
	default:
		return false
	}
	if !p.laterInSource(marker) {
		return false
	}
	p.region = r
	return true
}

// codeLang reads the language of a code tag: the first argument of
// highlight, the lang:x argument of Hexo's codeblock.
func codeLang(name, args string) string {
	fields := strings.Fields(args)
	if name == "highlight" {
		if len(fields) > 0 {
			return fields[0]
		}
		return ""
	}
	for _, f := range fields {
		if l, ok := strings.CutPrefix(f, "lang:"); ok {
			return l
		}
	}
	return ""
}

// codeLine adds a line to the open code block, or ends the block at its
// closing tag; text after the tag is rendered as usual.
func (p *preprocessor) codeLine(line string) {
	r := p.region
	start, end := r.closeIn(line)
	if start < 0 {
		if len(r.code) < maxCodeLines {
			r.code = append(r.code, line)
		}
		return
	}
	if code := line[:start]; strings.TrimSpace(code) != "" {
		r.code = append(r.code, code)
	}
	p.region = nil
	p.writeFenced(r.lang, r.code)
	if rest := line[end:]; strings.TrimSpace(rest) != "" {
		p.line(rest)
	}
}

// maxCodeLines bounds one code block's lines; a post's size bounds them
// already, this only keeps the slice from outgrowing it.
const maxCodeLines = 1 << 20

// writeFenced writes code as a fenced block on lines of its own.
func (p *preprocessor) writeFenced(lang string, code []string) {
	p.endLine()
	p.out.WriteString(fencedString(lang, code))
}

// infoString keeps a language name safe to put after a backtick fence.
func infoString(lang string) string {
	return strings.Map(func(r rune) rune {
		if r == '`' || r == ' ' || r == '\t' || r == '{' {
			return -1
		}
		return r
	}, lang)
}

// figureHTML renders Hugo's figure shortcode. The image files are not part
// of the archive, so the img mostly shows its alt text; the caption is the
// part worth keeping, rendered as Markdown like Hugo does.
func figureHTML(ps params, caption func(string) string) string {
	var b strings.Builder
	b.WriteString(`<figure class="figure">`)
	img := `<img src="` + html.EscapeString(ps.get("src", 0)) + `" alt="` + html.EscapeString(ps.get("alt", -1)) + `">`
	if link := ps.get("link", -1); link != "" {
		img = `<a href="` + html.EscapeString(link) + `">` + img + `</a>`
	}
	b.WriteString(img)
	title, capt := ps.get("title", -1), ps.get("caption", -1)
	if title != "" || capt != "" {
		b.WriteString("<figcaption>")
		if title != "" {
			b.WriteString("<strong>" + html.EscapeString(title) + "</strong> ")
		}
		if capt != "" {
			b.WriteString(caption(capt))
		}
		b.WriteString("</figcaption>")
	}
	b.WriteString("</figure>")
	return b.String()
}

// captionHTML renders a figure caption, which Hugo treats as Markdown, to
// inline HTML. The result is sanitised later with the rest of the page.
func (r *Renderer) captionHTML(md string) string {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(md), &buf); err != nil {
		return html.EscapeString(md)
	}
	s := strings.TrimSpace(buf.String())
	if inner, ok := strings.CutPrefix(s, "<p>"); ok && strings.HasSuffix(inner, "</p>") && !strings.Contains(inner, "<p>") {
		return strings.TrimSuffix(inner, "</p>")
	}
	return s
}
