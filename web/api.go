package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
)

// The JSON API's own types: bleve's never reach the wire.

type apiSearchResponse struct {
	Query      string   `json:"query"`
	Total      uint64   `json:"total"`
	TookMS     float64  `json:"took_ms"`
	Page       int      `json:"page"`
	PerPage    int      `json:"per_page"`
	IndexBuild string   `json:"index_build"`
	Hits       []apiHit `json:"hits"`
}

type apiHit struct {
	Slug      string        `json:"slug"`
	URL       string        `json:"url"`
	Title     string        `json:"title"`
	Date      time.Time     `json:"date"`
	Author    string        `json:"author"`
	Authors   []string      `json:"authors"`
	Tags      []string      `json:"tags"`
	Summary   string        `json:"summary"`
	Score     float64       `json:"score"`
	Fragments []apiFragment `json:"fragments"`
}

type apiFragment struct {
	HTML    string `json:"html"`
	Heading string `json:"heading,omitempty"`
	URL     string `json:"url"`
}

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

func (s *Server) apiSearch(c *gin.Context) {
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
	out := apiSearchResponse{
		Query: p.Query, Total: res.Total, TookMS: float64(res.Took.Microseconds()) / 1000,
		Page: p.Page, PerPage: p.PerPage, IndexBuild: res.BuildID, Hits: []apiHit{},
	}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, newAPIHit(h))
	}
	c.Header("X-Archive-Index", res.BuildID)
	c.JSON(http.StatusOK, out)
}

func newAPIHit(h index.Hit) apiHit {
	ah := apiHit{
		Slug: h.Slug, URL: postURL(h.Slug), Title: h.Title, Date: h.Date,
		Author: strings.Join(h.Authors, ", "), Authors: orEmpty(h.Authors), Tags: orEmpty(h.Tags),
		Summary: h.Summary, Score: h.Score, Fragments: []apiFragment{},
	}
	for _, f := range h.Fragments {
		u := postURL(h.Slug)
		if f.Anchor != "" {
			u += "#" + f.Anchor
		}
		ah.Fragments = append(ah.Fragments, apiFragment{HTML: f.HTML, Heading: f.Heading, URL: u})
	}
	return ah
}

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
	p := a.Post
	out := apiPost{
		Slug: a.Entry.Slug, URL: postURL(a.Entry.Slug), Title: p.Title, Date: p.Date,
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
	c.Header("X-Archive-Index", out.IndexBuild)
	c.JSON(http.StatusOK, out)
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
