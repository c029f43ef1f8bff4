package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/qlang"
)

// apiError is the one error shape of the JSON API.
type apiError struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Param   string `json:"param,omitempty"`
	// Position is the character of q (from 0) where a malformed query
	// goes wrong.
	Position *int `json:"position,omitempty"`
	// Limit names the documented limit a refused request exceeded
	// (length, terms, expansion, deep_paging, per_page).
	Limit string `json:"limit,omitempty"`
	// RequestID lets a reader quote the failure and an operator find its
	// log line.
	RequestID string `json:"request_id,omitempty"`
	// LinkURL and LinkText are where an HTML error page sends the reader
	// next (the last page of a listing asked past its end).
	LinkURL  string `json:"-"`
	LinkText string `json:"-"`
}

func (e *apiError) Error() string { return e.Message }

type errorBody struct {
	Error      *apiError `json:"error"`
	IndexBuild string    `json:"index_build,omitempty"`
}

func badParam(param, msg string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "bad_parameter", Message: msg, Param: param}
}

func notFoundErr(msg string) *apiError {
	return &apiError{Status: http.StatusNotFound, Code: "not_found", Message: msg}
}

// statusClientClosed is nginx's code for a request whose client hung up
// before the answer: not the server's failure, and nobody reads it.
const statusClientClosed = 499

// classify is the one mapping from errors to statuses. Anything it does not
// recognise is an internal error: logged in full, shown as a plain message.
func classify(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var re *index.RequestError
	var le *index.LimitError
	var qe *qlang.Error
	var tooLarge *pageTooLargeError
	switch {
	case errors.As(err, &qe):
		pos := qe.Offset
		return &apiError{Status: http.StatusBadRequest, Code: "bad_query", Message: qe.Error(), Param: "q", Position: &pos}
	case errors.As(err, &le):
		ae := badParam(le.Param, le.Error())
		ae.Limit = le.Limit
		return ae
	case errors.As(err, &re):
		return badParam(re.Param, re.Error())
	case errors.Is(err, index.ErrNotFound):
		return notFoundErr("no post with that slug")
	case errors.Is(err, index.ErrBusy):
		return &apiError{Status: http.StatusServiceUnavailable, Code: "busy", Message: "the archive is switching to a new index build; try again"}
	case errors.As(err, &tooLarge):
		return &apiError{Status: http.StatusInternalServerError, Code: "too_large", Message: tooLarge.Error()}
	case errors.Is(err, context.Canceled):
		return &apiError{Status: statusClientClosed, Code: "client_closed", Message: "the client closed the request before the answer was ready"}
	case errors.Is(err, context.DeadlineExceeded):
		return &apiError{Status: http.StatusServiceUnavailable, Code: "timeout", Message: "the search took too long; try a narrower query"}
	}
	return &apiError{Status: http.StatusInternalServerError, Code: "internal", Message: "something went wrong on our side"}
}

// fail answers err in the caller's language: JSON under /api/, an HTML
// page elsewhere. 5xx errors are logged once, here.
func (s *Server) fail(c *gin.Context, err error) {
	ae := *classify(err)
	ae.RequestID = requestIDOf(c)
	if ae.Code == "timeout" {
		s.metrics.Rejected("timeout")
	}
	if ae.Status == statusClientClosed {
		s.logger(c).Info("client closed the request", "method", c.Request.Method, "path", c.Request.URL.Path, "status", ae.Status)
		c.AbortWithStatus(ae.Status)
		return
	}
	if ae.Status >= 500 {
		s.logFailure(c, ae.Status, err)
	}
	h := c.Writer.Header()
	h.Del("ETag") // an error is not a version of the resource
	h.Del("Cache-Control")
	h.Del("Content-Disposition")
	if isAPI(c) {
		c.Data(ae.Status, "application/json; charset=utf-8", mustJSON(errorBody{&ae, s.label()}))
		c.Abort()
		return
	}
	q := c.Query("q")
	if q == "" && ae.Status == http.StatusNotFound {
		q = notFoundQuery(c.Request.URL.Path)
	}
	s.page(c, ae.Status, "error", errorPage{Status: ae.Status, Message: ae.Message, Query: q, RequestID: ae.RequestID, Where: whereIn(q, ae.Position),
		LinkURL: ae.LinkURL, LinkText: ae.LinkText})
	c.Abort()
}

func (s *Server) logFailure(c *gin.Context, status int, err error) {
	attrs := []any{"method", c.Request.Method, "path", c.Request.URL.Path, "status", status, "err", err}
	var pe *panicError
	if errors.As(err, &pe) {
		attrs = append(attrs, "stack", string(pe.stack))
	}
	s.logger(c).Error("request failed", attrs...)
}

func isAPI(c *gin.Context) bool {
	return strings.HasPrefix(c.Request.URL.Path, "/api/")
}

func (s *Server) notFound(c *gin.Context) {
	if s.redirectSlash(c) {
		return
	}
	if isAPI(c) {
		s.fail(c, notFoundErr("no such endpoint: "+c.Request.URL.Path))
		return
	}
	s.fail(c, notFoundErr("There is no page at this address."))
}
