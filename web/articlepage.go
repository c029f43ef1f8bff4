package web

import (
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/render"
)

// relatedPosts is how many related posts an article lists.
const relatedPosts = 5

// articlePage is an article with what surrounds it on its page.
type articlePage struct {
	*article
	TOC          []*tocItem
	Older, Newer *index.Hit
	Related      []index.Hit
	Highlight    string // the words marked on the page, from ?highlight=
	Marks        int
}

func (a articlePage) pageHead() head {
	p := a.Post
	og := &openGraph{Type: "article", Published: p.Date.Format(time.RFC3339), Authors: p.Authors, Tags: p.Tags}
	if !p.Updated.IsZero() {
		og.Modified = p.Updated.Format(time.RFC3339)
	}
	return head{Canonical: postURL(a.Entry.Slug), Description: p.Summary, OG: og}
}

func (s *Server) article(c *gin.Context) {
	slug := c.Param("slug")
	a, err := s.loadArticle(c.Request.Context(), slug)
	if errors.Is(err, index.ErrNotFound) {
		if s.redirectAlias(c) { // an old /posts/… address of another post
			return
		}
		s.fail(c, notFoundErr("There is no post at this address. It may have moved; try searching for it."))
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	page := articlePage{article: a, TOC: tableOfContents(a.Doc)}
	if page.Older, page.Newer, err = s.deps.Index.Neighbours(c.Request.Context(), slug); err != nil {
		s.fail(c, err)
		return
	}
	if page.Related, err = s.deps.Index.Related(c.Request.Context(), slug, relatedPosts); err != nil {
		s.fail(c, err)
		return
	}
	page.highlight(s.deps.Index, c.Query("highlight"))
	s.page(c, http.StatusOK, "article", page)
}

// highlight marks the words of a reader's search in the article body, so
// a reader arriving from the results sees where they are.
func (a *articlePage) highlight(ix *index.Index, q string) {
	q = strings.TrimSpace(q)
	if q == "" || utf8.RuneCountInString(q) > MaxQueryLength {
		return
	}
	m := ix.Matcher(q)
	if m.Empty() {
		return
	}
	a.Highlight = q
	a.Body, a.Marks = render.Mark(a.Body, m.Spans)
}

// tocItem is one heading in the table of contents, with the headings
// nested under it.
type tocItem struct {
	ID, Text string
	Level    int
	Children []*tocItem
}

// A table of contents helps only in long posts: at least tocMinHeadings
// headings, or two in a post of tocMinMinutes reading.
const (
	tocMinHeadings = 3
	tocMinMinutes  = 5
)

func tableOfContents(d *render.Doc) []*tocItem {
	n := len(d.Headings)
	if n < 2 || (n < tocMinHeadings && d.ReadingMinutes < tocMinMinutes) {
		return nil
	}
	var roots []*tocItem
	var stack []*tocItem
	for _, h := range d.Headings {
		it := &tocItem{ID: h.ID, Text: h.Text, Level: h.Level}
		for len(stack) > 0 && stack[len(stack)-1].Level >= h.Level {
			stack = stack[:len(stack)-1]
		}
		if len(stack) == 0 {
			roots = append(roots, it)
		} else {
			top := stack[len(stack)-1]
			top.Children = append(top.Children, it)
		}
		stack = append(stack, it)
	}
	return roots
}
