package render

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"golang.org/x/net/html"
)

// rawTextElements hold text up to their own closing tag, so one left open
// swallows the rest of the page, headings and all.
var rawTextElements = map[string]bool{
	"script": true, "style": true, "textarea": true, "title": true, "xmp": true,
	"iframe": true, "noembed": true, "noframes": true, "noscript": true, "plaintext": true,
}

// brokenHTMLTransformer shows raw HTML that could not end where goldmark
// ends it as text instead: an HTML block that stops inside a tag or a
// comment, and a raw-text element such as <textarea> that is opened but
// not closed within its block. Left as markup, either would swallow the
// markup that follows it, and the sanitiser would then delete it.
type brokenHTMLTransformer struct{}

func (brokenHTMLTransformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var blocks []*ast.HTMLBlock
	var inlines []*ast.RawHTML
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.HTMLBlock:
			if !endsCleanly(htmlBlockSource(n, src)) {
				blocks = append(blocks, n)
			}
		case *ast.RawHTML:
			if opensUnclosedRawText(n, src) {
				inlines = append(inlines, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, b := range blocks {
		b.Parent().ReplaceChild(b.Parent(), b, blockAsParagraph(b, src))
	}
	for _, n := range inlines {
		replaceInline(n, n.Segments)
	}
}

// endsCleanly reports whether raw HTML leaves no tag, comment or raw-text
// element open at its end. Every block type needs the check: even a type 1
// block (<script>, <style>, <pre>, <textarea>) that ends at its closing
// tag by CommonMark's rules may not end for an HTML parser, as in
// "<script </script>", where the closing tag is read as attributes of the
// opening one and the element runs on over the rest of the post.
func endsCleanly(raw []byte) bool {
	z := html.NewTokenizer(bytes.NewReader(raw))
	consumed, openRaw := 0, ""
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return openRaw == "" && len(bytes.TrimSpace(raw[consumed:])) == 0
		}
		consumed += len(z.Raw())
		switch tt {
		case html.CommentToken:
			if !bytes.HasSuffix(z.Raw(), []byte("-->")) && !bytes.HasSuffix(z.Raw(), []byte("--!>")) {
				return false
			}
		case html.StartTagToken:
			if name, _ := z.TagName(); rawTextElements[string(name)] {
				openRaw = string(name)
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == openRaw {
				openRaw = ""
			}
		}
	}
}

// opensUnclosedRawText reports whether an inline tag opens a raw-text
// element whose closing tag does not follow in the same block.
func opensUnclosedRawText(n *ast.RawHTML, src []byte) bool {
	raw := rawHTMLSource(n, src)
	if len(raw) < 2 || raw[1] == '/' || bytes.HasSuffix(raw, []byte("/>")) {
		return false
	}
	name := strings.ToLower(tagName(raw))
	if !rawTextElements[name] {
		return false
	}
	for next := n.NextSibling(); next != nil; next = next.NextSibling() {
		if r, ok := next.(*ast.RawHTML); ok {
			if s := rawHTMLSource(r, src); len(s) > 1 && s[1] == '/' && strings.ToLower(tagName(s)) == name {
				return false
			}
		}
	}
	return true
}
