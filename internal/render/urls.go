package render

import (
	"bytes"
	"html/template"
	"strings"

	"golang.org/x/net/html"
)

// urlAttrs are the attributes, by tag, that load or link a file.
var urlAttrs = map[string][]string{
	"img": {"src"}, "a": {"href"}, "source": {"src"}, "video": {"src", "poster"}, "audio": {"src"},
}

// RewriteURLs returns the sanitised HTML of a Doc with each file URL
// (img, source, video and audio src, video poster, a href) passed through
// fn, which returns the URL to use instead and true, or false to keep it.
// The archive uses it to point a post's relative and site-absolute
// references at the files it serves. Tags it does not change are copied
// byte for byte; a changed tag is written again by x/net/html, which
// escapes every attribute, so fn's result can never break out of it.
func RewriteURLs(h template.HTML, fn func(ref string) (string, bool)) template.HTML {
	src := string(h)
	if !strings.Contains(src, "src=") && !strings.Contains(src, "href=") && !strings.Contains(src, "poster=") {
		return h
	}
	var out bytes.Buffer
	out.Grow(len(src) + 64)
	z := html.NewTokenizer(strings.NewReader(src))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			out.Write(z.Raw())
			continue
		}
		raw := bytes.Clone(z.Raw()) // Token may reuse the buffer Raw points into
		tok := z.Token()
		names, ok := urlAttrs[tok.Data]
		changed := false
		for i, a := range tok.Attr {
			if !ok || a.Namespace != "" || !contains(names, a.Key) {
				continue
			}
			if u, yes := fn(a.Val); yes {
				tok.Attr[i].Val = u
				changed = true
			}
		}
		if !changed {
			out.Write(raw)
			continue
		}
		out.WriteString(tok.String())
	}
	return template.HTML(out.String()) // #nosec G203 -- sanitised input; changed tags re-escaped by x/net/html
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
