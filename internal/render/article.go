package render

import (
	"regexp"
	"strings"
)

// Go's blog wrote its posts, until 2020, in the present tool's ".article"
// format (golang.org/x/tools/present): "* Heading", "_italic_",
// "*bold*", "[[url][text]]" links, indented code, and commands such as
// ".code file.go /START/,/END/" and ".image file.png". articleToMarkdown
// turns such a body into the Markdown the rest of the renderer reads, the
// commands into the same Go template actions the later Markdown posts use.

// FormatArticle is Options.Format for a present-format (.article) post.
const FormatArticle = "article"

var (
	articleDate  = regexp.MustCompile(`^\d{1,2} [A-Z][a-z]{2,8} \d{4}`)
	articleLink  = regexp.MustCompile(`\[\[([^\]\s]+)\](?:\[([^\]]*)\])?\]`)
	articleBold  = regexp.MustCompile(`(^|[\s(])\*([^*\s][^*]*?)\*([\s.,;:!?)]|$)`)
	articleItal  = regexp.MustCompile(`(^|[\s(])_([^_\s][^_]*?)_([\s.,;:!?)]|$)`)
	articleFlags = regexp.MustCompile(`^-\w+$`)
)

// articleToMarkdown converts a present-format body. A header left in front
// of the body (title, date, tags, authors up to the first blank line after
// them) is skipped.
func articleToMarkdown(src string) string {
	lines := strings.Split(src, "\n")
	lines = lines[articleHeaderEnd(lines):]
	var b strings.Builder
	b.Grow(len(src) + len(src)/8)
	inCode := false
	for _, line := range lines {
		code := strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")
		switch {
		case code && (inCode || strings.TrimSpace(line) != ""):
			if !inCode {
				b.WriteString("\n~~~~\n")
				inCode = true
			}
			b.WriteString(strings.TrimPrefix(strings.TrimPrefix(line, "\t"), "  ") + "\n")
			continue
		case inCode && strings.TrimSpace(line) == "":
			b.WriteString("\n")
			continue
		case inCode:
			b.WriteString("~~~~\n\n")
			inCode = false
		}
		b.WriteString(articleLine(line) + "\n")
	}
	if inCode {
		b.WriteString("~~~~\n")
	}
	return b.String()
}

// articleHeaderEnd returns the index of the first body line: after the
// title block (ending with a date or Tags: line) and the author block.
func articleHeaderEnd(lines []string) int {
	dated := -1
	for i := 0; i < len(lines) && i < 6; i++ {
		l := strings.TrimSpace(lines[i])
		if l == "" || strings.HasPrefix(l, "*") || strings.HasPrefix(l, ".") {
			break
		}
		if articleDate.MatchString(l) || strings.HasPrefix(l, "Tags:") || strings.HasPrefix(l, "Summary:") {
			dated = i
		}
	}
	if dated < 0 {
		return 0
	}
	i := dated + 1
	for i < len(lines) && strings.TrimSpace(lines[i]) != "" { // rest of the title block
		i++
	}
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	// The author block: names, mails, URLs, @handles, up to a blank line,
	// when it is not already the text (a heading or a command).
	if i < len(lines) && !strings.HasPrefix(lines[i], "*") && !strings.HasPrefix(lines[i], ".") && isAuthorBlock(lines[i:]) {
		for i < len(lines) && strings.TrimSpace(lines[i]) != "" {
			i++
		}
	}
	return i
}

// isAuthorBlock reports whether the lines up to a blank one are short
// name, mail, URL or handle lines, not a paragraph.
func isAuthorBlock(lines []string) bool {
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			return true
		}
		if len(l) > 80 || strings.HasSuffix(l, ".") && !strings.Contains(l, "@") {
			return false
		}
	}
	return true
}

// articleLine converts one line of prose or a command.
func articleLine(line string) string {
	if strings.HasPrefix(line, "*") {
		n := countLeading(line, '*')
		if n <= 4 && len(line) > n && line[n] == ' ' {
			return "\n" + strings.Repeat("#", n+1) + " " + articleInline(strings.TrimSpace(line[n:])) + "\n"
		}
	}
	if strings.HasPrefix(line, ": ") || line == ":" {
		return "" // presenter notes
	}
	if strings.HasPrefix(line, ".") {
		if out, ok := articleCommand(line); ok {
			return out
		}
	}
	return articleInline(line)
}

// articleCommand turns a present command into a Go template action, a
// link or an image.
func articleCommand(line string) (string, bool) {
	fields := strings.Fields(line)
	cmd := fields[0][1:]
	var args []string
	for _, f := range fields[1:] {
		if !articleFlags.MatchString(f) {
			args = append(args, f)
		}
	}
	if len(args) == 0 {
		return "", cmd == "background" || cmd == "appengine"
	}
	quote := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, "") + `"` }
	switch cmd {
	case "code", "play":
		out := "{{" + cmd + " " + quote(args[0])
		for _, a := range articleAddresses(strings.Join(args[1:], " ")) {
			out += " `" + strings.ReplaceAll(a, "`", "") + "`"
		}
		return "\n" + out + "}}\n", true
	case "image", "video", "html":
		return "\n{{" + cmd + " " + quote(args[0]) + "}}\n", true
	case "iframe":
		return "\n<iframe src=" + quote(args[0]) + "></iframe>\n", true
	case "link":
		label := args[0]
		if len(args) > 1 {
			label = strings.Join(args[1:], " ")
		}
		return "[" + escapeMarkdownText(label) + "](<" + strings.ReplaceAll(args[0], ">", "%3E") + ">)", true
	case "caption":
		return "*" + articleInline(strings.Join(args, " ")) + "*", true
	}
	return "", false
}

// articleAddresses splits "/re1/,/re2/" (regexps may hold commas) into its
// addresses, each kept with its slashes.
func articleAddresses(s string) []string {
	var out []string
	for s = strings.TrimSpace(s); s != "" && len(out) < 2; s = strings.TrimLeft(strings.TrimSpace(s), ",") {
		if s[0] != '/' {
			w, rest, _ := strings.Cut(s, ",")
			out = append(out, strings.TrimSpace(w))
			s = rest
			continue
		}
		end := 1
		for end < len(s) && (s[end] != '/' || s[end-1] == '\\') {
			end++
		}
		if end >= len(s) {
			return append(out, s)
		}
		out = append(out, s[:end+1])
		s = s[end+1:]
	}
	return out
}

// articleInline converts present's inline markup: [[url][text]] links,
// *bold* and _italic_. Code spans are left as they are.
func articleInline(s string) string {
	if !strings.ContainsAny(s, "[*_") {
		return s
	}
	var b strings.Builder
	for s != "" {
		i := strings.IndexByte(s, '`')
		if i < 0 {
			b.WriteString(articleMarkup(s))
			break
		}
		b.WriteString(articleMarkup(s[:i]))
		n := codeSpanLen(s[i:])
		b.WriteString(s[i : i+n])
		s = s[i+n:]
	}
	return b.String()
}

func articleMarkup(s string) string {
	s = articleLink.ReplaceAllStringFunc(s, func(m string) string {
		sub := articleLink.FindStringSubmatch(m)
		label := sub[2]
		if label == "" {
			label = sub[1]
		}
		return "[" + label + "](<" + sub[1] + ">)"
	})
	s = articleBold.ReplaceAllString(s, "$1**$2**$3")
	return articleItal.ReplaceAllString(s, "$1*$2*$3")
}
