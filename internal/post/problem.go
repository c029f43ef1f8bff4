package post

import (
	"fmt"
	"strings"
)

// sentinel is a constant error type, so exported sentinels need no globals.
type sentinel string

func (e sentinel) Error() string { return string(e) }

// ErrNotPost marks the Problem of a file that is not a post at all: it
// has no date anywhere and no text, like a generator's list page or
// redirect stub. Load lists such files in Result.Pages instead of
// rejecting them; errors.Is tells them from broken posts.
const ErrNotPost = sentinel("not a post")

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
