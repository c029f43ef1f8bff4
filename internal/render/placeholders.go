package render

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// placeholderTransformer turns tag-like prose into text. Posts write
// /ipfs/<CID>, <PeerID> or Record<NodeID, Node> outside code; goldmark
// parses those as raw HTML and the sanitiser would silently delete them,
// leaving holes in sentences. Raw HTML whose tag name is a real element is
// left alone for the sanitiser to judge.
type placeholderTransformer struct{}

func (placeholderTransformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var found []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && isPlaceholderNode(n, src) {
			found = append(found, n)
		}
		return ast.WalkContinue, nil
	})
	// Replacing after the walk keeps the walk away from detached nodes.
	for _, n := range found {
		switch n := n.(type) {
		case *ast.RawHTML:
			replaceInline(n, n.Segments)
		case *ast.HTMLBlock:
			n.Parent().ReplaceChild(n.Parent(), n, blockAsParagraph(n, src))
		}
	}
}

func isPlaceholderNode(n ast.Node, src []byte) bool {
	switch n := n.(type) {
	case *ast.RawHTML:
		if n.Segments.Len() == 0 {
			return false
		}
		first := n.Segments.At(0)
		return isPlaceholderTag(first.Value(src))
	case *ast.HTMLBlock:
		// Types 1-6 start with a known block tag by definition; only type 7
		// ("any tag alone on its line") can start with a made-up one.
		if n.HTMLBlockType != ast.HTMLBlockType7 || n.Lines().Len() == 0 {
			return false
		}
		first := n.Lines().At(0)
		return isPlaceholderTag(first.Value(src))
	}
	return false
}

// isPlaceholderTag reports whether raw starts with an open or close tag
// whose name is not markup. Comments, declarations and processing
// instructions have no tag name and stay raw HTML. So do tags with
// attribute values or a self-closing slash, such as VuePress's
// <NumberBlock :items="[…]" />: those are site components, not prose,
// and showing their source would only clutter the page.
func isPlaceholderTag(raw []byte) bool {
	name := tagName(raw)
	if name == "" || isElementName(name) {
		return false
	}
	return !bytes.ContainsRune(raw, '=') && !bytes.HasSuffix(bytes.TrimRight(raw, " \t\n"), []byte("/>"))
}

// tagName returns the name of the tag raw starts with, or "".
func tagName(raw []byte) string {
	i := 0
	for i < len(raw) && (raw[i] == ' ' || raw[i] == '\t') {
		i++
	}
	if i >= len(raw) || raw[i] != '<' {
		return ""
	}
	i++
	if i < len(raw) && raw[i] == '/' {
		i++
	}
	start := i
	for i < len(raw) && isTagNameByte(raw[i], i == start) {
		i++
	}
	return string(raw[start:i])
}

func isTagNameByte(c byte, first bool) bool {
	letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
	if first {
		return letter
	}
	return letter || '0' <= c && c <= '9' || c == '-'
}

// replaceInline swaps n for raw text nodes over the same source bytes, so
// the HTML renderer escapes them and Text sees them verbatim.
func replaceInline(n ast.Node, segs *text.Segments) {
	parent := n.Parent()
	for i := 0; i < segs.Len(); i++ {
		parent.InsertBefore(parent, n, ast.NewRawTextSegment(segs.At(i)))
	}
	parent.RemoveChild(parent, n)
}

// blockAsParagraph turns a type 7 HTML block that only looked like HTML
// into a paragraph of its lines, shown verbatim.
func blockAsParagraph(b *ast.HTMLBlock, src []byte) ast.Node {
	p := ast.NewParagraph()
	lines := b.Lines()
	p.SetLines(lines)
	for i := 0; i < lines.Len(); i++ {
		// Raw text ignores soft line breaks, so each line keeps its own
		// newline; only the last one is trimmed.
		seg := lines.At(i)
		if i == lines.Len()-1 {
			seg = seg.TrimRightSpace(src)
		}
		p.AppendChild(p, ast.NewRawTextSegment(seg))
	}
	return p
}
