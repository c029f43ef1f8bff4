// Command archive serves the Blust Archive: a searchable archive of the
// Markdown posts in a content folder. Run with -h for its flags.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// exitCode reports err and picks the status: 0 success, 1 when some posts
// were rejected but the rest were indexed, 2 for usage and I/O errors.
func exitCode(err error, stderr *os.File) int {
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, "archive:", ee.msg)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "archive:", err)
	return 2
}
