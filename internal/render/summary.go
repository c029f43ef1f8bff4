package render

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
)

// SummaryMaxBytes bounds Doc.Summary, the ellipsis included.
const SummaryMaxBytes = 300

const ellipsis = "…"

// summaryCandidate reports whether a paragraph can stand for the post: it
// must be body prose (not in a list, table or footnote) and not display
// math. Headings, code, images-only paragraphs and shortcode output are
// ruled out before this, by node kind and by textWriter.prose.
func summaryCandidate(n *ast.Paragraph, text string) bool {
	if text == "" || strings.HasPrefix(text, "$$") {
		return false
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		switch p.Kind() {
		case ast.KindDocument, ast.KindBlockquote:
		default:
			return false
		}
	}
	return true
}

// summarize cuts s to SummaryMaxBytes at a word boundary, marking the cut
// with an ellipsis.
func summarize(s string) string {
	if len(s) <= SummaryMaxBytes {
		return s
	}
	cut := wordCut(s, SummaryMaxBytes-len(ellipsis))
	head := strings.TrimRightFunc(s[:cut], func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:-–—(", r)
	})
	return head + ellipsis
}

// wordCut returns the largest index <= limit that ends a word: before a
// space, or between two characters of which one is CJK (each of those is a
// word of its own). A single word longer than limit is cut at a rune
// boundary.
func wordCut(s string, limit int) int {
	fallback := 0
	for i := limit; i > 0; i-- {
		if !utf8.RuneStart(s[i]) {
			continue
		}
		if fallback == 0 {
			fallback = i
		}
		if s[i] == ' ' || isCJKBoundary(s, i) {
			return i
		}
	}
	return fallback
}

func isCJKBoundary(s string, i int) bool {
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	after, _ := utf8.DecodeRuneInString(s[i:])
	return isCJK(before) || isCJK(after)
}
