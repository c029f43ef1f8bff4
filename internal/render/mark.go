package render

import (
	"bytes"
	"html/template"
	"strings"

	"golang.org/x/net/html"
)

// FirstMarkID is the id of the first <mark> that Mark adds, so a link can
// scroll to it (/posts/x?highlight=y#first-match).
const FirstMarkID = "first-match"

// Mark wraps the words of sanitised HTML that spans reports in
// <mark class="hl">, and returns the new HTML and the number of marks. spans
// gets the text of one text node (entities decoded) and returns byte ranges
// into it. Markup is copied as it is; text is escaped again, so Mark cannot
// make the HTML less safe than it was. Text inside elements that are not
// shown (script, style, template) is left alone.
func Mark(h template.HTML, spans func(text string) [][2]int) (template.HTML, int) {
	z := html.NewTokenizer(strings.NewReader(string(h)))
	var out bytes.Buffer
	out.Grow(len(h) + len(h)/8)
	hidden, marks := 0, 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return template.HTML(out.String()), marks // #nosec G203 -- markup copied from sanitised input, text escaped
		case html.StartTagToken, html.EndTagToken:
			if name, _ := z.TagName(); hiddenContent[string(name)] {
				if tt == html.StartTagToken {
					hidden++
				} else if hidden > 0 {
					hidden--
				}
			}
			out.Write(z.Raw())
		case html.TextToken:
			if hidden > 0 {
				out.Write(z.Raw())
				continue
			}
			marks = markText(&out, string(z.Text()), spans, marks)
		default:
			out.Write(z.Raw())
		}
	}
}

func markText(out *bytes.Buffer, text string, spans func(string) [][2]int, marks int) int {
	at := 0
	for _, sp := range spans(text) {
		if sp[0] < at || sp[1] > len(text) || sp[0] >= sp[1] {
			continue
		}
		out.WriteString(html.EscapeString(text[at:sp[0]]))
		if marks == 0 {
			out.WriteString(`<mark class="hl" id="` + FirstMarkID + `">`)
		} else {
			out.WriteString(`<mark class="hl">`)
		}
		out.WriteString(html.EscapeString(text[sp[0]:sp[1]]))
		out.WriteString("</mark>")
		at = sp[1]
		marks++
	}
	out.WriteString(html.EscapeString(text[at:]))
	return marks
}
