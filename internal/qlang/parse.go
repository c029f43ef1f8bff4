package qlang

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits that keep a hostile query from costing more than a long one.
const (
	// MaxDepth is how deeply groups and operators may nest.
	MaxDepth = 32
	// minPrefix is the shortest word the last-word prefix applies to:
	// shorter ones would match half the vocabulary.
	minPrefix = 3
)

// Query is a parsed query.
type Query struct {
	Text string // the text as typed
	Mode Mode   // how the text was read: ModePlain or ModeAdvanced
	// Asked is the mode the caller asked for; ModeAuto resolves to one of
	// the other two.
	Asked Mode
	Root  *Group // nil for an empty query
}

// Empty reports whether the query has nothing to search for, which lists
// every post.
func (q *Query) Empty() bool { return q.Root == nil || len(q.Root.Nodes) == 0 }

// String renders the parsed query in the canonical syntax: what ran.
func (q *Query) String() string {
	if q.Empty() {
		return ""
	}
	return joinNodes(q.Root.Nodes, " ")
}

// Parse reads text in the given mode. It fails with *Error for a malformed
// query in the grammar (ModeAdvanced, or ModeAuto when the text uses an
// operator); ModePlain never fails.
func Parse(text string, mode Mode) (*Query, error) {
	if mode == "" {
		mode = ModeAuto
	}
	q := &Query{Text: text, Asked: mode, Mode: mode}
	if mode == ModePlain {
		q.Root = plain(text)
		markLastPrefix(q)
		return q, nil
	}
	toks, err := lex(text)
	if err != nil {
		return nil, err
	}
	if mode == ModeAuto && !anyOperator(toks) {
		q.Mode = ModePlain
		q.Root = plain(text)
		markLastPrefix(q)
		return q, nil
	}
	q.Mode = ModeAdvanced
	p := &parser{toks: toks}
	root, err := p.group(0, nil)
	if err != nil {
		return nil, err
	}
	q.Root = root
	if mode == ModeAuto {
		markLastPrefix(q)
	}
	return q, nil
}

func anyOperator(toks []token) bool {
	for _, t := range toks {
		if t.operator() {
			return true
		}
	}
	return false
}

// plain makes every whitespace-separated word a term.
func plain(text string) *Group {
	g := &Group{Pos: Span{0, utf8.RuneCountInString(text)}}
	i, start := 0, -1
	var b strings.Builder
	flush := func(end int) {
		if start >= 0 {
			g.Nodes = append(g.Nodes, &Term{Text: b.String(), Pos: Span{start, end}})
			b.Reset()
			start = -1
		}
	}
	for _, r := range text {
		if unicode.IsSpace(r) {
			flush(i)
		} else {
			if start < 0 {
				start = i
			}
			b.WriteRune(r)
		}
		i++
	}
	flush(i)
	return g
}

// markLastPrefix lets the last word match as a prefix, so results follow
// a reader typing: "filec" already finds Filecoin. Only a word that ends
// the text, matches (is not excluded) and is text (not a tag, author or
// date) qualifies.
func markLastPrefix(q *Query) {
	if q.Empty() {
		return
	}
	var last *Term
	var lastNeg bool
	Walk(q.Root, func(n Node, neg bool) {
		if t, ok := n.(*Term); ok && (last == nil || t.Pos.End > last.Pos.End) {
			last, lastNeg = t, neg
		}
	})
	end := len(strings.TrimRightFunc(q.Text, unicode.IsSpace))
	if last == nil || lastNeg || utf8.RuneCountInString(q.Text[:end]) != last.Pos.End {
		return
	}
	if (last.Field == FieldAny || last.Field == FieldTitle) && utf8.RuneCountInString(last.Text) >= minPrefix {
		last.Prefix = true
	}
}

type parser struct {
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) take() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// group reads clauses up to the end of input, or up to the closing
// parenthesis when open is the token that opened the group.
func (p *parser) group(depth int, open *token) (*Group, error) {
	if depth > MaxDepth {
		return nil, errAt(p.peek().pos.Start, "the query nests groups more than %d deep", MaxDepth)
	}
	g := &Group{Pos: p.peek().pos}
	if open != nil {
		g.Pos = open.pos
	}
	for {
		t := p.peek()
		switch {
		case t.kind == tEOF && open != nil:
			return nil, errAt(open.pos.Start, "this parenthesis is never closed; add a )")
		case t.kind == tEOF:
			return g, nil
		case t.kind == tRParen && open == nil:
			return nil, errAt(t.pos.Start, "this ) has no ( to close")
		case t.kind == tRParen:
			p.take()
			if len(g.Nodes) == 0 {
				return nil, errAt(open.pos.Start, "empty parentheses: put words inside or remove them")
			}
			g.Pos.End = t.pos.End
			return g, nil
		}
		n, err := p.or(depth)
		if err != nil {
			return nil, err
		}
		g.Nodes = append(g.Nodes, n)
		g.Pos.End = n.Span().End
	}
}

func (p *parser) or(depth int) (Node, error) {
	return p.binary(depth, tOr, "OR", p.and, func(ns []Node, s Span) Node { return &Or{Nodes: ns, Pos: s} })
}

func (p *parser) and(depth int) (Node, error) {
	return p.binary(depth, tAnd, "AND", p.unary, func(ns []Node, s Span) Node { return &And{Nodes: ns, Pos: s} })
}

// binary reads operand (op operand)* and builds one node from two or more
// operands.
func (p *parser) binary(depth int, op tokKind, name string, operand func(int) (Node, error), build func([]Node, Span) Node) (Node, error) {
	if t := p.peek(); t.kind == op {
		return nil, errAt(t.pos.Start, "%s needs a word, phrase or group before it", name)
	}
	first, err := operand(depth)
	if err != nil {
		return nil, err
	}
	nodes := []Node{first}
	for p.peek().kind == op {
		t := p.take()
		if k := p.peek().kind; k == tEOF || k == tRParen || k == tAnd || k == tOr {
			return nil, errAt(t.pos.Start, "%s needs a word, phrase or group after it", name)
		}
		n, err := operand(depth)
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, n)
	}
	if len(nodes) == 1 {
		return first, nil
	}
	return build(nodes, Span{first.Span().Start, nodes[len(nodes)-1].Span().End}), nil
}

func (p *parser) unary(depth int) (Node, error) {
	t := p.peek()
	if t.kind != tNot && t.kind != tMinus && t.kind != tPlus {
		return p.primary(depth, FieldAny, false)
	}
	p.take()
	if depth >= MaxDepth {
		return nil, errAt(t.pos.Start, "the query stacks more than %d operators", MaxDepth)
	}
	if k := p.peek().kind; k == tEOF || k == tRParen || k == tAnd || k == tOr {
		return nil, errAt(t.pos.Start, "%s needs a word, phrase or group after it", t.text)
	}
	n, err := p.unary(depth + 1)
	if err != nil {
		return nil, err
	}
	s := Span{t.pos.Start, n.Span().End}
	if t.kind == tPlus {
		return &Must{Node: n, Pos: s}, nil
	}
	return &Not{Node: n, Pos: s}, nil
}

// primary reads one word, phrase, group or field:value. field is the
// field an enclosing field:(…) applies; fielded says one is in force.
func (p *parser) primary(depth int, field Field, fielded bool) (Node, error) {
	t := p.take()
	switch t.kind {
	case tLParen:
		return p.fieldGroup(depth, field, fielded, t)
	case tField:
		if fielded {
			return nil, errAt(t.pos.Start, "a field cannot be nested inside another field's value")
		}
		return p.fieldValue(depth, Field(t.text), t)
	case tPhrase:
		return phraseNode(t, field)
	case tWord:
		return wordNode(t, field)
	case tAnd, tOr:
		return nil, errAt(t.pos.Start, "%s needs a word, phrase or group before it", t.text)
	case tNot, tPlus, tMinus:
		return nil, errAt(t.pos.Start, "%s cannot stand here; write it before a word outside the field's value", t.text)
	case tRParen:
		return nil, errAt(t.pos.Start, "this ) has no ( to close")
	}
	return nil, errAt(t.pos.Start, "the query ends where a word, phrase or group was expected")
}

func (p *parser) fieldValue(depth int, f Field, name token) (Node, error) {
	n, err := p.primary(depth, f, true)
	if err != nil {
		return nil, err
	}
	return withStart(n, name.pos.Start), nil
}

// fieldGroup reads (…). Under a field, every word and phrase inside
// takes that field: title:(ipfs gateway) is title:ipfs title:gateway.
func (p *parser) fieldGroup(depth int, field Field, fielded bool, open token) (Node, error) {
	g, err := p.group(depth+1, &open)
	if err != nil {
		return nil, err
	}
	if fielded {
		if err := applyField(g, field); err != nil {
			return nil, err
		}
	}
	if len(g.Nodes) == 1 {
		// (x) means x: unwrapping keeps the tree, and the canonical text
		// printed from it, the same however many parentheses were typed.
		return g.Nodes[0], nil
	}
	return g, nil
}

// applyField gives every word and phrase of a field's group that field.
func applyField(n Node, f Field) error {
	var err error
	Walk(n, func(n Node, _ bool) {
		if err != nil {
			return
		}
		switch n := n.(type) {
		case *Term:
			if n.Field != FieldAny {
				err = errAt(n.Pos.Start, "a field cannot be nested inside another field's value")
			}
			n.Field = f
		case *Phrase:
			if n.Field != FieldAny {
				err = errAt(n.Pos.Start, "a field cannot be nested inside another field's value")
			}
			n.Field = f
		case *DateRange:
			err = errAt(n.Pos.Start, "a field cannot be nested inside another field's value")
		}
	})
	if err != nil {
		return err
	}
	if f == FieldDate {
		return datesIn(n)
	}
	return nil
}

func withStart(n Node, start int) Node {
	switch n := n.(type) {
	case *Term:
		n.Pos.Start = start
	case *Phrase:
		n.Pos.Start = start
	case *DateRange:
		n.Pos.Start = start
	case *Group:
		n.Pos.Start = start
	}
	return n
}

func phraseNode(t token, field Field) (Node, error) {
	if field == FieldDate {
		return nil, errAt(t.pos.Start, "date: takes a date such as 2018-09-20, not a phrase")
	}
	if strings.TrimSpace(t.text) == "" {
		return nil, errAt(t.pos.Start, "empty quotes: put words inside or remove them")
	}
	return &Phrase{Field: field, Text: t.text, Pos: t.pos}, nil
}

func wordNode(t token, field Field) (Node, error) {
	if field == FieldDate {
		if t.prefix {
			return nil, errAt(t.pos.Start, "date: does not take *; write a range such as 2018..2019")
		}
		return parseDate(t.text, t.pos)
	}
	if t.prefix && utf8.RuneCountInString(t.text) < 2 {
		return nil, errAt(t.pos.Start, "* needs at least two letters before it")
	}
	return &Term{Field: field, Text: t.text, Prefix: t.prefix, Pos: t.pos}, nil
}
