package render

import (
	"strings"

	"github.com/yuin/goldmark/ast"
)

// dropTitleHeading removes the body's first block when it is a level-1
// heading that repeats title (see Options.Title). Only the first block is
// looked at: a later "# heading" is part of the post's structure.
func dropTitleHeading(root ast.Node, src []byte, title string) {
	if title == "" {
		return
	}
	h, ok := root.FirstChild().(*ast.Heading)
	if !ok || h.Level != 1 {
		return
	}
	x := &extractor{src: src}
	if sameTitle(x.inlineText(h), title) {
		root.RemoveChild(root, h)
	}
}

// sameTitle compares a heading's plain text with a title that may hold
// inline Markdown (`code`, *emphasis*): case, runs of spaces and those
// marks do not count.
func sameTitle(heading, title string) bool {
	norm := func(s string) string {
		s = strings.NewReplacer("`", "", "*", "", "_", "", "~", "").Replace(s)
		return strings.Join(strings.Fields(s), " ")
	}
	a, b := norm(heading), norm(title)
	return a != "" && strings.EqualFold(a, b)
}
