package render

import (
	"html"
	"io/fs"
	"path"
	"regexp"
	"strings"
)

// Go's blog (go.dev/blog) writes posts as Go templates ("template: true"
// in the header) with a few actions of its own: {{code}} and {{play}}
// show a file beside the post or a part of it, {{image}} and {{video}}
// show media, {{raw}} passes HTML through. They are rendered here.

// goActionNames are the actions rendered; others are not Go blog actions.
var goActionNames = map[string]bool{"code": true, "play": true, "image": true, "video": true, "raw": true, "html": true}

// maxCodeFileBytes bounds a file {{code}} may show.
const maxCodeFileBytes = 256 << 10

// goAction renders a Go blog template action. ok is false when inner is
// not one: its first word must be an action name followed by a quoted
// argument.
func (p *preprocessor) goAction(inner string) (string, bool) {
	inner = strings.TrimSpace(inner)
	name, rest, _ := strings.Cut(inner, " ")
	rest = strings.TrimSpace(rest)
	if !goActionNames[name] || rest == "" || (rest[0] != '"' && rest[0] != '`') {
		return "", false
	}
	args := goArgs(rest)
	if len(args) == 0 {
		return "", false
	}
	switch name {
	case "raw":
		p.block = true
		return "\n" + args[0] + "\n", true
	case "image":
		p.block = true
		return `<img src="` + html.EscapeString(args[0]) + `" alt="">`, true
	case "video":
		return "[Watch the video (" + escapeMarkdownText(path.Base(args[0])) + ")](<" + strings.ReplaceAll(args[0], ">", "%3E") + ">)", true
	case "html":
		b, err := p.readBeside(args[0])
		if err != nil {
			return p.missingFile(name, args[0]), true
		}
		p.block = true
		return "\n" + string(b) + "\n", true
	}
	b, err := p.readBeside(args[0])
	if err != nil {
		return p.missingFile(name, args[0]), true
	}
	code := selectCode(string(b), args[1:])
	return "\n" + fencedString(langOf(args[0]), code) + "\n", true
}

// missingFile is the note that stands in for a file the archive does
// not have.
func (p *preprocessor) missingFile(action, file string) string {
	p.report("{{"+action+"}} of a missing file", false)
	return "*(The code of " + escapeMarkdownText(file) + " is not in the archive.)*"
}

// readBeside reads a file in the post's folder, within the size bound.
func (p *preprocessor) readBeside(name string) ([]byte, error) {
	name = path.Clean(strings.TrimPrefix(name, "/"))
	if p.opts.Dir == nil || !fs.ValidPath(name) {
		return nil, fs.ErrNotExist
	}
	st, err := fs.Stat(p.opts.Dir, name)
	if err != nil {
		return nil, err
	}
	if st.Size() > maxCodeFileBytes || !st.Mode().IsRegular() {
		return nil, fs.ErrInvalid
	}
	return fs.ReadFile(p.opts.Dir, name)
}

// goArgs splits an action's arguments: "quoted" (Go escapes are kept as
// written, which is enough for file names), `raw`, /regexp/ and bare words.
func goArgs(s string) []string {
	var out []string
	for s = strings.TrimSpace(s); s != "" && len(out) < 8; s = strings.TrimSpace(s) {
		switch s[0] {
		case '"', '`':
			end := strings.IndexByte(s[1:], s[0])
			if end < 0 {
				return append(out, s[1:])
			}
			out = append(out, s[1:end+1])
			s = s[end+2:]
		default:
			w, rest, _ := strings.Cut(s, " ")
			out = append(out, w)
			s = rest
		}
	}
	return out
}

// selectCode picks the lines an address names, as golang.org/x/tools/present
// does: none for the whole file, "/re/" for the line matching, "/a/,/b/"
// (or two arguments) for the lines from a to b. Lines marked OMIT are left
// out and "// HL" markers are removed.
func selectCode(src string, addrs []string) []string {
	lines := strings.SplitAfter(src, "\n")
	from, to := 0, len(lines)
	var res []*regexp.Regexp
	for _, a := range addrs {
		for _, part := range articleAddresses(a) {
			if len(part) >= 2 && part[0] == '/' && part[len(part)-1] == '/' {
				if re, err := regexp.Compile(part[1 : len(part)-1]); err == nil {
					res = append(res, re)
				}
			}
		}
	}
	if len(res) > 0 {
		from = matchLine(lines, res[0], 0)
		to = from + 1
		if len(res) > 1 {
			to = matchLine(lines, res[1], from) + 1
		}
		if from < 0 || to <= from {
			from, to = 0, len(lines)
		}
	}
	var out []string
	for _, l := range lines[from:to] {
		if strings.Contains(l, "OMIT") {
			continue
		}
		if i := strings.Index(l, "// HL"); i >= 0 {
			l = strings.TrimRight(l[:i], " \t") + "\n"
		}
		out = append(out, l)
	}
	return out
}

func matchLine(lines []string, re *regexp.Regexp, from int) int {
	for i := from; i < len(lines); i++ {
		if re.MatchString(lines[i]) {
			return i
		}
	}
	return -1
}

func langOf(file string) string {
	return strings.TrimPrefix(path.Ext(file), ".")
}

// fencedString is code inside a backtick fence longer than any run of
// backticks that starts a line of it.
func fencedString(lang string, code []string) string {
	n := 3
	for _, line := range code {
		if k := countLeading(strings.TrimLeft(line, " \t"), '`'); k >= n {
			n = k + 1
		}
	}
	fence := strings.Repeat("`", n)
	var b strings.Builder
	b.WriteString(fence + infoString(lang) + "\n")
	for _, line := range code {
		b.WriteString(strings.TrimSuffix(line, "\n") + "\n")
	}
	b.WriteString(fence + "\n")
	return b.String()
}
