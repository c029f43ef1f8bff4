package render

import (
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
)

// newPolicy is bluemonday's policy for user-generated content, opened just
// enough for what goldmark and this package emit: chroma's classes, heading
// and footnote ids (already allowed by UGC), footnote roles, figures,
// callouts, task-list checkboxes and table cell alignment. Scripts, event
// handlers, style attributes, iframes and non-http(s) URLs stay out.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^[a-zA-Z0-9 _-]+$`)).
		OnElements("code", "pre", "span", "div", "a", "aside", "details", "figure", "p", "sup")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^doc-(noteref|backlink|endnotes)$`)).
		OnElements("a", "div")
	// Only checkboxes: any other input loses its type, then all its
	// attributes, and bluemonday drops an input without attributes.
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked").Matching(regexp.MustCompile(`^(|checked)$`)).OnElements("input")
	// UGC only accepts alt text made of letters and a little punctuation,
	// and drops the rest ("a + b = c", "What?"). Any alt is safe: the
	// sanitiser escapes attribute values.
	p.AllowAttrs("alt").OnElements("img")
	return p
}

// newTagFinisher adds attributes the policy cannot require: lazy images,
// disabled checkboxes, and noopener next to bluemonday's nofollow. It runs
// on bluemonday's output, where "<" only ever starts a real tag and
// attribute values are quoted and escaped, so plain replacement is safe.
func newTagFinisher() *strings.Replacer {
	return strings.NewReplacer(
		"<img ", `<img loading="lazy" `,
		"<input ", `<input disabled="" `,
		`rel="nofollow"`, `rel="nofollow noopener"`,
	)
}

// sanitize makes goldmark's output safe to serve.
func (r *Renderer) sanitize(h []byte) string {
	clean := r.policy.SanitizeBytes(rewriteEmbeds(h))
	return r.finish.Replace(string(clean))
}
