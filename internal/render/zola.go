package render

import (
	"strings"
)

// Zola's shortcodes are calls: {{ youtube(id="dQw4w9WgXcQ") }} inline,
// and {% note(kind="warning") %} … {% end %} around a body. Zola ships
// none; themes and sites define them, and the common ones (videos,
// figures, notes, quotes, details) mean what Hugo's namesakes mean, so
// they go through the same rendering. Others vanish, their body kept,
// and are reported. {{/* x() */}} and {%/* x() */%} show the call as
// written, as in Zola.

// maxZolaArgs bounds the arguments read from one call.
const maxZolaArgs = 32

// zolaCall splits a shortcode call, name(args), into its name and the
// text between the parentheses; ok is false for anything else.
func zolaCall(s string) (name, args string, ok bool) {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && (s[i] == '_' || 'a' <= s[i] && s[i] <= 'z' || 'A' <= s[i] && s[i] <= 'Z' || i > 0 && '0' <= s[i] && s[i] <= '9') {
		i++
	}
	if i == 0 {
		return "", "", false
	}
	// The parenthesis follows the name at once, as Zola writes calls: a
	// Liquid or Nunjucks "if (a or b)" is not one, nor are their tags.
	rest := s[i:]
	name = strings.ToLower(s[:i])
	if !strings.HasPrefix(rest, "(") || !strings.HasSuffix(rest, ")") || templateKeywords[name] {
		return "", "", false
	}
	return name, rest[1 : len(rest)-1], true
}

// templateKeywords are Liquid's and Nunjucks's tags and operators, which
// a Zola call never is.
var templateKeywords = map[string]bool{
	"if": true, "elif": true, "elsif": true, "else": true, "unless": true, "for": true, "set": true,
	"include": true, "render": true, "assign": true, "capture": true, "case": true, "when": true,
	"macro": true, "call": true, "filter": true, "block": true, "extends": true, "import": true,
	"and": true, "or": true, "not": true, "raw": true, "comment": true,
}

// zolaParams reads a call's arguments, key=value separated by commas,
// values quoted with ", ' or ` or bare (numbers, true, false).
func zolaParams(args string) params {
	ps := params{named: map[string]string{}}
	for s := strings.TrimSpace(args); s != "" && len(ps.named) < maxZolaArgs; s = strings.TrimSpace(s) {
		key, rest, found := strings.Cut(s, "=")
		if !found {
			break
		}
		key = strings.TrimSpace(key)
		rest = strings.TrimLeft(rest, " \t")
		val, after, quoted := cutQuoted(rest, "\"'`")
		if !quoted && rest != "" && strings.ContainsRune("\"'`", rune(rest[0])) {
			break // an unclosed quote ends the arguments
		}
		if quoted {
			rest = after
		} else {
			j := strings.IndexByte(rest, ',')
			if j < 0 {
				j = len(rest)
			}
			val, rest = strings.TrimSpace(rest[:j]), rest[j:]
		}
		ps.named[strings.ToLower(key)] = val
		rest = strings.TrimLeft(rest, " \t")
		s = strings.TrimPrefix(rest, ",")
	}
	if ps.named["src"] == "" && ps.named["path"] != "" { // image(path=…) in many themes
		ps.named["src"] = ps.named["path"]
	}
	return ps
}

// zolaInline renders {{ name(args) }}. A box cannot open inline: its
// names are reported like any unknown call.
func (p *preprocessor) zolaInline(name, args string) string {
	if isBox(name) {
		p.report("{{ "+name+"() }}", false)
		return ""
	}
	return p.shortcodeTag(shortcode{name: name, params: zolaParams(args)}, "{{ "+name+"() }}")
}

// zolaOpen renders {% name(args) %}, which {% end %} closes: a notice or
// details box, or a wrapper that vanishes around its body.
func (p *preprocessor) zolaOpen(name, args string) string {
	ps := zolaParams(args)
	if isBox(name) {
		p.zolaOpenBodies = append(p.zolaOpenBodies, name)
		if name == "details" {
			return p.openNotice("details", cmpOr(ps.get("summary", -1), ps.get("title", -1)), 'z')
		}
		kind := cmpOr(ps.get("kind", -1), ps.get("type", -1), ps.get("class", -1), name)
		return p.openNotice(kind, cmpOr(ps.get("title", -1), ps.get("author", -1)), 'z')
	}
	p.zolaOpenBodies = append(p.zolaOpenBodies, "")
	p.report("{% "+name+"() %}", false)
	return ""
}

// zolaEnd renders {% end %}: it closes the innermost open body shortcode.
func (p *preprocessor) zolaEnd() string {
	n := len(p.zolaOpenBodies)
	if n == 0 {
		return ""
	}
	name := p.zolaOpenBodies[n-1]
	p.zolaOpenBodies = p.zolaOpenBodies[:n-1]
	if name == "" {
		return ""
	}
	return p.closeNotice(name)
}

// zolaLiteral is the text of an escaped call, {{/* x() */}} or
// {%/* x() */%}, shown as the call; ok is false when inner is not one.
func zolaLiteral(inner string, open, close string) (string, bool) {
	s := strings.TrimSpace(inner)
	if !strings.HasPrefix(s, "/*") || !strings.HasSuffix(s, "*/") || len(s) < 4 {
		return "", false
	}
	call := strings.TrimSpace(s[2 : len(s)-2])
	if _, _, ok := zolaCall(call); !ok {
		return "", false
	}
	return escapeMarkdownText(open + " " + call + " " + close), true
}

// tag renders one {% … %}: a Zola call or its end, or a Liquid or
// Nunjucks tag.
func (p *preprocessor) tag(inner string) string {
	if out, ok := zolaLiteral(inner, "{%", "%}"); ok {
		return out
	}
	if name, args, ok := zolaCall(strings.Trim(inner, "-")); ok {
		return p.zolaOpen(name, args)
	}
	if strings.TrimSpace(strings.Trim(inner, "-")) == "end" && len(p.zolaOpenBodies) > 0 {
		return p.zolaEnd()
	}
	return p.liquidTag(inner)
}
