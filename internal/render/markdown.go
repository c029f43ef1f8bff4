package render

import (
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/yuin/goldmark"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// newMarkdown builds the one goldmark instance both Render and Text use, so
// the AST (and with it every heading id) is the same for both.
func newMarkdown(stopKey parser.ContextKey) goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(
			// GFM, spelled out to align table cells with an attribute:
			// the default style attribute would not survive sanitising.
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough,
			extension.Linkify,
			extension.TaskList,
			extension.Footnote,
			highlighting.NewHighlighting(
				highlighting.WithStyle(lightStyle),
				// Classes, not inline styles: the sanitiser drops style
				// attributes, and CSS() serves light and dark themes.
				highlighting.WithFormatOptions(chromahtml.WithClasses(true)),
			),
		),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			// Hugo posts pin anchors with "## Title {#id}"; without this the
			// braces would show up in the heading text.
			parser.WithHeadingAttribute(),
			// First in line at every character another inline parser
			// triggers on, so a render past its budget stops (budget.go).
			parser.WithInlineParsers(util.Prioritized(stopParser{stopKey}, 0)),
			parser.WithASTTransformers(
				util.Prioritized(brokenHTMLTransformer{}, 90),
				util.Prioritized(placeholderTransformer{}, 100),
				util.Prioritized(headingIDTransformer{}, 200),
			),
		),
		// Raw HTML is part of the real posts; it is kept here and made
		// safe by the bluemonday policy afterwards.
		goldmark.WithRendererOptions(html.WithUnsafe()),
	)
}
