package qlang

import (
	"errors"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that no text crashes the parser, that spans and error
// offsets stay inside the text, and that the canonical form of a parsed
// query reads back as the same query.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"ipfs gateway", `"peer to peer" -bitcoin`, "(a OR b) AND NOT c", "title:(x y) date:2018..2019"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		n := utf8.RuneCountInString(text)
		for _, mode := range []Mode{ModeAuto, ModeAdvanced, ModePlain} {
			q, err := Parse(text, mode)
			if err != nil {
				var qe *Error
				if !errors.As(err, &qe) || qe.Offset < 0 || qe.Offset > n {
					t.Fatalf("Parse(%q, %s) error %v: want a *Error with an offset in [0,%d]", text, mode, err, n)
				}
				continue
			}
			checkSpans(t, q, n)
			again, err := Parse(q.String(), ModeAdvanced)
			if err != nil {
				t.Fatalf("Parse(%q, %s) printed %q, which does not parse: %v", text, mode, q.String(), err)
			}
			if again.String() != q.String() {
				t.Fatalf("Parse(%q, %s) printed %q, which reads back as %q", text, mode, q.String(), again.String())
			}
		}
	})
}

func checkSpans(t *testing.T, q *Query, n int) {
	t.Helper()
	if q.Empty() {
		return
	}
	Walk(q.Root, func(nd Node, _ bool) {
		if s := nd.Span(); s.Start < 0 || s.End > n || s.Start > s.End {
			t.Fatalf("Parse(%q): node %s has span %v outside [0,%d]", q.Text, nd, s, n)
		}
	})
}
