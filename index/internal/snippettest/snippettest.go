// Package snippettest holds the check that tests of snippets share: the
// index's tests through a search and index/internal/snippet's on the
// snippet builder itself, which must agree on what a well-formed
// snippet is. Tests only; nothing of the program imports it.
package snippettest

import (
	"strings"
	"testing"
)

// CheckMarks fails t unless frag's marks are balanced and not nested, and
// no other markup is left unescaped.
func CheckMarks(t testing.TB, frag string) {
	t.Helper()
	depth := 0
	for rest := frag; rest != ""; {
		o, c := strings.Index(rest, "<mark>"), strings.Index(rest, "</mark>")
		switch {
		case o < 0 && c < 0:
			rest = ""
		case o >= 0 && (c < 0 || o < c):
			if depth++; depth > 1 {
				t.Fatalf("nested <mark> in %q", frag)
			}
			rest = rest[o+len("<mark>"):]
		default:
			if depth--; depth < 0 {
				t.Fatalf("</mark> without <mark> in %q", frag)
			}
			rest = rest[c+len("</mark>"):]
		}
	}
	if depth != 0 {
		t.Fatalf("unclosed <mark> in %q", frag)
	}
	if strings.ContainsAny(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(frag), "<>") {
		t.Fatalf("unescaped markup in %q", frag)
	}
}
