package qlang

import (
	"strings"
	"time"
	"unicode"
)

// Span is a stretch of the query text, in characters (runes) from 0; End
// is exclusive.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Field restricts a term or phrase to one part of a post. The empty field
// means the post's text: title, body, tags and authors together.
type Field string

// The fields a query may name.
const (
	FieldAny    Field = ""
	FieldTitle  Field = "title"
	FieldTag    Field = "tag"
	FieldAuthor Field = "author"
	FieldDate   Field = "date"
)

// Node is one element of a parsed query.
type Node interface {
	// Span is where the node stands in the query text.
	Span() Span
	// String renders the node in the canonical query syntax.
	String() string
	node()
}

// Group is clauses side by side, without an operator between them. Posts
// matching more of them rank higher; a clause marked Must must match and a
// Not clause must not. Quoted phrases in a group are required.
type Group struct {
	Nodes []Node
	Pos   Span
}

// And requires every one of its nodes.
type And struct {
	Nodes []Node
	Pos   Span
}

// Or requires at least one of its nodes.
type Or struct {
	Nodes []Node
	Pos   Span
}

// Not excludes the posts its node matches.
type Not struct {
	Node Node
	Pos  Span
}

// Must requires its node (written +word).
type Must struct {
	Node Node
	Pos  Span
}

// Term is one word. With Prefix it also matches words that start with it.
type Term struct {
	Field  Field
	Text   string
	Prefix bool
	Pos    Span
}

// Phrase is words that must appear together in this order.
type Phrase struct {
	Field Field
	Text  string
	Pos   Span
}

// DateRange keeps posts dated From to To, both days included; a zero end is
// open.
type DateRange struct {
	From, To time.Time
	Pos      Span
}

func (n *Group) Span() Span     { return n.Pos }
func (n *And) Span() Span       { return n.Pos }
func (n *Or) Span() Span        { return n.Pos }
func (n *Not) Span() Span       { return n.Pos }
func (n *Must) Span() Span      { return n.Pos }
func (n *Term) Span() Span      { return n.Pos }
func (n *Phrase) Span() Span    { return n.Pos }
func (n *DateRange) Span() Span { return n.Pos }

func (*Group) node()     {}
func (*And) node()       {}
func (*Or) node()        {}
func (*Not) node()       {}
func (*Must) node()      {}
func (*Term) node()      {}
func (*Phrase) node()    {}
func (*DateRange) node() {}

func (n *Group) String() string { return "(" + joinNodes(n.Nodes, " ") + ")" }
func (n *And) String() string   { return joinOperands(n.Nodes, " AND ", isOr) }
func (n *Or) String() string    { return joinNodes(n.Nodes, " OR ") }
func (n *Not) String() string   { return "-" + operand(n.Node, isBinary) }
func (n *Must) String() string  { return "+" + operand(n.Node, isBinary) }

func (n *Term) String() string {
	s := fieldPrefix(n.Field) + escapeWord(n.Text)
	if n.Prefix {
		s += "*"
	}
	return s
}

func (n *Phrase) String() string {
	return fieldPrefix(n.Field) + `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "“", "\\“", "”", "\\”", "„", "\\„").Replace(n.Text) + `"`
}

func (n *DateRange) String() string {
	return "date:" + day(n.From) + ".." + day(n.To)
}

func isOr(n Node) bool { _, ok := n.(*Or); return ok }

func isBinary(n Node) bool {
	switch n.(type) {
	case *And, *Or:
		return true
	}
	return false
}

// operand parenthesises a node that would otherwise bind differently.
func operand(n Node, needsParens func(Node) bool) string {
	if needsParens(n) {
		return "(" + n.String() + ")"
	}
	return n.String()
}

func joinOperands(ns []Node, sep string, needsParens func(Node) bool) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = operand(n, needsParens)
	}
	return strings.Join(parts, sep)
}

// escapeWord writes a word so that the grammar reads it back as the same
// text: operators, quotes, parentheses, colons, a leading sign and a
// trailing star get a backslash.
func escapeWord(w string) string {
	if w == "AND" || w == "OR" || w == "NOT" {
		return `\` + w
	}
	var b strings.Builder
	rs := []rune(w)
	for i, r := range rs {
		switch {
		case r == '\\' || r == '(' || r == ')' || r == ':' || isQuote(r) || unicode.IsSpace(r),
			i == 0 && len(rs) > 1 && (r == '+' || r == '-'),
			i == len(rs)-1 && r == '*':
			b.WriteRune('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func fieldPrefix(f Field) string {
	if f == FieldAny {
		return ""
	}
	return string(f) + ":"
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func joinNodes(ns []Node, sep string) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = n.String()
	}
	return strings.Join(parts, sep)
}

// Walk calls fn for n and every node below it, parents first, telling fn
// whether the node sits under a Not (so it excludes rather than matches).
func Walk(n Node, fn func(n Node, negated bool)) {
	walk(n, false, fn)
}

func walk(n Node, neg bool, fn func(Node, bool)) {
	fn(n, neg)
	switch n := n.(type) {
	case *Group:
		for _, c := range n.Nodes {
			walk(c, neg, fn)
		}
	case *And:
		for _, c := range n.Nodes {
			walk(c, neg, fn)
		}
	case *Or:
		for _, c := range n.Nodes {
			walk(c, neg, fn)
		}
	case *Not:
		walk(n.Node, !neg, fn)
	case *Must:
		walk(n.Node, neg, fn)
	}
}
