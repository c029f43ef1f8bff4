package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/post"
	"github.com/blust/archive/internal/render"
)

type homePage struct {
	Latest []index.Hit
	Total  uint64
}

func (homePage) PageTitle() string { return "" }

func (s *Server) home(c *gin.Context) {
	res, err := s.deps.Index.Search(c.Request.Context(), index.Request{Sort: index.SortNewest, Size: 10})
	if err != nil {
		s.fail(c, err)
		return
	}
	s.page(c, http.StatusOK, "home", homePage{Latest: res.Hits, Total: res.Total})
}

type searchPage struct {
	Params  searchParams
	Result  *index.Result
	Pages   pager
	HasText bool
}

func (p searchPage) PageTitle() string {
	if p.Params.Query == "" {
		return "Search"
	}
	return p.Params.Query + " — Search"
}

func (s *Server) searchPage(c *gin.Context) {
	p, req, err := parseSearch(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	res, err := s.search(c, req)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.page(c, http.StatusOK, "search", searchPage{
		Params:  p,
		Result:  res,
		Pages:   newPager(c.Request.URL, p.Page, p.PerPage, res.Total),
		HasText: p.Query != "",
	})
}

// pager links to the previous and next pages of the same search.
type pager struct {
	Page, Last int
	First      int // the rank of the page's first hit
	Prev, Next string
}

func newPager(u *url.URL, page, perPage int, total uint64) pager {
	last := int((total + uint64(perPage) - 1) / uint64(perPage))
	last = min(last, index.MaxWindow/perPage)
	p := pager{Page: page, Last: last, First: (page-1)*perPage + 1}
	link := func(n int) string {
		q := u.Query()
		q.Set("page", fmt.Sprint(n))
		return "/search?" + q.Encode()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < last {
		p.Next = link(page + 1)
	}
	return p
}

// article is one post as the article page and the API show it, read from
// the content folder so the page always shows the post's current text.
type article struct {
	Entry    *index.Entry
	Post     *post.Post
	Doc      *render.Doc
	Body     template.HTML
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
	d, err := s.deps.Renderer.Render(p.Body)
	if err != nil {
		return nil, fmt.Errorf("article %s: %w", slug, err)
	}
	if p.Summary == "" {
		p.Summary = d.Summary
	}
	return &article{Entry: e, Post: p, Doc: d, Body: d.HTML, Markdown: string(p.Body)}, nil
}

func (s *Server) article(c *gin.Context) {
	a, err := s.loadArticle(c.Request.Context(), c.Param("slug"))
	if errors.Is(err, index.ErrNotFound) {
		s.fail(c, notFoundErr("There is no post at this address. It may have moved; try searching for it."))
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.page(c, http.StatusOK, "article", a)
}

type errorPage struct {
	Status    int
	Message   string
	Query     string
	RequestID string
}

func (e errorPage) PageTitle() string { return http.StatusText(e.Status) }
