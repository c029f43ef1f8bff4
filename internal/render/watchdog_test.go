package render

import (
	"fmt"
	"testing"
	"time"
)

// watchdog ends a test that hangs: after d it panics naming the test, which
// stops the test binary with every goroutine's stack. d is generous (tens
// of seconds) because it catches hangs, not slowness: a shared 2-core CI
// machine or a -race build may be many times slower than a laptop. Speed
// is measured by benchmarks (go test -bench), never by timed unit tests.
// Use it as: defer watchdog(t, 30*time.Second)()
func watchdog(t testing.TB, d time.Duration) (stop func() bool) {
	name := t.Name()
	return time.AfterFunc(d, func() {
		panic(fmt.Sprintf("%s: still running after %v: a hang", name, d))
	}).Stop
}
