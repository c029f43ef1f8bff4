package web

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/internal/compress"
)

// compress gzips text responses (pages, feeds, JSON, CSS, JS) for clients
// that accept it. The decision waits for the first write, when the handler
// has set the Content-Type; responses already encoded, empty statuses and
// HEAD requests pass through untouched.
//
// Responses are made per request, so they are compressed at the fastest
// level (internal/compress says why and what it costs).
func (s *Server) compress() gin.HandlerFunc {
	pool := &sync.Pool{New: func() any {
		return compress.NewGzip(io.Discard)
	}}
	return func(c *gin.Context) {
		c.Writer.Header().Add("Vary", "Accept-Encoding")
		if c.Request.Method == http.MethodHead || !acceptsGzip(c.GetHeader("Accept-Encoding")) {
			c.Next()
			return
		}
		orig := c.Writer
		gw := &gzipWriter{ResponseWriter: orig, pool: pool}
		c.Writer = gw
		defer func() {
			gw.close()
			c.Writer = orig
		}()
		c.Next()
	}
}

// acceptsGzip reads an Accept-Encoding header; "gzip;q=0" refuses.
func acceptsGzip(h string) bool {
	for _, part := range strings.Split(h, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.TrimSpace(name)
		if !strings.EqualFold(name, "gzip") && name != "*" {
			continue
		}
		q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q=")
		if !ok {
			return true
		}
		v, err := strconv.ParseFloat(q, 64)
		return err == nil && v > 0
	}
	return false
}

func compressible(contentType string) bool {
	ct, _, _ := strings.Cut(contentType, ";")
	ct = strings.TrimSpace(strings.ToLower(ct))
	switch {
	case strings.HasPrefix(ct, "text/"), strings.HasSuffix(ct, "+xml"), strings.HasSuffix(ct, "+json"):
		return true
	}
	switch ct {
	case "application/json", "application/xml", "application/javascript", "application/x-ndjson", "application/jsonl":
		return true
	}
	return false
}

type gzipWriter struct {
	gin.ResponseWriter
	pool    *sync.Pool
	gz      *compress.Gzip
	decided bool
}

func (w *gzipWriter) decide() {
	if w.decided {
		return
	}
	w.decided = true
	h := w.Header()
	code := w.Status()
	if code < 200 || code == http.StatusNoContent || code == http.StatusNotModified ||
		h.Get("Content-Encoding") != "" || !compressible(h.Get("Content-Type")) {
		return
	}
	h.Set("Content-Encoding", "gzip")
	h.Del("Content-Length")
	w.gz = w.pool.Get().(*compress.Gzip)
	w.gz.Reset(w.ResponseWriter)
}

func (w *gzipWriter) Write(b []byte) (int, error) {
	w.decide()
	if w.gz == nil {
		return w.ResponseWriter.Write(b)
	}
	return w.gz.Write(b)
}

func (w *gzipWriter) WriteString(s string) (int, error) {
	return w.Write([]byte(s))
}

// Flush sends what is compressed so far, for streamed responses.
func (w *gzipWriter) Flush() {
	if w.gz != nil {
		_ = w.gz.Flush()
	}
	w.ResponseWriter.Flush()
}

// Unwrap lets http.ResponseController reach the connection (exports push
// back its write deadline).
func (w *gzipWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *gzipWriter) close() {
	if w.gz == nil {
		return
	}
	_ = w.gz.Close()
	w.pool.Put(w.gz)
	w.gz = nil
}
