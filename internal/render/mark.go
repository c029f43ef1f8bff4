package render

import (
	"bytes"
	"html/template"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// FirstMarkID is the id of the first <mark> that Mark adds, so a link can
// scroll to it (/posts/x?highlight=y#first-match).
const FirstMarkID = "first-match"

// inlineElements do not break the text: a match may run through them
// ("content <em>addressing</em>"), as it runs through the text the index
// holds, where inline markup leaves no trace. Any other tag ends a run.
var inlineElements = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "cite": true,
	"code": true, "data": true, "del": true, "dfn": true, "em": true, "i": true,
	"ins": true, "kbd": true, "mark": true, "q": true, "s": true, "samp": true,
	"small": true, "span": true, "strong": true, "sub": true, "sup": true,
	"time": true, "u": true, "var": true, "wbr": true,
}

// Mark wraps the matches that spans reports in sanitised HTML in
// <mark class="hl">, and returns the new HTML and the number of matches.
// spans gets the text of one run of text nodes (entities decoded): the
// text of a block, through inline elements, as the index reads it. It
// returns byte ranges into it, in order. A match that crosses an inline
// element's edge is marked in pieces, one per text node, since a mark
// cannot straddle a tag; the first piece of the first match has the id
// FirstMarkID. Markup is copied as it is; text is escaped again, so Mark
// cannot make the HTML less safe than it was. Text inside elements that
// are not shown (script, style, template) is left alone.
func Mark(h template.HTML, spans func(text string) [][2]int) (template.HTML, int) {
	z := html.NewTokenizer(strings.NewReader(string(h)))
	m := marker{spans: spans}
	m.out.Grow(len(h) + len(h)/8)
	hidden := 0
	noteRef := false // inside a footnote reference's link
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			m.flush()
			return template.HTML(m.out.String()), m.marks // #nosec G203 -- markup copied from sanitised input, text escaped
		case html.StartTagToken, html.EndTagToken:
			name, hasAttr := z.TagName()
			if noteRef || tt == html.StartTagToken && string(name) == "a" && hasAttr && footnoteRef(z) {
				// A footnote's number is a marker, not text, to the index
				// (extractor.inline): it ends the run and is not read.
				m.flush()
				m.out.Write(z.Raw())
				noteRef = !(tt == html.EndTagToken && string(name) == "a")
				continue
			}
			if hiddenContent[string(name)] {
				if tt == html.StartTagToken {
					hidden++
				} else if hidden > 0 {
					hidden--
				}
			}
			if hidden == 0 && inlineElements[string(name)] {
				m.keepTag(z.Raw())
				m.linkEnd = tt == html.EndTagToken && string(name) == "a"
				continue
			}
			m.flush()
			m.out.Write(z.Raw())
		case html.TextToken:
			if hidden > 0 || noteRef {
				m.out.Write(z.Raw()) // the run ended at the hidden element's tag
				continue
			}
			m.keepText(string(z.Text()))
		default:
			m.flush()
			m.out.Write(z.Raw())
		}
	}
}

// footnoteRef reports whether the tag whose attributes z is reading is
// a footnote reference's link, as goldmark writes it.
func footnoteRef(z *html.Tokenizer) bool {
	for {
		key, val, more := z.TagAttr()
		if string(key) == "class" && strings.Contains(" "+string(val)+" ", " footnote-ref ") {
			return true
		}
		if !more {
			return false
		}
	}
}

// marker collects a run of text nodes and the inline tags between them,
// and writes it marked once the run ends.
type marker struct {
	spans func(string) [][2]int
	out   bytes.Buffer
	run   strings.Builder // the run's text
	parts []runPart
	marks int
	// linkEnd says the last part was a link's end tag: a word glued to
	// it is a word of its own, as the index reads it (extractor.linkEnd).
	linkEnd bool
}

// runPart is a tag of the run (raw) or a text node (run[start:end]).
type runPart struct {
	raw        []byte
	start, end int
}

func (m *marker) keepTag(raw []byte) {
	m.parts = append(m.parts, runPart{raw: bytes.Clone(raw), start: -1})
}

func (m *marker) keepText(text string) {
	if r, _ := utf8.DecodeRuneInString(text); m.linkEnd && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
		m.run.WriteByte(' ') // in the run's text only: the page shows the text as written
	}
	m.linkEnd = false
	start := m.run.Len()
	m.run.WriteString(text)
	m.parts = append(m.parts, runPart{start: start, end: m.run.Len()})
}

// flush writes the run: its tags as they were, its text escaped, with the
// matches in it marked.
func (m *marker) flush() {
	if len(m.parts) == 0 {
		return
	}
	w := runWrite{text: m.run.String(), counted: -1}
	if strings.TrimSpace(w.text) != "" {
		w.spans = valid(m.spans(w.text), len(w.text))
	}
	for _, p := range m.parts {
		if p.start < 0 {
			m.out.Write(p.raw)
			continue
		}
		m.writeText(&w, p.start, p.end)
	}
	m.run.Reset()
	m.parts = m.parts[:0]
	m.linkEnd = false
}

// runWrite is how far writing a run's text has got.
type runWrite struct {
	text    string
	spans   [][2]int
	next    int // the first span not yet wholly written
	counted int // the last span counted as a match: one with a piece shown
}

// writeText writes w.text[start:end], escaped, with the parts of the
// spans that fall in it marked.
func (m *marker) writeText(w *runWrite, start, end int) {
	at := start
	for ; w.next < len(w.spans) && w.spans[w.next][0] < end; w.next++ {
		sp := w.spans[w.next]
		if from, to := max(sp[0], at), min(sp[1], end); from < to {
			m.out.WriteString(html.EscapeString(w.text[at:from]))
			if m.marks == 0 {
				m.out.WriteString(`<mark class="hl" id="` + FirstMarkID + `">`)
			} else {
				m.out.WriteString(`<mark class="hl">`)
			}
			m.out.WriteString(html.EscapeString(w.text[from:to]))
			m.out.WriteString("</mark>")
			at = to
			if w.counted < w.next {
				w.counted = w.next
				m.marks++
			}
		}
		if sp[1] > end {
			break // the span goes on in the next text node
		}
	}
	m.out.WriteString(html.EscapeString(w.text[at:end]))
}

// valid keeps the spans that are non-empty, inside the text, in order and
// apart; a matcher that reports others is not trusted with them.
func valid(spans [][2]int, n int) [][2]int {
	out := spans[:0:0]
	at := 0
	for _, sp := range spans {
		if sp[0] < at || sp[1] > n || sp[0] >= sp[1] {
			continue
		}
		out = append(out, sp)
		at = sp[1]
	}
	return out
}
