package check

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/blust/archive/internal/post"
	"github.com/blust/archive/internal/render"
)

// unrenderedUse is one template construct the renderer could not render,
// counted over the whole folder.
type unrenderedUse struct {
	name  string
	count int
	posts int
	file  string // where it first occurs: the first post by path
	line  int    // line of the file
}

// templates reports, once per construct, each template construct that
// could not be rendered (as renderBudget's render of each post found):
// how often it is used, in how many posts, and where first, so an editor
// knows what the archive's pages lose.
func (c *checker) templates() {
	var order []*unrenderedUse
	byName := map[string]*unrenderedUse{}
	for _, p := range c.posts {
		for _, u := range c.unrendered[p] {
			use, ok := byName[u.Name]
			if !ok {
				use = &unrenderedUse{name: u.Name, file: p.File, line: p.BodyLine + u.Line - 1}
				byName[u.Name] = use
				order = append(order, use)
			}
			if line := p.BodyLine + u.Line - 1; p.File < use.file || p.File == use.file && line < use.line {
				use.file, use.line = p.File, line // posts load in any order; report the first by path
			}
			use.count += u.Count
			use.posts++
		}
	}
	for _, u := range order {
		c.add(Finding{File: u.file, Line: u.line, Severity: Warning, Code: "unrendered",
			Message: fmt.Sprintf("%s is not rendered: %s in %s, first here; the page keeps the text it wraps and loses the rest",
				u.name, plural(u.count, "use"), plural(u.posts, "post")),
			Fix: "replace it with Markdown, or accept that the archive leaves it out"})
	}
}

// renderOptions gives the renderer what a post's templates may refer to:
// the post's own values and its folder.
func (c *checker) renderOptions(p *post.Post) render.Options {
	page := map[string]string{"title": p.Title, "summary": p.Summary, "description": p.Summary, "slug": p.Slug}
	if p.Canonical != "" {
		page["canonical_url"] = p.Canonical
	}
	var dir fs.FS
	if sub, err := fs.Sub(c.fsys, path.Dir(p.File)); err == nil {
		dir = sub
	}
	return render.Options{Page: page, Site: c.opts.Site, Dir: dir, Link: c.postLink}
}

// postLink resolves a Hugo ref or Jekyll post_url to the post's URL when a
// post of the folder has that file, slug or file-name stem.
func (c *checker) postLink(ref string) string {
	ref = strings.Trim(ref, "/ ")
	if p, ok := c.byFile[ref]; ok {
		return "/posts/" + p.Slug
	}
	if p, ok := c.bySlug[post.Slugify(path.Base(strings.TrimSuffix(ref, path.Ext(ref))))]; ok {
		return "/posts/" + p.Slug
	}
	return ""
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
