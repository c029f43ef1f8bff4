// Command archive-bench measures Blust Archive side by side with SQLite
// FTS5 on a generated corpus: build speed and size, the query mix with and
// without snippets, facets, the real server under HTTP load, its memory and
// its start-up. Ratios measured in one run are what count; absolute times
// drift with the machine's load.
//
//	go run -tags sqlite_fts5 ./cmd/archive-bench -posts 10000 [-json]
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
	if err != nil {
		var u *usageError
		if errors.As(err, &u) {
			if u.msg != "" {
				fmt.Fprintln(os.Stderr, "archive-bench:", u.msg)
			}
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "archive-bench:", err)
		os.Exit(1)
	}
}
