package render

import (
	"bufio"
	"bytes"
	"html"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	ghtml "github.com/yuin/goldmark/renderer/html"
)

// inlines writes the text of n's inline children: link text without the
// URL, image alt text, code spans verbatim, raw HTML without its tags.
func (x *extractor) inlines(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		x.inline(c)
	}
}

func (x *extractor) inline(n ast.Node) {
	switch n := n.(type) {
	case *ast.Text:
		x.text(n)
	case *ast.String:
		x.w.write(n.Value, true)
	case *ast.AutoLink:
		x.w.write(n.Label(x.src), true)
	case *ast.Image:
		x.image(n)
	case *ast.RawHTML:
		x.w.writeTag(rawHTMLSource(n, x.src))
	case *ast.Link:
		x.inlines(n)
		x.linkEnd(n)
	case *east.TaskCheckBox, *east.FootnoteLink, *east.FootnoteBacklink:
		// Markers, not text.
	default:
		x.inlines(n)
	}
}

// linkEnd owes a space when a word follows a link with none between
// ("[on Filecoin](url)for NFTs"): the link's edge is where the reader
// sees the words part, and without it the index would hold, and offer as
// a completion, a word no one wrote ("filecoinfor"). A possessive or
// punctuation after the link stays attached.
func (x *extractor) linkEnd(n *ast.Link) {
	next, ok := n.NextSibling().(*ast.Text)
	if !ok {
		return
	}
	v := next.Value(x.src)
	if r, _ := utf8.DecodeRune(v); unicode.IsLetter(r) || unicode.IsDigit(r) {
		x.w.space()
	}
}

func (x *extractor) text(n *ast.Text) {
	v := n.Value(x.src)
	if !n.IsRaw() {
		v = decodeText(v)
	}
	x.w.write(v, x.w.html.figure == 0)
	if n.SoftLineBreak() || n.HardLineBreak() {
		x.w.space()
	}
}

// image writes the alt text, which is all a reader without the picture
// gets, but not as prose: a paragraph of images is no summary.
func (x *extractor) image(n *ast.Image) {
	x.w.space()
	prose := x.w.prose
	x.inlines(n)
	x.w.prose = prose
	x.w.space()
}

func rawHTMLSource(n *ast.RawHTML, src []byte) []byte {
	if n.Segments.Len() == 1 {
		seg := n.Segments.At(0)
		return seg.Value(src)
	}
	var b []byte
	for i := 0; i < n.Segments.Len(); i++ {
		seg := n.Segments.At(i)
		b = append(b, seg.Value(src)...)
	}
	return b
}

// decodeText resolves backslash escapes and entity references the way
// goldmark's HTML writer does, then undoes the HTML escaping, so the plain
// text says exactly what the page shows.
func decodeText(v []byte) []byte {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		return v
	}
	var buf bytes.Buffer
	bw := bufio.NewWriter(&buf)
	ghtml.DefaultWriter.Write(bw, v)
	_ = bw.Flush()
	return []byte(html.UnescapeString(buf.String()))
}
