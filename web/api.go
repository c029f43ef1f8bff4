package web

import (
	"errors"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
)

// The JSON API's own types: bleve's never reach the wire.

type apiHeading struct {
	Level int    `json:"level"`
	ID    string `json:"id"`
	Text  string `json:"text"`
}

type apiPost struct {
	Slug           string       `json:"slug"`
	URL            string       `json:"url"`
	Title          string       `json:"title"`
	Date           time.Time    `json:"date"`
	Updated        *time.Time   `json:"updated,omitempty"`
	Author         string       `json:"author"`
	Authors        []string     `json:"authors"`
	Tags           []string     `json:"tags"`
	Summary        string       `json:"summary"`
	Words          int          `json:"words"`
	ReadingMinutes int          `json:"reading_minutes"`
	Headings       []apiHeading `json:"headings"`
	Markdown       string       `json:"markdown"`
	HTML           string       `json:"html"`
	Text           string       `json:"text"`
	IndexBuild     string       `json:"index_build"`
}

func postURL(slug string) string { return "/posts/" + slug }

func (s *Server) apiPost(c *gin.Context) {
	a, err := s.loadArticle(c.Request.Context(), c.Param("slug"))
	if errors.Is(err, index.ErrNotFound) {
		s.fail(c, notFoundErr("no post with slug "+quote(c.Param("slug"))))
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if fresh(c, etag(s.label(), c.Request, a.Post.Hash)) {
		return
	}
	p := a.Post
	out := apiPost{
		Slug: a.Entry.Slug, URL: postURL(a.Entry.Slug), Title: s.plainTitle(p.Title), Date: p.Date,
		Author: p.Author(), Authors: orEmpty(p.Authors), Tags: orEmpty(p.Tags), Summary: p.Summary,
		Words: a.Doc.Words, ReadingMinutes: a.Doc.ReadingMinutes, Headings: []apiHeading{},
		Markdown: a.Markdown, HTML: string(a.Doc.HTML), Text: a.Doc.Text,
		IndexBuild: s.deps.Index.Manifest().Label(),
	}
	if !p.Updated.IsZero() {
		out.Updated = &p.Updated
	}
	for _, h := range a.Doc.Headings {
		out.Headings = append(out.Headings, apiHeading{Level: h.Level, ID: h.ID, Text: h.Text})
	}
	sendJSON(c, out)
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// quote shows a user's value in a message without letting it break out of
// the sentence; long values are cut.
func quote(s string) string {
	r := []rune(s)
	if len(r) > 80 {
		s = string(r[:80]) + "…"
	}
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}
