package qlang

import "fmt"

// Mode says how query text is read.
type Mode string

// The modes a search may ask for.
const (
	// ModeAuto reads the grammar when the text uses an operator (a quote,
	// a parenthesis, AND/OR/NOT, +word, -word, field:value or word*), and
	// plain text otherwise.
	ModeAuto Mode = "auto"
	// ModeAdvanced always reads the grammar, and never guesses: no implicit
	// prefix on the last word.
	ModeAdvanced Mode = "advanced"
	// ModePlain reads every character as text, for pasting sentences.
	ModePlain Mode = "plain"
)

// ParseMode reads a mode name; the empty string means ModeAuto. It fails
// for any other name.
func ParseMode(s string) (Mode, error) {
	switch Mode(s) {
	case "", ModeAuto:
		return ModeAuto, nil
	case ModeAdvanced, ModePlain:
		return Mode(s), nil
	}
	return "", fmt.Errorf("unknown mode %q: use auto, advanced or plain", s)
}
