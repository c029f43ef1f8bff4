package web

import (
	"fmt"
	"html/template"
	"regexp"
	"strings"

	"github.com/blust/archive/internal/site"
)

// withSiteDefaults fills what an identity leaves empty with the defaults,
// which name no site and no topic.
func withSiteDefaults(s site.Site) site.Site {
	def := site.Default()
	if strings.TrimSpace(s.Title) == "" {
		s.Title = def.Title
	}
	if strings.TrimSpace(s.Language) == "" {
		s.Language = def.Language
	}
	return s
}

// homeDescription is the home page's meta description: the site's own,
// else a sentence that says only what the archive is.
func (s *Server) homeDescription(total uint64) string {
	if d := s.deps.Site.Description; d != "" {
		return d
	}
	if total == 1 {
		return "A searchable archive of the one post of " + s.deps.Site.Title + "."
	}
	return fmt.Sprintf("A searchable archive of the %d posts of %s.", total, s.deps.Site.Title)
}

// mdLink is a Markdown inline link, the one piece of markup a footer or
// licence line in site.yaml may use.
var mdLink = regexp.MustCompile(`\[([^\[\]\n]{1,200})\]\(([^()\s]+)\)`)

// linkify escapes a line of site.yaml text and turns its [text](url)
// links into anchors; a link to anything but http(s) or a path of the
// archive stays text.
func linkify(s string) template.HTML {
	var b strings.Builder
	last := 0
	for _, m := range mdLink.FindAllStringSubmatchIndex(s, -1) {
		text, u := s[m[2]:m[3]], s[m[4]:m[5]]
		if !site.SafeLink(u) {
			continue
		}
		b.WriteString(template.HTMLEscapeString(s[last:m[0]]))
		fmt.Fprintf(&b, `<a href="%s">%s</a>`, template.HTMLEscapeString(u), template.HTMLEscapeString(text))
		last = m[1]
	}
	b.WriteString(template.HTMLEscapeString(s[last:]))
	return template.HTML(b.String()) // #nosec G203 -- every piece is escaped above
}
