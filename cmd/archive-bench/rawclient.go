package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"
)

// The load test's client shares the machine's two cores with the server
// it measures, so it must take as little of them as it can, as wrk does
// in C. net/http's client took 0.29 of a core at 690 requests/s (a
// sixth of the machine, left out of the in-process figure the server is
// compared with). rawConn sends GETs on one keep-alive HTTP/1.1
// connection and reads each answer's status line and headers, then
// skips its body (Content-Length or chunked) without copying it.

// rawConn is one keep-alive connection to host.
type rawConn struct {
	host string // HOST:PORT
	c    net.Conn
	r    *bufio.Reader
	req  []byte
}

// errRawClosed says the server will close the connection after an answer.
var errRawClosed = errors.New("connection closed by the server")

// get requests target (a path and query) and returns the answer's status
// and body size. On any error the connection is dropped, and the next
// get dials again.
func (rc *rawConn) get(ctx context.Context, target string) (status int, size int64, err error) {
	for attempt := 0; ; attempt++ {
		reused := rc.c != nil
		if !reused {
			var d net.Dialer
			if rc.c, err = d.DialContext(ctx, "tcp", rc.host); err != nil {
				return 0, 0, err
			}
			rc.r = bufio.NewReaderSize(rc.c, 32<<10)
		}
		status, size, err = rc.roundTrip(ctx, target)
		if err == nil {
			return status, size, nil
		}
		rc.c.Close()
		rc.c = nil
		if errors.Is(err, errRawClosed) {
			return status, size, nil
		}
		// An idle connection the server had closed fails before any answer;
		// the request is sent again on a new one, as net/http does.
		if !reused || status != 0 || attempt > 0 || ctx.Err() != nil {
			return status, size, err
		}
	}
}

func (rc *rawConn) roundTrip(ctx context.Context, target string) (int, int64, error) {
	deadline := time.Now().Add(30 * time.Second)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if err := rc.c.SetDeadline(deadline); err != nil {
		return 0, 0, err
	}
	rc.req = append(rc.req[:0], "GET "...)
	rc.req = append(rc.req, target...)
	rc.req = append(rc.req, " HTTP/1.1\r\nHost: "...)
	rc.req = append(rc.req, rc.host...)
	rc.req = append(rc.req, "\r\nUser-Agent: archive-bench\r\n\r\n"...)
	if _, err := rc.c.Write(rc.req); err != nil {
		return 0, 0, err
	}
	line, err := rc.line()
	if err != nil {
		return 0, 0, err
	}
	// HTTP/1.1 200 OK
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
		return 0, 0, fmt.Errorf("malformed status line %q", line)
	}
	status, err := strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, 0, fmt.Errorf("malformed status line %q", line)
	}
	length, chunked, closing := int64(-1), false, false
	for {
		h, err := rc.line()
		if err != nil {
			return status, 0, err
		}
		if len(h) == 0 {
			break
		}
		name, value, ok := bytes.Cut(h, []byte(":"))
		if !ok {
			return status, 0, fmt.Errorf("malformed header %q", h)
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.ParseInt(string(value), 10, 64); err != nil || length < 0 {
				return status, 0, fmt.Errorf("malformed Content-Length %q", value)
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			closing = bytes.EqualFold(value, []byte("close"))
		}
	}
	var size int64
	switch {
	case status < 200 || status == 204 || status == 304: // no body (RFC 9112 6.3)
	case chunked:
		if size, err = rc.skipChunks(); err != nil {
			return status, 0, err
		}
	case length >= 0:
		n, err := rc.r.Discard(int(length))
		if err != nil {
			return status, 0, fmt.Errorf("body cut at %d of %d bytes: %w", n, length, err)
		}
		size = length
	default:
		return status, 0, errors.New("answer without Content-Length or chunked encoding")
	}
	if closing {
		return status, size, errRawClosed
	}
	return status, size, nil
}

// skipChunks reads a chunked body and its trailer, returning its size.
func (rc *rawConn) skipChunks() (int64, error) {
	var total int64
	for {
		line, err := rc.line()
		if err != nil {
			return 0, err
		}
		if i := bytes.IndexByte(line, ';'); i >= 0 {
			line = line[:i]
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace(line)), 16, 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("malformed chunk size %q", line)
		}
		if n == 0 {
			for { // trailer, up to the empty line
				t, err := rc.line()
				if err != nil {
					return 0, err
				}
				if len(t) == 0 {
					return total, nil
				}
			}
		}
		if _, err := rc.r.Discard(int(n)); err != nil {
			return 0, err
		}
		total += n
		if crlf, err := rc.line(); err != nil || len(crlf) != 0 {
			return 0, fmt.Errorf("chunk not followed by CRLF (%q, %v)", crlf, err)
		}
	}
}

// line reads one CRLF-terminated line, without the CRLF; it is valid
// until the next read.
func (rc *rawConn) line() ([]byte, error) {
	l, err := rc.r.ReadSlice('\n')
	if err != nil {
		return nil, err
	}
	l = bytes.TrimSuffix(l[:len(l)-1], []byte("\r"))
	return l, nil
}
