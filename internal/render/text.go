package render

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// extractor walks a parsed document once and collects its plain text,
// headings, sections and summary candidate.
type extractor struct {
	src      []byte
	out      strings.Builder
	w        textWriter
	headings []Heading
	sections []Section
	summary  string
}

// extract derives every field of Doc except HTML.
func extract(root ast.Node, src []byte) *Doc {
	x := &extractor{src: src}
	x.out.Grow(len(src))
	x.block(root)
	doc := &Doc{
		Text:     x.out.String(),
		Headings: x.headings,
		Sections: x.sections,
		Summary:  summarize(x.summary),
	}
	doc.Words = countWords(doc.Text)
	doc.ReadingMinutes = readingMinutes(doc.Words)
	return doc
}

func (x *extractor) block(n ast.Node) {
	switch n := n.(type) {
	case *ast.Heading:
		x.heading(n)
	case *ast.Paragraph:
		x.paragraph(n)
	case *ast.TextBlock:
		x.inlineBlock(n)
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		x.code(n)
	case *ast.HTMLBlock:
		x.htmlBlock(n)
	case *east.TableHeader, *east.TableRow:
		x.tableRow(n)
	default:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			x.block(c)
		}
	}
}

// emit appends one block of text. Text before the first heading opens the
// lead section.
func (x *extractor) emit(s string) {
	if s == "" {
		return
	}
	if len(x.sections) == 0 {
		x.sections = append(x.sections, Section{})
	}
	if x.out.Len() > 0 {
		x.out.WriteByte('\n')
	}
	x.out.WriteString(s)
}

func (x *extractor) heading(n *ast.Heading) {
	s := x.inlineText(n)
	if s == "" {
		return // nothing to list in a table of contents or to link to
	}
	id := headingID(n)
	start := x.out.Len()
	if start > 0 {
		start++ // past the '\n' that emit writes first
	}
	x.headings = append(x.headings, Heading{Level: n.Level, ID: id, Text: s})
	x.sections = append(x.sections, Section{Heading: s, Anchor: id, Start: start})
	x.emit(s)
}

func (x *extractor) paragraph(n *ast.Paragraph) {
	s := x.inlineText(n)
	if x.summary == "" && x.w.prose && summaryCandidate(n, s) {
		x.summary = s
	}
	x.emit(s)
}

func (x *extractor) inlineBlock(n ast.Node) {
	x.emit(x.inlineText(n))
}

// inlineText returns the normalised text of a block's inline children.
func (x *extractor) inlineText(n ast.Node) string {
	x.w.reset()
	x.inlines(n)
	return x.w.String()
}

func (x *extractor) tableRow(row ast.Node) {
	x.w.reset()
	for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
		x.w.separator('\t')
		x.inlines(cell)
	}
	x.emit(strings.TrimRight(x.w.String(), "\t"))
}

func (x *extractor) htmlBlock(n *ast.HTMLBlock) {
	x.w.reset()
	x.w.inBlockHTML = true
	x.w.writeHTML(htmlBlockSource(n, x.src))
	for line := range strings.SplitSeq(x.w.String(), "\n") {
		x.emit(line)
	}
}

func htmlBlockSource(n *ast.HTMLBlock, src []byte) []byte {
	var b []byte
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b = append(b, seg.Value(src)...)
	}
	if n.HasClosure() {
		b = append(b, n.ClosureLine.Value(src)...)
	}
	return b
}

// code keeps a code block's lines and indentation: commands and
// identifiers in code are worth finding.
func (x *extractor) code(n ast.Node) {
	var b strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		line := strings.TrimRight(string(seg.Value(x.src)), " \t\r\n")
		if b.Len() > 0 || line != "" {
			b.WriteString(cleanCodeLine(line))
			b.WriteByte('\n')
		}
	}
	x.emit(strings.TrimRight(b.String(), "\n"))
}

// cleanCodeLine applies the Text rules that do not disturb code layout.
func cleanCodeLine(s string) string {
	if !strings.ContainsAny(s, "\u00a0\u200b\u200c\u200d\u2060\ufeff\u00ad") {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\u00a0':
			return ' '
		case isInvisible(r):
			return -1
		}
		return r
	}, s)
}
