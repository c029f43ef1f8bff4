package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"unicode"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/post"
	"github.com/blust/archive/internal/render"
)

// homeTags is how many tags the home page lists; /tags lists them all.
const homeTags = 30

type homePage struct {
	Description string // the site's, from site.yaml
	Latest      []index.Hit
	Total       uint64
	Tags        []index.FacetCount
	Years       []index.FacetCount // newest first
}

func (homePage) PageTitle() string { return "" }

func (h homePage) pageHead() head {
	return head{Canonical: "/", Description: h.Description}
}

func (s *Server) home(c *gin.Context) {
	res, err := s.deps.Index.Search(c.Request.Context(), index.Request{
		Sort: index.SortNewest, Size: 10, Facets: []string{index.FacetTags, index.FacetYear}, FacetSize: homeTags,
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	s.page(c, http.StatusOK, "home", homePage{
		Description: s.homeDescription(res.Total),
		Latest:      res.Hits, Total: res.Total, Tags: res.Facets[index.FacetTags], Years: newestFirst(res.Facets[index.FacetYear]),
	})
}

func newestFirst(fc []index.FacetCount) []index.FacetCount {
	out := make([]index.FacetCount, len(fc))
	for i, f := range fc {
		out[len(fc)-1-i] = f
	}
	return out
}

// article is one post as the article page and the API show it, read from
// the content folder so the page always shows the post's current text.
type article struct {
	Entry    *index.Entry
	Post     *post.Post
	Doc      *render.Doc
	Body     template.HTML // Doc.HTML with file references and post links resolved (mediaURLs, postLinks)
	Markdown string
}

func (a article) PageTitle() string { return a.Post.Title }

func (s *Server) loadArticle(ctx context.Context, slug string) (*article, error) {
	e, err := s.deps.Index.Lookup(ctx, slug)
	if err != nil {
		return nil, err
	}
	p, err := post.LoadFile(s.deps.Content, e.File, post.LoadOptions{IncludeDrafts: true})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s was removed since the last reindex: %w", e.File, index.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("article %s: %w", slug, err)
	}
	d, err := s.renderArticle(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("article %s: %w", slug, err)
	}
	if p.Summary == "" {
		p.Summary = d.Summary
	}
	// Body points the post's file references at the archive's copies and
	// its links to other posts' files at their pages; d itself is left as
	// rendered (it may be shared).
	body := s.postLinks(ctx, e.File, s.mediaURLs(e.File, d.HTML))
	return &article{Entry: e, Post: p, Doc: d, Body: body, Markdown: string(p.Body)}, nil
}

type errorPage struct {
	Status    int
	Message   string
	Query     string
	RequestID string
	Where     *queryWhere // for a malformed query: where it goes wrong
	LinkURL   string      // where to go instead (the last page of a listing)
	LinkText  string
}

func (e errorPage) PageTitle() string { return http.StatusText(e.Status) }

func (errorPage) pageHead() head { return head{NoIndex: true} }

// notFoundQuery turns a missing address into words worth searching for:
// /posts/filecoin-storage-deals suggests "filecoin storage deals", and
// so do /topics/filecoin-storage-deals/ and .../deals.html. The last
// segment with a letter counts: /2019/11/07/ names no words.
func notFoundQuery(path string) string {
	segs := strings.Split(path, "/")
	last := ""
	for i := len(segs) - 1; i >= 0 && last == ""; i-- {
		if strings.IndexFunc(segs[i], unicode.IsLetter) >= 0 {
			last = segs[i]
		}
	}
	for _, ext := range []string{".html", ".htm", ".php", ".md"} {
		last = strings.TrimSuffix(last, ext)
	}
	words := strings.FieldsFunc(last, func(r rune) bool { return r == '-' || r == '_' || r == '+' || r == '.' })
	q := strings.Join(words, " ")
	if len(q) > 100 {
		q = q[:100]
		if i := strings.LastIndexByte(q, ' '); i > 0 {
			q = q[:i] // whole words only
		}
	}
	return strings.ToValidUTF8(q, "")
}

// renderOptions gives the renderer what the post's templates may refer
// to: its own front-matter values ({{ page.title }}, {{% param
// canonical_url %}}), the site's config values ({{ site.repository }}),
// the same the index and archive check render with, and its folder (Go
// blog templates' {{code}}).
func renderOptions(content fs.FS, siteValues map[string]string, p *post.Post) render.Options {
	o := render.Options{Page: pageValues(p), Site: siteValues, Title: p.Title}
	if content != nil {
		if dir, err := fs.Sub(content, path.Dir(p.File)); err == nil {
			o.Dir = dir
		}
	}
	return o
}

// pageValues are the front-matter values a post's templates may read.
func pageValues(p *post.Post) map[string]string {
	v := map[string]string{"title": p.Title, "slug": p.Slug, "summary": p.Summary, "description": p.Summary}
	if p.Canonical != "" {
		v["canonical_url"] = p.Canonical
	}
	return v
}

// linkOut is a link post's external address when it is one a reader can
// safely follow (http or https, with a host); "" hides the link.
func linkOut(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}
