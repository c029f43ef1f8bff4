package web

import (
	"crypto/rand"
	"log/slog"

	"github.com/gin-gonic/gin"
)

// RequestIDHeader carries a request's id in and out. A proxy in front may
// set it; the server keeps a well-formed one and makes its own otherwise.
const RequestIDHeader = "X-Request-ID"

// maxRequestIDLen bounds an incoming id: it lands in every log line of the
// request, so a client must not be able to make those lines huge.
const maxRequestIDLen = 128

const (
	ctxRequestID = "archive.request_id"
	ctxLogger    = "archive.logger"
)

// requestID gives the request an id, returns it in the response header and
// hands the handlers a logger that writes it, and the client's address
// (see clientAddr), on every line.
func (s *Server) requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader(RequestIDHeader)
		if !validRequestID(id) {
			id = rand.Text()
		}
		c.Set(ctxRequestID, id)
		c.Set(ctxLogger, s.log.With("request_id", id, "client", clientAddr(c.Request, s.deps.TrustedProxies)))
		c.Header(RequestIDHeader, id)
		c.Next()
	}
}

// validRequestID accepts the ids proxies and tracing systems send (UUIDs,
// hex, base32/64url tokens) and refuses anything that could forge a log
// field or a header: spaces, quotes, control characters, '=' and the like.
func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		b := id[i]
		ok := b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' ||
			b == '-' || b == '_' || b == '.' || b == ':'
		if !ok {
			return false
		}
	}
	return true
}

// requestIDOf is the request's id ("" outside the middleware chain).
func requestIDOf(c *gin.Context) string {
	return c.GetString(ctxRequestID)
}

// logger is the server's logger with the request's id attached.
func (s *Server) logger(c *gin.Context) *slog.Logger {
	if l, ok := c.Get(ctxLogger); ok {
		if lg, ok := l.(*slog.Logger); ok {
			return lg
		}
	}
	return s.log
}
