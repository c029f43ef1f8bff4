package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

const healthcheckUsage = `Usage: archive healthcheck [-url URL] [-timeout D]

Asks a running archive whether it is up: GET URL, exit 0 on 200, 1 on
anything else (another status, no answer, a timeout), with one line saying
why. It is the container's HEALTHCHECK, which has no curl: the URL defaults
to /healthz on the address -addr or $ARCHIVE_ADDR names, on this machine.

Flags:
`

// maxHealthBody bounds what is read of the answer to quote it.
const maxHealthBody = 512

// runHealthcheck is archive healthcheck.
func runHealthcheck(ctx context.Context, cfg *config, args []string, stdout, stderr io.Writer) error {
	fl := commandFlags("archive healthcheck", healthcheckUsage, stderr)
	def, err := healthURL(cfg.addr)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	target := fl.String("url", def, "the address to ask")
	timeout := fl.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	if err := parseCommandFlags(fl, args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return &exitError{code: 2, msg: "archive healthcheck takes no arguments (see archive healthcheck -h)"}
	}
	if u, err := url.Parse(*target); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &exitError{code: 2, msg: fmt.Sprintf("-url %q must be an absolute http or https URL", *target)}
	}
	if *timeout <= 0 {
		return &exitError{code: 2, msg: "-timeout must be positive"}
	}
	status, body, err := probe(ctx, *target, *timeout)
	if err != nil {
		return &exitError{code: 1, msg: fmt.Sprintf("unhealthy: %s: %v", *target, err)}
	}
	if status != http.StatusOK {
		return &exitError{code: 1, msg: fmt.Sprintf("unhealthy: %s answered %d %s", *target, status, body)}
	}
	fmt.Fprintf(stdout, "healthy: %s answered %d %s\n", *target, status, body)
	return nil
}

// healthURL is /healthz on the server's listening address as seen from
// this machine: an address that listens everywhere (":8080", "0.0.0.0",
// "[::]") is asked on loopback.
func healthURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("-addr %q: %w", addr, err)
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}

// probe makes one GET and returns its status and the start of its body.
// Redirects are not followed: a health endpoint that redirects is not
// the archive's.
func probe(ctx context.Context, target string, timeout time.Duration) (int, string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return 0, "", err
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxHealthBody))
	return resp.StatusCode, printable(string(b)), nil
}
