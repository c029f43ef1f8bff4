package post

import (
	"fmt"
	"strings"
	"unicode"
)

// maxSlugLen keeps URLs and index ids readable.
const maxSlugLen = 80

// Slugify turns a title or file name into a slug: lowercase ASCII letters
// and digits separated by single hyphens. Latin letters with diacritics are
// transliterated (é→e, ü→u, ß→ss), apostrophes vanish ("What's" → "whats"),
// other letters are dropped. If that drops every letter and digit (a title
// in Chinese, say), the slug spells the code points in hex instead, so it is
// never empty for input containing a letter or digit. The result is at most
// 80 bytes, cut at a hyphen.
func Slugify(s string) string {
	slug := slugWords(s)
	if slug == "" {
		slug = hexSlug(s)
	}
	return truncateSlug(slug, maxSlugLen)
}

// TitleKey is the form in which a title is matched against the last
// segment of an old address built from it (Hugo's :title, WordPress's
// %postname%, Ghost's slugs): its letters and digits alone, lowercased
// and transliterated as slugs are, so "Scaling blockchains: a survey" and
// scaling-blockchains-a-survey meet. "" when it has none.
func TitleKey(s string) string {
	return strings.ReplaceAll(slugWords(s), "-", "")
}

// ValidSlug reports whether s is a well-formed slug: non-empty, at most 80
// bytes, lowercase ASCII letters and digits separated by single hyphens.
func ValidSlug(s string) bool {
	if s == "" || len(s) > maxSlugLen || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isSlugChar(c):
		case c == '-' && s[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

func isSlugChar(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
}

// slugWords keeps ASCII letters and digits (after transliteration) and turns
// every run of anything else into one hyphen.
func slugWords(s string) string {
	var b strings.Builder
	pendingHyphen := false
	for _, r := range s {
		if isApostrophe(r) {
			continue
		}
		word := transliterate(unicode.ToLower(r))
		if word == "" {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) {
				pendingHyphen = true
			}
			continue
		}
		if pendingHyphen && b.Len() > 0 {
			b.WriteByte('-')
		}
		pendingHyphen = false
		b.WriteString(word)
		if b.Len() > maxSlugLen {
			break // enough to cut at a hyphen; a huge title must not cost more
		}
	}
	return b.String()
}

func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == 'ʼ'
}

// hexSlug is the fallback for text with no transliterable letters, e.g.
// "日本" → "u65e5-u672c"; it is stable and distinct for distinct input.
func hexSlug(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() > maxSlugLen {
			break
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if b.Len() > 0 {
				b.WriteByte('-')
			}
			fmt.Fprintf(&b, "u%x", r)
		}
	}
	return b.String()
}

// truncateSlug cuts at the last hyphen that fits so no word is split; a
// single word longer than max is cut hard.
func truncateSlug(slug string, max int) string {
	if len(slug) <= max {
		return slug
	}
	if slug[max] == '-' {
		return slug[:max]
	}
	if i := strings.LastIndexByte(slug[:max], '-'); i > 0 {
		return slug[:i]
	}
	return slug[:max]
}

// transliterate maps a lowercase rune to its ASCII spelling, or "" if it has
// none. The table covers the Latin letters met in names and titles.
func transliterate(r rune) string {
	if r < 0x80 {
		if isSlugChar(byte(r)) {
			return string(r)
		}
		return ""
	}
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'ā', 'ă', 'ą', 'ǎ':
		return "a"
	case 'æ':
		return "ae"
	case 'ç', 'ć', 'ĉ', 'ċ', 'č':
		return "c"
	case 'ď', 'đ', 'ð':
		return "d"
	case 'è', 'é', 'ê', 'ë', 'ē', 'ĕ', 'ė', 'ę', 'ě':
		return "e"
	case 'ĝ', 'ğ', 'ġ', 'ģ':
		return "g"
	case 'ĥ', 'ħ':
		return "h"
	case 'ì', 'í', 'î', 'ï', 'ĩ', 'ī', 'ĭ', 'į', 'ı', 'ǐ':
		return "i"
	case 'ĵ':
		return "j"
	case 'ķ':
		return "k"
	case 'ĺ', 'ļ', 'ľ', 'ŀ', 'ł':
		return "l"
	case 'ñ', 'ń', 'ņ', 'ň':
		return "n"
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø', 'ō', 'ŏ', 'ő', 'ǒ':
		return "o"
	case 'œ':
		return "oe"
	case 'ŕ', 'ŗ', 'ř':
		return "r"
	case 'ś', 'ŝ', 'ş', 'š', 'ș':
		return "s"
	case 'ß':
		return "ss"
	case 'ţ', 'ť', 'ŧ', 'ț':
		return "t"
	case 'þ':
		return "th"
	case 'ù', 'ú', 'û', 'ü', 'ũ', 'ū', 'ŭ', 'ů', 'ű', 'ų', 'ǔ':
		return "u"
	case 'ŵ':
		return "w"
	case 'ý', 'ÿ', 'ŷ':
		return "y"
	case 'ź', 'ż', 'ž':
		return "z"
	}
	return ""
}
