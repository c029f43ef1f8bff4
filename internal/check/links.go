package check

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/blust/archive/internal/post"
)

// ref is a link or image in a post's body.
type ref struct {
	line   int // 0-based line within the body
	target string
	image  bool
	alt    string
	hasAlt bool // HTML <img> with an alt attribute (Markdown images always have one, maybe empty)
	html   bool
}

var (
	mdLink    = regexp.MustCompile(`(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+["'(][^)]*)?\s*\)`)
	mdRefDef  = regexp.MustCompile(`^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(\s|$)`)
	htmlTag   = regexp.MustCompile(`(?i)<(a|img)\b([^>]*)>`)
	htmlAttr  = regexp.MustCompile(`(?i)\b(href|src|alt)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))`)
	hugoRef   = regexp.MustCompile(`\{\{[<%]\s*(?:rel)?ref\s+"([^"]+)"\s*[>%]\}\}`)
	codeSpan  = regexp.MustCompile("`+[^`]*`+")
	fenceLine = regexp.MustCompile("^\\s{0,3}(```|~~~)")
	comment   = regexp.MustCompile(`(?s)<!--.*?-->`)
)

// refs finds links and images outside code.
func refs(body string) []ref {
	var out []ref
	inFence := false
	for i, line := range strings.Split(body, "\n") {
		if fenceLine.MatchString(line) {
			inFence = !inFence
			continue
		}
		if inFence {
			continue
		}
		line = codeSpan.ReplaceAllString(line, "")
		for _, m := range mdLink.FindAllStringSubmatch(line, -1) {
			out = append(out, ref{line: i, target: m[3], image: m[1] == "!", alt: m[2], hasAlt: true})
		}
		if m := mdRefDef.FindStringSubmatch(line); m != nil {
			out = append(out, ref{line: i, target: m[1]})
		}
		for _, m := range htmlTag.FindAllStringSubmatch(line, -1) {
			out = append(out, htmlRef(i, strings.EqualFold(m[1], "img"), m[2]))
		}
		for _, m := range hugoRef.FindAllStringSubmatch(line, -1) {
			out = append(out, ref{line: i, target: "ref:" + m[1]})
		}
	}
	return out
}

func htmlRef(line int, img bool, attrs string) ref {
	r := ref{line: line, image: img, html: true}
	for _, a := range htmlAttr.FindAllStringSubmatch(attrs, -1) {
		v := a[3] + a[4] + a[5]
		switch strings.ToLower(a[1]) {
		case "href", "src":
			r.target = v
		case "alt":
			r.alt, r.hasAlt = v, true
		}
	}
	return r
}

func (c *checker) ref(p *post.Post, r ref) {
	line := p.BodyLine + r.line
	if r.image {
		if strings.TrimSpace(r.alt) == "" && (!r.html || !r.hasAlt) {
			c.add(Finding{File: p.File, Line: line, Severity: Error, Code: "image-alt",
				Message: fmt.Sprintf("image %s has no alt text", r.target),
				Fix:     "describe the image for readers who cannot see it: ![what it shows](" + r.target + ")"})
		}
		return
	}
	target, kind := c.resolve(p, r.target)
	switch {
	case kind == "":
		return // not a link to a post
	case target == nil:
		c.add(Finding{File: p.File, Line: line, Severity: Error, Code: "broken-link",
			Message: fmt.Sprintf("link to %s: no such post", r.target), Fix: "correct the link or remove it"})
	case target.Draft && !p.Draft:
		c.add(Finding{File: p.File, Line: line, Severity: Error, Code: "link-to-draft",
			Message: fmt.Sprintf("link to %s: that post is a draft and will not be published", r.target),
			Fix:     "publish " + target.File + " first, or remove the link"})
	}
}

// resolve finds the post a link points to. kind is "" when the link does
// not point into the archive's posts (another site, an image, a tag page).
func (c *checker) resolve(p *post.Post, target string) (*post.Post, string) {
	if rest, ok := strings.CutPrefix(target, "ref:"); ok {
		return c.byRef(p, rest), "ref"
	}
	// A link to a post's source file, in any generator's form (Pelican's
	// {filename}, Zola's @/, a relative other.md): the archive's pages
	// point it at that post (web's postLinks), so it must name one.
	if files, _, ok := post.LinkedFiles(p.File, target); ok {
		for _, f := range files {
			if q := c.byFile[f]; q != nil {
				return q, "file"
			}
		}
		if !strings.HasPrefix(strings.Trim(target, "/"), "posts/") {
			return nil, "file"
		}
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" {
		return nil, ""
	}
	clean := strings.Trim(u.Path, "/")
	switch {
	case strings.HasPrefix(clean, "posts/"):
		// /posts/<slug>/<file> is a file beside the post (a Hugo page
		// bundle): the post must exist; the file cannot be checked here.
		slug, _, _ := strings.Cut(strings.TrimPrefix(clean, "posts/"), "/")
		if q := c.bySlug[strings.TrimSuffix(slug, ".md")]; q != nil {
			return q, "slug"
		}
		return c.aliased(clean), "slug"
	case strings.HasPrefix(u.Path, "/") && c.aliases[clean]:
		return c.aliased(clean), "alias"
	}
	return nil, ""
}

func (c *checker) aliased(clean string) *post.Post {
	for _, q := range c.posts {
		for _, a := range q.Aliases {
			if strings.Trim(a, "/") == clean {
				return q
			}
		}
	}
	return nil
}

// byRef resolves Hugo's ref and relref: a file path or a post's name.
func (c *checker) byRef(p *post.Post, name string) *post.Post {
	name = strings.SplitN(name, "#", 2)[0]
	if q := c.byFile[path.Join(path.Dir(p.File), name)]; q != nil {
		return q
	}
	if q := c.byFile[strings.TrimPrefix(name, "/")]; q != nil {
		return q
	}
	base := strings.TrimSuffix(path.Base(name), path.Ext(name))
	for _, q := range c.posts {
		if strings.TrimSuffix(path.Base(q.File), path.Ext(q.File)) == base || q.Slug == base {
			return q
		}
	}
	return nil
}

func stripComments(s string) string { return comment.ReplaceAllString(s, "") }
