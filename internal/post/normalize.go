package post

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

func splitAuthors(s string) []string {
	s = strings.ReplaceAll(s, " and ", "&")
	return splitTrimmed(s, "&")
}

// stripLinks replaces Markdown links by their text: "[Ada](https://x), Bo"
// becomes "Ada, Bo".
func stripLinks(s string) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(s, '[')
		mid := strings.Index(s[max(open, 0):], "](")
		if open < 0 || mid < 0 {
			break
		}
		mid += open
		end := strings.IndexByte(s[mid:], ')')
		if end < 0 {
			break
		}
		b.WriteString(s[:open])
		b.WriteString(s[open+1 : mid])
		s = s[mid+end+1:]
	}
	b.WriteString(s)
	return b.String()
}

// displayName turns a slug-looking value into a name: "evan-miyazono" →
// "Evan Miyazono". Anything with a space, capital or other mark is already
// a name and is kept as written.
func displayName(s string) string {
	if !looksLikeSlug(s) {
		return strings.Join(strings.Fields(s), " ")
	}
	words := splitTrimmed(s, "-")
	for i, w := range words {
		r, size := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[size:]
	}
	return strings.Join(words, " ")
}

func looksLikeSlug(s string) bool {
	letter := false
	for _, r := range s {
		switch {
		case 'a' <= r && r <= 'z':
			letter = true
		case '0' <= r && r <= '9', r == '-':
		default:
			return false
		}
	}
	return letter
}

// NormalizeTag is the form a tag is stored, searched and linked in: lower
// case, single spaces, so "IPFS  Camp" and "ipfs camp" are one facet.
func NormalizeTag(t string) string {
	return strings.Join(strings.Fields(strings.ToLower(t)), " ")
}

// normalizeTags normalizes each tag of the lists (NormalizeTag) and drops
// empty ones and repeats.
func normalizeTags(lists ...list) []string {
	var tags []string
	for _, l := range lists {
		for _, t := range l {
			tags = append(tags, NormalizeTag(t))
		}
	}
	return unique(tags)
}

// unique drops empty strings and repeats, keeping first occurrences in
// order; it returns nil rather than an empty slice.
func unique(items []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range items {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// firstNonEmpty returns the first non-empty value, for fields with several
// spellings.
func firstNonEmpty(values ...text) string {
	for _, v := range values {
		if v != "" {
			return string(v)
		}
	}
	return ""
}
