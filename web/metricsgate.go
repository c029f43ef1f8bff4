package web

import (
	"net"
	"net/http"

	"github.com/gin-gonic/gin"
)

var errMetricsLocal = &apiError{Status: http.StatusForbidden, Code: "forbidden",
	Message: "the metrics are served only to this machine; start the server with -metrics-public to serve them to the network"}

// serveMetrics serves the Prometheus figures to the machine itself only,
// unless Deps.MetricsPublic: they tell an attacker the load, the heap and
// the open files. A request relayed by a proxy on the same machine
// (Forwarded, X-Forwarded-For, X-Real-IP) counts as from the network.
func (s *Server) serveMetrics() gin.HandlerFunc {
	h := s.metrics.Handler()
	return func(c *gin.Context) {
		if !s.deps.MetricsPublic && !fromThisMachine(c.Request) {
			s.fail(c, errMetricsLocal)
			return
		}
		h.ServeHTTP(c.Writer, c.Request)
	}
}

func fromThisMachine(r *http.Request) bool {
	for _, h := range []string{"Forwarded", "X-Forwarded-For", "X-Real-Ip"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
