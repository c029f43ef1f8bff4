package web

import (
	"fmt"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"
)

// recoverer turns a panic in a handler into a logged 500 that carries the
// request id, so the reader can quote it and the log line can be found;
// the process keeps serving.
func (s *Server) recoverer() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.fail(c, &panicError{value: v, stack: debug.Stack()})
			}
		}()
		c.Next()
	}
}

// panicError is a recovered panic on its way to the one error log line.
type panicError struct {
	value any
	stack []byte
}

func (p *panicError) Error() string { return fmt.Sprintf("panic: %v", p.value) }

// logRequests writes one slog line per request and counts it in the
// metrics under its route pattern.
func (s *Server) logRequests() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		took := time.Since(start)
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		s.metrics.Request(route, c.Request.Method, c.Writer.Status(), took)
		s.logger(c).Info("request",
			"method", logMethod(c.Request.Method),
			"path", c.Request.URL.Path,
			"route", route,
			"status", c.Writer.Status(),
			"bytes", c.Writer.Size(),
			"ms", float64(took.Microseconds())/1000)
	}
}

// maxLoggedMethod bounds the method in a log line: a client may send any
// token of any length there, and it lands in every line of the request.
const maxLoggedMethod = 16

func logMethod(m string) string {
	if len(m) > maxLoggedMethod {
		return m[:maxLoggedMethod] + "…"
	}
	return m
}

// contentSecurityPolicy allows no inline script or style at all: every
// script and stylesheet is an embedded file served from /static.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders runs before any handler writes, so every response, the
// error pages and 404s included, carries them.
func (s *Server) securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		c.Next()
	}
}
