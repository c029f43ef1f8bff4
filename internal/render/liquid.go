package render

import (
	"html"
	"net/url"
	"path"
	"strconv"
	"strings"
)

// liquidTag renders one {% … %} tag of Liquid (Jekyll) or Nunjucks (Hexo)
// and returns what stands in its place. Tags that open a region (comment,
// raw, capture, for, a false if) set p.region and return "".
func (p *preprocessor) liquidTag(inner string) string {
	inner = strings.TrimSpace(strings.Trim(inner, "-"))
	name := liquidName(inner)
	args := strings.TrimSpace(inner[min(len(name), len(inner)):])
	switch name {
	case "raw":
		p.openRegion(&region{kind: regionRaw, syntax: 'l', name: "raw"}, "endraw")
	case "comment":
		p.openRegion(&region{kind: regionDrop, syntax: 'l', name: "comment"}, "endcomment")
	case "capture":
		v, _, _ := strings.Cut(args, " ")
		p.openRegion(&region{kind: regionCapture, syntax: 'l', name: "capture", capture: v}, "endcapture")
	case "for", "tablerow":
		// A loop runs over the site's data (posts, front-matter lists),
		// which the archive does not evaluate.
		p.report("{% "+name+" %}", false)
		p.openRegion(&region{kind: regionDrop, syntax: 'l', name: name}, "end"+name)
	case "if", "unless":
		p.liquidIf(name, args)
	case "else", "elsif":
		if n := len(p.ifs); n > 0 && p.ifs[n-1] {
			// The branch shown so far was the true one: skip the rest.
			p.ifs = p.ifs[:n-1]
			p.openRegion(&region{kind: regionDrop, syntax: 'l', name: "if"}, "endif")
		}
	case "endif", "endunless":
		if n := len(p.ifs); n > 0 {
			p.ifs = p.ifs[:n-1]
		}
	case "assign":
		p.assign(args)
	case "link", "post_url", "post_path":
		return p.opts.postLink(unquote(strings.Fields(args + " x")[0]))
	case "post_link":
		return p.hexoPostLink(args)
	case "include", "include_relative", "render", "include_cached":
		return p.include(name, args)
	case "highlight", "codeblock", "code":
		// Alone on a line these are code blocks (see codeRegion); inside
		// a line only the tag goes.
	case "note", "blockquote", "pullquote", "quote", "callout", "alert", "tip", "warning", "info":
		// Hexo's {% note [class] [no-icon] [title] %}: the class names the kind.
		kind, title, _ := strings.Cut(args, " ")
		title = strings.TrimSpace(strings.Replace(title, "no-icon", "", 1))
		if kind == "" || name != "note" {
			kind, title = name, args
		}
		return p.openNotice(kind, unquote(title), 'l')
	case "endnote", "endblockquote", "endpullquote", "endquote", "endcallout", "endalert", "endtip", "endwarning", "endinfo":
		return p.closeNotice(strings.TrimPrefix(name, "end"))
	case "asset_img", "asset_image", "img", "image":
		return p.hexoImage(args)
	case "asset_link":
		return hexoLink(args)
	case "asset_path":
		return strings.Fields(args + " ")[0]
	case "youtube", "vimeo":
		p.block = true
		return embedHTML(name, videoID(unquote(strings.Fields(args + " x")[0])))
	case "iframe":
		p.block = true
		return `<iframe src="` + html.EscapeString(unquote(strings.Fields(args + " x")[0])) + `"></iframe>`
	case "katex", "mathjax", "latex", "math", "seo", "toc", "more", "excerpt", "endraw", "endcomment", "endcapture",
		"endfor", "endtablerow", "endhighlight", "endcodeblock", "endcode", "endkatex", "endmathjax", "endlatex", "endmath",
		"case", "when", "endcase", "break", "continue", "cycle", "increment", "decrement":
		// Markers and data tags: nothing of them shows on the page.
	case "":
	default:
		if !strings.HasPrefix(name, "end") {
			p.report("{% "+name+" %}", false)
		}
	}
	return ""
}

// liquidIf shows the if-branch when its condition is known true or cannot
// be known (the branch is the post's text as its author wrote it), and
// skips it to the else-branch when the condition is known false.
func (p *preprocessor) liquidIf(name, cond string) {
	truth, known := p.condition(cond)
	if !known {
		p.report("{% "+name+" %} on an unknown value", false)
		truth = true
	}
	if name == "unless" && known {
		truth = !truth
	}
	if truth {
		p.ifs = append(p.ifs, true)
		return
	}
	p.openRegion(&region{kind: regionDrop, syntax: 'l', name: name, ifBranch: true}, "end"+name)
}

// condition evaluates the simple conditions: a value, "a == b", "a != b".
func (p *preprocessor) condition(cond string) (truth, known bool) {
	if strings.Contains(cond, " and ") || strings.Contains(cond, " or ") || strings.Contains(cond, " contains ") {
		return false, false
	}
	for _, op := range []string{"==", "!="} {
		if l, r, ok := strings.Cut(cond, op); ok {
			a, ka := p.operand(strings.TrimSpace(l))
			c, kc := p.operand(strings.TrimSpace(r))
			if !ka || !kc {
				return false, false
			}
			return (a == c) == (op == "=="), true
		}
	}
	v, ok := p.operand(strings.TrimSpace(cond))
	if !ok {
		return false, false
	}
	return v != "" && v != "false" && v != "nil", true
}

// assign evaluates {% assign name = expression %}.
func (p *preprocessor) assign(args string) {
	name, expr, ok := strings.Cut(args, "=")
	name = strings.TrimSpace(name)
	if !ok || !isVarName(name) {
		p.report("{% assign %}", false)
		return
	}
	if v, known := p.evaluate(strings.TrimSpace(expr)); known {
		p.setVar(name, v)
	} else {
		delete(p.vars, name)
	}
}

func (p *preprocessor) setVar(name, v string) {
	if p.vars == nil {
		p.vars = map[string]string{}
	}
	old := len(p.vars[name])
	if p.varBytes-old+len(v) > maxVarBytes {
		return
	}
	p.varBytes += len(v) - old
	p.vars[name] = v
}

// expression renders {{ … }}: a Go blog template action, or a Liquid
// output. ok is false when inner is neither (JSX's style={{…}}, a Go
// template in prose, a literal pair of braces), and the text stays.
func (p *preprocessor) expression(inner string) (string, bool) {
	if out, ok := p.goAction(inner); ok {
		return out, true
	}
	expr := strings.TrimSpace(strings.Trim(inner, "-"))
	if !looksLiquid(expr) {
		return "", false
	}
	v, known := p.evaluate(expr)
	if !known {
		head, _, _ := strings.Cut(expr, "|")
		p.report("{{ "+strings.TrimSpace(head)+" }}", false)
		return "", true
	}
	if p.expanded+len(v) > maxVarBytes {
		p.report("{{ }} over the size limit", false)
		return "", true
	}
	p.expanded += len(v)
	return v, true
}

// looksLiquid reports whether expr is a Liquid output: an operand (a
// quoted string, a number or a variable path) and filters.
func looksLiquid(expr string) bool {
	head, filters, _ := strings.Cut(expr, "|")
	head = strings.TrimSpace(head)
	if head == "" {
		return false
	}
	if !isQuoted(head) && !isVarPath(head) {
		return false
	}
	if filters == "" {
		return true
	}
	for _, f := range splitFilters(filters) {
		name, _, _ := strings.Cut(f, ":")
		if !isVarName(strings.TrimSpace(name)) {
			return false
		}
	}
	return true
}

// evaluate computes an operand and its filters.
func (p *preprocessor) evaluate(expr string) (string, bool) {
	head, filters, _ := strings.Cut(expr, "|")
	v, known := p.operand(strings.TrimSpace(head))
	if filters == "" {
		return v, known
	}
	for _, f := range splitFilters(filters) {
		name, arg, _ := strings.Cut(f, ":")
		name = strings.TrimSpace(name)
		a, _ := p.operand(strings.TrimSpace(firstArg(arg)))
		if name == "default" {
			if !known || v == "" {
				v, known = a, true
			}
			continue
		}
		if !known {
			return "", false
		}
		v = p.filter(name, v, a)
	}
	return v, known
}

// filter applies one Liquid filter. Filters the archive cannot apply
// (dates, data) leave the value as it is.
func (p *preprocessor) filter(name, v, arg string) string {
	switch name {
	case "relative_url":
		return joinURL(p.opts.Site["baseurl"], v)
	case "absolute_url":
		return joinURL(strings.TrimSuffix(p.opts.Site["url"], "/")+p.opts.Site["baseurl"], v)
	case "downcase":
		return strings.ToLower(v)
	case "upcase":
		return strings.ToUpper(v)
	case "strip":
		return strings.TrimSpace(v)
	case "append":
		return v + arg
	case "prepend":
		return arg + v
	case "escape", "xml_escape", "escape_once":
		return html.EscapeString(html.UnescapeString(v))
	case "url_encode", "cgi_escape", "uri_escape":
		return url.QueryEscape(v)
	case "remove":
		return strings.ReplaceAll(v, arg, "")
	case "capitalize":
		if v != "" {
			return strings.ToUpper(v[:1]) + v[1:]
		}
	}
	return v
}

func joinURL(base, p string) string {
	if strings.Contains(p, "://") || base == "" {
		return p
	}
	return strings.TrimSuffix(base, "/") + "/" + strings.TrimPrefix(p, "/")
}

// operand is a quoted string, a number, or a variable: site.x and page.x
// from the options, others from assign and capture.
func (p *preprocessor) operand(s string) (string, bool) {
	switch {
	case isQuoted(s):
		return s[1 : len(s)-1], true
	case s != "" && strings.Trim(s, "0123456789.-") == "":
		return s, true
	case s == "true" || s == "false" || s == "nil":
		return s, true
	}
	if key, ok := strings.CutPrefix(s, "site."); ok {
		v, ok := p.opts.Site[key]
		return v, ok
	}
	if key, ok := strings.CutPrefix(s, "page."); ok {
		v, ok := p.opts.Page[key]
		return v, ok
	}
	v, ok := p.vars[s]
	return v, ok
}

func isQuoted(s string) bool {
	return len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] && !strings.ContainsRune(s[1:len(s)-1], rune(s[0]))
}

func unquote(s string) string {
	if isQuoted(s) {
		return s[1 : len(s)-1]
	}
	return s
}

// isVarName accepts Liquid names, hyphens included ({{return-to-fees}}).
func isVarName(s string) bool {
	if s == "" || len(s) > 64 || !(s[0] == '_' || 'a' <= s[0]|0x20 && s[0]|0x20 <= 'z') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) && s[i] != '_' && s[i] != '-' {
			return false
		}
	}
	return true
}

func isVarPath(s string) bool {
	for _, part := range strings.Split(s, ".") {
		if !isVarName(part) {
			return false
		}
	}
	return true
}

func splitFilters(s string) []string {
	var out []string
	quote := byte(0)
	start := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '|':
			out = append(out, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}

func firstArg(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if s[0] == '"' || s[0] == '\'' {
		if end := strings.IndexByte(s[1:], s[0]); end >= 0 {
			return s[:end+2]
		}
	}
	a, _, _ := strings.Cut(s, ",")
	return strings.TrimSpace(a)
}

// include renders the includes whose meaning is plain (an image with its
// caption); the others pull in the site's templates, which are not posts,
// and are reported.
func (p *preprocessor) include(tag, args string) string {
	file, rest, _ := strings.Cut(args, " ")
	ps := parseParams(rest)
	src := ps.get("src", -1)
	for _, k := range []string{"image", "img", "file", "url", "path"} {
		if src == "" {
			src = ps.get(k, -1)
		}
	}
	if src != "" && isImagePath(src) {
		p.block = true
		fig := params{named: map[string]string{"src": src, "alt": ps.get("alt", -1), "caption": ps.get("caption", -1), "title": ps.get("title", -1)}}
		return figureHTML(fig, p.caption)
	}
	if out := p.questionList(ps); out != "" {
		return out
	}
	_ = file
	p.report("{% "+tag+" %}", false)
	return ""
}

// maxQuestions bounds the q0/a0 … pairs one include may show.
const maxQuestions = 100

// questionList renders an include that takes questions and answers as
// parameters (q0="…" a0="…" a0link="…", as Jekyll sites write their FAQ
// and review-club includes) the way the include shows them: each question
// a details element with its answer inside.
func (p *preprocessor) questionList(ps params) string {
	var b strings.Builder
	for i := 0; i < maxQuestions; i++ {
		n := strconv.Itoa(i)
		q, a := ps.get("q"+n, -1), ps.get("a"+n, -1)
		if q == "" {
			break
		}
		b.WriteString("\n\n<details class=\"callout callout-details\">\n<summary>")
		b.WriteString(p.caption(q))
		b.WriteString("</summary>\n\n")
		b.WriteString(a)
		if link := ps.get("a"+n+"link", -1); link != "" {
			b.WriteString(" [➚](<" + strings.ReplaceAll(link, ">", "%3E") + ">)")
		}
		b.WriteString("\n\n</details>\n\n")
	}
	if b.Len() > 0 {
		p.block = true
	}
	return b.String()
}

func isImagePath(s string) bool {
	switch strings.ToLower(path.Ext(strings.SplitN(s, "?", 2)[0])) {
	case ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif":
		return true
	}
	return false
}

// hexoImage renders {% asset_img [class] slug [width] [height] [title [alt]] %}
// and {% img %}: the image beside the post, with its title as alt text.
// Eleventy's {% image "src", "alt", "sizes" %} separates its arguments
// with commas: the first two are the source and the alt text.
func (p *preprocessor) hexoImage(args string) string {
	if src, alt, ok := commaArgs(args); ok {
		return `<img src="` + html.EscapeString(src) + `" alt="` + html.EscapeString(alt) + `">`
	}
	words := hexoArgs(args)
	src, alt := "", ""
	for i, w := range words {
		if src == "" && (isImagePath(w) || strings.Contains(w, "/")) {
			src = w
			alt = strings.Join(words[i+1:], " ")
			break
		}
	}
	if src == "" && len(words) > 0 {
		src, alt = words[0], strings.Join(words[1:], " ")
	}
	alt = strings.TrimSpace(strings.TrimLeft(alt, "0123456789 "))
	return `<img src="` + html.EscapeString(src) + `" alt="` + html.EscapeString(unquote(alt)) + `">`
}

// hexoLink renders {% asset_link slug [title] %} as a Markdown link.
func hexoLink(args string) string {
	words := hexoArgs(args)
	if len(words) == 0 {
		return ""
	}
	title := words[0]
	if len(words) > 1 {
		title = strings.Join(words[1:], " ")
	}
	return "[" + escapeMarkdownText(title) + "](<" + strings.ReplaceAll(words[0], ">", "%3E") + ">)"
}

// hexoPostLink renders Hexo's {% post_link name [title] [escape] %}, a
// link to another post by its file name. Without a title Hexo shows the
// post's own, which one post's rendering does not know: the file name
// stands in, in words.
func (p *preprocessor) hexoPostLink(args string) string {
	words := hexoArgs(args)
	if len(words) == 0 {
		return ""
	}
	if n := len(words); n > 1 && (words[n-1] == "true" || words[n-1] == "false") {
		words = words[:n-1]
	}
	title := strings.Join(words[1:], " ")
	if title == "" {
		title = strings.Join(strings.FieldsFunc(stripDatePrefix(path.Base(words[0])), func(r rune) bool { return r == '-' || r == '_' }), " ")
	}
	return "[" + escapeMarkdownText(title) + "](<" + strings.ReplaceAll(p.opts.postLink(words[0]), ">", "%3E") + ">)"
}

// commaArgs reads the first two of a Nunjucks call's arguments, quoted
// strings separated by commas ("./cat.jpg", "A cat"); ok is false for
// arguments in any other form.
func commaArgs(args string) (first, second string, ok bool) {
	first, rest, ok := cutQuoted(strings.TrimSpace(args), `"'`)
	if !ok {
		return "", "", false
	}
	if rest, ok = strings.CutPrefix(strings.TrimSpace(rest), ","); !ok {
		return "", "", false
	}
	second, _, ok = cutQuoted(strings.TrimSpace(rest), `"'`)
	return first, second, ok
}

// cutQuoted reads the value quoted with one of quotes at the start of s,
// and what follows it; ok is false when s does not start with a closed
// quote.
func cutQuoted(s, quotes string) (val, rest string, ok bool) {
	if s == "" || !strings.ContainsRune(quotes, rune(s[0])) {
		return "", s, false
	}
	end := strings.IndexByte(s[1:], s[0])
	if end < 0 {
		return "", s, false
	}
	return s[1 : end+1], s[end+2:], true
}

// hexoArgs splits tag arguments on spaces, keeping quoted ones whole.
func hexoArgs(s string) []string {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if v, rest, ok := cutQuoted(s, `"'`); ok {
			out = append(out, v)
			s = rest
			continue
		}
		w, rest, _ := strings.Cut(s, " ")
		out = append(out, w)
		s = rest
	}
	return out
}
