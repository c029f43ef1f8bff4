package render

import (
	"bytes"
	"slices"
)

// Goldmark's block parser does work for every open container on every
// line, and more on a line that opens many: 40,000 ">" took 3 s and a
// line of 20,000 "- " 1.6 s. No post nests a quote or a list 32 deep, so
// before goldmark sees the source, a line's container prefix is cut to
// maxNesting markers (the rest is kept as text, its first marker
// escaped) and each run of spaces inside the prefix to maxPrefixIndent
// columns, which bounds nesting by indentation too.
const (
	maxNesting      = 32
	maxPrefixIndent = 64
	tabWidth        = 4
)

// guardNesting returns src with every line's container prefix within
// maxNesting markers and maxPrefixIndent columns per run of spaces. It
// returns src itself when no line needs that, which is every real post.
// Lines inside a fenced code block that starts a line on its own (no
// container around it) are code and left alone; a fence inside a
// container is guarded like prose, since whether goldmark keeps such a
// fence open depends on the containers, which only the parser knows.
func guardNesting(src []byte) []byte {
	var out []byte // nil until a line is rewritten
	var f codeFence
	for start := 0; start < len(src); {
		end := start + lineLen(src[start:])
		line := src[start:end]
		fixed, ok := line, true
		if f.open() {
			if f.closedBy(line) {
				f = codeFence{}
			}
		} else {
			fixed, ok = guardLine(line)
			f = topLevelFence(fixed)
		}
		if !ok && out == nil {
			out = make([]byte, 0, len(src)+len(src)/16)
			out = append(out, src[:start]...)
		}
		if out != nil {
			out = append(out, fixed...)
		}
		start = end
	}
	if out == nil {
		return src
	}
	return out
}

// lineLen is the length of the first line of b, its "\n" included.
func lineLen(b []byte) int {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return i + 1
	}
	return len(b)
}

// codeFence is an open fenced code block: its character and length.
type codeFence struct {
	char byte
	n    int
}

func (f codeFence) open() bool { return f.n > 0 }

// topLevelFence recognises a fence opener at the very start of a line:
// with no indent it cannot belong to a list item or a block quote, so
// goldmark keeps the block open until its closing fence whatever the
// lines in between hold.
func topLevelFence(line []byte) codeFence {
	c, n := fenceRun(line)
	if n < 3 || (c == '`' && bytes.IndexByte(line[n:], '`') >= 0) {
		return codeFence{}
	}
	return codeFence{char: c, n: n}
}

// closedBy reports a closing fence: up to three spaces, at least as many
// fence characters as the opener, then only blanks.
func (f codeFence) closedBy(line []byte) bool {
	s := bytes.TrimLeft(line, " ")
	if len(line)-len(s) > 3 {
		return false
	}
	c, n := fenceRun(s)
	return c == f.char && n >= f.n && len(bytes.TrimSpace(s[n:])) == 0
}

// fenceRun is the run of "`" or "~" that b starts with.
func fenceRun(b []byte) (byte, int) {
	if len(b) == 0 || (b[0] != '`' && b[0] != '~') {
		return 0, 0
	}
	n := 0
	for n < len(b) && b[n] == b[0] {
		n++
	}
	return b[0], n
}

// guardLine checks one line's container prefix: runs of blanks followed by
// a block quote marker or a list item marker. ok is false when the line
// had to be rewritten; fixed is then the rewritten line.
func guardLine(line []byte) (fixed []byte, ok bool) {
	markers, i := 0, 0
	var out []byte
	for i < len(line) {
		ws := i
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		m := markerLen(line[i:])
		if m == 0 {
			i = ws // the blanks belong to the text after the prefix
			break
		}
		if cols := indentCols(string(line[ws:i])); cols > maxPrefixIndent {
			out = appendUntil(out, line, ws)
			out = append(out, bytes.Repeat([]byte{' '}, maxPrefixIndent)...)
		} else if out != nil {
			out = append(out, line[ws:i]...)
		}
		markers++
		if markers > maxNesting {
			// A backslash makes the marker literal text: the nesting
			// stops here and the rest of the line is a paragraph.
			out = appendUntil(out, line, i)
			out = append(out, '\\')
			out = append(out, line[i:]...)
			return out, false
		}
		if out != nil {
			out = append(out, line[i:i+m]...)
		}
		i += m
	}
	if out == nil {
		return line, true
	}
	return append(out, line[i:]...), false
}

// appendUntil starts the rewritten line with line[:i] the first time the
// line needs a change.
func appendUntil(out, line []byte, i int) []byte {
	if out != nil {
		return out
	}
	out = make([]byte, 0, len(line)+1)
	return append(out, line[:i]...)
}

// markerLen is the length of the container marker at the start of b
// (">", "-", "*", "+", or up to nine digits and "." or ")" followed by a
// blank or the line end), or 0 if b does not start with one.
func markerLen(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	if b[0] == '>' {
		return 1
	}
	n := 0
	switch {
	case b[0] == '-' || b[0] == '*' || b[0] == '+':
		n = 1
	case b[0] >= '0' && b[0] <= '9':
		for n < len(b) && n < 9 && b[n] >= '0' && b[n] <= '9' {
			n++
		}
		if n == len(b) || (b[n] != '.' && b[n] != ')') {
			return 0
		}
		n++
	default:
		return 0
	}
	if n < len(b) && b[n] != ' ' && b[n] != '\t' && b[n] != '\n' {
		return 0
	}
	return n
}

// indentCols is the width of the leading blanks of s, a tab counting as
// tabWidth columns (close enough to CommonMark's tab stops for a bound).
func indentCols(s string) int {
	cols := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ':
			cols++
		case '\t':
			cols += tabWidth
		default:
			return cols
		}
	}
	return cols
}

// guard rewrites the shapes of Markdown that goldmark handles in more than
// linear time or memory, before goldmark sees them.
func guard(src []byte) []byte {
	return guardTables(guardNesting(src))
}

// A table row with fewer cells than its header is padded with empty
// cells, so a header of 2,000 columns over 2,000 one-character rows made
// 4 million cells from 12 KB (53 s, and as many AST nodes in memory). Real
// tables, sparse ones included, have at most about one cell per byte of
// Markdown; a table with more than maxCellsPerByte is left as text.
const maxCellsPerByte = 2

// guardTables escapes the delimiter row of every table that would have
// more than maxCellsPerByte cells per byte of its lines (plus a little),
// so goldmark reads it as a paragraph. The table's extent is taken to be
// its paragraph: every line to the next blank one, which can only
// overcount its rows.
func guardTables(src []byte) []byte {
	lines := bytes.SplitAfter(src, []byte("\n"))
	n := len(lines)
	// end[i] is the first blank line at or after i; upto[i] the bytes of
	// lines before i.
	end := make([]int, n+1)
	upto := make([]int, n+1)
	end[n] = n
	for i := n - 1; i >= 0; i-- {
		end[i] = i
		if !isBlankLine(quoteContent(lines[i])) {
			end[i] = end[i+1]
		}
	}
	for i, l := range lines {
		upto[i+1] = upto[i] + len(l)
	}
	var out [][]byte
	for i := 1; i < n; i++ {
		cols := delimiterColumns(quoteContent(lines[i]))
		if cols == 0 || isBlankLine(quoteContent(lines[i-1])) {
			continue
		}
		rows := end[i] - i // the header and the rows after the delimiter
		size := upto[end[i]] - upto[i-1]
		if cols*rows <= maxCellsPerByte*size+1024 {
			continue
		}
		if out == nil {
			out = slices.Clone(lines)
		}
		content := quoteContent(lines[i])
		at := len(lines[i]) - len(content)
		out[i] = slices.Concat(lines[i][:at], []byte{'\\'}, content)
	}
	if out == nil {
		return src
	}
	return bytes.Join(out, nil)
}

// quoteContent is line after its leading blanks and block quote markers.
func quoteContent(line []byte) []byte {
	return bytes.TrimLeft(line, " \t>")
}

func isBlankLine(b []byte) bool { return len(bytes.TrimSpace(b)) == 0 }

// delimiterColumns is the number of columns of a table delimiter row such
// as "| --- | :-: |", or 0 if b is not one (goldmark's test: only blanks,
// "-", "|" and ":", and not only "-").
func delimiterColumns(b []byte) int {
	cols, inCell, dashes, pipes := 0, false, 0, 0
	for _, c := range b {
		switch c {
		case '-':
			dashes++
			if !inCell {
				cols++
				inCell = true
			}
		case '|':
			pipes++
			inCell = false
		case ':', ' ', '\t', '\n', '\r':
		default:
			return 0
		}
	}
	if dashes == 0 || (pipes == 0 && dashes == len(bytes.TrimSpace(b))) {
		return 0
	}
	return cols
}
