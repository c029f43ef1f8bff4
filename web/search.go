package web

import (
	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
)

// search runs req for the page or the API and records it in the metrics
// under its query mode.
func (s *Server) search(c *gin.Context, req index.Request) (*index.Result, error) {
	res, err := s.deps.Index.Search(c.Request.Context(), req)
	if err != nil {
		return nil, err
	}
	s.metrics.Search(queryMode(c, req), res.Took, res.Total)
	return res, nil
}

// queryMode is the metrics label for how the text was read: "browse" when
// there is no text (a tag or date listing), else the mode asked for.
func queryMode(c *gin.Context, req index.Request) string {
	if req.Query == "" {
		return "browse"
	}
	switch m := c.Query("mode"); m {
	case "plain", "advanced":
		return m
	}
	return "auto"
}
