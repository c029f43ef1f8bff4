package render

import "strings"

// nextIndex finds the next occurrence of a fixed string at or after a
// position, for callers whose positions only move forward. It remembers
// the last answer, so asking again from any position up to that answer
// costs nothing, and a failed search is never repeated. That keeps a post
// full of openers without closers (thousands of "{{<" and no ">}}")
// linear instead of quadratic.
type nextIndex struct {
	s, pat string
	from   int // the last search started here
	at     int // its answer: an index >= from, or -1
	done   bool
}

func newNextIndex(s, pat string) nextIndex {
	return nextIndex{s: s, pat: pat}
}

// after returns the index of the first occurrence of pat at or after pos,
// or -1.
func (n *nextIndex) after(pos int) int {
	if n.done && pos >= n.from && (n.at < 0 || pos <= n.at) {
		return n.at
	}
	n.from, n.done = pos, true
	if pos > len(n.s) {
		n.at = -1
		return -1
	}
	if i := strings.Index(n.s[pos:], n.pat); i >= 0 {
		n.at = pos + i
	} else {
		n.at = -1
	}
	return n.at
}

// finders caches one nextIndex per pattern over the same string. A
// handful of fixed patterns is all it ever holds, so a slice searched in
// order is cheaper than a map, which matters once per line.
type finders struct {
	s  string
	by []nextIndex
}

func (f *finders) after(pat string, pos int) int {
	for i := range f.by {
		if f.by[i].pat == pat {
			return f.by[i].after(pos)
		}
	}
	f.by = append(f.by, newNextIndex(f.s, pat))
	return f.by[len(f.by)-1].after(pos)
}
