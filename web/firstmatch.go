package web

import (
	"strings"
	"unicode/utf8"

	"github.com/blust/archive/internal/render"
)

// A result links to its article at #first-match, the first highlighted
// word. Where the browser puts that word is the stylesheet's choice
// (scroll-margin-top): a third of the way down the screen, or, when the
// word is already on the first screen, nowhere at all, so the title and
// the highlight note stay in view. The server cannot measure the page, so
// it estimates how far down the body the first mark is, in lines of a
// phone screen (the narrowest, so the estimate errs towards "far").

const (
	// phoneLineRunes is about how many characters fit on a line of body
	// text on a 390 px phone.
	phoneLineRunes = 40
	// firstScreenLines is how many such lines of the body are visible
	// under the site header, the title, the meta line, the tags, the
	// highlight note and the folded contents on a phone.
	firstScreenLines = 10
	// mediaLines is what a picture, video, frame or table costs: usually
	// more than a screen's worth of lines left.
	mediaLines = firstScreenLines
)

// MatchNearTop says the first highlighted word is on the first screen of
// the article, so the jump to it should leave the page where it is.
func (a articlePage) MatchNearTop() bool {
	if a.Marks == 0 {
		return false
	}
	body := string(a.Body)
	i := strings.Index(body, `id="`+render.FirstMarkID+`"`)
	if i < 0 {
		return false
	}
	return linesBefore(body[:i], firstScreenLines+1) <= firstScreenLines
}

// linesBefore estimates how many phone lines the HTML h takes, counting
// text by its characters, blocks by a line of margin each, headings by
// two, preformatted text by its line breaks, and media by mediaLines. It
// stops counting once it passes limit, so its cost is bounded by the
// prefix it reads, which ends at the first mark.
func linesBefore(h string, limit int) int {
	lines, runes := 0, 0
	flush := func() {
		lines += (runes + phoneLineRunes - 1) / phoneLineRunes
		runes = 0
	}
	inPre := false
	for h != "" && lines <= limit {
		if h[0] != '<' {
			end := strings.IndexByte(h, '<')
			if end < 0 {
				end = len(h)
			}
			text := h[:end]
			if inPre {
				lines += strings.Count(text, "\n")
			} else {
				runes += utf8.RuneCountInString(strings.TrimSpace(text))
			}
			h = h[end:]
			continue
		}
		end := strings.IndexByte(h, '>')
		if end < 0 {
			break
		}
		tag := tagName(h[1:end])
		h = h[end+1:]
		switch tag {
		case "p", "/p", "li", "/li", "blockquote", "/blockquote", "dt", "dd", "br", "tr", "hr", "div", "/div":
			flush()
			lines++
		case "h1", "h2", "h3", "h4", "h5", "h6":
			flush()
			lines += 2
		case "pre":
			flush()
			lines += 2
			inPre = true
		case "/pre":
			inPre = false
		case "img", "video", "iframe", "table", "figure", "svg", "audio", "object":
			flush()
			lines += mediaLines
		}
	}
	flush()
	return lines
}

// tagName is the lower-case name of a tag's inside ("p class=x" is "p",
// "/P" is "/p").
func tagName(inside string) string {
	n := strings.IndexAny(inside, " \t\n\r/>")
	if n == 0 && strings.HasPrefix(inside, "/") {
		m := strings.IndexAny(inside[1:], " \t\n\r>")
		if m < 0 {
			m = len(inside) - 1
		}
		return strings.ToLower(inside[:m+1])
	}
	if n < 0 {
		n = len(inside)
	}
	return strings.ToLower(inside[:n])
}
