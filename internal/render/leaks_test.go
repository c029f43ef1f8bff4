package render

import (
	"regexp"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// leakPatterns are template and component syntaxes that a reader of the
// original site never saw outside code: if one reaches the page or the
// plain text, the archive shows syntax instead of what it stood for.
var leakPatterns = []struct {
	name string
	re   *regexp.Regexp
}{
	{"hugo shortcode", regexp.MustCompile(`\{\{[<%]`)},
	{"liquid tag", regexp.MustCompile(`\{%-?\s*[a-z_]+`)},
	{"liquid variable", regexp.MustCompile(`\{\{-?\s*(site|page|post|include|layout|jekyll|paginator)\.[A-Za-z_]`)},
	{"mdx import", regexp.MustCompile(`(?m)^\s*import\s+[\w{}*, ]+\s+from\s+['"]`)},
	{"mdx export", regexp.MustCompile(`(?m)^\s*export\s+(const|default|function|let)\s`)},
	{"mdx comment", regexp.MustCompile(`\{/\*`)},
	{"jsx component", regexp.MustCompile(`<[A-Z][A-Za-z0-9.]*(\s+[A-Za-z-]+=|\s*/>)`)},
	{"admonition", regexp.MustCompile(`(?m)^\s*:::\s*[a-z]*\s*$`)},
	{"kramdown attribute", regexp.MustCompile(`\{:\s*[.#a-z]`)},
	{"toc marker", regexp.MustCompile(`\[TOC\]`)},
	{"go template action", regexp.MustCompile(`\{\{(code|play|image|video|raw|html)\s`)},
}

// findLeak returns the first leaked syntax in s that is not also in code
// (pass "" for prose that has no code), or "".
func findLeak(s, code string) (name, at string) {
	for _, p := range leakPatterns {
		for _, loc := range p.re.FindAllStringIndex(s, 20) {
			if m := s[loc[0]:loc[1]]; code != "" && strings.Contains(code, m) {
				continue
			}
			return p.name, clip(s[loc[0]:], 70)
		}
	}
	return "", ""
}

// proseOfHTML splits rendered HTML into what a reader sees outside code
// (text and link targets) and the text inside <pre> and <code>.
func proseOfHTML(h string) (prose, code string) {
	var p, c strings.Builder
	depth := 0
	z := xhtml.NewTokenizer(strings.NewReader(h))
	for tt := z.Next(); tt != xhtml.ErrorToken; tt = z.Next() {
		switch tt {
		case xhtml.StartTagToken, xhtml.EndTagToken, xhtml.SelfClosingTagToken:
			tok := z.Token()
			if tok.Data == "pre" || tok.Data == "code" {
				if tt == xhtml.StartTagToken {
					depth++
				} else if tt == xhtml.EndTagToken && depth > 0 {
					depth--
					c.WriteByte('\n')
				}
			}
			for _, a := range tok.Attr {
				if a.Key == "href" || a.Key == "src" || a.Key == "alt" {
					p.WriteString(a.Val + "\n")
				}
			}
		case xhtml.TextToken:
			if depth > 0 {
				c.Write(z.Text())
			} else {
				p.Write(z.Text())
			}
		}
	}
	return p.String(), c.String()
}

// checkNoLeaks fails when template syntax shows outside code in the HTML
// or in the plain text, summary included. A line of plain text is code
// when the page shows it inside <pre> or <code>.
func checkNoLeaks(tb testing.TB, doc *Doc) {
	tb.Helper()
	prose, code := proseOfHTML(string(doc.HTML))
	if name, at := findLeak(prose, ""); name != "" {
		tb.Errorf("HTML shows %s outside code: %q", name, at)
	}
	if name, at := findLeak(doc.Text, code); name != "" {
		tb.Errorf("Text shows %s outside code: %q", name, at)
	}
	if name, at := findLeak(doc.Summary, code); name != "" {
		tb.Errorf("Summary shows %s: %q", name, at)
	}
}
