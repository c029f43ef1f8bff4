package render

import (
	"unicode"
	"unicode/utf8"
)

// WordsPerMinute is the reading speed behind Doc.ReadingMinutes (Hugo's).
const WordsPerMinute = 212

// countWords counts like Hugo: whitespace-separated fields are words,
// except that each CJK character is a word of its own, since those
// scripts put no spaces between words. Inside a field with CJK characters,
// the other runs count only if they hold a letter or digit, so "IPFS是"
// is two words and a full-width comma is none.
func countWords(s string) int {
	n := 0
	start := -1    // start of the current field, or -1 between fields
	ascii := false // the current field is all ASCII: one word, no questions
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case isSpaceRune(r):
			if start >= 0 {
				n += fieldWords(s[start:i], ascii)
				start = -1
			}
		case start < 0:
			start, ascii = i, r < utf8.RuneSelf
		case r >= utf8.RuneSelf:
			ascii = false
		}
		i += size
	}
	if start >= 0 {
		n += fieldWords(s[start:], ascii)
	}
	return n
}

// fieldWords counts the words in one whitespace-free field.
func fieldWords(f string, ascii bool) int {
	if ascii {
		return 1
	}
	n, hasCJK, inRun, runAlnum := 0, false, false, false
	for _, r := range f {
		if isCJK(r) {
			if inRun && runAlnum {
				n++
			}
			hasCJK, inRun = true, false
			n++
			continue
		}
		if !inRun {
			inRun, runAlnum = true, false
		}
		runAlnum = runAlnum || isAlnumRune(r)
	}
	if !hasCJK {
		return 1
	}
	if inRun && runAlnum {
		n++
	}
	return n
}

func isSpaceRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || '\t' <= r && r <= '\r'
	}
	return unicode.IsSpace(r)
}

func isAlnumRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isAlnum(byte(r))
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// readingMinutes rounds up, so any text takes at least a minute.
func readingMinutes(words int) int {
	return (words + WordsPerMinute - 1) / WordsPerMinute
}

// isCJK reports ideographs and the syllabaries written without spaces.
func isCJK(r rune) bool {
	if r < 0x1100 {
		return false
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}
