package qlang

import "fmt"

// Error is a malformed query: what is wrong and the character (from 0)
// where it is.
type Error struct {
	Offset int    // in characters (runes) from the start of the query
	Msg    string // a sentence for the person who typed the query
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s (at character %d)", e.Msg, e.Offset+1)
}

func errAt(offset int, format string, args ...any) *Error {
	return &Error{Offset: offset, Msg: fmt.Sprintf(format, args...)}
}
