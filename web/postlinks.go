package web

import (
	"context"
	"errors"
	"html/template"
	"net/url"
	"strings"

	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/post"
	"github.com/blust/archive/internal/render"
)

// Posts link to each other by their source files in most generators:
// Pelican writes [x]({filename}/blog/other.md) or the older |filename|,
// Zola [x](@/blog/other.md), and Docusaurus, Gatsby and GitHub-style
// Markdown a relative [x](./2021-01-01-other.md). The generator turns
// each into the other post's address; the archive does the same, from
// the file the index read each post from, so such a link opens the post
// whatever its slug or date prefix.

// maxPostLinks bounds the lookups one article makes: a post with more
// links to source files keeps the rest as written (a click on one still
// reaches the post when its file name is its slug, see slugOfPermalink).
const maxPostLinks = 64

// postLinks points a post's links to other posts' source files at those
// posts' pages; postFile is the post's own file, which relative links are
// read against. Links that name no indexed post are left as written.
func (s *Server) postLinks(ctx context.Context, postFile string, h template.HTML) template.HTML {
	if !strings.Contains(string(h), ".md") && !strings.Contains(string(h), ".markdown") {
		return h // .mdx contains .md
	}
	looked := map[string]string{} // candidate file → slug, "" when none
	return render.RewriteURLs(h, func(ref string) (string, bool) {
		files, frag, ok := post.LinkedFiles(postFile, ref)
		if !ok {
			return "", false
		}
		for _, f := range files {
			slug, seen := looked[f]
			if !seen {
				if len(looked) >= maxPostLinks {
					return "", false
				}
				var err error
				slug, err = s.deps.Index.LookupFile(ctx, f)
				if err != nil {
					if !errors.Is(err, index.ErrNotFound) {
						s.log.Warn("post link lookup", "file", postFile, "link", ref, "err", err)
					}
					slug = ""
				}
				looked[f] = slug
			}
			if slug != "" {
				return postURL(url.PathEscape(slug)) + frag, true
			}
		}
		return "", false
	})
}
