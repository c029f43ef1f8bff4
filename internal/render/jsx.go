package render

import (
	"html"
	"regexp"
	"strings"
)

// MDX (Docusaurus, Gatsby, Next) mixes JSX into Markdown. Import and
// export statements are code for the site's build, not text; components
// are the site's own, so each keeps its children and loses its tags;
// attribute expressions ({…}) on plain HTML become plain attributes.

var (
	mdxImport = regexp.MustCompile(`^import\s+(?:[\w$]+\s*,?\s*)?(?:\{[^}]*\}|\*\s+as\s+[\w$]+)?\s*(?:from\s+)?['"][^'"]+['"];?$`)
	mdxExport = regexp.MustCompile(`^export\s+(?:const|let|var|function|default|async\s+function|class)\b`)
)

// importComponents remembers the names an import brings in, so that
// <Tabs> is known as a component and not taken for prose like <PeerID>.
func (p *preprocessor) importComponents(stmt string) {
	names := strings.TrimPrefix(stmt, "import")
	if i := strings.Index(names, " from "); i >= 0 {
		names = names[:i]
	}
	for _, f := range strings.FieldsFunc(names, func(r rune) bool { return strings.ContainsRune("{},* \t", r) }) {
		if f == "as" || f == "type" || f == "" {
			continue
		}
		if p.components == nil {
			p.components = map[string]bool{}
		}
		if len(p.components) < maxConstructs {
			p.components[f] = true
		}
	}
}

// statementEnd returns the last line of the export statement starting at
// line i: the line where its brackets balance, within a bound.
func (p *preprocessor) statementEnd(i int) int {
	depth := 0
	for j := i; j < len(p.lines) && j < i+200; j++ {
		for _, c := range p.lines[j] {
			switch c {
			case '{', '(', '[':
				depth++
			case '}', ')', ']':
				depth--
			}
		}
		if depth <= 0 {
			return j
		}
	}
	return i
}

// knownEmbeds are MDX components that embed a video or a post on another
// site; they become links to it.
var knownEmbeds = map[string]string{
	"YouTube": "youtube", "Youtube": "youtube", "YoutubeVideo": "youtube", "YouTubeVideo": "youtube",
	"LiteYouTubeEmbed": "youtube", "YouTubeEmbed": "youtube", "Vimeo": "vimeo",
	"Tweet": "tweet", "TwitterTweetEmbed": "tweet", "XEmbed": "tweet",
}

// maxTagBytes bounds how far a tag is scanned for its end.
const maxTagBytes = 4096

// jsxTag rewrites the JSX tag at ls.s[i] and returns the bytes consumed,
// or 0 to leave the "<" to the Markdown parser (plain HTML, or prose like
// <PeerID> that only looks like a tag).
func (p *preprocessor) jsxTag(ls *lineScan, i int, b *strings.Builder) int {
	s := ls.s
	j := i + 1
	closing := j < len(s) && s[j] == '/'
	if closing {
		j++
	}
	start := j
	for j < len(s) && (isAlnum(s[j]) || s[j] == '.' || s[j] == '_' || (j > start && s[j] == '-')) {
		j++
	}
	name := s[start:j]
	if name == "" || !('a' <= name[0]|0x20 && name[0]|0x20 <= 'z') || ls.f.after(">", j) < 0 {
		return 0
	}
	end, attrs, self := scanJSXAttrs(s, j)
	if end < 0 {
		return 0
	}
	component := isUpper(name[0]) || strings.Contains(name, ".")
	if !component {
		if !attrs.hasExpr {
			return 0
		}
		b.WriteString(htmlTag(name, closing, attrs, self))
		return end - i
	}
	if kind, ok := knownEmbeds[name]; ok {
		if !closing {
			b.WriteString(p.embedComponent(kind, attrs))
		}
		return end - i
	}
	switch {
	case p.components[name] || (closing && p.dropped(name)):
	case self || attrs.valued():
		if self {
			p.report("<"+name+" />", false)
		}
	default:
		return 0 // <CID>, <PeerID>: words in angle brackets
	}
	if !self && !closing {
		p.markDropped(name)
		if label := attrs.get("label", "title", "value"); label != "" && (name == "TabItem" || name == "Tab") {
			// A tab shows its label; in a page without tabs it heads its content.
			b.WriteString("\n\n**" + escapeMarkdownText(label) + "**\n\n")
			p.block = true
		}
	}
	return end - i
}

// get returns the first of the named attributes that has a plain value.
func (a jsxAttrs) get(names ...string) string {
	for _, n := range names {
		for _, x := range a.list {
			if x.name == n {
				if x.expr {
					v, _ := jsLiteral(x.value)
					return v
				}
				return x.value
			}
		}
	}
	return ""
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

func (p *preprocessor) dropped(name string) bool { return p.components["</"+name] }

func (p *preprocessor) markDropped(name string) {
	if p.components == nil {
		p.components = map[string]bool{}
	}
	if len(p.components) < 2*maxConstructs {
		p.components["</"+name] = true
	}
}

// jsxAttrs are a tag's attributes: name and value (already unquoted), and
// whether the value was a {…} expression.
type jsxAttrs struct {
	list    []jsxAttr
	hasExpr bool
}

// valued reports whether some attribute has a value: <T extends U> is a
// type in prose, <Tab value="x"> a component.
func (a jsxAttrs) valued() bool {
	for _, x := range a.list {
		if x.value != "" || x.expr {
			return true
		}
	}
	return false
}

type jsxAttr struct {
	name, value string
	expr        bool
}

// scanJSXAttrs reads attributes from s[j:] to the tag's ">" and returns the
// index after it, or -1 when the tag does not end within maxTagBytes on
// this line. Braces nest and may hold ">" (arrow functions).
func scanJSXAttrs(s string, j int) (end int, attrs jsxAttrs, self bool) {
	limit := min(len(s), j+maxTagBytes)
	for j < limit {
		for j < limit && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n') {
			j++
		}
		if j >= limit {
			break
		}
		switch {
		case s[j] == '>':
			return j + 1, attrs, false
		case strings.HasPrefix(s[j:], "/>"):
			return j + 2, attrs, true
		case s[j] == '{':
			k := braceEnd(s, j, limit)
			if k < 0 {
				return -1, attrs, false
			}
			attrs.hasExpr = true // a {...spread}
			j = k
			continue
		}
		n := j
		for n < limit && !strings.ContainsRune(" \t\n=>/{", rune(s[n])) {
			n++
		}
		if n == j {
			return -1, attrs, false
		}
		a := jsxAttr{name: s[j:n]}
		j = n
		if j < limit && s[j] == '=' {
			j++
			switch {
			case j < limit && (s[j] == '"' || s[j] == '\''):
				k := strings.IndexByte(s[j+1:limit], s[j])
				if k < 0 {
					return -1, attrs, false
				}
				a.value = s[j+1 : j+1+k]
				j += k + 2
			case j < limit && s[j] == '{':
				k := braceEnd(s, j, limit)
				if k < 0 {
					return -1, attrs, false
				}
				a.value, a.expr = strings.TrimSpace(s[j+1:k-1]), true
				attrs.hasExpr = true
				j = k
			default:
				k := j
				for k < limit && !strings.ContainsRune(" \t\n>", rune(s[k])) {
					k++
				}
				a.value = s[j:k]
				j = k
			}
		}
		if a.name == "className" {
			a.name, attrs.hasExpr = "class", true
		}
		attrs.list = append(attrs.list, a)
	}
	return -1, attrs, false
}

// braceEnd returns the index after the brace that closes s[j] == '{',
// skipping quoted strings, or -1.
func braceEnd(s string, j, limit int) int {
	depth := 0
	for k := j; k < limit; k++ {
		switch c := s[k]; c {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return k + 1
			}
		case '"', '\'', '`':
			e := strings.IndexByte(s[k+1:limit], c)
			if e < 0 {
				return -1
			}
			k += e + 1
		}
	}
	return -1
}

// htmlTag writes a plain HTML tag whose attributes had JSX expressions:
// a literal ({280}, {"x"}) becomes the value, anything else (style
// objects, handlers, variables) is left out, as the sanitiser would drop
// it anyway.
func htmlTag(name string, closing bool, attrs jsxAttrs, self bool) string {
	if closing {
		return "</" + name + ">"
	}
	var b strings.Builder
	b.WriteString("<" + name)
	for _, a := range attrs.list {
		v := a.value
		if a.expr {
			lit, ok := jsLiteral(v)
			if !ok {
				continue
			}
			v = lit
		}
		b.WriteString(" " + a.name + `="` + html.EscapeString(v) + `"`)
	}
	if self {
		b.WriteString(" />")
	} else {
		b.WriteString(">")
	}
	return b.String()
}

// jsLiteral reads a number or a quoted string.
func jsLiteral(v string) (string, bool) {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'' || v[0] == '`') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1], true
	}
	if v != "" && strings.Trim(v, "0123456789.") == "" {
		return v, true
	}
	return "", false
}

// embedComponent renders a known embed component as its link.
func (p *preprocessor) embedComponent(kind string, attrs jsxAttrs) string {
	get := func(names ...string) string {
		for _, n := range names {
			for _, a := range attrs.list {
				if strings.EqualFold(a.name, n) {
					if v, ok := jsLiteral(a.value); ok && a.expr {
						return v
					}
					return a.value
				}
			}
		}
		return ""
	}
	switch kind {
	case "tweet":
		id := get("id", "tweetId", "tweetID")
		if id == "" {
			return ""
		}
		return externalLink("https://x.com/i/status/"+pathPart(id), "View the post on X")
	default:
		p.block = true
		return embedHTML(kind, videoID(get("id", "videoId", "youTubeId", "youtubeId", "url", "src")))
	}
}
