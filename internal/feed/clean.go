package feed

import (
	"strings"
	"unicode/utf8"
)

// clean makes text fit for XML: invalid UTF-8 and the control characters
// XML 1.0 forbids become U+FFFD, so one bad post cannot make the whole
// feed unparsable. encoding/xml escapes the rest.
func clean(s string) string {
	if utf8.ValidString(s) && strings.IndexFunc(s, forbidden) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if forbidden(r) {
			r = '\uFFFD'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// forbidden reports the characters outside XML 1.0's Char production.
func forbidden(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE || r == 0xFFFF:
		return true
	}
	return false
}
