package compact

import (
	"path/filepath"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// scorch's persister and merger run in the background and meet their
// errors there (a full disk): they count each one, retry for ever, and
// pass it to an "async error callback", which bleve accepts only by name
// from its package-level registry. So one function is registered, once,
// and keeps each fresh build's last error under the build's path, for the
// build's own wait (forceMerge, awaitCleanup) to report. This is the one
// package-level state of the index, forced by bleve's API.

// ErrorCallback is the name under which errorSink.record is registered:
// a fresh build names it in its config (asyncErrorCallbackName).
const ErrorCallback = "blust-archive-build-errors"

// errorSink holds the last background error of each path that met one;
// an entry lives until its build takes it or ends (index's writeBuild, through TakeErrors).
type errorSink struct {
	mu   sync.Mutex
	last map[string]error
}

var buildErrors = &errorSink{last: map[string]error{}}

func init() { scorch.RegistryAsyncErrorCallbacks[ErrorCallback] = buildErrors.record }

func (s *errorSink) record(err error, path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last[path] = err
}

// take returns and forgets the last error met under dir, or nil.
func (s *errorSink) take(dir string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var found error
	for p, err := range s.last {
		if p == dir || strings.HasPrefix(p, dir+string(filepath.Separator)) {
			found = err
			delete(s.last, p)
		}
	}
	return found
}

// TakeErrors returns and forgets the last background error scorch met
// under dir, or nil; a build calls it when it ends, so no entry outlives
// its build.
func TakeErrors(dir string) error { return buildErrors.take(dir) }
