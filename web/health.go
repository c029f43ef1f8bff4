package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/internal/metrics"
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

// readyz says the index is open, holds posts and its folder is fit to run
// on, so a load balancer can keep traffic away from a server that would
// answer nothing or fail at its next reindex. It never waits on searches.
func (s *Server) readyz(c *gin.Context) {
	b, ok := s.readiness()
	status := http.StatusOK
	if !ok {
		status = http.StatusServiceUnavailable
	}
	c.JSON(status, b)
}

func (s *Server) readiness() (healthBody, bool) {
	if err := s.deps.Index.Health(); err != nil {
		return healthBody{Status: "unavailable", Reason: err.Error()}, false
	}
	n, err := s.deps.Index.DocCount()
	if err != nil {
		return healthBody{Status: "unavailable", Reason: "index: " + err.Error()}, false
	}
	if n == 0 {
		return healthBody{Status: "unavailable", Reason: "the index holds no posts"}, false
	}
	return healthBody{Status: "ready", Posts: n, IndexBuild: s.deps.Index.Manifest().Label()}, true
}

// indexState feeds the index figures on /metrics.
func (s *Server) indexState() metrics.IndexState {
	m := s.deps.Index.Manifest()
	_, ready := s.readiness()
	return metrics.IndexState{
		Posts:     m.Posts,
		Rejected:  m.Rejected,
		BuiltAt:   m.BuiltAt,
		BuildTook: time.Duration(m.BuildSeconds * float64(time.Second)),
		Ready:     ready,
	}
}
