package render

// htmlElements are the tag names a post may use as real markup: HTML
// elements, current and obsolete, since old posts use <center> and <font>.
// Anything else written like a tag, such as <CID> or <PeerID>, is prose.
var htmlElements = map[string]bool{
	"a": true, "abbr": true, "acronym": true, "address": true, "applet": true,
	"area": true, "article": true, "aside": true, "audio": true, "b": true,
	"base": true, "basefont": true, "bdi": true, "bdo": true, "bgsound": true,
	"big": true, "blink": true, "blockquote": true, "body": true, "br": true,
	"button": true, "canvas": true, "caption": true, "center": true, "cite": true,
	"code": true, "col": true, "colgroup": true, "data": true, "datalist": true,
	"dd": true, "del": true, "details": true, "dfn": true, "dialog": true,
	"dir": true, "div": true, "dl": true, "dt": true, "em": true, "embed": true,
	"fieldset": true, "figcaption": true, "figure": true, "font": true,
	"footer": true, "form": true, "frame": true, "frameset": true, "h1": true,
	"h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "head": true,
	"header": true, "hgroup": true, "hr": true, "html": true, "i": true,
	"iframe": true, "image": true, "img": true, "input": true, "ins": true,
	"isindex": true, "kbd": true, "keygen": true, "label": true, "legend": true,
	"li": true, "link": true, "listing": true, "main": true, "map": true,
	"mark": true, "marquee": true, "menu": true, "menuitem": true, "meta": true,
	"meter": true, "multicol": true, "nav": true, "nobr": true, "noembed": true,
	"noframes": true, "noscript": true, "object": true, "ol": true,
	"optgroup": true, "option": true, "output": true, "p": true, "param": true,
	"picture": true, "plaintext": true, "pre": true, "progress": true, "q": true,
	"rb": true, "rp": true, "rt": true, "rtc": true, "ruby": true, "s": true,
	"samp": true, "script": true, "search": true, "section": true,
	"select": true, "slot": true, "small": true, "source": true, "spacer": true,
	"span": true, "strike": true, "strong": true, "style": true, "sub": true,
	"summary": true, "sup": true, "table": true, "tbody": true, "td": true,
	"template": true, "textarea": true, "tfoot": true, "th": true,
	"thead": true, "time": true, "title": true, "tr": true, "track": true,
	"tt": true, "u": true, "ul": true, "var": true, "video": true, "wbr": true,
	"xmp": true,
	// Only the roots of SVG and MathML: their child names (path, text, g)
	// are far more often placeholders in prose than inline markup.
	"svg": true, "math": true,
}

// isElementName reports whether name, as written in the post, is meant as
// markup. Case matters on purpose: authors write real tags in lower case
// (or, in very old HTML, all capitals), while placeholders and generic types
// are capitalised: <S> and <T> are type parameters, not <s> strikethrough.
func isElementName(name string) bool {
	if !htmlElements[lowerASCII(name)] {
		return false
	}
	switch {
	case isLowerASCII(name):
		return true
	case isUpperASCII(name):
		return len(name) > 1
	default:
		return false
	}
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

func isLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return false
		}
	}
	return true
}

func isUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'a' <= s[i] && s[i] <= 'z' {
			return false
		}
	}
	return true
}
