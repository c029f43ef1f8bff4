package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"runtime"
	"time"

	"github.com/gin-gonic/gin"
)

// Limits bound what searches may cost the server. The zero value of each
// field means its default.
//
// Searches are admitted up to MaxInflight; of those, SearchWorkers run at
// once and the rest wait their turn, as Elasticsearch's search pool and
// queue do. Running two searches a core instead of dozens keeps each one
// near its single-core speed, so the timeout, which starts when a search
// runs, measures the search and not the crowd around it.
type Limits struct {
	// SearchTimeout is how long one search may run before it is answered
	// 503; the index stops collecting hits when it passes.
	SearchTimeout time.Duration
	// MaxInflight is how many searches are admitted at once, running or
	// waiting. Beyond it a search gets 503 with Retry-After at once.
	MaxInflight int
	// SearchWorkers is how many admitted searches run at once (default two
	// per core, at most MaxInflight).
	SearchWorkers int
	// QueueWait is how long an admitted search may wait for its turn
	// before it gets 503 with Retry-After.
	QueueWait time.Duration
	// RequestTimeout is the time budget of every other request (articles,
	// tags, years, feeds, the sitemap): everything it does, rendering
	// included, from its arrival. A search's budget is SearchTimeout from
	// its turn, and it too covers snippets, facets and the page.
	RequestTimeout time.Duration
	// MaxPageBytes bounds a page or feed built in memory before it is
	// sent; a bigger one is an error, never sent.
	MaxPageBytes int
}

// Default limits, documented in the README's operations section.
const (
	DefaultSearchTimeout = 2 * time.Second
	DefaultMaxInflight   = 256
	// DefaultQueueWait is long, as Elasticsearch's search queue has no
	// wait limit at all: under a burst of slow searches (100,000 posts, 32
	// connections) a 2-second wait refused a few searches that would have
	// been answered a moment later, while the queue is already bounded by
	// MaxInflight.
	DefaultQueueWait = 10 * time.Second
	// DefaultRequestTimeout leaves an article of a long post time to
	// render on a busy machine.
	DefaultRequestTimeout = 10 * time.Second
	// DefaultMaxPageBytes is far above the largest page of a real archive
	// (a year page of 100,000 posts) and far below what a hostile URL
	// made before parameters were capped (123 MB).
	DefaultMaxPageBytes = 16 << 20
	// writeSlack is what a client gets, beyond the longest a request may
	// take, to read the answer before the server gives up on it.
	writeSlack = 30 * time.Second
)

func (l Limits) withDefaults() Limits {
	if l.SearchTimeout <= 0 {
		l.SearchTimeout = DefaultSearchTimeout
	}
	if l.MaxInflight <= 0 {
		l.MaxInflight = DefaultMaxInflight
	}
	if l.SearchWorkers <= 0 {
		l.SearchWorkers = 2 * runtime.GOMAXPROCS(0)
	}
	l.SearchWorkers = min(l.SearchWorkers, l.MaxInflight)
	if l.QueueWait <= 0 {
		l.QueueWait = DefaultQueueWait
	}
	if l.RequestTimeout <= 0 {
		l.RequestTimeout = DefaultRequestTimeout
	}
	if l.MaxPageBytes <= 0 {
		l.MaxPageBytes = DefaultMaxPageBytes
	}
	return l
}

// WriteTimeout is the http.Server's: the longest any request may take
// (a search's wait for its turn plus its budget, or another request's
// budget) plus time for the client to read the answer. Exports, which
// have no overall deadline, push it back before each batch.
func (l Limits) WriteTimeout() time.Duration {
	l = l.withDefaults()
	return max(l.QueueWait+l.SearchTimeout, l.RequestTimeout) + writeSlack
}

// budget gives a request that is not a search its time budget.
func (s *Server) budget() gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), s.limits.RequestTimeout)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

// gate admits up to cap(admitted) searches and runs up to cap(running) of
// them at once; the others wait, for a bounded time, in arrival order.
type gate struct{ admitted, running chan struct{} }

func newGate(l Limits) *gate {
	return &gate{admitted: make(chan struct{}, l.MaxInflight), running: make(chan struct{}, l.SearchWorkers)}
}

// enter admits a search and waits at most wait for its turn to run; false
// means the server is full and the search must be refused.
func (g *gate) enter(ctx context.Context, wait time.Duration) bool {
	select {
	case g.admitted <- struct{}{}:
	default:
		return false
	}
	select {
	case g.running <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case g.running <- struct{}{}:
		return true
	case <-t.C:
	case <-ctx.Done():
	}
	<-g.admitted
	return false
}

func (g *gate) leave() {
	<-g.running
	<-g.admitted
}

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
