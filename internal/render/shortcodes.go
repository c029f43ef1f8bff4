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

// shortcodes expands every shortcode on a line. Hugo's built-ins that
// carry content (figure, youtube, ref) become their HTML or text; all
// others vanish and leave whatever text sits between them.
func (p *preprocessor) shortcodes(line string) string {
	var b strings.Builder
	for {
		start, end, inner, ok := findShortcode(line)
		if !ok {
			b.WriteString(line)
			return b.String()
		}
		b.WriteString(line[:start])
		b.WriteString(p.expand(inner))
		line = line[end:]
	}
}

// findShortcode locates the next complete shortcode tag in s and returns
// its bounds and the text between its delimiters.
func findShortcode(s string) (start, end int, inner string, ok bool) {
	for from := 0; ; {
		i := strings.Index(s[from:], "{{")
		if i < 0 || from+i+2 >= len(s) {
			return 0, 0, "", false
		}
		start = from + i
		closer := ""
		switch s[start+2] {
		case '<':
			closer = ">}}"
		case '%':
			closer = "%}}"
		}
		if closer != "" {
			if j := strings.Index(s[start+3:], closer); j >= 0 {
				end = start + 3 + j + len(closer)
				return start, end, s[start+3 : start+3+j], true
			}
		}
		from = start + 2
	}
}

func (p *preprocessor) expand(inner string) string {
	inner = strings.TrimSpace(inner)
	if strings.HasPrefix(inner, "/*") && strings.HasSuffix(inner, "*/") {
		// {{</* name */>}} is Hugo's way to show a shortcode literally.
		return html.EscapeString("{{< " + strings.TrimSpace(inner[2:len(inner)-2]) + " >}}")
	}
	sc := parseShortcode(inner)
	if sc.closing {
		return ""
	}
	switch sc.name {
	case "figure":
		p.block = true
		return figureHTML(sc.params, p.caption)
	case "youtube", "vimeo":
		p.block = true
		return embedHTML(sc.name, sc.params.get("id", 0))
	case "ref", "relref":
		return sc.params.get("path", 0)
	}
	return ""
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

// highlight turns a Hugo {{< highlight lang >}} … {{< /highlight >}} block
// into a fenced code block, so it is highlighted like any other. It reports
// false, leaving the line to the generic rules, unless the opening tag is
// alone on its line and a closing tag follows.
func (p *preprocessor) highlight(lines []string, i *int) bool {
	lang, ok := highlightOpen(lines[*i])
	if !ok {
		return false
	}
	for j := *i + 1; j < len(lines); j++ {
		last, closed := highlightClose(lines[j])
		if !closed {
			continue
		}
		code := append([]string{}, lines[*i+1:j]...)
		if strings.TrimSpace(last) != "" {
			code = append(code, last)
		}
		p.writeFenced(lang, code)
		*i = j
		return true
	}
	return false
}

func highlightOpen(line string) (lang string, ok bool) {
	s := strings.TrimSpace(line)
	start, end, inner, found := findShortcode(s)
	if !found || start != 0 || end != len(s) {
		return "", false
	}
	sc := parseShortcode(inner)
	if sc.name != "highlight" || sc.closing {
		return "", false
	}
	return sc.params.get("lang", 0), true
}

// highlightClose reports whether line ends with the closing tag, and
// returns the code in front of it.
func highlightClose(line string) (code string, ok bool) {
	s := strings.TrimRight(line, " \t\n")
	if !strings.HasSuffix(s, "}}") {
		return "", false
	}
	i := strings.LastIndex(s, "{{")
	if i < 0 {
		return "", false
	}
	sc := parseShortcode(strings.Trim(s[i+2:len(s)-2], "<>% "))
	if !sc.closing || sc.name != "highlight" {
		return "", false
	}
	return s[:i], true
}

// writeFenced writes code inside a backtick fence longer than any run of
// backticks that starts a line of it.
func (p *preprocessor) writeFenced(lang string, code []string) {
	n := 3
	for _, line := range code {
		if k := countLeading(strings.TrimLeft(line, " \t"), '`'); k >= n {
			n = k + 1
		}
	}
	fence := strings.Repeat("`", n)
	p.endLine()
	p.out.WriteString(fence + infoString(lang) + "\n")
	for _, line := range code {
		p.out.WriteString(strings.TrimSuffix(line, "\n") + "\n")
	}
	p.out.WriteString(fence + "\n")
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
