package render

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
)

// htmlState carries what raw HTML has opened across the inline nodes of
// one block: goldmark hands over "<script>", "alert(1)" and "</script>" as
// separate nodes, and only the state tells the middle one is not text.
type htmlState struct {
	skip   int // inside elements whose content is never shown as text
	figure int // inside <figure>: captions are text, but not prose
}

// hiddenContent are elements whose content is not part of the page's text.
var hiddenContent = map[string]bool{
	"script": true, "style": true, "template": true, "iframe": true,
	"noscript": true, "object": true, "head": true,
}

// blockElements break the text when they open or close.
var blockElements = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true,
	"center": true, "dd": true, "details": true, "div": true, "dl": true,
	"dt": true, "figcaption": true, "figure": true, "footer": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"header": true, "hr": true, "li": true, "main": true, "nav": true,
	"ol": true, "p": true, "pre": true, "section": true, "summary": true,
	"table": true, "tbody": true, "thead": true, "tfoot": true, "tr": true,
	"ul": true, "caption": true, "video": true, "audio": true, "br": true,
}

// writeHTML strips the tags from a piece of raw HTML and writes its text:
// entities decoded, comments dropped, an image's alt text kept.
func (w *textWriter) writeHTML(raw []byte) {
	z := html.NewTokenizer(bytes.NewReader(raw))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return
		case html.TextToken:
			w.write(z.Text(), w.html.figure == 0)
		case html.StartTagToken:
			w.openTag(z, false)
		case html.SelfClosingTagToken:
			w.openTag(z, true)
		case html.EndTagToken:
			w.closeTag(z)
		}
	}
}

func (w *textWriter) openTag(z *html.Tokenizer, selfClosing bool) {
	name, hasAttr := z.TagName()
	if string(name) == "img" {
		w.writeAlt(z, hasAttr)
	}
	w.open(string(name), selfClosing)
}

func (w *textWriter) closeTag(z *html.Tokenizer) {
	name, _ := z.TagName()
	w.close(string(name))
}

func (w *textWriter) open(tag string, selfClosing bool) {
	switch {
	case hiddenContent[tag] && !selfClosing:
		w.html.skip++
	case tag == "figure" && !selfClosing:
		w.html.figure++
	}
	if blockElements[tag] {
		w.boundary()
	}
}

func (w *textWriter) close(tag string) {
	switch {
	case hiddenContent[tag] && w.html.skip > 0:
		w.html.skip--
	case tag == "figure" && w.html.figure > 0:
		w.html.figure--
	}
	if blockElements[tag] {
		w.boundary()
	}
}

// writeTag handles one inline raw HTML node, which goldmark always makes
// a single tag, comment or declaration. Most are plain tags like <br> or
// </a>, read here without the cost of a tokenizer.
func (w *textWriter) writeTag(raw []byte) {
	name := strings.ToLower(tagName(raw))
	switch {
	case name == "":
		// A comment, declaration or processing instruction: no text.
	case name == "img":
		w.writeHTML(raw)
	case raw[1] == '/':
		w.close(name)
	default:
		w.open(name, bytes.HasSuffix(raw, []byte("/>")))
	}
}

func (w *textWriter) writeAlt(z *html.Tokenizer, hasAttr bool) {
	for hasAttr {
		var key, val []byte
		key, val, hasAttr = z.TagAttr()
		if string(key) == "alt" {
			w.space()
			w.write(val, false)
			w.space()
			return
		}
	}
}
