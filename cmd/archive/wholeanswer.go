package main

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"
)

// wholeLimit is the largest answer a replica holds back to send whole;
// larger ones (big exports) are sent as they are made.
const wholeLimit = 4 << 20

// wholeWriter holds an answer back until the handler is done and then
// sends it, status line, headers and body, in one write to the socket,
// and closes the connection. Behind a balancer that matters when a
// replica dies: HAProxy can send a request again to another replica only
// while it has had no byte of the answer, and an answer sent as it is
// made (gzip writes it a piece at a time) is cut off by a kill at any
// point of its making. net/http itself writes an answer of more than 4 KB
// in two writes or more, and on two busy cores a kill landed between them
// (HAProxy logged 4,051 bytes, then the server gone). One write the kernel
// takes whole is delivered even if the process dies right after it. An
// answer that flushes (a streamed export) or outgrows wholeLimit is passed
// on as it comes, through net/http.
type wholeWriter struct {
	w      http.ResponseWriter
	r      *http.Request
	status int
	buf    bytes.Buffer
	passed bool // writing through: flushed, or past wholeLimit
}

func (ww *wholeWriter) Header() http.Header { return ww.w.Header() }

func (ww *wholeWriter) WriteHeader(code int) {
	switch {
	case ww.passed:
		ww.w.WriteHeader(code)
	case ww.status == 0 && code >= 200:
		ww.status = code
	}
}

func (ww *wholeWriter) Write(p []byte) (int, error) {
	if !ww.passed && ww.buf.Len()+len(p) > wholeLimit {
		ww.passThrough()
	}
	if ww.passed {
		return ww.w.Write(p)
	}
	if ww.status == 0 {
		ww.status = http.StatusOK
	}
	return ww.buf.Write(p)
}

// Flush ends the holding back: the handler streams.
func (ww *wholeWriter) Flush() {
	ww.passThrough()
	if f, ok := ww.w.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection (an export
// sets a write deadline per batch).
func (ww *wholeWriter) Unwrap() http.ResponseWriter { return ww.w }

func (ww *wholeWriter) passThrough() {
	if ww.passed {
		return
	}
	ww.passed = true
	if ww.status != 0 {
		ww.w.WriteHeader(ww.status)
	}
	if ww.buf.Len() > 0 {
		_, _ = ww.w.Write(ww.buf.Bytes())
		ww.buf.Reset()
	}
}

// finish sends the held answer: in one write on an HTTP/1 connection,
// else (HEAD, whose length net/http knows better) through net/http.
func (ww *wholeWriter) finish() {
	if ww.passed {
		return
	}
	if ww.status == 0 {
		ww.status = http.StatusOK
	}
	if hj, ok := ww.w.(http.Hijacker); ok && ww.r.ProtoMajor == 1 && ww.r.Method != http.MethodHead {
		if conn, _, err := hj.Hijack(); err == nil {
			ww.sendWhole(conn)
			return
		}
	}
	h := ww.w.Header()
	if ww.r.Method != http.MethodHead && h.Get("Content-Length") == "" && bodyAllowed(ww.status) {
		h.Set("Content-Length", strconv.Itoa(ww.buf.Len()))
	}
	ww.w.WriteHeader(ww.status)
	if ww.buf.Len() > 0 {
		_, _ = ww.w.Write(ww.buf.Bytes())
	}
}

// sendWhole writes the answer to the hijacked connection in one write and
// closes it. The socket's send buffer is made big enough to take it (up
// to the system's maximum), so the kernel does not split the write.
func (ww *wholeWriter) sendWhole(conn net.Conn) {
	defer conn.Close()
	h := ww.w.Header().Clone()
	if h.Get("Content-Type") == "" && ww.buf.Len() > 0 {
		h.Set("Content-Type", http.DetectContentType(ww.buf.Bytes()))
	}
	h.Del("Content-Length")
	h.Del("Transfer-Encoding")
	if bodyAllowed(ww.status) {
		h.Set("Content-Length", strconv.Itoa(ww.buf.Len()))
	}
	h.Set("Connection", "close")
	h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	var out bytes.Buffer
	out.Grow(ww.buf.Len() + 1024)
	fmt.Fprintf(&out, "HTTP/1.1 %03d %s\r\n", ww.status, http.StatusText(ww.status))
	_ = h.Write(&out)
	out.WriteString("\r\n")
	if bodyAllowed(ww.status) {
		out.Write(ww.buf.Bytes())
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(out.Len() + 64<<10)
	}
	_ = conn.SetWriteDeadline(time.Now().Add(30 * time.Second))
	_, _ = conn.Write(out.Bytes())
}

func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}
