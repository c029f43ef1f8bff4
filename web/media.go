package web

import (
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/internal/media"
	"github.com/blust/archive/internal/render"
)

// svgPolicy keeps an SVG image from running script or loading anything
// when it is opened by itself: the browser treats it as a sandboxed,
// unique-origin document.
const svgPolicy = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"

// mediaFile serves a file beside the posts (see internal/media): only
// allowed types, only from inside the content folder or the site's static
// folders, with its own type, never sniffed, and cached for a day (it has
// no fingerprint in its name, so revalidation uses its ETag).
func (s *Server) mediaFile(c *gin.Context) {
	name := strings.TrimPrefix(c.Param("path"), "/")
	f, st, err := s.deps.Media.Open(c.Param("root"), name)
	if err != nil {
		s.fail(c, notFoundErr("no such file"))
		return
	}
	defer f.Close()
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		s.fail(c, notFoundErr("no such file"))
		return
	}
	ct, _ := media.ContentType(name)
	h := c.Writer.Header()
	h.Set("Content-Type", ct)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("ETag", fmt.Sprintf(`"%x-%x"`, st.Size(), st.ModTime().UnixNano()))
	if ct == "image/svg+xml" {
		h.Set("Content-Security-Policy", svgPolicy)
		// The compressor would gzip a byte range as if it were the whole file.
		c.Request.Header.Del("Range")
	}
	http.ServeContent(c.Writer, c.Request, "", st.ModTime(), rs)
}

// mediaURLs points a post's references to files beside it (relative or
// site-absolute) at the URLs the archive serves them from; references to
// files that do not exist are left as written (check reports them).
func (s *Server) mediaURLs(postFile string, h template.HTML) template.HTML {
	return render.RewriteURLs(h, func(ref string) (string, bool) {
		u, _ := s.deps.Media.Resolve(postFile, ref)
		return u, u != ""
	})
}

// absoluteURLs makes the archive's own root-relative references in a
// post's HTML (its files under /media/, links to /posts/…) absolute, for
// feeds: a feed reader shows the entry away from the archive, and many
// do not resolve a relative URL against the feed.
func absoluteURLs(h template.HTML, base string) template.HTML {
	return render.RewriteURLs(h, func(ref string) (string, bool) {
		if strings.HasPrefix(ref, "/") && !strings.HasPrefix(ref, "//") && !strings.HasPrefix(ref, `/\`) {
			return base + ref, true
		}
		return "", false
	})
}
