package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

// Search-as-you-type: completions of what the reader has typed so far.

// suggestLimit is how many completions and titles a response offers.
const suggestLimit = 6

// maxSuggestLength bounds the typed text; longer text is not being typed
// into a search box.
const maxSuggestLength = 200

type apiSuggestResponse struct {
	Query       string        `json:"query"`
	Completions []string      `json:"completions"` // the query with its last word completed
	Posts       []apiTitleHit `json:"posts"`
	IndexBuild  string        `json:"index_build"`
}

type apiTitleHit struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

func (s *Server) apiSuggest(c *gin.Context) {
	q := c.Query("q")
	if utf8.RuneCountInString(q) > maxSuggestLength {
		s.fail(c, badParam("q", "the text to complete is longer than 200 characters"))
		return
	}
	format := c.DefaultQuery("format", "json")
	if format != "json" && format != "opensearch" {
		s.fail(c, badParam("format", "format must be json or opensearch, not "+quote(format)))
		return
	}
	if fresh(c, etag(s.label(), c.Request)) {
		return
	}
	comp, err := s.deps.Index.Complete(c.Request.Context(), q, suggestLimit)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := apiSuggestResponse{Query: q, Completions: completeQuery(q, comp.Terms), Posts: []apiTitleHit{}, IndexBuild: s.deps.Index.Manifest().Label()}
	for _, t := range comp.Titles {
		out.Posts = append(out.Posts, apiTitleHit{Title: t.Title, URL: postURL(t.Slug)})
	}
	c.Header("Cache-Control", "public, max-age=60")
	c.Header("X-Archive-Index", out.IndexBuild)
	if format == "opensearch" {
		// The OpenSearch suggestions format: [query, [completion, ...]].
		c.JSON(http.StatusOK, []any{q, out.Completions})
		return
	}
	c.JSON(http.StatusOK, out)
}

// completeQuery puts each completed last word back into the typed text.
func completeQuery(q string, terms []string) []string {
	out := []string{}
	trimmed := strings.TrimRight(q, " ")
	if trimmed == "" || len(trimmed) < len(q) {
		return out // the reader has finished the last word
	}
	head := trimmed[:strings.LastIndexAny(trimmed, " ")+1]
	for _, t := range terms {
		out = append(out, head+t)
	}
	return out
}
