package render

import (
	"unicode"
	"unicode/utf8"
)

// textWriter accumulates the plain text of one block. It normalises as it
// goes, so the rest of the extractor can write whatever the source holds:
// whitespace runs (NBSP and other Unicode spaces included) become one
// space, zero-width characters disappear, and the text never starts or
// ends with a space.
type textWriter struct {
	buf     []byte
	pending bool // a space is owed before the next visible character
	prose   bool // some text came from prose, not from alt text or captions
	html    htmlState
	// inBlockHTML makes block-level tags in raw HTML break lines instead of
	// adding a space, so an HTML block keeps its paragraphs apart.
	inBlockHTML bool
}

func (w *textWriter) reset() {
	*w = textWriter{buf: w.buf[:0]}
}

// write appends visible text. prose says whether it counts towards "this
// paragraph has real text" for the summary.
func (w *textWriter) write(b []byte, prose bool) {
	if w.html.skip > 0 {
		return
	}
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			w.writeASCII(c, prose)
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		enc := b[i : i+size]
		if r == utf8.RuneError && size == 1 {
			enc = []byte("\uFFFD") // Text must stay valid UTF-8 whatever the input
		}
		w.writeRune(r, enc, prose)
		i += size
	}
}

func (w *textWriter) writeASCII(c byte, prose bool) {
	switch c {
	case ' ', '\t', '\n', '\r', '\f', '\v':
		w.space()
	default:
		if c < ' ' || c == 0x7f {
			return // control characters show nothing
		}
		w.flushSpace()
		w.buf = append(w.buf, c)
		w.prose = w.prose || prose
	}
}

func (w *textWriter) writeRune(r rune, enc []byte, prose bool) {
	switch {
	case isInvisible(r):
	case unicode.IsSpace(r):
		w.space()
	default:
		w.flushSpace()
		w.buf = append(w.buf, enc...)
		w.prose = w.prose || prose
	}
}

// space owes a separator; it is only written if more text follows.
func (w *textWriter) space() {
	if len(w.buf) > 0 && w.buf[len(w.buf)-1] != '\n' && w.buf[len(w.buf)-1] != '\t' {
		w.pending = true
	}
}

func (w *textWriter) flushSpace() {
	if w.pending {
		w.buf = append(w.buf, ' ')
		w.pending = false
	}
}

// separator writes a structural byte ('\t' between table cells, '\n'
// between blocks inside raw HTML), dropping any owed space.
func (w *textWriter) separator(c byte) {
	w.pending = false
	if len(w.buf) == 0 || w.buf[len(w.buf)-1] == c {
		return
	}
	w.buf = append(w.buf, c)
}

// boundary marks the edge of a block-level element found in raw HTML.
func (w *textWriter) boundary() {
	if w.inBlockHTML {
		w.separator('\n')
		return
	}
	w.space()
}

func (w *textWriter) String() string {
	return string(w.buf)
}

// isInvisible reports characters that take no room on the page and would
// only split words in the index.
func isInvisible(r rune) bool {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad':
		return true
	}
	return false
}
