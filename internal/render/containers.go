package render

import (
	"html"
	"strings"
)

// container turns VuePress custom containers ("::: callout", "::: tip
// Title", "::: details Title" … ":::") into HTML around Markdown content.
// The blank lines matter: they end the HTML block so the content in
// between is parsed as Markdown again.
func (p *preprocessor) container(line string) bool {
	name, title, ok := parseContainer(line)
	if !ok {
		return false
	}
	if name == "" {
		p.closeContainer()
		return true
	}
	p.endLine()
	if name == "details" {
		p.out.WriteString("\n<details class=\"callout callout-details\">\n<summary>")
		p.out.WriteString(html.EscapeString(orDefault(title, "Details")))
		p.out.WriteString("</summary>\n\n")
		p.containers = append(p.containers, "</details>")
		return true
	}
	class := "callout"
	if name != "callout" {
		class += " callout-" + name
	}
	p.out.WriteString("\n<aside class=\"" + class + "\">\n")
	if title != "" {
		p.out.WriteString("<p class=\"callout-title\"><strong>" + html.EscapeString(title) + "</strong></p>\n")
	}
	p.out.WriteString("\n")
	p.containers = append(p.containers, "</aside>")
	return true
}

// closeContainer closes the innermost container. A stray closing line is
// dropped: it is syntax, not text.
func (p *preprocessor) closeContainer() {
	if len(p.containers) == 0 {
		return
	}
	last := len(p.containers) - 1
	p.endLine()
	p.out.WriteString("\n" + p.containers[last] + "\n\n")
	p.containers = p.containers[:last]
}

func (p *preprocessor) closeContainers() {
	for len(p.containers) > 0 {
		p.closeContainer()
	}
}

// parseContainer reads a line of three or more colons, optionally followed
// by a container name and a title. An empty name means a closing line.
func parseContainer(line string) (name, title string, ok bool) {
	indent := len(line) - len(strings.TrimLeft(line, " "))
	s := strings.TrimSpace(line)
	if indent > 3 || countLeading(s, ':') < 3 {
		return "", "", false
	}
	rest := strings.TrimSpace(strings.TrimLeft(s, ":"))
	if rest == "" {
		return "", "", true
	}
	name, title, _ = strings.Cut(rest, " ")
	if i := strings.IndexByte(name, '['); i > 0 && strings.HasSuffix(strings.TrimSpace(rest), "]") {
		// Docusaurus: :::note[Title with spaces]
		name, title = rest[:i], strings.TrimSuffix(strings.TrimSpace(rest[i+1:]), "]")
	}
	name = className(name)
	if name == "" {
		return "", "", false
	}
	return name, strings.TrimSpace(title), true
}

// className keeps a container name usable as a CSS class, and nothing else.
func className(s string) string {
	s = strings.ToLower(s)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return ""
		}
	}
	return s
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
