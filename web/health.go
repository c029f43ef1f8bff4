package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

type healthBody struct {
	Status     string `json:"status"`
	Posts      uint64 `json:"posts,omitempty"`
	IndexBuild string `json:"index_build,omitempty"`
	Reason     string `json:"reason,omitempty"`
}

// healthz says the process is up; it touches nothing else.
func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, healthBody{Status: "ok"})
}

// readyz says the index is open and holds posts, so a load balancer can
// keep traffic away from a server that would answer nothing.
func (s *Server) readyz(c *gin.Context) {
	n, err := s.deps.Index.DocCount()
	if err != nil {
		c.JSON(http.StatusServiceUnavailable, healthBody{Status: "unavailable", Reason: "index: " + err.Error()})
		return
	}
	if n == 0 {
		c.JSON(http.StatusServiceUnavailable, healthBody{Status: "unavailable", Reason: "the index holds no posts"})
		return
	}
	c.JSON(http.StatusOK, healthBody{Status: "ready", Posts: n, IndexBuild: s.deps.Index.Manifest().ID})
}
