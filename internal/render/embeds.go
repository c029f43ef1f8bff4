package render

import (
	"bytes"
	"html"
	"net/url"
	"strings"

	xhtml "golang.org/x/net/html"
)

// embedHTML turns a video shortcode ({{< youtube ID >}}, @[youtube](ID),
// and the Vimeo forms) into the iframe the site generator would have
// written. Every embed then takes the same road: Text ignores iframes, and
// Render replaces them with a plain link, since iframes never pass the
// sanitiser. An id that is not a plain token yields nothing.
func embedHTML(kind, id string) string {
	if !isVideoID(id) {
		return ""
	}
	src := "https://www.youtube.com/embed/" + id
	if kind == "vimeo" {
		src = "https://player.vimeo.com/video/" + id
	}
	return `<iframe src="` + src + `"></iframe>`
}

func isVideoID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// rewriteEmbeds replaces each iframe in goldmark's output with a link to
// what it embedded, so the reader can still reach the video or demo. All
// other bytes are copied as they are.
func rewriteEmbeds(h []byte) []byte {
	if !bytes.Contains(h, []byte("<iframe")) {
		return h
	}
	var out bytes.Buffer
	out.Grow(len(h))
	z := xhtml.NewTokenizer(bytes.NewReader(h))
	inside := false // the iframe's fallback content goes with it
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			return out.Bytes()
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken, xhtml.EndTagToken:
			if name, hasAttr := z.TagName(); string(name) == "iframe" {
				if tt != xhtml.EndTagToken {
					out.WriteString(embedLink(iframeSrc(z, hasAttr)))
				}
				inside = tt == xhtml.StartTagToken
				continue
			}
		}
		if !inside {
			out.Write(z.Raw())
		}
	}
}

// iframeSrc reads the src attribute; the tokenizer has already unescaped it.
func iframeSrc(z *xhtml.Tokenizer, hasAttr bool) string {
	for hasAttr {
		var key, val []byte
		key, val, hasAttr = z.TagAttr()
		if string(key) == "src" {
			return string(val)
		}
	}
	return ""
}

// embedLink is the link that stands in for an iframe, or "" when src is
// not a web address worth linking to.
func embedLink(src string) string {
	href, label := embedTarget(strings.TrimSpace(src))
	if href == "" {
		return ""
	}
	return `<a class="embed" href="` + html.EscapeString(href) + `">` + html.EscapeString(label) + `</a>`
}

func embedTarget(src string) (href, label string) {
	u, err := url.Parse(src)
	if err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") || u.Opaque != "" {
		return "", ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	id := strings.Trim(u.Path[strings.LastIndex(u.Path, "/")+1:], " ")
	switch {
	case (host == "youtube.com" || host == "youtube-nocookie.com") && strings.HasPrefix(u.Path, "/embed/") && isVideoID(id):
		return "https://www.youtube.com/watch?v=" + id, "Watch on YouTube"
	case host == "player.vimeo.com" && strings.HasPrefix(u.Path, "/video/") && isVideoID(id):
		return "https://vimeo.com/" + id, "Watch on Vimeo"
	case host != "":
		return src, "Open the embedded content on " + host
	case u.Path != "":
		return src, "Open the embedded content"
	}
	return "", ""
}
