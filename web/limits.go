package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// Limits bound what searches may cost the server. The zero value of each
// field means its default.
type Limits struct {
	// SearchTimeout is how long one search request may run before it is
	// answered 503; the index stops collecting hits when it passes.
	SearchTimeout time.Duration
	// MaxInflight is how many searches run at once. Beyond it a search
	// waits up to QueueWait for a slot, then gets 503 with Retry-After.
	MaxInflight int
	// QueueWait is how long a search may wait for a slot. It is short on
	// purpose: a server that queues without bound falls over under load.
	QueueWait time.Duration
}

// Default limits, documented in the README's operations section.
const (
	DefaultSearchTimeout = 2 * time.Second
	DefaultMaxInflight   = 32
	DefaultQueueWait     = 500 * time.Millisecond
)

func (l Limits) withDefaults() Limits {
	if l.SearchTimeout <= 0 {
		l.SearchTimeout = DefaultSearchTimeout
	}
	if l.MaxInflight <= 0 {
		l.MaxInflight = DefaultMaxInflight
	}
	if l.QueueWait <= 0 {
		l.QueueWait = DefaultQueueWait
	}
	return l
}

// gate is a counting semaphore with a bounded wait.
type gate struct{ slots chan struct{} }

func newGate(n int) *gate { return &gate{slots: make(chan struct{}, n)} }

// enter takes a slot, waiting at most wait; false means the server is full.
func (g *gate) enter(ctx context.Context, wait time.Duration) bool {
	select {
	case g.slots <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

func (g *gate) leave() { <-g.slots }

// errOverloaded answers a search that found every slot taken.
var errOverloaded = &apiError{Status: http.StatusServiceUnavailable, Code: "overloaded",
	Message: "the server is answering too many searches right now; try again in a moment"}

// limitSearch guards a search route: a slot from the gate, then a deadline
// on the request's context. Health, article and asset routes never pass
// through it, so they keep answering while searches are refused.
func (s *Server) limitSearch() gin.HandlerFunc {
	retry := fmt.Sprint(max(1, int(math.Ceil(s.limits.QueueWait.Seconds()))))
	return func(c *gin.Context) {
		if !s.gate.enter(c.Request.Context(), s.limits.QueueWait) {
			s.metrics.Rejected("overload")
			c.Header("Retry-After", retry)
			s.fail(c, errOverloaded)
			return
		}
		defer s.gate.leave()
		defer s.metrics.SearchStarted()()
		ctx, cancel := context.WithTimeout(c.Request.Context(), s.limits.SearchTimeout)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}
