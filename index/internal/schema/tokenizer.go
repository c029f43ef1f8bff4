package schema

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/segment"
)

// wordTokenizer splits text into words exactly as bleve's "unicode"
// tokenizer does (Unicode word boundaries, as github.com/blevesearch/segment
// finds them), but handles runs of plain ASCII itself. The segmenter
// decodes every rune and walks a large state machine for each; on English
// prose that was more than half of the text analysis. A differential
// test and a fuzz target hold the two to the same tokens, except after an
// invalid UTF-8 byte (see segment).
//
// Words never span whitespace (no word-boundary rule joins across it), so
// the text is cut at ASCII whitespace and each piece that holds a
// non-ASCII byte goes to the segmenter whole.
type wordTokenizer struct{}

func (wordTokenizer) Tokenize(input []byte) analysis.TokenStream {
	t := tokenSink{pos: 1}
	// About one token per seven bytes of prose; a guess, not a bound.
	t.grow(len(input)/7 + 1)
	for i := 0; i < len(input); {
		for i < len(input) && isSpace(input[i]) {
			i++
		}
		start, ascii := i, true
		for i < len(input) && !isSpace(input[i]) {
			if input[i] >= 0x80 {
				ascii = false
			}
			i++
		}
		if start == i {
			continue
		}
		if ascii {
			t.ascii(input, start, i)
		} else {
			t.segment(input, start, i)
		}
	}
	return t.out
}

// tokenSink hands out tokens from blocks, as bleve's tokenizer does, so a
// text's tokens are a few allocations rather than one each.
type tokenSink struct {
	out   analysis.TokenStream
	block []analysis.Token
	pos   int
}

func (t *tokenSink) grow(n int) {
	t.block = make([]analysis.Token, n)
	if t.out == nil {
		t.out = make(analysis.TokenStream, 0, n)
	}
}

func (t *tokenSink) emit(input []byte, start, end int, typ analysis.TokenType) {
	if len(t.block) == 0 {
		t.grow(max(64, len(t.out)/2))
	}
	tok := &t.block[0]
	t.block = t.block[1:]
	*tok = analysis.Token{Term: input[start:end:end], Start: start, End: end, Position: t.pos, Type: typ}
	t.out = append(t.out, tok)
	t.pos++
}

// ascii tokenizes input[start:end], which is ASCII without whitespace.
// The word-boundary rules that apply to ASCII (UAX #29 WB5 to WB13b, as
// the segmenter implements them): letters, digits and underscores join;
// a letter and a letter join across one '.', ':' or apostrophe; a digit
// and a digit join across one '.', ',', ';' or apostrophe. Everything
// else stands alone and is not a word. A word of digits, underscores and
// the marks between digits is a number; a word with a letter, or of
// underscores alone, is a word.
func (t *tokenSink) ascii(input []byte, start, end int) {
	i := start
	for i < end {
		c := input[i]
		if !isWordByte(c) {
			i++
			continue
		}
		w := i
		digits, letters := false, false
		for i < end {
			c := input[i]
			switch {
			case isLetter(c):
				letters = true
				i++
				continue
			case isDigit(c):
				digits = true
				i++
				continue
			case c == '_':
				i++
				continue
			}
			if i+1 < end && i > w {
				prev, next := input[i-1], input[i+1]
				if isLetter(prev) && isLetter(next) && (c == '.' || c == '\'' || c == ':') ||
					isDigit(prev) && isDigit(next) && (c == '.' || c == '\'' || c == ',' || c == ';') {
					i += 2
					continue
				}
			}
			break
		}
		typ := analysis.AlphaNumeric
		if digits && !letters {
			typ = analysis.Numeric
		}
		t.emit(input, w, i, typ)
	}
}

// segment tokenizes input[start:end] with the Unicode segmenter. The
// segmenter stops at the first invalid UTF-8 and bleve's tokenizer then
// drops the rest of the text; here an invalid byte only ends a word.
func (t *tokenSink) segment(input []byte, start, end int) {
	for start < end {
		valid := start
		for valid < end {
			r, n := utf8.DecodeRune(input[valid:end])
			if r == utf8.RuneError && n == 1 {
				break
			}
			valid += n
		}
		s := segment.NewWordSegmenterDirect(input[start:valid])
		at := start
		for s.Segment() {
			n := len(s.Bytes())
			if typ := s.Type(); typ != segment.None {
				t.emit(input, at, at+n, tokenType(typ))
			}
			at += n
		}
		start = valid + 1 // past the invalid byte
	}
}

// tokenType is the analysis token type bleve gives a segment type.
func tokenType(segType int) analysis.TokenType {
	switch segType {
	case segment.Ideo, segment.Kana:
		return analysis.Ideographic
	case segment.Number:
		return analysis.Numeric
	}
	return analysis.AlphaNumeric
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}
func isLetter(c byte) bool   { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool    { return '0' <= c && c <= '9' }
func isWordByte(c byte) bool { return isLetter(c) || isDigit(c) || c == '_' }
