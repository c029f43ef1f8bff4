// Command archive serves the Blust Archive: a searchable archive of the
// Markdown posts in a content folder. Run with -h for its flags.
//
// The process that writes the index (a server, or -reindex) is
// internal/indexer; this package turns flags into its Config and prints
// what it reports.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// stopLimit is how long the process may take to stop after SIGINT or
// SIGTERM: the server's ten seconds of grace for requests, then closing
// the index. Past it the process exits anyway: work that ignores its
// context (a library call stuck on a failing disk) must not keep it
// alive until kill -9. Whatever it was writing is a build that never
// became current, removed at the next start.
const stopLimit = 30 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	context.AfterFunc(ctx, func() {
		time.AfterFunc(stopLimit, func() {
			fmt.Fprintf(os.Stderr, "archive: still stopping %v after the signal; exiting without waiting further\n", stopLimit)
			os.Exit(2)
		})
	})
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// exitCode reports err and picks the status: 0 success, 1 when some posts
// were rejected but the rest were indexed, 2 for usage and I/O errors. The
// message may quote a file name, so control characters are escaped.
func exitCode(err error, stderr *os.File) int {
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, "archive:", printable(ee.msg))
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "archive:", printable(err.Error()))
	return 2
}
