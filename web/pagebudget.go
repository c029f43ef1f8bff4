package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
)

// pageBuffer is where a page or feed is built before it is sent. It
// refuses to grow past max bytes and, between writes, stops once the
// request's budget is spent, so neither a huge nor a slow page ever
// reaches the reader.
type pageBuffer struct {
	buf bytes.Buffer // not embedded: its WriteString would bypass the checks
	max int
	ctx context.Context // nil: no deadline (the error page, whose request has already failed)
}

func newPageBuffer(ctx context.Context, max int) *pageBuffer {
	return &pageBuffer{ctx: ctx, max: max}
}

func (b *pageBuffer) Write(p []byte) (int, error) {
	if b.buf.Len()+len(p) > b.max {
		return 0, &pageTooLargeError{max: b.max}
	}
	if b.ctx != nil {
		if err := b.ctx.Err(); err != nil {
			return 0, budgetErr(err)
		}
	}
	return b.buf.Write(p)
}

// Bytes is what was written.
func (b *pageBuffer) Bytes() []byte { return b.buf.Bytes() }

// budgetErr is the answer to a request whose time ran out while its page
// was built: a 503 that says so. A client that hung up stays a
// cancellation (errors.go answers it 499).
func budgetErr(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w (%w)", errPageBudget, err)
	}
	return err
}

var errPageBudget = &apiError{Status: http.StatusServiceUnavailable, Code: "timeout",
	Message: "the page took longer than its time budget to build; try a narrower search, or try again in a moment"}

// pageTooLargeError is a page or feed past the size bound.
type pageTooLargeError struct{ max int }

func (e *pageTooLargeError) Error() string {
	return fmt.Sprintf("the page is too large to send (over %d bytes)", e.max)
}

// checkBudget is called after work done outside any writer (an encoded
// JSON answer, a feed's entries), so an answer finished after its
// deadline is not sent as if it were in time.
func checkBudget(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return budgetErr(err)
	}
	return nil
}
