package importer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blust/archive/internal/post"
)

// importText reads a plain-text page as Blust's first post arrived: lines
// before a date line (a site header), the date, the title, paragraphs
// separated by blank lines, a signature (the author's name, then a month
// and year), and whatever the old site printed after it.
func importText(name string, data []byte) (*Result, error) {
	if !utf8.Valid(data) {
		return nil, errNotText
	}
	r := &Result{}
	paras := paragraphs(string(data))
	di := -1
	for i, p := range paras {
		if len(p) == 1 {
			if _, ok := parseDate(p[0]); ok {
				di = i
				break
			}
		}
	}
	if di < 0 || di+1 >= len(paras) {
		r.note("no date line followed by a title line; nothing imported")
		return r, nil
	}
	if di > 0 {
		r.note("text before the date line not imported: %q", preview(paras[:di]))
	}
	date, _ := parseDate(paras[di][0])
	title := strings.Join(paras[di+1], " ")
	body := paras[di+2:]
	src := post.Source{Title: title, Date: date}
	if si := signature(body); si >= 0 {
		sig := body[si]
		src.Authors = []string{sig[0]}
		if rest := body[si+1:]; len(rest) > 0 {
			r.note("%d lines after the signature not imported: %q", countLines(rest), preview(rest))
		}
		body = append(body[:si:si], []string{strings.Join(escapeLines(sig), "\\\n")})
	} else {
		r.note("no signature (a name, then a month and year) found; the post has no author")
	}
	var b strings.Builder
	for i, p := range body {
		if i > 0 {
			b.WriteString("\n\n")
		}
		if i == len(body)-1 && len(src.Authors) > 0 {
			b.WriteString(p[0]) // the signature, already escaped
			continue
		}
		b.WriteString(strings.Join(escapeLines(p), "\n"))
	}
	src.Body = b.String()
	r.Posts = append(r.Posts, Post{Slug: slugFor("", "", title), Source: src, From: name})
	return r, nil
}

// paragraphs splits text into groups of non-blank lines.
func paragraphs(text string) [][]string {
	var out [][]string
	var cur []string
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(line, "\ufeff"))
		if line == "" {
			if cur != nil {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, line)
	}
	if cur != nil {
		out = append(out, cur)
	}
	return out
}

// signature finds the paragraph that signs the post: a name (two to four
// capitalised words) on its own line, then a month and year.
func signature(paras [][]string) int {
	for i, p := range paras {
		if i == 0 || len(p) != 2 || !nameLike(p[0]) {
			continue
		}
		if _, ok := parseDate("1 " + p[1]); ok {
			return i
		}
	}
	return -1
}

func nameLike(s string) bool {
	words := strings.Fields(s)
	if len(words) < 2 || len(words) > 4 || len(s) > 40 {
		return false
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) || strings.ContainsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' && r != '\'' && r != '.' }) {
			return false
		}
	}
	return true
}

func escapeLines(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = escapeLineStart(escapeInline(l))
	}
	return out
}

func countLines(paras [][]string) int {
	n := 0
	for _, p := range paras {
		n += len(p)
	}
	return n
}

// preview is the start of some paragraphs, for a note.
func preview(paras [][]string) string {
	var all []string
	for _, p := range paras {
		all = append(all, p...)
	}
	s := []rune(strings.Join(all, " / "))
	if len(s) > 80 {
		return string(s[:77]) + "..."
	}
	return string(s)
}
