package render

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// headingIDTransformer gives a fresh automatic id to every heading whose
// id the author set to something unusable ("{#}", "{#☃}"): an empty id
// cannot be linked to, and the sanitiser drops ids outside [A-Za-z0-9:_.-],
// which would leave the table of contents pointing nowhere.
type headingIDTransformer struct{}

func (headingIDTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		if !isSafeID(headingID(h)) {
			h.SetAttributeString("id", pc.IDs().Generate(h.Lines().Value(src), ast.KindHeading))
		}
		return ast.WalkSkipChildren, nil
	})
}

func isSafeID(id string) bool {
	if id == "" {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !isAlnum(c) && c != ':' && c != '_' && c != '.' && c != '-' {
			return false
		}
	}
	return true
}

func headingID(n *ast.Heading) string {
	v, ok := n.AttributeString("id")
	if !ok {
		return ""
	}
	switch id := v.(type) {
	case []byte:
		return string(id)
	case string:
		return id
	}
	return ""
}
