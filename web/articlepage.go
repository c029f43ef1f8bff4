package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/qlang"
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
	Highlight    string // the search whose matches are marked (its correction if it ran one)
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
		// An old /posts/… address of another post, or the feed of a Hugo
		// section named posts (/posts/index.xml).
		if s.redirectAlias(c) || s.redirectOldFeed(c) {
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
	h, err := highlightParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := page.highlight(c.Request.Context(), s.deps.Index, h); err != nil {
		s.fail(c, err)
		return
	}
	s.page(c, http.StatusOK, "article", page)
}

// maxCorrectedLength bounds the corrected query a result link carries:
// a correction may be longer than what was typed, never much longer.
const maxCorrectedLength = 2 * MaxQueryLength

// highlightParams reads the search a result link carries (highlightArg):
// highlight is the query as typed, mode and correct say how it was read,
// as on /search, and corrected is the correction the search ran instead.
// An old link with highlight alone still works: it is read as /search
// reads q alone.
func highlightParams(c *gin.Context) (index.Highlight, error) {
	var h index.Highlight
	q := strings.TrimSpace(c.Query("highlight"))
	if q == "" {
		return h, nil
	}
	if !utf8.ValidString(q) {
		return h, badParam("highlight", "highlight is not valid UTF-8")
	}
	if utf8.RuneCountInString(q) > MaxQueryLength {
		return h, limitErr(index.LimitLength, "highlight", fmt.Sprintf("highlight is longer than %d characters", MaxQueryLength))
	}
	mode, err := qlang.ParseMode(strings.TrimSpace(c.Query("mode")))
	if err != nil {
		return h, badParam("mode", err.Error())
	}
	correct, err := boolParam(c, "correct", true)
	if err != nil {
		return h, err
	}
	fixed := strings.TrimSpace(c.Query("corrected"))
	if !utf8.ValidString(fixed) || utf8.RuneCountInString(fixed) > maxCorrectedLength {
		return h, badParam("corrected", fmt.Sprintf("corrected must be text of at most %d characters", maxCorrectedLength))
	}
	return index.Highlight{Query: q, Mode: mode, Literal: !correct, Corrected: fixed}, nil
}

// highlight marks what the reader's search matched in the article body,
// with the matcher the search's snippets use, so a reader arriving from
// the results sees where it is. A query that cannot be read is the
// highlight parameter's fault.
func (a *articlePage) highlight(ctx context.Context, ix *index.Index, h index.Highlight) error {
	if h.Query == "" {
		return nil
	}
	m, err := ix.Matcher(ctx, h)
	var qe *qlang.Error
	var le *index.LimitError
	switch {
	case errors.As(err, &qe):
		return badParam("highlight", "highlight is not a query the search can read: "+qe.Error())
	case errors.As(err, &le):
		return limitErr(le.Limit, "highlight", "highlight: "+le.Msg)
	case err != nil:
		return err
	}
	if m.Empty() {
		return nil
	}
	a.Highlight = m.Query()
	a.Body, a.Marks = render.Mark(a.Body, m.Spans)
	return nil
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
