package post

import (
	"fmt"
	"strings"
)

// Problem explains why one file was rejected. It is the error type returned
// by [Parse] and [LoadFile] and collected by [Load].
type Problem struct {
	File  string // path inside the FS
	Line  int    // 1-based, 0 if no line applies
	Field string // front-matter field at fault, "" if none
	Msg   string // what is wrong
	Fix   string // how to fix it

	// err keeps the underlying cause (e.g. fs.ErrNotExist) reachable through
	// errors.Is, so the incremental updater can tell a deleted file from a
	// broken one.
	err error
}

// Error formats the problem like a compiler message,
// "file:line: message (fix)", leaving out ":line" when Line is 0.
func (p *Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	b.WriteString(p.Msg)
	if p.Fix != "" {
		fmt.Fprintf(&b, " (%s)", p.Fix)
	}
	return b.String()
}

// Unwrap returns the cause of a read failure, or nil.
func (p *Problem) Unwrap() error {
	return p.err
}
