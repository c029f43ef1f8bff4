package qlang

// Echo is the parsed query as JSON, so a researcher sees what ran.
type Echo struct {
	Text   string `json:"text"`
	Mode   Mode   `json:"mode"`  // how the text was read: plain or advanced
	Asked  Mode   `json:"asked"` // the mode asked for
	Parsed string `json:"parsed"`
	Tree   *Tree  `json:"tree,omitempty"`
}

// Tree is one node of an Echo.
type Tree struct {
	Op     string  `json:"op"` // words, and, or, not, must, term, phrase, date
	Field  Field   `json:"field,omitempty"`
	Text   string  `json:"text,omitempty"`
	Prefix bool    `json:"prefix,omitempty"`
	From   string  `json:"from,omitempty"`
	To     string  `json:"to,omitempty"`
	Span   Span    `json:"span"`
	Args   []*Tree `json:"args,omitempty"`
}

// Echo describes the query for the JSON API.
func (q *Query) Echo() *Echo {
	e := &Echo{Text: q.Text, Mode: q.Mode, Asked: q.Asked, Parsed: q.String()}
	if !q.Empty() {
		e.Tree = tree(q.Root)
	}
	return e
}

func tree(n Node) *Tree {
	t := &Tree{Span: n.Span()}
	switch n := n.(type) {
	case *Group:
		t.Op, t.Args = "words", trees(n.Nodes)
	case *And:
		t.Op, t.Args = "and", trees(n.Nodes)
	case *Or:
		t.Op, t.Args = "or", trees(n.Nodes)
	case *Not:
		t.Op, t.Args = "not", []*Tree{tree(n.Node)}
	case *Must:
		t.Op, t.Args = "must", []*Tree{tree(n.Node)}
	case *Term:
		t.Op, t.Field, t.Text, t.Prefix = "term", n.Field, n.Text, n.Prefix
	case *Phrase:
		t.Op, t.Field, t.Text = "phrase", n.Field, n.Text
	case *DateRange:
		t.Op, t.Field, t.From, t.To = "date", FieldDate, day(n.From), day(n.To)
	}
	return t
}

func trees(ns []Node) []*Tree {
	out := make([]*Tree, len(ns))
	for i, n := range ns {
		out[i] = tree(n)
	}
	return out
}
