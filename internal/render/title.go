package render

import (
	"bytes"
	"html"
	"html/template"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark/ast"
)

// maxTitleBytes bounds the title rendered as Markdown; a longer one is
// shown as plain text (escaped), which is what it would be anyway.
const maxTitleBytes = 1024

// newTitlePolicy allows the inline formatting a title may carry and
// nothing else: a link in a title would nest inside the link to the post.
func newTitlePolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("code", "em", "strong", "del", "s", "sub", "sup", "kbd", "mark")
	return p
}

// titleSyntax is what makes a title more than text: code spans,
// emphasis, strikethrough, escapes, entities, raw HTML, links, emoji.
const titleSyntax = "`*_~\\&<[:"

// blockStart matches what would turn a one-line title into a block other
// than a paragraph: a heading, a quote, a list item, a rule, a fence.
var blockStart = regexp.MustCompile(`^(#{1,6}(\s|$)|>|[-+*](\s|$)|\d{1,9}[.)](\s|$)|(\*\s*){3,}$|(-\s*){3,}$|(_\s*){3,}$|` + "```" + `|~~~|:::)`)

// Title renders a post title written in Markdown (`u128` layout,
// *Why* it matters): html for pages, with code spans and emphasis and
// nothing else; plain for feeds, the API and search, without any syntax.
// A title that has no Markdown in it is returned as it is (escaped for
// html).
func (r *Renderer) Title(s string) (html template.HTML, plain string) {
	s = strings.Join(strings.Fields(s), " ")
	if !strings.ContainsAny(s, titleSyntax) || len(s) > maxTitleBytes {
		return template.HTML(htmlEscape(s)), s // #nosec G203 -- escaped
	}
	// A title's angle brackets are text: "Using <details>" names a tag,
	// and the feed and the API must show it as written.
	md := strings.ReplaceAll(s, "<", `\<`)
	if blockStart.MatchString(md) {
		md = `\` + md // "1. Intro" is a title, not a list
	}
	src, _ := r.preprocess([]byte(md), &Options{})
	root := r.parse(src, nil)
	plain = strings.Join(strings.Fields(titleText(root, src)), " ")
	var buf bytes.Buffer
	if err := r.md.Renderer().Render(&buf, src, root); err != nil {
		return template.HTML(htmlEscape(s)), s // #nosec G203 -- escaped
	}
	h := bytes.TrimSpace(buf.Bytes())
	h = bytes.TrimSuffix(bytes.TrimPrefix(h, []byte("<p>")), []byte("</p>"))
	clean := strings.TrimSpace(r.titlePolicy.Sanitize(string(h)))
	return template.HTML(clean), plain // #nosec G203 -- sanitised by titlePolicy
}

func htmlEscape(s string) string { return html.EscapeString(s) }

// titleText is the text of a title's inline nodes, every character kept
// (unlike Doc.Text, which drops zero-width ones): a title is a name, and
// the API gives it back as the author wrote it, less the Markdown.
func titleText(root ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			v := n.Value(src)
			if !n.IsRaw() {
				v = decodeText(v)
			}
			b.Write(v)
			if n.SoftLineBreak() || n.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(n.Value)
		case *ast.AutoLink:
			b.Write(n.Label(src))
		case *ast.RawHTML:
			b.Write(rawHTMLSource(n, src))
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}
