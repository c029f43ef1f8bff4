package qlang

import (
	"strings"
	"unicode"
)

type tokKind int

const (
	tWord tokKind = iota
	tPhrase
	tLParen
	tRParen
	tAnd
	tOr
	tNot
	tPlus
	tMinus
	tField
	tEOF
)

// token is one lexical element. For tField, text is the field name; the
// value follows as the next token.
type token struct {
	kind   tokKind
	text   string
	prefix bool // a word ending in an unescaped *
	pos    Span
}

// operator reports whether the token is grammar rather than text: auto
// mode switches to the grammar when any token is.
func (t token) operator() bool {
	return t.kind != tWord && t.kind != tEOF || t.prefix
}

// fieldNames maps what a query may write before a colon to the field.
var fieldNames = map[string]Field{
	"title": FieldTitle, "tag": FieldTag, "tags": FieldTag,
	"author": FieldAuthor, "authors": FieldAuthor, "date": FieldDate,
}

func isQuote(r rune) bool { return r == '"' || r == '“' || r == '”' || r == '„' }

func endsWord(r rune) bool {
	return unicode.IsSpace(r) || r == '(' || r == ')' || isQuote(r)
}

type lexer struct {
	in   []rune
	i    int
	toks []token
}

// lex splits grammar text into tokens, or reports the first lexical error
// (an unclosed quote, an unknown field, a field without a value).
func lex(text string) ([]token, error) {
	l := &lexer{in: []rune(text)}
	for {
		for l.i < len(l.in) && unicode.IsSpace(l.in[l.i]) {
			l.i++
		}
		if l.i >= len(l.in) {
			l.emit(tEOF, "", l.i, l.i)
			return l.toks, nil
		}
		if err := l.next(); err != nil {
			return nil, err
		}
	}
}

func (l *lexer) emit(k tokKind, text string, start, end int) {
	l.toks = append(l.toks, token{kind: k, text: text, pos: Span{start, end}})
}

func (l *lexer) next() error {
	start := l.i
	switch r := l.in[l.i]; {
	case r == '(':
		l.i++
		l.emit(tLParen, "(", start, l.i)
	case r == ')':
		l.i++
		l.emit(tRParen, ")", start, l.i)
	case isQuote(r):
		return l.phrase()
	case (r == '+' || r == '-') && l.i+1 < len(l.in) && !unicode.IsSpace(l.in[l.i+1]) && l.in[l.i+1] != ')':
		l.i++
		if r == '+' {
			l.emit(tPlus, "+", start, l.i)
		} else {
			l.emit(tMinus, "-", start, l.i)
		}
	default:
		return l.word()
	}
	return nil
}

func (l *lexer) phrase() error {
	start := l.i
	l.i++
	var b strings.Builder
	for l.i < len(l.in) {
		r := l.in[l.i]
		switch {
		case r == '\\' && l.i+1 < len(l.in):
			b.WriteRune(l.in[l.i+1])
			l.i += 2
			continue
		case isQuote(r):
			l.i++
			l.emit(tPhrase, b.String(), start, l.i)
			return nil
		}
		b.WriteRune(r)
		l.i++
	}
	return errAt(start, "this quote opens a phrase that is never closed; add the closing quote")
}

// word reads a bare word and decides whether it is an operator (AND, OR,
// NOT), a field name followed by its value, or text.
func (l *lexer) word() error {
	start := l.i
	var b strings.Builder
	escaped, lastEscaped, colon := false, false, -1
	for l.i < len(l.in) && !endsWord(l.in[l.i]) {
		r := l.in[l.i]
		if r == '\\' && l.i+1 < len(l.in) {
			b.WriteRune(l.in[l.i+1])
			l.i += 2
			escaped, lastEscaped = true, true
			continue
		}
		if r == ':' && colon < 0 && !escaped {
			colon = b.Len()
		}
		b.WriteRune(r)
		l.i++
		lastEscaped = false
	}
	w := b.String()
	if !escaped {
		switch w {
		case "AND":
			l.emit(tAnd, w, start, l.i)
			return nil
		case "OR":
			l.emit(tOr, w, start, l.i)
			return nil
		case "NOT":
			l.emit(tNot, w, start, l.i)
			return nil
		}
	}
	if colon > 0 && isFieldName(w[:colon]) && l.fieldSyntax(w, colon) {
		return l.field(w, colon, start)
	}
	l.emitWord(w, start, l.i, lastEscaped)
	return nil
}

// emitWord records a text word; an unescaped trailing * asks for a prefix.
func (l *lexer) emitWord(w string, start, end int, starEscaped bool) {
	t := token{kind: tWord, text: w, pos: Span{start, end}}
	if !starEscaped && len(w) > 1 && strings.HasSuffix(w, "*") {
		t.text, t.prefix = strings.TrimSuffix(w, "*"), true
	}
	l.toks = append(l.toks, t)
}

// fieldSyntax tells name:value from text with a colon in it: a URL
// (https://…) or a word ending in a colon ("Note:") is text unless the name
// is a known field.
func (l *lexer) fieldSyntax(w string, colon int) bool {
	value := w[colon+1:]
	if strings.HasPrefix(value, "//") {
		return false
	}
	if _, known := fieldNames[strings.ToLower(w[:colon])]; known {
		return true
	}
	return value != "" || l.i < len(l.in) && (isQuote(l.in[l.i]) || l.in[l.i] == '(')
}

func (l *lexer) field(w string, colon, start int) error {
	name := strings.ToLower(w[:colon])
	f, ok := fieldNames[name]
	if !ok {
		return errAt(start, "unknown field %q: use title:, tag:, author: or date: (or put the words in quotes to search for them as text)", w[:colon])
	}
	nameEnd := start + len([]rune(w[:colon])) + 1
	l.toks = append(l.toks, token{kind: tField, text: string(f), pos: Span{start, nameEnd}})
	value := w[colon+1:]
	if value != "" {
		l.emitWord(value, nameEnd, l.i, false)
		return nil
	}
	if l.i < len(l.in) && (isQuote(l.in[l.i]) || l.in[l.i] == '(') {
		return nil // the phrase or group that follows is the value
	}
	return errAt(start, "%s: needs a value right after the colon, such as %s", name, example(f))
}

func example(f Field) string {
	switch f {
	case FieldDate:
		return "date:2018..2019"
	case FieldTag:
		return "tag:filecoin"
	case FieldAuthor:
		return `author:"Rhett Sampson"`
	}
	return "title:ipfs"
}

// isFieldName reports whether s looks like a field name (letters only), so
// "10:30" and "C++:" stay text while "titel:x" is a misspelt field.
func isFieldName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}
